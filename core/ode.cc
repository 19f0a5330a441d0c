#include "ode.h"

#include <algorithm>

#include "kernels.h"

namespace flowlab {

namespace {
// Step s of `steps` from t0 to t1 (k1, mid: scratch of n × dim).
void one_step(const VelocityFn& v, float* x, int n, size_t len, float t0, float h, int s, Solver solver,
              float* k1, float* mid) {
  const float t = t0 + h * float(s);  // not accumulated: no drift in t
  v(x, t, n, k1);
  if (solver == Solver::Euler) {
    axpy(h, k1, x, len);
  } else {
    // Midpoint (RK2): x ← x + h·v(x + h/2·v(x, t), t + h/2).
    add_scaled(x, 0.5f * h, k1, mid, len);
    v(mid, t + 0.5f * h, n, k1);
    axpy(h, k1, x, len);
  }
}
}  // namespace

void integrate(const VelocityFn& v, float* x, int n, int dim, float t0, float t1,
               int steps, Solver solver, std::vector<float>* traj) {
  const size_t len = size_t(n) * dim;
  const float h = (t1 - t0) / float(steps);
  std::vector<float> k1(len), mid(solver == Solver::Midpoint ? len : 0);
  if (traj) {
    traj->resize((size_t(steps) + 1) * len);
    std::copy(x, x + len, traj->begin());
  }
  for (int s = 0; s < steps; ++s) {
    one_step(v, x, n, len, t0, h, s, solver, k1.data(), mid.data());
    if (traj) std::copy(x, x + len, traj->begin() + (size_t(s) + 1) * len);
  }
}

void integrate_steps(const VelocityFn& v, float* x, int n, int dim, float t0, float t1, int steps, int from,
                     int to, Solver solver) {
  const size_t len = size_t(n) * dim;
  const float h = (t1 - t0) / float(steps);
  std::vector<float> k1(len), mid(solver == Solver::Midpoint ? len : 0);
  for (int s = std::max(0, from); s < std::min(to, steps); ++s)
    one_step(v, x, n, len, t0, h, s, solver, k1.data(), mid.data());
}

}  // namespace flowlab
