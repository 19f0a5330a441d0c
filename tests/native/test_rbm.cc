// RBM (seed 000 §1): exact enumeration on both layers, conditional
// factorisation, the exact gradient against finite differences of the exact
// log-likelihood, CD-k bias shrinking with k, and training on bars-and-stripes.
#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <tuple>
#include <vector>

#include "rbm.h"
#include "small_options.h"
#include "train_loss.h"

using namespace flowlab;

namespace {
// A small RBM with couplings strong enough that CD-1 is visibly biased.
Rbm random_rbm(int n, int m, float w_scale, uint64_t seed) {
  Rbm r(n, m);
  Rng rng(seed);
  for (auto& w : r.W) w = w_scale * rng.normal();
  for (auto& x : r.a) x = 0.5f * rng.normal();
  for (auto& x : r.b) x = 0.5f * rng.normal();
  return r;
}
std::vector<float> random_patterns(int N, int n, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> d(size_t(N) * n);
  for (auto& x : d) x = rng.uniform() < 0.4f ? 1.0f : 0.0f;
  return d;
}
}  // namespace

TEST_CASE("rbm: bars-and-stripes has 30 distinct 4x4 patterns, each all-rows or all-columns") {
  const auto d = bars_and_stripes(4);
  REQUIRE(d.size() == 30 * 16);
  std::set<std::vector<float>> distinct;
  for (int k = 0; k < 30; ++k) {
    std::vector<float> p(d.begin() + k * 16, d.begin() + (k + 1) * 16);
    bool rows = true, cols = true;
    for (int y = 0; y < 4; ++y)
      for (int x = 0; x < 4; ++x) {
        rows &= p[y * 4 + x] == p[y * 4];
        cols &= p[y * 4 + x] == p[x];
      }
    CHECK((rows || cols));
    distinct.insert(p);
  }
  CHECK(distinct.size() == 30);
  CHECK(bars_and_stripes(3).size() == 14 * 9);
  // Digits: flip = 0 reproduces the glyphs, flip = 1 inverts them.
  Rng rng(1);
  const auto clean = noisy_digits(rng, 10, 0.0f), inv = noisy_digits(rng, 10, 1.0f);
  for (int c = 0; c < 10; ++c)
    for (int p = 0; p < 35; ++p) {
      CHECK(clean[c * 35 + p] == digit_glyph(c)[p]);
      CHECK(inv[c * 35 + p] == 1.0f - digit_glyph(c)[p]);
    }
}

TEST_CASE("rbm: log Z by enumerating the visible and the hidden layer agree") {
  for (auto [n, m, s] : {std::tuple{6, 4, 1.0f}, std::tuple{9, 12, 0.7f}, std::tuple{16, 16, 0.3f}}) {
    CAPTURE(n);
    CAPTURE(m);
    const RbmD d(random_rbm(n, m, s, 11));
    const double lv = log_Z_enumerate_v(d), lh = log_Z_enumerate_h(d);
    CHECK(std::fabs(lv - lh) < 1e-9 * std::max(1.0, std::fabs(lv)));
    // And P(v) sums to one over all v.
    if (n <= 12) {
      double s = 0;
      std::vector<float> v(n);
      for (int g = 0; g < (1 << n); ++g) {
        for (int i = 0; i < n; ++i) v[i] = float((g >> i) & 1);
        s += std::exp(-free_energy(d, v.data()) - lv);
      }
      CHECK(std::fabs(s - 1) < 1e-12);
    }
  }
  // Brute force over the joint (v, h) for a tiny RBM.
  const Rbm r = random_rbm(3, 2, 1.5f, 5);
  double z = 0;
  for (int gv = 0; gv < 8; ++gv)
    for (int gh = 0; gh < 4; ++gh) {
      double e = 0;
      for (int i = 0; i < 3; ++i) e -= r.a[i] * ((gv >> i) & 1);
      for (int j = 0; j < 2; ++j) e -= r.b[j] * ((gh >> j) & 1);
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 2; ++j) e -= r.W[i * 2 + j] * ((gv >> i) & 1) * ((gh >> j) & 1);
      z += std::exp(-e);
    }
  CHECK(std::fabs(log_Z(RbmD(r)) - std::log(z)) < 1e-12);
}

