#include "loglik.h"

#include <cmath>

namespace flowlab {

std::vector<double> log_density(const FieldDivFn& f, const float* x_in, int n, int steps, Solver s,
                                std::vector<float>* x0) {
  std::vector<float> x(x_in, x_in + 2 * size_t(n)), xm(x.size()), v(x.size());
  std::vector<float> div(n);
  std::vector<double> integral(n, 0.0);  // ∫₀¹ Tr ∂v/∂x dt along each path
  const float h = -1.0f / float(steps);  // backwards in time
  for (int k = 0; k < steps; ++k) {
    const float t = 1.0f + k * h;
    if (s == Solver::Euler) {
      f(x.data(), t, n, v.data(), div.data());
      for (int i = 0; i < n; ++i) integral[i] += -double(h) * div[i];
      for (size_t j = 0; j < x.size(); ++j) x[j] += h * v[j];
    } else {  // midpoint: slope and divergence at the half step
      f(x.data(), t, n, v.data(), div.data());
      for (size_t j = 0; j < x.size(); ++j) xm[j] = x[j] + 0.5f * h * v[j];
      f(xm.data(), t + 0.5f * h, n, v.data(), div.data());
      for (int i = 0; i < n; ++i) integral[i] += -double(h) * div[i];
      for (size_t j = 0; j < x.size(); ++j) x[j] += h * v[j];
    }
  }
  std::vector<double> lp(n);
  const double log2pi = std::log(2.0 * M_PI);
  for (int i = 0; i < n; ++i) {
    const double a = x[2 * i], b = x[2 * i + 1];
    lp[i] = -0.5 * (a * a + b * b) - log2pi - integral[i];
  }
  if (x0) *x0 = std::move(x);
  return lp;
}

DensityGrid density_grid(const FieldDivFn& f, int m, float lo, float hi, int steps, Solver s) {
  DensityGrid g;
  g.m = m, g.lo = lo, g.hi = hi;
  // Cell centres, so the midpoint rule integrates p over [lo, hi]².
  const float h = (hi - lo) / m;
  std::vector<float> x(2 * size_t(m) * m);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j) {
      x[2 * (size_t(i) * m + j)] = lo + (j + 0.5f) * h;
      x[2 * (size_t(i) * m + j) + 1] = lo + (i + 0.5f) * h;
    }
  g.log_p = log_density(f, x.data(), m * m, steps, s);
  for (double l : g.log_p) g.integral += std::exp(l) * double(h) * h;
  return g;
}

}  // namespace flowlab
