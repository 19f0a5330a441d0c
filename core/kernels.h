// Hot loops of every model, written once with Google Highway (kernels.cc):
// SIMD128 in wasm, AVX2/AVX-512 natively. Row-major storage throughout;
// a weight matrix W of a layer with fan-in K and fan-out N is K×N, so a
// batch X (M×K) maps to X·W (M×N), matching the sheets' v_i W_ij h_j.
#pragma once
#include <cstddef>

namespace flowlab {

// C = A·B (+ bias broadcast over rows, if bias != nullptr).
// A: M×K, B: K×N, C: M×N. C is overwritten.
void matmul(const float* A, const float* B, const float* bias, float* C, int M, int K, int N);

// Z = A·B + bias, then C = silu(Z) and, if G != nullptr, G = silu'(Z): a fused
// hidden-layer forward that leaves the backward pass its factor dz = da·G while σ(Z)
// is at hand (the backward then needs no exp). A, B, bias as in matmul; C, G: M×N.
void matmul_bias_silu(const float* A, const float* B, const float* bias, float* G, float* C, int M, int K, int N);

// C = A·Bᵀ, then C = C ⊙ F if F != nullptr. A: M×K, B: N×K, C and F: M×N (the input
// gradient dX = dY·Wᵀ; through a SiLU below, F = silu'(z) from matmul_bias_silu).
void matmul_bt(const float* A, const float* B, float* C, int M, int K, int N, const float* F = nullptr);

// C = Aᵀ·B (overwrite) and, if colsum != nullptr, colsum = Σ_rows B.
// A: M×K, B: M×N, C: K×N (the weight gradient dW = Xᵀ·dY, db = Σ dY).
void matmul_at(const float* A, const float* B, float* C, float* colsum, int M, int K, int N);

// y = silu(x) = x·σ(x), elementwise.
void silu(const float* x, float* y, size_t n);
// dz = da · silu'(z), with silu'(z) = σ(z)·(1 + z·(1 − σ(z))).
void silu_backward(const float* z, const float* da, float* dz, size_t n);

// y = a ⊙ b, elementwise (a tangent through a SiLU: dz ⊙ silu'(z), G from matmul_bias_silu).
void mul(const float* a, const float* b, float* y, size_t n);
// y += a·x
void axpy(float a, const float* x, float* y, size_t n);
// out = x + a·y
void add_scaled(const float* x, float a, const float* y, float* out, size_t n);
// Σ (a − b)²
double sum_sq_diff(const float* a, const float* b, size_t n);

// The bounded outputs of RealNVP's couplings (core/realnvp.h) from the nets' raw
// rows (raw: n × 2, (raw_s, raw_b)); s, b, e: n each.
//   s = m·tanh(raw_s/m), m = s_neg for raw_s < 0, s_pos otherwise;
//   b = b_max·tanh(raw_b/b_max) (b_max = 0: b = raw_b);  e = exp(−s).
// Every element takes the vector path (the tail padded), so its bits do not depend on n.
void coupling_bound(const float* raw, int n, float s_pos, float s_neg, float b_max, float* s, float* b, float* e);

// One Adam step (Kingma & Ba) with bias corrections bc1 = 1 − β1^t,
// bc2 = 1 − β2^t supplied by the caller.
void adam_update(float* p, const float* g, float* m, float* v, size_t n, float lr, float beta1, float beta2, float eps,
                 float bc1, float bc2);

}  // namespace flowlab