TEST_CASE("rbm: P(h|v) by enumeration equals the product of sigmoids") {
  const Rbm r = random_rbm(8, 10, 1.0f, 3);
  const auto data = random_patterns(5, 8, 4);
  for (int k = 0; k < 5; ++k) {
    const ConditionalCheck c = conditional_check(r, data.data() + k * 8);
    REQUIRE(c.p_enum.size() == 1024);
    CHECK(std::fabs(c.sum_enum - 1) < 1e-12);
    CHECK(c.max_abs_diff < 1e-14);
  }
  // The model's own conditional: the Highway sigmoid (float) matches.
  std::vector<float> ph(10);
  r.prob_h(data.data(), 1, ph.data());
  const ConditionalCheck c = conditional_check(r, data.data());
  for (int j = 0; j < 10; ++j) CHECK(std::fabs(ph[j] - c.p_hidden[j]) < 1e-6);
}

TEST_CASE("rbm: exact gradient matches finite differences of the exact log-likelihood") {
  for (auto [n, m] : {std::pair{6, 4}, std::pair{5, 7}}) {  // enumerate h, then v
    CAPTURE(n);
    CAPTURE(m);
    const Rbm r = random_rbm(n, m, 1.0f, 21);
    const auto data = random_patterns(7, n, 22);
    Rng rng(23);
    const GradientCheck g = gradient_check(r, data.data(), 7, {1}, 64, 10, 10, 1e-5, rng);
    MESSAGE("n=" << n << " m=" << m << " max|exact|=" << g.grad_max << " max|fd-exact|=" << g.fd_max_err);
    CHECK(g.grad_max > 0.05);
    CHECK(g.fd_max_err < 1e-8);
    REQUIRE(g.fd_index.size() == size_t(n * m));
    // Capped FD: evenly spaced entries, the same numbers as the full check.
    Rng rng2(23);
    const GradientCheck c = gradient_check(r, data.data(), 7, {1}, 64, 10, 10, 1e-5, rng2, 5);
    REQUIRE(c.fd.size() == 5);
    for (size_t t = 0; t < 5; ++t) {
      CHECK(c.fd_index[t] == int(t * n * m / 5));
      CHECK(c.fd[t] == g.fd[c.fd_index[t]]);
    }
    // Biases too: FD of the exact log-likelihood against da, db.
    RbmD d(r);
    std::vector<double> dW(n * m), da(n), db(m);
    exact_gradient(d, data.data(), 7, dW.data(), da.data(), db.data());
    // One bias at a time, central differences in double.
    auto fd_check = [&](std::vector<double>& p, const std::vector<double>& exact) {
      const double eps = 1e-5;
      for (size_t i = 0; i < p.size(); ++i) {
        const double x = p[i];
        p[i] = x + eps;
        const double lp = avg_log_likelihood(d, data.data(), 7, log_Z(d));
        p[i] = x - eps;
        const double lm = avg_log_likelihood(d, data.data(), 7, log_Z(d));
        p[i] = x;
        CHECK(std::fabs((lp - lm) / (2 * eps) - exact[i]) < 1e-8);
      }
    };
    fd_check(d.a, da);
    fd_check(d.b, db);
  }
}

TEST_CASE("rbm: CD-k gradient converges to the exact gradient as k grows; PCD is close") {
  const int n = 6, m = 4, N = 8;
  const Rbm r = random_rbm(n, m, 1.5f, 31);
  const auto data = random_patterns(N, n, 32);
  Rng rng(33);
  const std::vector<int> ks = {1, 3, 10, 100};
  const GradientCheck g = gradient_check(r, data.data(), N, ks, 40000, 100, 20, 1e-5, rng);
  for (size_t i = 0; i < ks.size(); ++i)
    MESSAGE("CD-" << ks[i] << ": max err " << g.cd_max_err[i] << ", rms err " << g.cd_rms_err[i]);
  MESSAGE("PCD: max err " << g.pcd_max_err << ", rms " << g.pcd_rms_err << "; max|exact| " << g.grad_max);
  // CD-1 is biased well above the sampling noise (≈ 0.5/√40000 ≈ 0.0025 per
  // entry); with k = 100 the chains have mixed and only that noise is left.
  CHECK(g.cd_rms_err[0] > 0.03);
  CHECK(g.cd_rms_err[3] < 0.01);
  CHECK(g.cd_rms_err[3] < g.cd_rms_err[0] / 4);
  CHECK(g.cd_rms_err[2] < g.cd_rms_err[0]);
  CHECK(g.pcd_rms_err < 0.01);
}

