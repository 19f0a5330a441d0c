// 1D instantaneous change of variables (seed 000 §2): the closed-form
// solutions, ln q integrated along particles against the analytic density,
// and the linear fall of the δt error in the sheet's derivation.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "cov1d.h"

using namespace flowlab;

namespace {
Cov1dOptions field_options(int field) {
  Cov1dOptions o;
  o.field = field;
  o.lambda = 0.8;
  o.alpha = 1.3;
  o.omega = 1.7;
  o.beta = 0.9;
  o.mu0 = 0.6;
  o.sigma0 = 0.8;
  o.seed = 5;
  return o;
}
}  // namespace

TEST_CASE("cov1d: closed-form flows solve dz/dt = f and their inverses and Jacobians agree") {
  for (int field = 0; field < 3; ++field) {
    CAPTURE(field);
    const Cov1d c(field_options(field));
    for (double z0 : {-2.5, -0.7, 0.0, 0.3, 1.1, 2.2}) {
      CAPTURE(z0);
      const double t = 0.7, h = 1e-5;
      const double z = c.flow(z0, t);
      // dz/dt = f(z(t)) by central differences in t.
      CHECK(std::fabs((c.flow(z0, t + h) - c.flow(z0, t - h)) / (2 * h) - c.f(z, t)) < 1e-7);
      double d;
      CHECK(std::fabs(c.preimage(z, t, &d) - z0) < 1e-12);
      CHECK(std::fabs(d * (c.flow(z0 + h, t) - c.flow(z0 - h, t)) / (2 * h) - 1) < 1e-8);
      // f′ against a finite difference of f.
      CHECK(std::fabs((c.f(z0 + h, t) - c.f(z0 - h, t)) / (2 * h) - c.df(z0, t)) < 1e-8);
    }
  }
}

TEST_CASE("cov1d: ln q integrated along particles matches the analytic density") {
  // Linear field from N(μ0, σ0²): q(·, t) = N(μ0 e^{−λt}, σ0² e^{−2λt}).
  const Cov1d lin(field_options(0));
  const double lambda = 0.8, mu = 0.6, s = 0.8, T = 1.5;
  for (double x : {-1.0, 0.2, 0.9}) {
    const double mt = mu * std::exp(-lambda * T), st = s * std::exp(-lambda * T);
    const double expect = -0.5 * std::pow((x - mt) / st, 2) - std::log(st) - 0.5 * std::log(2 * M_PI);
    CHECK(std::fabs(lin.log_q(x, T) - expect) < 1e-12);
  }
  const auto z0 = lin.source_samples(2000);
  const Particles rk4 = lin.push(z0, T, 100, 1, 10);
  REQUIRE(rk4.times.size() == 11);
  CHECK(rk4.times.back() == doctest::Approx(T));
  MESSAGE("linear field, RK4 100 steps: max |ln q − analytic| = " << rk4.max_abs_err);
  CHECK(rk4.max_abs_err <= 1e-4);
  // Euler with the same steps is first order: visibly worse, and halves with twice the steps.
  const Particles e1 = lin.push(z0, T, 100, 0, 1), e2 = lin.push(z0, T, 200, 0, 1);
  MESSAGE("linear field, Euler 100 / 200 steps: " << e1.max_abs_err << " / " << e2.max_abs_err);
  CHECK(e1.max_abs_err > 10 * rk4.max_abs_err);
  CHECK(e1.max_abs_err / e2.max_abs_err == doctest::Approx(2.0).epsilon(0.1));
  // The nonlinear closed forms, where ln q changes differently along each particle.
  for (int field : {1, 2}) {
    const Cov1d c(field_options(field));
    const Particles p = c.push(c.source_samples(2000), T, 200, 1, 4);
    MESSAGE("field " << field << ", RK4 200 steps: max |ln q − analytic| = " << p.max_abs_err);
    CHECK(p.max_abs_err <= 1e-4);
    // The particle histogram follows the density (statistical, loose).
  }
  const Cov1d split(field_options(2));
  const Particles p = split.push(split.source_samples(200000), T, 100, 1, 1);
  const int bins = 40;
  const double lo = -2, hi = 2, w = (hi - lo) / bins;
  const auto hist = histogram(p.z, size_t(p.n), size_t(p.n), lo, hi, bins);
  double max_diff = 0;
  for (int k = 0; k < bins; ++k) {
    // Mean density over the bin from the exact CDF.
    const double mass = split.cdf(lo + (k + 1) * w, T) - split.cdf(lo + k * w, T);
    max_diff = std::max(max_diff, std::fabs(hist[k] - mass / w));
  }
  MESSAGE("split field: max |histogram − exact bin density| = " << max_diff);
  CHECK(max_diff < 0.05);
}

