#include "mlp.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "kernels.h"
#include "parallel.h"

namespace flowlab {

Mlp::Mlp(std::vector<int> dims) : dims_(std::move(dims)) {
  if (dims_.size() < 2) throw std::invalid_argument("Mlp needs at least {in, out}");
  size_t off = 0;
  for (int l = 0; l < num_layers(); ++l) {
    w_off_.push_back(off);
    off += size_t(dims_[l]) * dims_[l + 1];
    b_off_.push_back(off);
    off += dims_[l + 1];
  }
  params_.assign(off, 0.0f);
  acts_.resize(dims_.size());
  dsilu_.resize(dims_.size());
}

void Mlp::init(Rng& rng) {
  for (int l = 0; l < num_layers(); ++l) {
    const float bound = 1.0f / std::sqrt(float(dims_[l]));
    float* w = W(l);
    for (int i = 0; i < dims_[l] * dims_[l + 1]; ++i) w[i] = rng.uniform(-bound, bound);
    float* bb = b(l);
    for (int j = 0; j < dims_[l + 1]; ++j) bb[j] = rng.uniform(-bound, bound);
  }
}

// Thread blocks of rows start on multiples of 16, the most vector lanes (a
// product's sums run in the same order whatever its register tiling, so a
// block may start mid-tile): the elementwise passes over a block's rows
// (SiLU, SiLU', adding dW into grad) and the narrow products vectorised over
// rows split into the same vectors and scalar tails as the single-thread
// call. Blocks of columns start on multiples of 32, the widest column panel
// (2 vectors of 16): each column sits in the same kind of panel as on one thread.
static constexpr int kRowAlign = 16, kColAlign = 32;

const float* Mlp::forward(const float* x, int n) {
  n_ = n;
  const int L = num_layers();
  acts_[0].assign(x, x + size_t(n) * dims_[0]);
  for (int l = 0; l < L; ++l) {
    const int K = dims_[l], N = dims_[l + 1];
    acts_[l + 1].resize(size_t(n) * N);
    const float *A = acts_[l].data(), *w = W(l), *bias = b(l);
    float* C = acts_[l + 1].data();
    if (l + 1 < L) {
      dsilu_[l].resize(size_t(n) * N);
      float* G = dsilu_[l].data();
      parallel_ranges(n, kRowAlign, [&](int r0, int r1) {
        matmul_bias_silu(A + size_t(r0) * K, w, bias, G + size_t(r0) * N, C + size_t(r0) * N, r1 - r0, K, N);
      });
    } else {
      parallel_ranges(n, kRowAlign,
                      [&](int r0, int r1) { matmul(A + size_t(r0) * K, w, bias, C + size_t(r0) * N, r1 - r0, K, N); });
    }
  }
  return acts_[L].data();
}

void Mlp::backward(const float* dy, float* grad, float* dx) {
  const int L = num_layers();
  const int n = n_;
  // g holds dL/dz of layer l (through its SiLU); gbuf_a_/gbuf_b_ alternate.
  gbuf_a_.assign(dy, dy + size_t(n) * dims_[L]);
  std::vector<float>* g = &gbuf_a_;
  std::vector<float>* other = &gbuf_b_;
  for (int l = L - 1; l >= 0; --l) {
    const int K = dims_[l], N = dims_[l + 1];
    // dW = aᵀ·dz, db = Σ dz, accumulated into grad: rows [k0, k1) of dW (from
    // a contiguous copy of a's columns [k0, k1)) and their sum into grad in
    // one region; a layer with too few rows splits dW's columns instead.
    wgrad_.resize(size_t(K) * N + N);
    const float *a = acts_[l].data(), *gz = g->data();
    float *dw = wgrad_.data(), *db = dw + size_t(K) * N;
    float *gw = grad + w_off_[l], *gb = grad + b_off_[l];
    if (threads() == 1 || K / kRowAlign >= 2 * threads() || N / kColAlign < 2 * threads()) {
      parallel_ranges(K, kRowAlign, [&](int k0, int k1) {
        const int kc = k1 - k0;
        if (kc == K) {
          matmul_at(a, gz, dw, db, n, K, N);
        } else {
          thread_local std::vector<float> cols;  // grows once per thread
          cols.resize(size_t(n) * kc);
          for (int i = 0; i < n; ++i) std::copy(a + size_t(i) * K + k0, a + size_t(i) * K + k1, &cols[size_t(i) * kc]);
          matmul_at(cols.data(), gz, dw + size_t(k0) * N, k0 == 0 ? db : nullptr, n, kc, N);
        }
        axpy(1.0f, dw + size_t(k0) * N, gw + size_t(k0) * N, size_t(kc) * N);
        if (k0 == 0) axpy(1.0f, db, gb, size_t(N));
      });
    } else {
      parallel_ranges(N, kColAlign, [&](int j0, int j1) {
        const int nc = j1 - j0;
        thread_local std::vector<float> cols, part;
        cols.resize(size_t(n) * nc);
        part.resize(size_t(K) * nc + nc);
        for (int i = 0; i < n; ++i) std::copy(gz + size_t(i) * N + j0, gz + size_t(i) * N + j1, &cols[size_t(i) * nc]);
        matmul_at(a, cols.data(), part.data(), part.data() + size_t(K) * nc, n, K, nc);
        for (int k = 0; k < K; ++k) axpy(1.0f, &part[size_t(k) * nc], gw + size_t(k) * N + j0, size_t(nc));
        axpy(1.0f, &part[size_t(K) * nc], gb + j0, size_t(nc));
      });
    }
    if (l > 0 || dx) {
      float* out;
      if (l > 0) {
        other->resize(size_t(n) * K);
        out = other->data();
      } else {
        out = dx;
      }
      const float* w = W(l);
      const float* ds = l > 0 ? dsilu_[l - 1].data() : nullptr;
      // da = dz·Wᵀ, then (hidden layers) through the SiLU below, dz = da·silu'(z) in
      // the product's epilogue (silu'(z) from the forward), row by row.
      parallel_ranges(n, kRowAlign, [&](int r0, int r1) {
        matmul_bt(gz + size_t(r0) * N, w, out + size_t(r0) * K, r1 - r0, N, K, ds ? ds + size_t(r0) * K : nullptr);
      });
      std::swap(g, other);
    }
  }
}

// Inference and jvp take rows in blocks of kEvalRows through every layer
// (a multiple of the row alignment and of the register tiles' 6 and 4 rows):
// a block's activations stay in cache, and a call is one parallel region.
static constexpr int kEvalRows = 96;

void Mlp::eval(const float* x, int n, float* y) {
  const int L = num_layers();
  parallel_ranges(n, kRowAlign, [&](int r0, int r1) {
    thread_local std::vector<float> act[2];  // grow once per thread
    for (int i0 = r0; i0 < r1; i0 += kEvalRows) {
      const int rows = std::min(kEvalRows, r1 - i0);
      const float* a = x + size_t(i0) * dims_[0];
      for (int l = 0; l < L; ++l) {
        const int K = dims_[l], N = dims_[l + 1];
        if (l + 1 == L) {
          matmul(a, W(l), b(l), y + size_t(i0) * N, rows, K, N);
          break;
        }
        act[l % 2].resize(size_t(rows) * N);
        matmul_bias_silu(a, W(l), b(l), nullptr, act[l % 2].data(), rows, K, N);
        a = act[l % 2].data();
      }
    }
  });
}

void Mlp::jvp(const float* x, const float* u, int n, float* y, float* ju, int dirs) {
  const int L = num_layers();
  // Per block: a values, g = silu'(z) (rows × width); da, dz tangents (dirs
  // blocks of rows, contiguous: one product for all directions).
  parallel_ranges(n, kRowAlign, [&](int r0, int r1) {
    thread_local std::vector<float> a, next, da, g, dz;  // grow once per thread
    for (int i0 = r0; i0 < r1; i0 += kEvalRows) {
      const int rows = std::min(kEvalRows, r1 - i0);
      const int D = dims_[0];
      a.assign(x + size_t(i0) * D, x + size_t(i0 + rows) * D);
      da.resize(size_t(dirs) * rows * D);
      for (int d = 0; d < dirs; ++d)
        std::copy(u + (size_t(d) * n + i0) * D, u + (size_t(d) * n + i0 + rows) * D, da.begin() + size_t(d) * rows * D);
      for (int l = 0; l < L; ++l) {
        const int K = dims_[l], N = dims_[l + 1];
        const size_t m = size_t(rows) * N;
        dz.resize(size_t(dirs) * m);
        matmul(da.data(), W(l), nullptr, dz.data(), dirs * rows, K, N);
        if (l + 1 == L) {
          matmul(a.data(), W(l), b(l), y + size_t(i0) * N, rows, K, N);
          for (int d = 0; d < dirs; ++d)
            std::copy(dz.begin() + d * m, dz.begin() + (d + 1) * m, ju + (size_t(d) * n + i0) * N);
          break;
        }
        // The values go through the SiLU, silu'(z) to g for the tangents.
        g.resize(m);
        da.resize(size_t(dirs) * m);
        next.resize(m);
        matmul_bias_silu(a.data(), W(l), b(l), g.data(), next.data(), rows, K, N);
        a.swap(next);
        for (int d = 0; d < dirs; ++d) mul(dz.data() + d * m, g.data(), da.data() + d * m, m);  // dz ⊙ silu'(z)
      }
    }
  });
}

void Adam::step(float* params, const float* grad, float lr) {
  ++t;
  const float bc1 = 1.0f - std::pow(beta1, float(t));
  const float bc2 = 1.0f - std::pow(beta2, float(t));
  // Elementwise: blocks on multiples of 16 floats keep the single-thread
  // call's vectors and scalar tail.
  parallel_ranges(int(m.size()), kRowAlign, [&](int i0, int i1) {
    adam_update(params + i0, grad + i0, m.data() + i0, v.data() + i0, size_t(i1 - i0), lr, beta1, beta2, eps, bc1, bc2);
  });
}

}  // namespace flowlab
