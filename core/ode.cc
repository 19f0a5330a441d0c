#include "ode.h"

#include <algorithm>

#include "kernels.h"

namespace flowlab {

namespace {
// n points of dim coordinates, advanced by the SIMD kernels.
struct Batch {
  const VelocityFn& v;
  float* x;
  int n;
  size_t len;
  std::vector<float> k, mid, sum;
  Batch(const VelocityFn& v_, float* x_, int n_, size_t len_, Solver s)
      : v(v_), x(x_), n(n_), len(len_), k(len_), mid(s == Solver::Euler ? 0 : len_), sum(s == Solver::Rk4 ? len_ : 0) {}
  void slope(bool at_stage, float t) { v(at_stage ? mid.data() : x, t, n, k.data()); }
  void stage(float a) { add_scaled(x, a, k.data(), mid.data(), len); }
  void advance(float a) { axpy(a, k.data(), x, len); }
  void clear_sum() { std::fill(sum.begin(), sum.end(), 0.0f); }
  void add_to_sum(float w) { axpy(w, k.data(), sum.data(), len); }
  void advance_sum(float a) { axpy(a, sum.data(), x, len); }
};
}  // namespace

void integrate(const VelocityFn& v, float* x, int n, int dim, float t0, float t1, int steps, Solver solver,
               std::vector<float>* traj) {
  const size_t len = size_t(n) * dim;
  Batch b(v, x, n, len, solver);
  if (traj) {
    traj->resize((size_t(steps) + 1) * len);
    std::copy(x, x + len, traj->begin());
  }
  fixed_steps(t0, t1, steps, 0, steps, [&](int s, float t, float h) {
    ode_step(b, solver, t, h);
    if (traj) std::copy(x, x + len, traj->begin() + (size_t(s) + 1) * len);
  });
}

void integrate_steps(const VelocityFn& v, float* x, int n, int dim, float t0, float t1, int steps, int from, int to,
                     Solver solver) {
  Batch b(v, x, n, size_t(n) * dim, solver);
  fixed_steps(t0, t1, steps, from, to, [&](int, float t, float h) { ode_step(b, solver, t, h); });
}

}  // namespace flowlab
