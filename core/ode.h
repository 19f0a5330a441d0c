// Fixed-step ODE integration of dx/dt = v(x, t) for a batch of points,
// forward (t0 < t1) or backward (t0 > t1) in time.
#pragma once
#include <functional>
#include <vector>

namespace flowlab {

enum class Solver { Euler = 0, Midpoint = 1 };

// v(x, t, n, out): the velocity of n points x (n × dim) at time t.
using VelocityFn = std::function<void(const float* x, float t, int n, float* v)>;

// Function evaluations per step (NFE = steps × this).
inline int evals_per_step(Solver s) { return s == Solver::Midpoint ? 2 : 1; }

// Integrates x (n × dim) in place from t0 to t1 in `steps` equal steps.
// If traj != nullptr it receives (steps + 1) snapshots of n × dim, t0 first.
void integrate(const VelocityFn& v, float* x, int n, int dim, float t0, float t1,
               int steps, Solver solver, std::vector<float>* traj = nullptr);

// Steps [from, to) of the same integration: the same arithmetic in the same
// order, so slices of one integration give the bits of the whole (long
// sampling can then run in slices that report progress and can be cancelled).
void integrate_steps(const VelocityFn& v, float* x, int n, int dim, float t0, float t1, int steps, int from,
                     int to, Solver solver);

}  // namespace flowlab