TEST_CASE("rbm: W = 0 sampled marginals match sigma(a), sigma(b); coupling creates correlations") {
  Rbm r = random_rbm(5, 3, 0.0f, 41);
  Rng rng(42);
  const CouplingStats free = coupling_stats(r, 200, 5, 100, rng);
  CHECK(free.samples == 20000);
  CHECK(free.max_err_v < 0.015);  // ≈ 4σ of a Bernoulli mean over 20000 samples
  CHECK(free.max_err_h < 0.015);
  CHECK(free.exact_mean_abs_corr < 1e-12);
  CHECK(free.mean_abs_corr < 0.02);
  r = random_rbm(5, 3, 2.0f, 41);
  const CouplingStats coupled = coupling_stats(r, 200, 50, 100, rng);
  CHECK(coupled.exact_mean_abs_corr > 0.1);
  CHECK(coupled.max_err_exact < 0.03);
  double max_corr_err = 0;
  for (size_t k = 0; k < coupled.corr.size(); ++k)
    max_corr_err = std::max(max_corr_err, std::fabs(coupled.corr[k] - coupled.exact_corr[k]));
  CHECK(max_corr_err < 0.05);
}

TEST_CASE("rbm: training on bars-and-stripes 4x4 approaches the optimum -ln 30") {
  // Settings measured before (seeds 1–3 reach −3.63 … −3.65 after 10000
  // steps, ≈ 0.8 s): CD-1 and fast PCD plateau near −5 … −7 here.
  RbmOptions o = rbm_settings(16, 20, 30, 1);
  o.dataset = 0;
  o.persistent = false;
  o.lr = 0.05f;
  o.momentum = 0.5f;
  o.weight_decay = 0.001f;
  RbmLab lab(o);
  CHECK(lab.n_train() == 30);
  const double start = lab.evaluate().ll_train;
  train_steps(lab, 10000);
  const RbmEval e = lab.evaluate();
  MESSAGE("bars-and-stripes: exact avg log-likelihood " << start << " -> " << e.ll_train << " (optimum "
                                                        << -std::log(30.0) << "), recon " << e.recon_train);
  REQUIRE(e.exact);
  // The data distribution is uniform on 30 patterns, so −ln 30 is an upper
  // bound (Gibbs' inequality) that no model can beat.
  CHECK(e.ll_train <= -std::log(30.0) + 1e-9);
  CHECK(e.ll_train > -3.75);
  CHECK(start < -8.0);
  // Same seed, same run.
  RbmLab again(o), third(o);
  train_steps(again, 50);
  train_steps(third, 50);
  CHECK(again.model().W == third.model().W);
}

TEST_CASE("rbm: checkpoint round trip continues bit-identically (CD and PCD, with chains)") {
  for (bool persistent : {false, true}) {
    RbmOptions o = rbm_settings(6, 2, 8, 7);
    o.persistent = persistent;
    RbmLab a(o);
    train_steps(a, 25);
    a.chains_reset(4, false);
    a.chains_step(3);
    const std::string ck = a.save("v=1&ex=rbm");
    RbmLab b(o);  // fresh, different state until loaded
    b.train_step();
    std::string err;
    REQUIRE_MESSAGE(b.load(ck, &err), err);
    CHECK(b.step() == 25);
    for (int i = 0; i < 15; ++i) CHECK(a.train_step().recon_error == b.train_step().recon_error);
    a.chains_step(2);
    b.chains_step(2);
    CHECK(a.model().W == b.model().W);
    CHECK(a.model().a == b.model().a);
    CHECK(a.model().b == b.model().b);
    CHECK(a.chains() == b.chains());
    CHECK(a.losses() == b.losses());
    REQUIRE(a.ll_history().size() == b.ll_history().size());
    CHECK(a.ll_history().size() == 3 * (1 + 40 / a.ll_every()));
    for (size_t i = 0; i < a.ll_history().size(); ++i)
      if (!std::isnan(a.ll_history()[i])) CHECK(a.ll_history()[i] == b.ll_history()[i]);
  }
}

TEST_CASE("rbm: checkpoint of another shape is refused, and drawn data survive") {
  RbmOptions o;
  o.dataset = 2;
  o.side = 3;
  o.n_hidden = 4;
  std::vector<float> pats = {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0};
  RbmLab a(o, pats);
  a.train_step();
  RbmLab other(o, {1, 1, 1, 0, 0, 0, 0, 0, 0});
  std::string err;
  REQUIRE(other.load(a.save("x"), &err));
  CHECK(other.train_data() == a.train_data());
  RbmOptions o2 = o;
  o2.n_hidden = 5;
  RbmLab c(o2, pats);
  CHECK_FALSE(c.load(a.save("x"), &err));
  CHECK(!err.empty());
}
