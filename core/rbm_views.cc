// The views of sheet 000 §1 on an RBM: coupling statistics of sampled
// chains, P(h | v) by enumeration against the product form, and the CD-k/PCD
// gradient estimates against the exact gradient (rbm.h).
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

void cd_gradient(const Rbm& r, const float* data, int N, int k, int samples, Rng& rng, float* dW, float* da, float* db,
                 std::vector<float>* chains) {
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

}  // namespace flowlab
