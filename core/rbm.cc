// RBM: data, block Gibbs, CD-k/PCD statistics (float, Highway kernels), and
// the exact quantities by enumeration (double). See rbm.h for the math; the
// sheet's views of a model are in rbm_views.cc, the training lab in rbm_lab.cc.
#include "rbm.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "config.h"
#include "kernels.h"
#include "rbm_detail.h"
#include "rbm_kernels.h"
#include "run_file.h"

namespace flowlab {

using namespace rbm_detail;

namespace rbm_detail {

std::vector<double> transpose(const std::vector<double>& W, int n, int m) {
  std::vector<double> t(W.size());
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < m; ++j) t[size_t(j) * n + i] = W[size_t(i) * m + j];
  return t;
}

void fill_uniform(Rng& rng, std::vector<float>& u, size_t n) {
  u.resize(n);
  for (size_t i = 0; i < n; ++i) u[i] = rng.uniform();
}

void cd_statistics(const Rbm& r, const float* V0, int B, int k, std::vector<float>* chains, Rng& rng, float* dW,
                   float* da, float* db) {
  const int n = r.n, m = r.m;
  std::vector<float> ph(size_t(B) * m), negW(size_t(n) * m), negb(m), posa(n), nega(n);
  r.prob_h(V0, B, ph.data());
  matmul_at(V0, ph.data(), dW, db, B, n, m);
  std::fill(posa.begin(), posa.end(), 0.0f);
  for (int i = 0; i < B; ++i) axpy(1.0f, V0 + size_t(i) * n, posa.data(), size_t(n));
  std::vector<float> V;
  if (chains) {
    if (chains->size() != size_t(B) * n) chains->assign(V0, V0 + size_t(B) * n);
    V = *chains;
  } else {
    V.assign(V0, V0 + size_t(B) * n);
  }
  for (int s = 0; s < k; ++s) r.gibbs(V.data(), B, rng);
  if (chains) *chains = V;
  r.prob_h(V.data(), B, ph.data());
  matmul_at(V.data(), ph.data(), negW.data(), negb.data(), B, n, m);
  std::fill(nega.begin(), nega.end(), 0.0f);
  for (int i = 0; i < B; ++i) axpy(1.0f, V.data() + size_t(i) * n, nega.data(), size_t(n));
  const float inv = 1.0f / float(B);
  for (size_t i = 0; i < size_t(n) * m; ++i) dW[i] = (dW[i] - negW[i]) * inv;
  for (int i = 0; i < n; ++i) da[i] = (posa[i] - nega[i]) * inv;
  for (int j = 0; j < m; ++j) db[j] = (db[j] - negb[j]) * inv;
}

}  // namespace rbm_detail

namespace {

// The project's 5 × 7 digit font.
const char* const kFont[10][kGlyphH] = {
    {".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."},  // 0
    {"..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."},  // 1
    {".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"},  // 2
    {"#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."},  // 3
    {"...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."},  // 4
    {"#####", "#....", "####.", "....#", "....#", "#...#", ".###."},  // 5
    {"..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."},  // 6
    {"#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."},  // 7
    {".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."},  // 8
    {".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."},  // 9
};

struct Glyphs {
  float px[10][kGlyphW * kGlyphH];
  Glyphs() {
    for (int d = 0; d < 10; ++d)
      for (int y = 0; y < kGlyphH; ++y)
        for (int x = 0; x < kGlyphW; ++x) px[d][y * kGlyphW + x] = kFont[d][y][x] == '#' ? 1.0f : 0.0f;
  }
};

}  // namespace

// ---------------------------------------------------------------- datasets

std::vector<float> bars_and_stripes(int side) {
  const int n = side * side;
  std::vector<float> out;
  // Stripes (rows) for every subset of rows; bars (columns) for every subset
  // except the empty and the full one, which are already stripes.
  for (int kind = 0; kind < 2; ++kind)
    for (int mask = 0; mask < (1 << side); ++mask) {
      if (kind == 1 && (mask == 0 || mask == (1 << side) - 1)) continue;
      for (int p = 0; p < n; ++p) {
        const int line = kind == 0 ? p / side : p % side;
        out.push_back(float((mask >> line) & 1));
      }
    }
  return out;
}

