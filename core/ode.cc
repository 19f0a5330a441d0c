#include "ode.h"

#include "kernels.h"

namespace flowlab {

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
    const float t = t0 + h * float(s);  // not accumulated: no drift in t
    v(x, t, n, k1.data());
    if (solver == Solver::Euler) {
      axpy(h, k1.data(), x, len);
    } else {
      // Midpoint (RK2): x ← x + h·v(x + h/2·v(x, t), t + h/2).
      add_scaled(x, 0.5f * h, k1.data(), mid.data(), len);
      v(mid.data(), t + 0.5f * h, n, k1.data());
      axpy(h, k1.data(), x, len);
    }
    if (traj) std::copy(x, x + len, traj->begin() + (size_t(s) + 1) * len);
  }
}

}  // namespace flowlab
