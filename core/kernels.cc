// Highway kernels (static dispatch: one target chosen by the compiler flags —
// HWY_WASM with -msimd128, AVX2/AVX3 natively with -march=native).
// Written for any lane count L: vector loops, then a scalar tail.
#include "kernels.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "hwy/highway.h"
#include "hwy/contrib/math/math-inl.h"

namespace flowlab {
namespace hn = hwy::HWY_NAMESPACE;
using D = hn::ScalableTag<float>;
using V = hn::Vec<D>;

namespace {

// σ(x) with the exponent clamped: hwy's Exp is only valid up to ~104, and
// σ is exactly 0 or 1 in float beyond |x| > 88 anyway.
HWY_INLINE V Sigmoid(D d, V x) {
  const V one = hn::Set(d, 1.0f);
  const V e = hn::Exp(d, hn::Min(hn::Neg(x), hn::Set(d, 88.0f)));
  return hn::Div(one, hn::Add(one, e));
}

inline float sigmoid_scalar(float x) {
  return 1.0f / (1.0f + std::exp(std::min(-x, 88.0f)));
}

// Rows [i0, i0+R) of C = A·B (+bias), vectorised over the columns of C.
// R rows share every load of B: R×2 accumulators stay in registers.
template <int R, bool kSilu>
HWY_INLINE void MatmulRows(const float* HWY_RESTRICT A,
                           const float* HWY_RESTRICT B,
                           const float* HWY_RESTRICT bias, float* HWY_RESTRICT Z,
                           float* HWY_RESTRICT C, int i0, int K, int N) {
  const D d;
  const int L = int(hn::Lanes(d));
  int j = 0;
  for (; j + 2 * L <= N; j += 2 * L) {
    V acc0[R], acc1[R];
    const V b0 = bias ? hn::LoadU(d, bias + j) : hn::Zero(d);
    const V b1 = bias ? hn::LoadU(d, bias + j + L) : hn::Zero(d);
    for (int r = 0; r < R; ++r) {
      acc0[r] = b0;
      acc1[r] = b1;
    }
    for (int k = 0; k < K; ++k) {
      const V w0 = hn::LoadU(d, B + size_t(k) * N + j);
      const V w1 = hn::LoadU(d, B + size_t(k) * N + j + L);
      for (int r = 0; r < R; ++r) {
        const V a = hn::Set(d, A[size_t(i0 + r) * K + k]);
        acc0[r] = hn::MulAdd(a, w0, acc0[r]);
        acc1[r] = hn::MulAdd(a, w1, acc1[r]);
      }
    }
    for (int r = 0; r < R; ++r) {
      float* c = C + size_t(i0 + r) * N + j;
      if (kSilu) {
        float* z = Z + size_t(i0 + r) * N + j;
        hn::StoreU(acc0[r], d, z);
        hn::StoreU(acc1[r], d, z + L);
        hn::StoreU(hn::Mul(acc0[r], Sigmoid(d, acc0[r])), d, c);
        hn::StoreU(hn::Mul(acc1[r], Sigmoid(d, acc1[r])), d, c + L);
      } else {
        hn::StoreU(acc0[r], d, c);
        hn::StoreU(acc1[r], d, c + L);
      }
    }
  }
  for (; j + L <= N; j += L) {
    V acc[R];
    for (int r = 0; r < R; ++r) acc[r] = bias ? hn::LoadU(d, bias + j) : hn::Zero(d);
    for (int k = 0; k < K; ++k) {
      const V w = hn::LoadU(d, B + size_t(k) * N + j);
      for (int r = 0; r < R; ++r)
        acc[r] = hn::MulAdd(hn::Set(d, A[size_t(i0 + r) * K + k]), w, acc[r]);
    }
    for (int r = 0; r < R; ++r) {
      float* c = C + size_t(i0 + r) * N + j;
      if (kSilu) {
        hn::StoreU(acc[r], d, Z + size_t(i0 + r) * N + j);
        hn::StoreU(hn::Mul(acc[r], Sigmoid(d, acc[r])), d, c);
      } else {
        hn::StoreU(acc[r], d, c);
      }
    }
  }
  for (; j < N; ++j) {
    for (int r = 0; r < R; ++r) {
      float s = bias ? bias[j] : 0.0f;
      for (int k = 0; k < K; ++k) s += A[size_t(i0 + r) * K + k] * B[size_t(k) * N + j];
      if (kSilu) {
        Z[size_t(i0 + r) * N + j] = s;
        s = s * sigmoid_scalar(s);
      }
      C[size_t(i0 + r) * N + j] = s;
    }
  }
}

HWY_INLINE float Dot(const float* HWY_RESTRICT a, const float* HWY_RESTRICT b, int n) {
  const D d;
  const int L = int(hn::Lanes(d));
  V acc = hn::Zero(d);
  int k = 0;
  for (; k + L <= n; k += L) acc = hn::MulAdd(hn::LoadU(d, a + k), hn::LoadU(d, b + k), acc);
  float s = hn::GetLane(hn::SumOfLanes(d, acc));
  for (; k < n; ++k) s += a[k] * b[k];
  return s;
}

std::vector<float>& Scratch() {
  static thread_local std::vector<float> buf;
  return buf;
}

template <bool kSilu>
void MatmulImpl(const float* A, const float* B, const float* bias, float* Z,
                float* C, int M, int K, int N) {
  const D d;
  if (N < int(hn::Lanes(d)) && K >= int(hn::Lanes(d))) {
    // Narrow output (e.g. the 2-d velocity head): columns of B are gathered
    // so every C[i,j] is one vectorised dot product over K.
    std::vector<float>& bt = Scratch();
    bt.resize(size_t(N) * K);
    for (int k = 0; k < K; ++k)
      for (int j = 0; j < N; ++j) bt[size_t(j) * K + k] = B[size_t(k) * N + j];
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j) {
        float s = Dot(A + size_t(i) * K, bt.data() + size_t(j) * K, K) + (bias ? bias[j] : 0.0f);
        if (kSilu) {
          Z[size_t(i) * N + j] = s;
          s *= sigmoid_scalar(s);
        }
        C[size_t(i) * N + j] = s;
      }
    return;
  }
  int i = 0;
  for (; i + 4 <= M; i += 4) MatmulRows<4, kSilu>(A, B, bias, Z, C, i, K, N);
  for (; i < M; ++i) MatmulRows<1, kSilu>(A, B, bias, Z, C, i, K, N);
}

}  // namespace

