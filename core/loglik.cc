#include "loglik.h"

#include <cmath>

namespace flowlab {

namespace {
// The joint state (x, ∫ Tr ∂v/∂x dt) of n points, advanced by plain loops.
struct PathWithDivergence {
  const FieldDivFn& f;
  int n;
  std::vector<float> x, xm, v, div, v_sum;
  std::vector<double> div_sum, integral;  // ∫ Tr ∂v/∂x dt along each path, run backwards
  void slope(bool at_stage, float t) { f(at_stage ? xm.data() : x.data(), t, n, v.data(), div.data()); }
  void stage(float a) {
    for (size_t j = 0; j < x.size(); ++j) xm[j] = x[j] + a * v[j];
  }
  void advance(float a) {
    for (int i = 0; i < n; ++i) integral[i] += -double(a) * div[i];
    for (size_t j = 0; j < x.size(); ++j) x[j] += a * v[j];
  }
  void clear_sum() {
    v_sum.assign(v.size(), 0.0f);
    div_sum.assign(div.size(), 0.0);
  }
  void add_to_sum(float w) {
    for (int i = 0; i < n; ++i) div_sum[i] += double(w) * div[i];
    for (size_t j = 0; j < v.size(); ++j) v_sum[j] += w * v[j];
  }
  void advance_sum(float a) {
    for (int i = 0; i < n; ++i) integral[i] += -double(a) * div_sum[i];
    for (size_t j = 0; j < x.size(); ++j) x[j] += a * v_sum[j];
  }
};
}  // namespace

std::vector<double> log_density(const FieldDivFn& f, const float* x_in, int n, int steps, Solver s,
                                std::vector<float>* x0) {
  const size_t len = 2 * size_t(n);
  PathWithDivergence p{f,
                       n,
                       std::vector<float>(x_in, x_in + len),
                       std::vector<float>(len),
                       std::vector<float>(len),
                       std::vector<float>(n),
                       {},
                       {},
                       std::vector<double>(n, 0.0)};
  fixed_steps(1.0f, 0.0f, steps, 0, steps, [&](int, float t, float h) { ode_step(p, s, t, h); });
  const std::vector<float>& x = p.x;
  const std::vector<double>& integral = p.integral;
  std::vector<double> lp(n);
  const double log2pi = std::log(2.0 * M_PI);
  for (int i = 0; i < n; ++i) {
    const double a = x[2 * i], b = x[2 * i + 1];
    lp[i] = -0.5 * (a * a + b * b) - log2pi - integral[i];
  }
  if (x0) *x0 = std::move(p.x);
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
