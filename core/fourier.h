// Fourier features of a scalar input u: sin(2^j u), cos(2^j u) for j < F
// (Tancik et al. 2020: an MLP fed these learns sharp, high-frequency
// functions in far fewer steps than one fed u alone).
#pragma once
#include <cmath>

namespace flowlab {

constexpr int kMaxFourier = 6;  // the links' bound on a `fourier` field

// sc[2j] = sin(2^j u), sc[2j + 1] = cos(2^j u) for j < F: one sin and cos, then the
// double-angle recurrence sin 2a = 2 sin a cos a, cos 2a = 1 − 2 sin² a (the same
// values wherever the features are recomputed, forward or backward).
inline void fourier_features(float u, int F, float* sc) {
  if (F <= 0) return;
  float sn = std::sin(u), cs = std::cos(u);
  for (int j = 0; j < F; ++j) {
    sc[2 * j] = sn;
    sc[2 * j + 1] = cs;
    const float s2 = 2 * sn * cs, c2 = 1 - 2 * sn * sn;
    sn = s2;
    cs = c2;
  }
}

}  // namespace flowlab