void matmul(const float* A, const float* B, const float* bias, float* C, int M,
            int K, int N) {
  MatmulImpl<false>(A, B, bias, nullptr, C, M, K, N);
}

void matmul_bias_silu(const float* A, const float* B, const float* bias,
                      float* Z, float* C, int M, int K, int N) {
  MatmulImpl<true>(A, B, bias, Z, C, M, K, N);
}

void matmul_bt(const float* A, const float* B, float* C, int M, int K, int N) {
  // Transposing B (N×K, cheap next to M·K·N) turns this into a plain matmul
  // vectorised over N — wide even when K is tiny (the 2-d output layer).
  std::vector<float> bt(size_t(K) * N);
  for (int j = 0; j < N; ++j)
    for (int k = 0; k < K; ++k) bt[size_t(k) * N + j] = B[size_t(j) * K + k];
  matmul(A, bt.data(), nullptr, C, M, K, N);
}

void matmul_at(const float* A, const float* B, float* C, float* colsum, int M,
               int K, int N) {
  const D d;
  const int L = int(hn::Lanes(d));
  if (colsum) {
    std::fill(colsum, colsum + N, 0.0f);
    for (int i = 0; i < M; ++i) axpy(1.0f, B + size_t(i) * N, colsum, size_t(N));
  }
  if (N < L) {
    // Narrow B: vectorise over K instead, C[:, j] = Σ_i B[i,j]·A[i,:].
    int k = 0;
    for (; k + L <= K; k += L) {
      for (int j = 0; j < N; ++j) {
        V acc = hn::Zero(d);
        for (int i = 0; i < M; ++i)
          acc = hn::MulAdd(hn::Set(d, B[size_t(i) * N + j]), hn::LoadU(d, A + size_t(i) * K + k), acc);
        alignas(64) float tmp[64];
        hn::StoreU(acc, d, tmp);
        for (int l = 0; l < L; ++l) C[size_t(k + l) * N + j] = tmp[l];
      }
    }
    for (; k < K; ++k)
      for (int j = 0; j < N; ++j) {
        float s = 0.0f;
        for (int i = 0; i < M; ++i) s += A[size_t(i) * K + k] * B[size_t(i) * N + j];
        C[size_t(k) * N + j] = s;
      }
    return;
  }
  // 4 rows of C × 2 vectors of columns in registers, streaming over the batch.
  constexpr int R = 4;
  int k = 0;
  for (; k < K; k += R) {
    const int rk = std::min(R, K - k);
    int j = 0;
    for (; j + 2 * L <= N; j += 2 * L) {
      V a0[R], a1[R];
      for (int r = 0; r < R; ++r) a0[r] = a1[r] = hn::Zero(d);
      for (int i = 0; i < M; ++i) {
        const V b0 = hn::LoadU(d, B + size_t(i) * N + j);
        const V b1 = hn::LoadU(d, B + size_t(i) * N + j + L);
        const float* a = A + size_t(i) * K + k;
        for (int r = 0; r < R; ++r) {
          if (r >= rk) break;
          const V s = hn::Set(d, a[r]);
          a0[r] = hn::MulAdd(s, b0, a0[r]);
          a1[r] = hn::MulAdd(s, b1, a1[r]);
        }
      }
      for (int r = 0; r < rk; ++r) {
        hn::StoreU(a0[r], d, C + size_t(k + r) * N + j);
        hn::StoreU(a1[r], d, C + size_t(k + r) * N + j + L);
      }
    }
    for (; j + L <= N; j += L) {
      V a0[R];
      for (int r = 0; r < R; ++r) a0[r] = hn::Zero(d);
      for (int i = 0; i < M; ++i) {
        const V b0 = hn::LoadU(d, B + size_t(i) * N + j);
        for (int r = 0; r < rk; ++r)
          a0[r] = hn::MulAdd(hn::Set(d, A[size_t(i) * K + k + r]), b0, a0[r]);
      }
      for (int r = 0; r < rk; ++r) hn::StoreU(a0[r], d, C + size_t(k + r) * N + j);
    }
    for (; j < N; ++j)
      for (int r = 0; r < rk; ++r) {
        float s = 0.0f;
        for (int i = 0; i < M; ++i) s += A[size_t(i) * K + k + r] * B[size_t(i) * N + j];
        C[size_t(k + r) * N + j] = s;
      }
  }
}

