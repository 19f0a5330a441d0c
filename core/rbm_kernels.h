// Hot loops of the RBM (core/rbm.cc) that core/kernels.h does not have,
// written with Highway in the style of core/kernels.cc (any lane count).
#pragma once
#include <cstddef>
#include <cstdint>

namespace flowlab {

// y = σ(x + bias), bias broadcast over the rows of an rows × cols matrix
// (bias may be nullptr). x and y may alias.
void sigmoid_rows(const float* x, const float* bias, float* y, int rows, int cols);

// s_i = (u_i < p_i) ? 1 : 0 — a Bernoulli draw given uniforms u in [0, 1).
void bernoulli_from_uniform(const float* p, const float* u, float* s, size_t n);

}  // namespace flowlab
