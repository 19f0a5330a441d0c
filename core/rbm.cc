// RBM: data, block Gibbs, CD-k/PCD training (float, Highway kernels), and
// the exact quantities by enumeration (double). See rbm.h for the math.
#include "rbm.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "run_file.h"
#include "config.h"
#include "kernels.h"
#include "rbm_kernels.h"

namespace flowlab {

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

inline double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Streaming log-sum-exp: never exponentiates anything above the running max.
struct LogSumExp {
  double mx = -std::numeric_limits<double>::infinity(), s = 0;
  void add(double x) {
    if (x <= mx) {
      s += std::exp(x - mx);
    } else {
      s = s * std::exp(mx - x) + 1.0;
      mx = x;
    }
  }
  double value() const { return mx + std::log(s); }
};

// Visits all 2^K binary states s of one layer along a Gray code, keeping the
// field f = base + Σ_k s_k R_k (R: K × L rows) up to date with one row per
// step. fn(s, g, f): g is the integer whose bit k is s_k.
template <class Fn>
void gray_enumerate(int K, int L, const double* R, const double* base, Fn fn) {
  if (K > kMaxExactBits) throw std::invalid_argument("enumeration over more than 2^20 states");
  std::vector<double> f(base, base + L);
  std::vector<uint8_t> s(size_t(K), 0);
  uint64_t g = 0;
  fn(s.data(), g, f.data());
  for (uint64_t i = 1; i < (uint64_t(1) << K); ++i) {
    int k = 0;
    while (!((i >> k) & 1)) ++k;  // the bit that flips between Gray codes i−1 and i
    s[k] ^= 1;
    g ^= uint64_t(1) << k;
    const double sign = s[k] ? 1.0 : -1.0;
    const double* r = R + size_t(k) * L;
    for (int l = 0; l < L; ++l) f[l] += sign * r[l];
    fn(s.data(), g, f.data());
  }
}

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

// The CD/PCD statistics of one batch V0 (B × n): positive term from V0,
// negative term after k sweeps from V0 (CD) or from `chains` (PCD, updated),
// both with h summed out (σ(b + vW)). dW, da, db = (pos − neg) / B.
void cd_statistics(const Rbm& r, const float* V0, int B, int k, std::vector<float>* chains, Rng& rng,
                   float* dW, float* da, float* db) {
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
  if (m <= n) {
    // P(h) = e^{−G(h)}/Z, and given h the v_i are independent with mean σ(a_i + (Wh)_i).
    const std::vector<double> Wt = transpose(r.W, n, m);
    std::vector<double> sv(n);
    gray_enumerate(m, n, Wt.data(), r.a.data(), [&](const uint8_t* h, uint64_t, const double* x) {
      double s = 0;
      for (int j = 0; j < m; ++j) s += h[j] ? r.b[j] : 0.0;
      for (int i = 0; i < n; ++i) s += softplus(x[i]);
      const double w = std::exp(s - logZ);
      for (int i = 0; i < n; ++i) {
        sv[i] = w * sigmoid(x[i]);
        M.v[i] += sv[i];
      }
      for (int j = 0; j < m; ++j)
        if (h[j]) {
          M.h[j] += w;
          for (int i = 0; i < n; ++i) M.vh[size_t(i) * m + j] += sv[i];
        }
    });
  } else {
    std::vector<double> sh(m);
    gray_enumerate(n, m, r.W.data(), r.b.data(), [&](const uint8_t* v, uint64_t, const double* x) {
      double s = 0;
      for (int i = 0; i < n; ++i) s += v[i] ? r.a[i] : 0.0;
      for (int j = 0; j < m; ++j) s += softplus(x[j]);
      const double w = std::exp(s - logZ);
      for (int j = 0; j < m; ++j) {
        sh[j] = w * sigmoid(x[j]);
        M.h[j] += sh[j];
      }
      for (int i = 0; i < n; ++i)
        if (v[i]) {
          M.v[i] += w;
          for (int j = 0; j < m; ++j) M.vh[size_t(i) * m + j] += sh[j];
        }
    });
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

// ------------------------------------------------------------------ views

CouplingStats coupling_stats(const Rbm& r, int chains, int burn_in, int sweeps, Rng& rng) {
  const int n = r.n, m = r.m, B = std::max(1, chains);
  CouplingStats c;
  c.mean_v.assign(n, 0);
  c.mean_h.assign(m, 0);
  c.corr.assign(size_t(n) * m, 0);
  for (int i = 0; i < n; ++i) c.sigma_a.push_back(sigmoid(r.a[i]));
  for (int j = 0; j < m; ++j) c.sigma_b.push_back(sigmoid(r.b[j]));
  std::vector<float> V(size_t(B) * n), H(size_t(B) * m);
  for (auto& x : V) x = rng.uniform() < 0.5f ? 1.0f : 0.0f;
  for (int s = 0; s < burn_in; ++s) r.gibbs(V.data(), B, rng);
  // One (v, h) pair per chain and sweep: h ~ P(h | v), then v' ~ P(v | h)
  // is paired with the next h, so the pairs are joint samples of P(v, h).
  std::vector<double> svh(size_t(n) * m, 0.0);
  std::vector<float> ph(size_t(B) * m), u;
  for (int s = 0; s < sweeps; ++s) {
    r.prob_h(V.data(), B, ph.data());
    fill_uniform(rng, u, ph.size());
    bernoulli_from_uniform(ph.data(), u.data(), H.data(), ph.size());
    for (int k = 0; k < B; ++k) {
      const float* v = V.data() + size_t(k) * n;
      const float* h = H.data() + size_t(k) * m;
      for (int i = 0; i < n; ++i) c.mean_v[i] += v[i];
      for (int j = 0; j < m; ++j) c.mean_h[j] += h[j];
      for (int i = 0; i < n; ++i)
        if (v[i] != 0.0f)
          for (int j = 0; j < m; ++j) svh[size_t(i) * m + j] += h[j];
    }
    std::vector<float> pv(size_t(B) * n);
    r.prob_v(H.data(), B, pv.data());
    fill_uniform(rng, u, pv.size());
    bernoulli_from_uniform(pv.data(), u.data(), V.data(), pv.size());
  }
  c.samples = long(B) * sweeps;
  const double S = double(std::max(1L, c.samples));
  for (auto& x : c.mean_v) x /= S;
  for (auto& x : c.mean_h) x /= S;
  auto corr = [&](double evh, double ev, double eh) {
    const double den = std::sqrt(ev * (1 - ev) * eh * (1 - eh));
    return den > 1e-12 ? (evh - ev * eh) / den : 0.0;
  };
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < m; ++j) {
      const size_t k = size_t(i) * m + j;
      c.corr[k] = corr(svh[k] / S, c.mean_v[i], c.mean_h[j]);
      c.mean_abs_corr += std::fabs(c.corr[k]) / double(n * m);
    }
  for (int i = 0; i < n; ++i) c.max_err_v = std::max(c.max_err_v, std::fabs(c.mean_v[i] - c.sigma_a[i]));
  for (int j = 0; j < m; ++j) c.max_err_h = std::max(c.max_err_h, std::fabs(c.mean_h[j] - c.sigma_b[j]));
  c.max_err_exact = kNaN;
  c.exact_mean_abs_corr = kNaN;
  if (exact_available(n, m)) {
    const RbmD d(r);
    const Moments M = model_moments(d, log_Z(d));
    c.exact_mean_v = M.v;
    c.exact_mean_h = M.h;
    c.exact_corr.resize(size_t(n) * m);
    c.max_err_exact = 0;
    c.exact_mean_abs_corr = 0;
    for (int i = 0; i < n; ++i) c.max_err_exact = std::max(c.max_err_exact, std::fabs(c.mean_v[i] - M.v[i]));
    for (int j = 0; j < m; ++j) c.max_err_exact = std::max(c.max_err_exact, std::fabs(c.mean_h[j] - M.h[j]));
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < m; ++j) {
        const size_t k = size_t(i) * m + j;
        c.exact_corr[k] = corr(M.vh[k], M.v[i], M.h[j]);
        c.exact_mean_abs_corr += std::fabs(c.exact_corr[k]) / double(n * m);
      }
  }
  return c;
}

ConditionalCheck conditional_check(const Rbm& r, const float* v) {
  ConditionalCheck c;
  const int m = r.m;
  if (m > kMaxConditionalBits) {
    c.max_abs_diff = c.sum_enum = kNaN;
    return c;
  }
  std::vector<double> x(m);
  for (int j = 0; j < m; ++j) {
    x[j] = r.b[j];
    for (int i = 0; i < r.n; ++i) x[j] += double(v[i]) * r.W[size_t(i) * m + j];
    c.p_hidden.push_back(sigmoid(x[j]));
  }
  // Enumeration: ln P̃(h | v) = b·h + vᵀWh (the v-only terms cancel), a 1-column field.
  const size_t S = size_t(1) << m;
  std::vector<double> logits(S);
  LogSumExp lse;
  const double zero = 0.0;
  gray_enumerate(m, 1, x.data(), &zero, [&](const uint8_t*, uint64_t g, const double* f) {
    logits[g] = f[0];
    lse.add(f[0]);
  });
  const double lz = lse.value();
  c.p_enum.resize(S);
  c.p_product.resize(S);
  for (size_t g = 0; g < S; ++g) {
    c.p_enum[g] = std::exp(logits[g] - lz);
    double p = 1;
    for (int j = 0; j < m; ++j) p *= ((g >> j) & 1) ? c.p_hidden[j] : 1 - c.p_hidden[j];
    c.p_product[g] = p;
    c.sum_enum += c.p_enum[g];
    c.max_abs_diff = std::max(c.max_abs_diff, std::fabs(c.p_enum[g] - p));
  }
  return c;
}

void cd_gradient(const Rbm& r, const float* data, int N, int k, int samples, Rng& rng, float* dW, float* da,
                 float* db, std::vector<float>* chains) {
  std::vector<float> V0(size_t(samples) * r.n);
  for (int s = 0; s < samples; ++s)
    std::copy(data + size_t(s % N) * r.n, data + size_t(s % N + 1) * r.n, V0.begin() + size_t(s) * r.n);
  cd_statistics(r, V0.data(), samples, k, chains, rng, dW, da, db);
}

GradientCheck gradient_check(const Rbm& r, const float* data, int N, const std::vector<int>& ks, int samples,
                             int pcd_burn_in, int pcd_sweeps, double eps, Rng& rng, int max_fd) {
  const int n = r.n, m = r.m;
  const size_t nm = size_t(n) * m;
  GradientCheck g;
  RbmD d(r);
  g.exact.resize(nm);
  std::vector<double> da(n), db(m);
  exact_gradient(d, data, N, g.exact.data(), da.data(), db.data());
  for (double x : g.exact) g.grad_max = std::max(g.grad_max, std::fabs(x));
  // Finite differences of the exact average log-likelihood (double throughout).
  const size_t count = std::min(nm, size_t(std::max(1, max_fd)));
  for (size_t t = 0; t < count; ++t) g.fd_index.push_back(int(t * nm / count));
  for (int k : g.fd_index) {
    const double w = d.W[k];
    d.W[k] = w + eps;
    const double lp = avg_log_likelihood(d, data, N, log_Z(d));
    d.W[k] = w - eps;
    const double lm = avg_log_likelihood(d, data, N, log_Z(d));
    d.W[k] = w;
    g.fd.push_back((lp - lm) / (2 * eps));
    g.fd_max_err = std::max(g.fd_max_err, std::fabs(g.fd.back() - g.exact[k]));
  }
  auto errors = [&](const std::vector<double>& est, double* mx, double* rms) {
    *mx = 0;
    double s = 0;
    for (size_t k = 0; k < nm; ++k) {
      const double e = std::fabs(est[k] - g.exact[k]);
      *mx = std::max(*mx, e);
      s += e * e;
    }
    *rms = std::sqrt(s / double(nm));
  };
  std::vector<float> fW(nm), fa(n), fb(m);
  g.ks = ks;
  for (int k : ks) {
    cd_gradient(r, data, N, k, samples, rng, fW.data(), fa.data(), fb.data());
    g.cd.emplace_back(fW.begin(), fW.end());
    double mx, rms;
    errors(g.cd.back(), &mx, &rms);
    g.cd_max_err.push_back(mx);
    g.cd_rms_err.push_back(rms);
  }
  // PCD at fixed parameters: persistent chains from the data, burned in, then
  // the model term averaged over pcd_sweeps further sweeps.
  std::vector<float> V(size_t(samples) * n), ph(size_t(samples) * m), negW(nm), negb(m);
  for (int s = 0; s < samples; ++s)
    std::copy(data + size_t(s % N) * n, data + size_t(s % N + 1) * n, V.begin() + size_t(s) * n);
  for (int s = 0; s < pcd_burn_in; ++s) r.gibbs(V.data(), samples, rng);
  std::vector<double> model(nm, 0.0);
  const int sweeps = std::max(1, pcd_sweeps);
  for (int s = 0; s < sweeps; ++s) {
    r.gibbs(V.data(), samples, rng);
    r.prob_h(V.data(), samples, ph.data());
    matmul_at(V.data(), ph.data(), negW.data(), negb.data(), samples, n, m);
    for (size_t k = 0; k < nm; ++k) model[k] += double(negW[k]) / (double(samples) * sweeps);
  }
  const Moments D = data_moments(d, data, N);
  g.pcd.resize(nm);
  for (size_t k = 0; k < nm; ++k) g.pcd[k] = D.vh[k] - model[k];
  errors(g.pcd, &g.pcd_max_err, &g.pcd_rms_err);
  return g;
}

// ------------------------------------------------------------------ the lab

RbmOptions clamp_options(const RbmOptions& in) {
  RbmOptions o = in;
  auto ci = [](int x, int lo, int hi) { return std::min(hi, std::max(lo, x)); };
  auto cf = [](float x, float lo, float hi) { return std::isfinite(x) ? std::min(hi, std::max(lo, x)) : lo; };
  o.dataset = ci(o.dataset, 0, 2);
  o.side = o.dataset == 2 ? ci(o.side, 2, 16) : ci(o.side, 2, 5);
  o.n_train = ci(o.n_train, 10, 5000);
  o.n_test = ci(o.n_test, 0, 5000);
  o.flip = cf(o.flip, 0.0f, 0.5f);
  o.n_hidden = ci(o.n_hidden, 1, 256);
  o.k = ci(o.k, 1, 1000);
  o.batch = ci(o.batch, 1, 4096);
  o.lr = cf(o.lr, 1e-6f, 10.0f);
  o.momentum = cf(o.momentum, 0.0f, 0.99f);
  o.weight_decay = cf(o.weight_decay, 0.0f, 1.0f);
  o.steps = std::max(0L, o.steps);
  return o;
}

RbmOptions rbm_options(const Config& c) {
  RbmOptions r;
  r.dataset = int(c.rbm_dataset);
  r.side = int(c.rbm_side);
  r.n_train = int(c.rbm_n_train);
  r.n_test = int(c.rbm_n_test);
  r.flip = float(c.rbm_flip);
  r.n_hidden = int(c.rbm_m);
  r.k = int(c.rbm_k);
  r.persistent = c.rbm_sampler == 1;
  r.batch = int(c.rbm_batch);
  r.lr = float(c.rbm_lr);
  r.momentum = float(c.rbm_momentum);
  r.weight_decay = float(c.rbm_weight_decay);
  r.steps = c.rbm_schedule == 1 ? long(c.rbm_steps) : 0;
  r.seed = uint64_t(c.seed);
  return clamp_options(r);
}

RbmLab::RbmLab(const RbmOptions& o, const std::vector<float>& patterns)
    : o_(o), ts_(o.seed, kStreamTrain), chain_rng_(o.seed, kStreamSample) {
  if (o_.dataset == 0) {
    width_ = height_ = o_.side;
    train_ = bars_and_stripes(o_.side);
  } else if (o_.dataset == 1) {
    width_ = kGlyphW;
    height_ = kGlyphH;
    Rng data_rng(o_.seed, kStreamData), test_rng(o_.seed, kStreamEval);
    train_ = noisy_digits(data_rng, o_.n_train, o_.flip);
    test_ = noisy_digits(test_rng, o_.n_test, o_.flip);
  } else {
    width_ = height_ = o_.side;
    const size_t n = size_t(o_.side) * o_.side;
    if (patterns.empty() || patterns.size() % n != 0)
      throw std::invalid_argument("user patterns must be a non-empty list of side² pixels each");
    train_ = patterns;
    for (auto& x : train_) x = x > 0.5f ? 1.0f : 0.0f;
  }
  const int n = width_ * height_;
  rbm_ = Rbm(n, o_.n_hidden);
  Rng init_rng(o_.seed, kStreamInit);
  rbm_.init(init_rng, train_.data(), n_train());
  vW_.assign(rbm_.W.size(), 0.0f);
  va_.assign(n, 0.0f);
  vb_.assign(o_.n_hidden, 0.0f);
  dW_.resize(rbm_.W.size());
  da_.resize(n);
  db_.resize(o_.n_hidden);
  // Track the exact log-likelihood at ≤ 2·10⁴ softplus evaluations per step
  // (a CD step of the default model costs about as much), every 10, 20, 50, …
  // 1000 steps so the curve lands on the round step counts of a run.
  const double cost = std::ldexp(1.0, std::min(n, o_.n_hidden)) * std::max(n, o_.n_hidden);
  ll_every_ = 1000;
  for (int e : {500, 200, 100, 50, 20, 10})
    if (cost / e <= 2e4) ll_every_ = e;
}

RbmStats RbmLab::train_step() {
  const int n = rbm_.n, m = rbm_.m, B = o_.batch, N = n_train();
  batch_.resize(size_t(B) * n);
  for (int s = 0; s < B; ++s) {
    const size_t r = ts_.rng.below(uint32_t(N));
    std::copy(train_.begin() + r * n, train_.begin() + (r + 1) * n, batch_.begin() + size_t(s) * n);
  }
  cd_statistics(rbm_, batch_.data(), B, o_.k, o_.persistent ? &pcd_ : nullptr, ts_.rng, dW_.data(), da_.data(),
                db_.data());
  // Momentum SGD ascent on L; weight decay pulls W (not the biases) to 0.
  const float lr = current_lr();
  for (size_t k = 0; k < rbm_.W.size(); ++k) {
    vW_[k] = o_.momentum * vW_[k] + lr * (dW_[k] - o_.weight_decay * rbm_.W[k]);
    rbm_.W[k] += vW_[k];
  }
  for (int i = 0; i < n; ++i) rbm_.a[i] += (va_[i] = o_.momentum * va_[i] + lr * da_[i]);
  for (int j = 0; j < m; ++j) rbm_.b[j] += (vb_[j] = o_.momentum * vb_[j] + lr * db_[j]);
  ++ts_.step;
  RbmStats st;
  st.step = ts_.step;
  std::vector<float> ph(size_t(B) * m), pv(size_t(B) * n);
  rbm_.prob_h(batch_.data(), B, ph.data());
  rbm_.prob_v(ph.data(), B, pv.data());
  st.recon_error = sum_sq_diff(batch_.data(), pv.data(), pv.size()) / double(pv.size());
  ts_.losses.push_back(float(st.recon_error));
  if (exact_available(n, m) && (ts_.step == 1 || ts_.step % ll_every_ == 0)) {
    const RbmEval e = evaluate();
    ll_hist_.insert(ll_hist_.end(), {double(ts_.step), e.ll_train, e.ll_test});
  }
  return st;
}

float RbmLab::current_lr() const {
  if (o_.steps <= 0) return o_.lr;
  const double f = std::min(1.0, double(ts_.step) / double(o_.steps));
  return float(o_.lr * 0.5 * (1.0 + std::cos(3.141592653589793 * f)));
}

void RbmLab::sections(RunFile& f) {
  const size_t n = rbm_.n, m = rbm_.m;
  f.f32("W", rbm_.W.data(), n * m);
  f.f32("a", rbm_.a.data(), n);
  f.f32("b", rbm_.b.data(), m);
  f.f32("mom.W", vW_.data(), n * m);
  f.f32("mom.a", va_.data(), n);
  f.f32("mom.b", vb_.data(), m);
  f.f32("pcd", pcd_);
  f.f32("chains", vis_chains_);
  f.f32("data", train_);
  f.losses(ts_.losses);
  // The ll history holds NaN (no held-out set): it travels as the bits of its doubles.
  f.f64_bits("ll", ll_hist_);
  f.words("state", {RunFile::step(ts_.step), RunFile::stream(ts_.rng, "training stream"),
                    RunFile::stream(chain_rng_, "display chains")});
  f.check([this]() -> const char* {
    const size_t n = rbm_.n;
    if (pcd_.size() % n || vis_chains_.size() % n || train_.empty() || train_.size() % n || ll_hist_.size() % 3)
      return "checkpoint chains, data or history have the wrong shape";
    // Visible units are binary (data, PCD chains); display chains hold 0/1 or
    // mean-field probabilities in [0, 1].
    for (const auto* x : {&pcd_, &vis_chains_, &train_})
      for (float u : *x)
        if (!(u >= 0 && u <= 1) || (x != &vis_chains_ && u != 0 && u != 1))
          return "the file's visible units (data or chains) are not 0/1 values";
    // ll history: rows (step, ll_train, ll_test); NaN marks "not exact".
    for (size_t i = 0; i < ll_hist_.size(); i += 3) {
      const double* row = &ll_hist_[i];
      if (!(row[0] >= 1 && row[0] <= double(ts_.step) && row[0] == std::floor(row[0])) || std::isinf(row[1]) ||
          std::isinf(row[2]))
        return "the log-likelihood history is malformed";
    }
    return nullptr;
  });
}

std::string RbmLab::save(const std::string& link) const {
  // Writing only reads the model: the one section list serves both ways.
  return save_run(link, "rbm", [this](RunFile& f) { const_cast<RbmLab*>(this)->sections(f); });
}

bool RbmLab::load(const std::string& data, std::string* error) {
  return load_run(data, "rbm", "an RBM", [this](RunFile& f) { sections(f); }, error);
}

std::vector<float> RbmLab::reconstruct(const float* v, int sweeps) const {
  std::vector<float> x(v, v + rbm_.n), ph(rbm_.m);
  for (int s = 0; s < std::max(1, sweeps); ++s) {
    rbm_.prob_h(x.data(), 1, ph.data());
    rbm_.prob_v(ph.data(), 1, x.data());
  }
  return x;
}

RbmEval RbmLab::evaluate() const {
  RbmEval e;
  const int n = rbm_.n, m = rbm_.m;
  auto recon = [&](const std::vector<float>& X) {
    const int N = int(X.size() / n);
    if (!N) return kNaN;
    std::vector<float> ph(size_t(N) * m), pv(size_t(N) * n);
    rbm_.prob_h(X.data(), N, ph.data());
    rbm_.prob_v(ph.data(), N, pv.data());
    return sum_sq_diff(X.data(), pv.data(), pv.size()) / double(pv.size());
  };
  const RbmD d(rbm_);
  auto mean_fe = [&](const std::vector<float>& X) {
    const int N = int(X.size() / n);
    if (!N) return kNaN;
    double s = 0;
    for (int k = 0; k < N; ++k) s += free_energy(d, X.data() + size_t(k) * n);
    return s / N;
  };
  e.recon_train = recon(train_);
  e.recon_test = recon(test_);
  e.fe_train = mean_fe(train_);
  e.fe_test = mean_fe(test_);
  e.fe_gap = e.fe_test - e.fe_train;
  e.exact = exact_available(n, m);
  if (e.exact) {
    e.log_Z = log_Z(d);
    e.ll_train = -e.fe_train - e.log_Z;
    e.ll_test = test_.empty() ? kNaN : -e.fe_test - e.log_Z;
  } else {
    e.log_Z = e.ll_train = e.ll_test = kNaN;
  }
  return e;
}

void RbmLab::chains_reset(int B, bool from_data) {
  const int n = rbm_.n, N = n_train();
  vis_chains_.resize(size_t(std::max(1, B)) * n);
  for (int s = 0; s < std::max(1, B); ++s) {
    if (from_data) {
      const size_t r = chain_rng_.below(uint32_t(N));
      std::copy(train_.begin() + r * n, train_.begin() + (r + 1) * n, vis_chains_.begin() + size_t(s) * n);
    } else {
      for (int i = 0; i < n; ++i) vis_chains_[size_t(s) * n + i] = chain_rng_.uniform() < 0.5f ? 1.0f : 0.0f;
    }
  }
}

void RbmLab::chains_step(int sweeps) {
  if (vis_chains_.empty()) chains_reset(16, false);
  const int B = int(vis_chains_.size() / rbm_.n);
  for (int s = 0; s < sweeps; ++s) rbm_.gibbs(vis_chains_.data(), B, chain_rng_);
}

}  // namespace flowlab