const float* digit_glyph(int digit) {
  static const Glyphs g;
  return g.px[((digit % 10) + 10) % 10];
}

std::vector<float> noisy_digits(Rng& rng, int count, float flip, std::vector<int>* labels) {
  const int n = kGlyphW * kGlyphH;
  std::vector<float> out(size_t(count) * n);
  if (labels) labels->resize(count);
  for (int c = 0; c < count; ++c) {
    const float* g = digit_glyph(c % 10);
    if (labels) (*labels)[c] = c % 10;
    for (int p = 0; p < n; ++p) out[size_t(c) * n + p] = rng.uniform() < flip ? 1.0f - g[p] : g[p];
  }
  return out;
}

// ------------------------------------------------------------------ model

void Rbm::init(Rng& rng, const float* data, int N) {
  for (auto& w : W) w = 0.01f * rng.normal();
  for (int i = 0; i < n; ++i) {
    double p = 0;
    for (int r = 0; r < N; ++r) p += data[size_t(r) * n + i];
    p = N ? p / N : 0.5;
    p = std::min(0.99, std::max(0.01, p));
    a[i] = float(std::log(p / (1 - p)));
  }
  std::fill(b.begin(), b.end(), 0.0f);
}

void Rbm::prob_h(const float* V, int B, float* ph) const {
  matmul(V, W.data(), b.data(), ph, B, n, m);
  sigmoid_rows(ph, nullptr, ph, B, m);
}

void Rbm::prob_v(const float* H, int B, float* pv) const {
  matmul_bt(H, W.data(), pv, B, m, n);
  sigmoid_rows(pv, a.data(), pv, B, n);
}

void Rbm::gibbs(float* V, int B, Rng& rng, float* H, float* pv) const {
  std::vector<float> ph(size_t(B) * m), hs(size_t(B) * m), p(size_t(B) * n), u;
  prob_h(V, B, ph.data());
  fill_uniform(rng, u, ph.size());
  bernoulli_from_uniform(ph.data(), u.data(), hs.data(), ph.size());
  prob_v(hs.data(), B, p.data());
  fill_uniform(rng, u, p.size());
  bernoulli_from_uniform(p.data(), u.data(), V, p.size());
  if (H) std::copy(hs.begin(), hs.end(), H);
  if (pv) std::copy(p.begin(), p.end(), pv);
}

double Rbm::free_energy(const float* v) const {
  double F = 0;
  for (int i = 0; i < n; ++i) F -= double(a[i]) * v[i];
  for (int j = 0; j < m; ++j) {
    double x = b[j];
    for (int i = 0; i < n; ++i) x += double(v[i]) * W[size_t(i) * m + j];
    F -= softplus(x);
  }
  return F;
}

RbmD::RbmD(const Rbm& r)
    : n(r.n), m(r.m), W(r.W.begin(), r.W.end()), a(r.a.begin(), r.a.end()), b(r.b.begin(), r.b.end()) {}

// ------------------------------------------------------------------ exact

double log_Z_enumerate_v(const RbmD& r) {
  LogSumExp lse;
  gray_enumerate(r.n, r.m, r.W.data(), r.b.data(), [&](const uint8_t* v, uint64_t, const double* x) {
    double s = 0;
    for (int i = 0; i < r.n; ++i) s += v[i] ? r.a[i] : 0.0;
    for (int j = 0; j < r.m; ++j) s += softplus(x[j]);
    lse.add(s);
  });
  return lse.value();
}

double log_Z_enumerate_h(const RbmD& r) {
  const std::vector<double> Wt = transpose(r.W, r.n, r.m);
  LogSumExp lse;
  gray_enumerate(r.m, r.n, Wt.data(), r.a.data(), [&](const uint8_t* h, uint64_t, const double* x) {
    double s = 0;
    for (int j = 0; j < r.m; ++j) s += h[j] ? r.b[j] : 0.0;
    for (int i = 0; i < r.n; ++i) s += softplus(x[i]);
    lse.add(s);
  });
  return lse.value();
}