void silu(const float* x, float* y, size_t n) {
  const D d;
  const size_t L = hn::Lanes(d);
  size_t i = 0;
  for (; i + L <= n; i += L) {
    const V v = hn::LoadU(d, x + i);
    hn::StoreU(hn::Mul(v, Sigmoid(d, v)), d, y + i);
  }
  for (; i < n; ++i) y[i] = x[i] * sigmoid_scalar(x[i]);
}

void silu_backward(const float* z, const float* da, float* dz, size_t n) {
  const D d;
  const size_t L = hn::Lanes(d);
  const V one = hn::Set(d, 1.0f);
  size_t i = 0;
  for (; i + L <= n; i += L) {
    const V v = hn::LoadU(d, z + i);
    const V s = Sigmoid(d, v);
    const V g = hn::Mul(s, hn::MulAdd(v, hn::Sub(one, s), one));
    hn::StoreU(hn::Mul(hn::LoadU(d, da + i), g), d, dz + i);
  }
  for (; i < n; ++i) {
    const float s = sigmoid_scalar(z[i]);
    dz[i] = da[i] * s * (1.0f + z[i] * (1.0f - s));
  }
}

void axpy(float a, const float* x, float* y, size_t n) {
  const D d;
  const size_t L = hn::Lanes(d);
  const V va = hn::Set(d, a);
  size_t i = 0;
  for (; i + L <= n; i += L)
    hn::StoreU(hn::MulAdd(va, hn::LoadU(d, x + i), hn::LoadU(d, y + i)), d, y + i);
  for (; i < n; ++i) y[i] += a * x[i];
}

void add_scaled(const float* x, float a, const float* y, float* out, size_t n) {
  const D d;
  const size_t L = hn::Lanes(d);
  const V va = hn::Set(d, a);
  size_t i = 0;
  for (; i + L <= n; i += L)
    hn::StoreU(hn::MulAdd(va, hn::LoadU(d, y + i), hn::LoadU(d, x + i)), d, out + i);
  for (; i < n; ++i) out[i] = x[i] + a * y[i];
}

double sum_sq_diff(const float* a, const float* b, size_t n) {
  const D d;
  const size_t L = hn::Lanes(d);
  V acc = hn::Zero(d);
  size_t i = 0;
  for (; i + L <= n; i += L) {
    const V e = hn::Sub(hn::LoadU(d, a + i), hn::LoadU(d, b + i));
    acc = hn::MulAdd(e, e, acc);
  }
  double s = hn::GetLane(hn::SumOfLanes(d, acc));
  for (; i < n; ++i) s += double(a[i] - b[i]) * double(a[i] - b[i]);
  return s;
}

void adam_update(float* p, const float* g, float* m, float* v, size_t n,
                 float lr, float beta1, float beta2, float eps, float bc1,
                 float bc2) {
  const D d;
  const size_t L = hn::Lanes(d);
  const V b1 = hn::Set(d, beta1), c1 = hn::Set(d, 1.0f - beta1);
  const V b2 = hn::Set(d, beta2), c2 = hn::Set(d, 1.0f - beta2);
  const V step = hn::Set(d, lr / bc1), inv_bc2 = hn::Set(d, 1.0f / bc2);
  const V veps = hn::Set(d, eps);
  size_t i = 0;
  for (; i + L <= n; i += L) {
    const V gi = hn::LoadU(d, g + i);
    const V mi = hn::MulAdd(b1, hn::LoadU(d, m + i), hn::Mul(c1, gi));
    const V vi = hn::MulAdd(b2, hn::LoadU(d, v + i), hn::Mul(c2, hn::Mul(gi, gi)));
    hn::StoreU(mi, d, m + i);
    hn::StoreU(vi, d, v + i);
    const V denom = hn::Add(hn::Sqrt(hn::Mul(vi, inv_bc2)), veps);
    hn::StoreU(hn::NegMulAdd(step, hn::Div(mi, denom), hn::LoadU(d, p + i)), d, p + i);
  }
  for (; i < n; ++i) {
    m[i] = beta1 * m[i] + (1.0f - beta1) * g[i];
    v[i] = beta2 * v[i] + (1.0f - beta2) * g[i] * g[i];
    p[i] -= (lr / bc1) * m[i] / (std::sqrt(v[i] / bc2) + eps);
  }
}

}  // namespace flowlab
