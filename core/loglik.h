// Exact log-likelihood of a 2D flow by the instantaneous change of variables
// (sheet 000 §2, applied to the flow-matching models of §3 and 003 §2).
// Along a trajectory of dx/dt = v(x, t),
//   d ln p_t(x(t)) / dt = −Tr ∂v/∂x (x(t), t),
// so for a point x at t = 1, with x(t) its trajectory integrated back to t = 0,
//   ln p_1(x) = ln N(x(0); 0, I) − ∫₀¹ Tr ∂v/∂x (x(t), t) dt.
// In 2D the trace is two exact partial derivatives (forward mode, Mlp::jvp).
#pragma once
#include <functional>
#include <vector>

#include "ode.h"

namespace flowlab {

// v (n × 2) and div = Tr ∂v/∂x (n) of n points at time t.
using FieldDivFn = std::function<void(const float* x, float t, int n, float* v, float* div)>;

// ln p_1 of n points (n × 2), integrating (x, ∫ div) from t = 1 to 0 with
// `steps` Euler or midpoint steps. If x0 != nullptr it receives x(0).
std::vector<double> log_density(const FieldDivFn& f, const float* x, int n, int steps, Solver s,
                                std::vector<float>* x0 = nullptr);

// ln p_1 on an m × m grid over [lo, hi]² (row-major, rows = y ascending), and
// the integral of p_1 over the grid (midpoint rule) — ≈ 1 when the grid holds
// the mass and the flow is accurate.
struct DensityGrid {
  int m = 0;
  float lo = 0, hi = 0;
  std::vector<double> log_p;
  double integral = 0;
};
DensityGrid density_grid(const FieldDivFn& f, int m, float lo, float hi, int steps, Solver s);

}  // namespace flowlab