double log_Z(const RbmD& r) { return r.m <= r.n ? log_Z_enumerate_h(r) : log_Z_enumerate_v(r); }

double free_energy(const RbmD& r, const float* v) {
  double F = 0;
  for (int i = 0; i < r.n; ++i) F -= r.a[i] * v[i];
  for (int j = 0; j < r.m; ++j) {
    double x = r.b[j];
    for (int i = 0; i < r.n; ++i) x += v[i] * r.W[size_t(i) * r.m + j];
    F -= softplus(x);
  }
  return F;
}

double avg_log_likelihood(const RbmD& r, const float* data, int N, double logZ) {
  if (N <= 0) return kNaN;
  double s = 0;
  for (int k = 0; k < N; ++k) s -= free_energy(r, data + size_t(k) * r.n);
  return s / N - logZ;
}

Moments model_moments(const RbmD& r, double logZ) {
  const int n = r.n, m = r.m;
  Moments M{std::vector<double>(n), std::vector<double>(m), std::vector<double>(size_t(n) * m)};
  // Enumerate the smaller layer e (bias be, moments Me); given e the free
  // layer's units are independent with mean σ(x_k), x = bf + R·e, and P(e) =
  // e^{be·e + Σ softplus(x_k)}/Z. vh[k·sf + l·se] pairs free unit k with enumerated l.
  auto enumerate = [&](int ne, int nf, const double* R, const std::vector<double>& be, const std::vector<double>& bf,
                       std::vector<double>& Me, std::vector<double>& Mf, size_t se, size_t sf) {
    std::vector<double> s_free(nf);
    gray_enumerate(ne, nf, R, bf.data(), [&](const uint8_t* e, uint64_t, const double* x) {
      double s = 0;
      for (int l = 0; l < ne; ++l) s += e[l] ? be[l] : 0.0;
      for (int k = 0; k < nf; ++k) s += softplus(x[k]);
      const double w = std::exp(s - logZ);
      for (int k = 0; k < nf; ++k) {
        s_free[k] = w * sigmoid(x[k]);
        Mf[k] += s_free[k];
      }
      for (int l = 0; l < ne; ++l)
        if (e[l]) {
          Me[l] += w;
          for (int k = 0; k < nf; ++k) M.vh[size_t(k) * sf + size_t(l) * se] += s_free[k];
        }
    });
  };
  if (m <= n) {
    const std::vector<double> Wt = transpose(r.W, n, m);
    enumerate(m, n, Wt.data(), r.b, r.a, M.h, M.v, 1, size_t(m));
  } else {
    enumerate(n, m, r.W.data(), r.a, r.b, M.v, M.h, size_t(m), 1);
  }
  return M;
}

Moments data_moments(const RbmD& r, const float* data, int N) {
  const int n = r.n, m = r.m;
  Moments M{std::vector<double>(n), std::vector<double>(m), std::vector<double>(size_t(n) * m)};
  std::vector<double> ph(m);
  for (int k = 0; k < N; ++k) {
    const float* v = data + size_t(k) * n;
    for (int j = 0; j < m; ++j) {
      double x = r.b[j];
      for (int i = 0; i < n; ++i) x += v[i] * r.W[size_t(i) * m + j];
      ph[j] = sigmoid(x);
      M.h[j] += ph[j] / N;
    }
    for (int i = 0; i < n; ++i) {
      M.v[i] += v[i] / double(N);
      if (v[i] != 0.0f)
        for (int j = 0; j < m; ++j) M.vh[size_t(i) * m + j] += v[i] * ph[j] / N;
    }
  }
  return M;
}

void exact_gradient(const RbmD& r, const float* data, int N, double* dW, double* da, double* db) {
  const Moments D = data_moments(r, data, N), Mo = model_moments(r, log_Z(r));
  for (size_t k = 0; k < D.vh.size(); ++k) dW[k] = D.vh[k] - Mo.vh[k];
  for (int i = 0; i < r.n; ++i) da[i] = D.v[i] - Mo.v[i];
  for (int j = 0; j < r.m; ++j) db[j] = D.h[j] - Mo.h[j];
}

}  // namespace flowlab
