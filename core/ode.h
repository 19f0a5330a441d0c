// Fixed-step ODE integration of dx/dt = v(x, t) for a batch of points,
// forward (t0 < t1) or backward (t0 > t1) in time. The schemes and the step
// schedule live here once; each caller keeps the arithmetic of its own state
// (float SIMD kernels, float loops with a double integral, double (z, ln q)).
#pragma once
#include <algorithm>
#include <functional>
#include <vector>

namespace flowlab {

enum class Solver { Euler = 0, Midpoint = 1, Rk4 = 2 };

// v(x, t, n, out): the velocity of n points x (n × dim) at time t.
using VelocityFn = std::function<void(const float* x, float t, int n, float* v)>;

// Function evaluations per step (NFE = steps × this).
inline int evals_per_step(Solver s) { return s == Solver::Midpoint ? 2 : s == Solver::Rk4 ? 4 : 1; }

// Steps [from, to) of `steps` equal steps from t0 to t1: step(s, t, h) with
// t = t0 + h·s (not accumulated: no drift in t).
template <class Real, class Step>
void fixed_steps(Real t0, Real t1, int steps, int from, int to, Step step) {
  const Real h = steps > 0 ? (t1 - t0) / Real(steps) : Real(0);
  for (int s = std::max(0, from); s < std::min(to, steps); ++s) step(s, t0 + h * Real(s), h);
}

// One step from t to t + h of the scheme `solver` on a system that owns its
// state x, a stage state x̃, a slope k and (RK4) a slope sum Σ:
//   sys.slope(at_stage, t)  k ← f(at_stage ? x̃ : x, t)
//   sys.stage(a)            x̃ ← x + a·k
//   sys.advance(a)          x ← x + a·k
//   sys.clear_sum()         Σ ← 0
//   sys.add_to_sum(w)       Σ ← Σ + w·k
//   sys.advance_sum(a)      x ← x + a·Σ
// Any solver other than Euler and RK4 is the midpoint rule.
template <class Real, class System>
void ode_step(System& sys, Solver solver, Real t, Real h) {
  if (solver == Solver::Euler) {
    sys.slope(false, t);
    sys.advance(h);
  } else if (solver == Solver::Rk4) {
    // Classic RK4: stages at t, t + h/2 (twice), t + h with weights 1, 2, 2, 1.
    const Real at[4] = {0, 0.5, 0.5, 1}, w[4] = {1, 2, 2, 1};
    sys.clear_sum();
    for (int st = 0; st < 4; ++st) {
      sys.slope(st > 0, t + at[st] * h);
      sys.add_to_sum(w[st]);
      if (st < 3) sys.stage(at[st + 1] * h);
    }
    sys.advance_sum(h / 6);
  } else {
    // Midpoint (RK2): x ← x + h·v(x + h/2·v(x, t), t + h/2).
    sys.slope(false, t);
    sys.stage(Real(0.5) * h);
    sys.slope(true, t + Real(0.5) * h);
    sys.advance(h);
  }
}

// Integrates x (n × dim) in place from t0 to t1 in `steps` equal steps.
// If traj != nullptr it receives (steps + 1) snapshots of n × dim, t0 first.
void integrate(const VelocityFn& v, float* x, int n, int dim, float t0, float t1, int steps, Solver solver,
               std::vector<float>* traj = nullptr);

// Steps [from, to) of the same integration: the same arithmetic in the same
// order, so slices of one integration give the bits of the whole (long
// sampling can then run in slices that report progress and can be cancelled).
void integrate_steps(const VelocityFn& v, float* x, int n, int dim, float t0, float t1, int steps, int from, int to,
                     Solver solver);

}  // namespace flowlab
