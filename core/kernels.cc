// Highway kernels, written once for any lane count L: vector loops, then a
// scalar tail. Natively foreach_target compiles them for every x86 target
// (EMU128, SSSE3, SSE4, AVX2, AVX3) and the best one the CPU has runs
// (dynamic dispatch; FLOWLAB_TARGET restricts it, core/simd.h). In wasm the
// one static target is HWY_WASM (-msimd128).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "hwy/highway.h"
#include "kernels-inl.h"
#include "kernels.h"
#include "simd.h"

HWY_BEFORE_NAMESPACE();
namespace flowlab {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

void Axpy(float a, const float* x, float* y, size_t n);        // used by MatmulAt
void Mul(const float* a, const float* b, float* y, size_t n);  // used by MatmulBt
using D = hn::ScalableTag<float>;
using V = hn::Vec<D>;

namespace {

// What a product does with its sums once they are complete: nothing; C = silu
// (and G = silu' if G; a pass over each finished panel, SiluPanel); or C = sum ⊙ F
// (the backward through a SiLU, dz = da·silu', in the tile).
enum Epilogue { kPlain, kSilu, kTimesF };

// One register tile of C = A·B (+bias), then its epilogue: rows [i0, i0+R) × the W = kV·L
// columns of a packed panel P (K × W, contiguous), so every k loads kV
// vectors of B from L1 and R broadcasts of A for R·kV multiply-adds.
// The sum over k runs in order from the bias: results do not depend on the
// tiling (same bits as a plain row-by-row loop with MulAdd).
// A chunk [k0, k0+kc) of a long sum continues from C (first = false).
// A(r, k) is a[r·rs + k·ks]: rows of A (rs = lda, ks = 1) or a packed block
// (rs = 1, ks = R), whose R broadcasts per k sit at constant offsets from one
// pointer (in wasm: R load32_splat with immediate offsets, no address math).
template <int R, int kV, Epilogue kEpi, int rs_c = 0, int ks_c = 0>
HWY_INLINE void Tile(const float* HWY_RESTRICT A, int lda, const float* HWY_RESTRICT P, int kc,
                     const float* HWY_RESTRICT bias, bool first, const float* HWY_RESTRICT F, float* HWY_RESTRICT C,
                     int i0, int j0, int N) {
  const D d;
  const int L = int(hn::Lanes(d));
  V acc[R][kV];
  if (first) {
    for (int v = 0; v < kV; ++v) {
      const V b = bias ? hn::LoadU(d, bias + j0 + v * L) : hn::Zero(d);
      for (int r = 0; r < R; ++r) acc[r][v] = b;
    }
  } else {
    for (int r = 0; r < R; ++r)
      for (int v = 0; v < kV; ++v) acc[r][v] = hn::LoadU(d, C + size_t(i0 + r) * N + j0 + v * L);
  }
  // Packed (ks_c = R): A points at the block; else at row i0 of A.
  const float* a = ks_c ? A : A + size_t(i0) * lda;
  const size_t rs = rs_c ? size_t(rs_c) : size_t(lda), ks = ks_c ? size_t(ks_c) : 1;
  const float* p = P;
  for (int k = 0; k < kc; ++k, a += ks, p += kV * L) {
    V w[kV];
    for (int v = 0; v < kV; ++v) w[v] = hn::Load(d, p + v * L);
    for (int r = 0; r < R; ++r) {
      const V ar = hn::Set(d, a[r * rs]);
      for (int v = 0; v < kV; ++v) acc[r][v] = hn::MulAdd(ar, w[v], acc[r][v]);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < kV; ++v) {
      const size_t o = size_t(i0 + r) * N + j0 + v * L;
      if (kEpi == kTimesF) {
        hn::StoreU(hn::Mul(acc[r][v], hn::LoadU(d, F + o)), d, C + o);
      } else {
        hn::StoreU(acc[r][v], d, C + o);
      }
    }
}

// The SiLU epilogue of a finished column panel (rows [0, M) × columns [j0, j0+w)
// of C, still in L1), in place, and silu' to G if G: a pass of its own, not in
// the tile, whose accumulators would share the 16 registers of AVX2 and SIMD128
// with σ's constants (fused there, 96×256×256 took 1.6× as long under AVX2).
HWY_NOINLINE void SiluPanel(float* HWY_RESTRICT C, float* HWY_RESTRICT G, int M, int N, int j0, int w) {
  const D d;
  const int L = int(hn::Lanes(d));
  for (int i = 0; i < M; ++i)
    for (int j = j0; j < j0 + w; j += L) {
      const size_t o = size_t(i) * N + j;
      const V z = hn::LoadU(d, C + o), s = Sigmoid(d, z);
      if (G) hn::StoreU(SiluGrad(d, z, s), d, G + o);
      hn::StoreU(hn::Mul(z, s), d, C + o);
    }
}

// Scratch buffers reused across calls (no allocation per step once warm).
std::vector<float>& Scratch(int slot = 0) {
  static thread_local std::vector<float> buf[4];
  return buf[slot];
}

// Register tile: kRows rows × kVecs vectors of accumulators. Natively (16
// ymm) 6 × 2 = 12 accumulators + 2 B vectors + 1 broadcast; under V8's
// SIMD128 register allocation 4 × 2 measured fastest (6 × 2, 4 × 3 and
// 3 × 4 spill: 15–25 % slower in node 20).
constexpr int kRows = HWY_TARGET == HWY_WASM ? 4 : 6, kVecs = 2;

// C = A·B (+bias), then the epilogue (G, F: M×N), for N ≥ L, with B(k, j) = B[k·N + j] or, if kTrans,
// B[j·K + k]. Column panels of width 2L (then L) are packed once per call
// and stay in L1 while all row tiles stream A; leftover columns are scalar.
template <Epilogue kEpi, bool kTrans>
void Gemm(const float* A, const float* B, const float* bias, float* G, const float* F, float* C, int M, int K, int N) {
  const D d;
  const int L = int(hn::Lanes(d));
  // Sums longer than 2·kChunk run in chunks of kChunk, so a panel (and the
  // A rows of a tile) stay in L1; each chunk continues from C. Shorter sums
  // (every forward of a width ≤ 512 net) are one chunk, summed in order.
  constexpr int kChunk = 256;
  const int kc_max = K > 2 * kChunk ? kChunk : K;
  std::vector<float>& panel = Scratch(1);
  panel.resize(size_t(kc_max) * kVecs * L + 64);
  // 64-byte aligned start inside the buffer for hn::Load.
  float* P = panel.data();
  P += (64 - (reinterpret_cast<uintptr_t>(P) & 63)) / sizeof(float) % 16;
  // A's full row tiles packed once per call: tile t holds, for each k, its
  // kRows values A(t·kRows + r, k) side by side (the same sums, same bits).
  const int tiles = M / kRows;
  std::vector<float>& apack = Scratch(3);
  apack.resize(size_t(tiles) * kRows * K);
  for (int t = 0; t < tiles; ++t) {
    float* dst = apack.data() + size_t(t) * kRows * K;
    for (int r = 0; r < kRows; ++r) {
      const float* src = A + size_t(t * kRows + r) * K;
      for (int k = 0; k < K; ++k) dst[size_t(k) * kRows + r] = src[k];
    }
  }
  auto pack = [&](int j0, int w, int k0, int kc) HWY_ATTR {
    for (int k = 0; k < kc; ++k)
      for (int c = 0; c < w; ++c)
        P[size_t(k) * w + c] = kTrans ? B[size_t(j0 + c) * K + k0 + k] : B[size_t(k0 + k) * N + j0 + c];
  };
  // All row tiles of one column panel, chunk by chunk.
  auto panel_rows = [&](auto vecs, int j0) HWY_ATTR {
    constexpr int kV = decltype(vecs)::value;
    for (int k0 = 0; k0 < K; k0 += kc_max) {
      const int kc = std::min(kc_max, K - k0);
      const bool first = k0 == 0, last = k0 + kc == K;
      pack(j0, kV * L, k0, kc);
      const float* a = A + k0;
      const float* ap = apack.data() + size_t(k0) * kRows;
      int i = 0;
      if (kEpi == kTimesF && last) {
        for (; i + kRows <= M; i += kRows)
          Tile<kRows, kV, kEpi, 1, kRows>(ap + size_t(i) * K, K, P, kc, bias, first, F, C, i, j0, N);
        for (; i < M; ++i) Tile<1, kV, kEpi>(a, K, P, kc, bias, first, F, C, i, j0, N);
      } else {
        for (; i + kRows <= M; i += kRows)
          Tile<kRows, kV, kPlain, 1, kRows>(ap + size_t(i) * K, K, P, kc, bias, first, F, C, i, j0, N);
        for (; i < M; ++i) Tile<1, kV, kPlain>(a, K, P, kc, bias, first, F, C, i, j0, N);
      }
      if (kEpi == kSilu && last) SiluPanel(C, G, M, N, j0, kV * L);
    }
  };
  int j = 0;
  for (; j + kVecs * L <= N; j += kVecs * L) panel_rows(std::integral_constant<int, kVecs>(), j);
  for (; j + L <= N; j += L) panel_rows(std::integral_constant<int, 1>(), j);
  for (; j < N; ++j)
    for (int i = 0; i < M; ++i) {
      float s = bias ? bias[j] : 0.0f;
      for (int k = 0; k < K; ++k) s += A[size_t(i) * K + k] * (kTrans ? B[size_t(j) * K + k] : B[size_t(k) * N + j]);
      if (kEpi == kSilu) {
        const float sg = SigmoidScalar(s);
        if (G) G[size_t(i) * N + j] = SiluGradScalar(s, sg);
        s *= sg;
      } else if (kEpi == kTimesF) {
        s *= F[size_t(i) * N + j];
      }
      C[size_t(i) * N + j] = s;
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

template <bool kWithSilu>
void MatmulImpl(const float* A, const float* B, const float* bias, float* G, float* C, int M, int K, int N) {
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
        if (kWithSilu) {
          const float sg = SigmoidScalar(s);
          if (G) G[size_t(i) * N + j] = SiluGradScalar(s, sg);
          s *= sg;
        }
        C[size_t(i) * N + j] = s;
      }
    return;
  }
  Gemm<kWithSilu ? kSilu : kPlain, false>(A, B, bias, G, nullptr, C, M, K, N);
}

}  // namespace

void Matmul(const float* A, const float* B, const float* bias, float* C, int M, int K, int N) {
  MatmulImpl<false>(A, B, bias, nullptr, C, M, K, N);
}

void MatmulBiasSilu(const float* A, const float* B, const float* bias, float* G, float* C, int M, int K, int N) {
  MatmulImpl<true>(A, B, bias, G, C, M, K, N);
}

void MatmulBt(const float* A, const float* B, const float* F, float* C, int M, int K, int N) {
  const D d;
  if (N < int(hn::Lanes(d)) && K >= int(hn::Lanes(d))) {
    // Narrow output (dx of the 3-d input layer): transpose B (tiny) and use
    // the dot-product path of matmul.
    std::vector<float>& bt = Scratch(2);
    bt.resize(size_t(K) * N);
    for (int j = 0; j < N; ++j)
      for (int k = 0; k < K; ++k) bt[size_t(k) * N + j] = B[size_t(j) * K + k];
    Matmul(A, bt.data(), nullptr, C, M, K, N);
    if (F) Mul(C, F, C, size_t(M) * N);  // the same products as the fused epilogue's
    return;
  }
  // Otherwise the panels are packed straight from Bᵀ: no transposed copy.
  if (F)
    Gemm<kTimesF, true>(A, B, nullptr, nullptr, F, C, M, K, N);
  else
    Gemm<kPlain, true>(A, B, nullptr, nullptr, nullptr, C, M, K, N);
}

void MatmulAt(const float* A, const float* B, float* C, float* colsum, int M, int K, int N) {
  const D d;
  const int L = int(hn::Lanes(d));
  if (colsum) {
    std::fill(colsum, colsum + N, 0.0f);
    for (int i = 0; i < M; ++i) Axpy(1.0f, B + size_t(i) * N, colsum, size_t(N));
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
  // Aᵀ (K×M, a copy 1/N of the work) times B as a plain packed Gemm: the
  // batch becomes the inner dimension, summed in order from zero.
  // The copy runs in blocks of 16 rows of A, so that each write fills a whole
  // 64-byte line of Aᵀ: row by row, its K writes lie M floats apart, and with M
  // a multiple of 1024 (a 4 KB stride) they all fall into one L1 set and evict
  // each other (batch 1024 trained at 40 % of batch 1088's samples/s natively, 65 % in wasm).
  std::vector<float>& at = Scratch(2);
  at.resize(size_t(K) * M);
  constexpr int kBlock = 16;
  for (int i0 = 0; i0 < M; i0 += kBlock) {
    const int i1 = std::min(M, i0 + kBlock);
    for (int k = 0; k < K; ++k)
      for (int i = i0; i < i1; ++i) at[size_t(k) * M + i] = A[size_t(i) * K + k];
  }
  Gemm<kPlain, false>(at.data(), B, nullptr, nullptr, nullptr, C, K, M, N);
}

void Silu(const float* x, float* y, size_t n) {
  const D d;
  const size_t L = hn::Lanes(d);
  size_t i = 0;
  for (; i + L <= n; i += L) {
    const V v = hn::LoadU(d, x + i);
    hn::StoreU(hn::Mul(v, Sigmoid(d, v)), d, y + i);
  }
  for (; i < n; ++i) y[i] = x[i] * SigmoidScalar(x[i]);
}

void SiluBackward(const float* z, const float* da, float* dz, size_t n) {
  const D d;
  const size_t L = hn::Lanes(d);
  size_t i = 0;
  for (; i + L <= n; i += L) {
    const V v = hn::LoadU(d, z + i);
    hn::StoreU(hn::Mul(hn::LoadU(d, da + i), SiluGrad(d, v, Sigmoid(d, v))), d, dz + i);
  }
  for (; i < n; ++i) dz[i] = da[i] * SiluGradScalar(z[i], SigmoidScalar(z[i]));
}

void Mul(const float* a, const float* b, float* y, size_t n) {
  const D d;
  const size_t L = hn::Lanes(d);
  size_t i = 0;
  for (; i + L <= n; i += L) hn::StoreU(hn::Mul(hn::LoadU(d, a + i), hn::LoadU(d, b + i)), d, y + i);
  for (; i < n; ++i) y[i] = a[i] * b[i];
}

// The bounded coupling outputs of L lanes: interleaved (raw_s, raw_b) at r; s, b, e = exp(−s) out.
HWY_INLINE void CouplingBoundLanes(D d, const float* r, V pos, V neg, V bm, bool bound_b, float* s, float* b,
                                   float* e) {
  V rs, rb;
  hn::LoadInterleaved2(d, r, rs, rb);
  const V m = hn::IfThenElse(hn::Lt(rs, hn::Zero(d)), neg, pos);
  const V sv = hn::Mul(m, hn::Tanh(d, hn::Div(rs, m)));
  hn::StoreU(sv, d, s);
  hn::StoreU(bound_b ? hn::Mul(bm, hn::Tanh(d, hn::Div(rb, bm))) : rb, d, b);
  hn::StoreU(hn::Exp(d, hn::Neg(sv)), d, e);
}

void CouplingBound(const float* raw, int n, float s_pos, float s_neg, float b_max, float* s, float* b, float* e) {
  const D d;
  const size_t L = hn::Lanes(d), N = size_t(n);
  const V pos = hn::Set(d, s_pos), neg = hn::Set(d, s_neg), bm = hn::Set(d, b_max > 0 ? b_max : 1.0f);
  size_t i = 0;
  for (; i + L <= N; i += L) CouplingBoundLanes(d, raw + 2 * i, pos, neg, bm, b_max > 0, s + i, b + i, e + i);
  if (i == N) return;
  // The tail through the same vector code (zero-padded), so no element's bits depend on n.
  constexpr size_t kMax = HWY_MAX_BYTES / sizeof(float);
  float r[2 * kMax] = {}, so[kMax], bo[kMax], eo[kMax];
  std::copy(raw + 2 * i, raw + 2 * N, r);
  CouplingBoundLanes(d, r, pos, neg, bm, b_max > 0, so, bo, eo);
  std::copy(so, so + (N - i), s + i);
  std::copy(bo, bo + (N - i), b + i);
  std::copy(eo, eo + (N - i), e + i);
}

void AddScaled(const float* x, float a, const float* y, float* out, size_t n) {
  const D d;
  const size_t L = hn::Lanes(d);
  const V va = hn::Set(d, a);
  size_t i = 0;
  for (; i + L <= n; i += L) hn::StoreU(hn::MulAdd(va, hn::LoadU(d, y + i), hn::LoadU(d, x + i)), d, out + i);
  for (; i < n; ++i) out[i] = x[i] + a * y[i];
}

// y ← y + a·x is out = x + a·y with the roles swapped (each lane is read before it is written).
void Axpy(float a, const float* x, float* y, size_t n) { AddScaled(y, a, x, y, n); }

double SumSqDiff(const float* a, const float* b, size_t n) {
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

void AdamUpdate(float* p, const float* g, float* m, float* v, size_t n, float lr, float beta1, float beta2, float eps,
                float bc1, float bc2) {
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

}  // namespace HWY_NAMESPACE
}  // namespace flowlab
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace flowlab {
FLOWLAB_EXPORT(Matmul);
FLOWLAB_EXPORT(MatmulBiasSilu);
FLOWLAB_EXPORT(MatmulBt);
FLOWLAB_EXPORT(MatmulAt);
FLOWLAB_EXPORT(Silu);
FLOWLAB_EXPORT(SiluBackward);
FLOWLAB_EXPORT(Mul);
FLOWLAB_EXPORT(Axpy);
FLOWLAB_EXPORT(AddScaled);
FLOWLAB_EXPORT(CouplingBound);
FLOWLAB_EXPORT(SumSqDiff);
FLOWLAB_EXPORT(AdamUpdate);

void matmul(const float* A, const float* B, const float* bias, float* C, int M, int K, int N) {
  FLOWLAB_DISPATCH(Matmul)(A, B, bias, C, M, K, N);
}
void matmul_bias_silu(const float* A, const float* B, const float* bias, float* G, float* C, int M, int K, int N) {
  FLOWLAB_DISPATCH(MatmulBiasSilu)(A, B, bias, G, C, M, K, N);
}
void matmul_bt(const float* A, const float* B, float* C, int M, int K, int N, const float* F) {
  FLOWLAB_DISPATCH(MatmulBt)(A, B, F, C, M, K, N);
}
void matmul_at(const float* A, const float* B, float* C, float* colsum, int M, int K, int N) {
  FLOWLAB_DISPATCH(MatmulAt)(A, B, C, colsum, M, K, N);
}
void silu(const float* x, float* y, size_t n) { FLOWLAB_DISPATCH(Silu)(x, y, n); }
void silu_backward(const float* z, const float* da, float* dz, size_t n) {
  FLOWLAB_DISPATCH(SiluBackward)(z, da, dz, n);
}
void mul(const float* a, const float* b, float* y, size_t n) { FLOWLAB_DISPATCH(Mul)(a, b, y, n); }
void axpy(float a, const float* x, float* y, size_t n) { FLOWLAB_DISPATCH(Axpy)(a, x, y, n); }
void add_scaled(const float* x, float a, const float* y, float* out, size_t n) {
  FLOWLAB_DISPATCH(AddScaled)(x, a, y, out, n);
}
void coupling_bound(const float* raw, int n, float s_pos, float s_neg, float b_max, float* s, float* b, float* e) {
  FLOWLAB_DISPATCH(CouplingBound)(raw, n, s_pos, s_neg, b_max, s, b, e);
}
double sum_sq_diff(const float* a, const float* b, size_t n) { return FLOWLAB_DISPATCH(SumSqDiff)(a, b, n); }
void adam_update(float* p, const float* g, float* m, float* v, size_t n, float lr, float beta1, float beta2, float eps,
                 float bc1, float bc2) {
  FLOWLAB_DISPATCH(AdamUpdate)(p, g, m, v, n, lr, beta1, beta2, eps, bc1, bc2);
}
}  // namespace flowlab
#endif  // HWY_ONCE
