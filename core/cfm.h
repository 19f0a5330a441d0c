// The conditional flow matching regression (Lipman et al. 2022) of a batch of
// n points in d dimensions, shared by every exercise trained with it:
//   ψ_t(x0) = (1 − t)·x0 + t·x1,   u = x1 − x0,   L_CFM = (1/n) Σ_i ‖v_θ(ψ_t, t)_i − u_i‖².
#pragma once

namespace flowlab {

// ψ_t of each point (n × d) into xt.
inline void cfm_path(const float* x0, const float* x1, const float* t, int n, int d, float* xt) {
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < d; ++k) xt[d * i + k] = (1.0f - t[i]) * x0[d * i + k] + t[i] * x1[d * i + k];
}

// The residuals e = v − u (n × d) into e, and Σ ‖e_i‖² (n·L_CFM) in double.
// ∂L/∂v = 2e/n: the caller scales e (each exercise keeps its own rounding of it).
inline double cfm_residual(const float* v, const float* x0, const float* x1, int n, int d, float* e) {
  double sum = 0.0;
  for (int i = 0; i < n * d; ++i) {
    e[i] = v[i] - (x1[i] - x0[i]);
    sum += double(e[i]) * e[i];
  }
  return sum;
}

}  // namespace flowlab