TEST_CASE("cov1d: the derivation's δt error falls linearly; masses agree") {
  for (int field = 0; field < 3; ++field) {
    CAPTURE(field);
    const Cov1d c(field_options(field));
    const double z = 0.4, t = 0.3;
    const auto rows = c.dt_sweep(z, 1e-6, t, 0.1, 8);
    for (size_t k = 0; k + 1 < rows.size(); ++k) {
      CAPTURE(rows[k].dt);
      CHECK(rows[k].err_linear / rows[k + 1].err_linear == doctest::Approx(2.0).epsilon(0.1));
      CHECK(rows[k].err_true / rows[k + 1].err_true == doctest::Approx(2.0).epsilon(0.1));
    }
    const Derivation& d = rows.back();
    CHECK(d.target == doctest::Approx(-c.df(z, t)));
    CHECK(d.err_linear < 1e-2);
    // Δx ≈ Δz (1 + f′δt) up to O(Δz²); the masses agree up to O(δt²) relative.
    CHECK(std::fabs(d.dx - d.dx_linear) < 1e-11);
    const Derivation big = c.derive(z, 0.01, 0.01, t);
    CHECK(std::fabs(big.mass_x / big.mass_z - 1) < 1e-3);
    CHECK(std::fabs(big.ratio_interval / big.ratio_true - 1) < 2e-2);
  }
  // Linear: the Δz → 0 error is exactly −ln(1 − λδt)/δt − λ ≈ λ²δt/2.
  const Cov1d lin(field_options(0));
  const Derivation d = lin.derive(0.4, 1e-6, 1e-3, 0.0);
  CHECK(d.err_linear == doctest::Approx(0.8 * 0.8 * 1e-3 / 2).epsilon(1e-2));
}

TEST_CASE("cov1d: the learned flow-matching field trains and carries ln q consistently") {
  Cov1dOptions o;
  o.field = 3;
  o.hidden = 32;
  o.depth = 2;
  o.batch = 128;
  o.lr = 3e-3f;
  o.seed = 9;
  Cov1d c(o);
  const double first = c.train(50);
  const double later = (c.train(300), c.train(100));
  MESSAGE("learned field CFM loss: first 50 steps " << first << ", steps 351–450 " << later);
  CHECK(later < first);
  // Same seed → same numbers.
  Cov1d c2(o);
  c2.train(450);
  CHECK(c2.losses() == c.losses());
  // ln q pushed forward by RK4 equals the density found by integrating back
  // along the same trajectory (two independent runs of the ODE).
  const auto z0 = c.source_samples(50);
  const Particles p = c.push(z0, 1.0, 200, 1, 1);
  double max_err = 0;
  for (int i = 0; i < p.n; ++i) max_err = std::max(max_err, std::fabs(p.log_q[p.n + i] - c.log_q(p.z[p.n + i], 1.0)));
  MESSAGE("learned field: forward vs backward ln q max diff " << max_err);
  CHECK(max_err < 1e-3);
  CHECK(std::isnan(p.max_abs_err));
}

TEST_CASE("cov1d: checkpoint round trip resumes the learned field exactly; link → options") {
  std::vector<ParseIssue> issues;
  const Config cfg = parse_link("v=1&ex=cov1d&seed=4&field=learned&hidden=16&depth=1&batch=64&lr=0.003", &issues);
  const Cov1dOptions o = cov1d_options(cfg);
  CHECK(o.field == 3);
  CHECK(o.hidden == 16);
  CHECK(o.seed == 4);
  Cov1d a(o), b(o);
  a.train(20);
  const std::string ck = a.save("v=1&ex=cov1d");
  std::string error;
  REQUIRE(b.load(ck, &error));
  CHECK(b.step() == 20);
  a.train(15);
  b.train(15);
  CHECK(a.losses() == b.losses());  // θ, Adam moments and RNG all restored
  CHECK(a.f(0.3, 0.5) == b.f(0.3, 0.5));
  // Refused: another field, a truncated file.
  Cov1dOptions lin = o;
  lin.field = 0;
  Cov1d c(lin);
  CHECK_FALSE(c.load(ck, &error));
  CHECK_FALSE(b.load(ck.substr(0, ck.size() - 3), &error));
  // A closed-form field saves and loads (nothing to train: step stays 0).
  Cov1d d(lin);
  CHECK(d.train(5) == 0.0);
  REQUIRE(c.load(d.save("x"), &error));
  CHECK(c.step() == 0);
}
