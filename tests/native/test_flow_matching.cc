// Checkerboard data, ODE solvers and the flow-matching trainer (seed 000 §3a).
#include <doctest/doctest.h>

#include <cmath>
#define FIELD0_BOUND 0.25  // measured 0.144 (ratio of means 0.099) after 6000 steps, seed 1
#include <cstring>
#include <vector>

#include "checkpoint.h"
#include "datasets.h"
#include "flow_matching.h"
#include "fourier.h"
#include "ode.h"
#include "small_options.h"
#include "train_loss.h"

using namespace flowlab;

TEST_CASE("checkerboard sampler: all mass on the 8 filled squares, uniform over them") {
  Rng r(42);
  const int n = 160000;
  std::vector<float> x(2 * n);
  sample_checkerboard(r, n, x.data());
  int counts[8] = {0};
  // Within each square, the 2×2 quadrants get a quarter each (uniform inside).
  int quadrant[4] = {0};
  for (int i = 0; i < n; ++i) {
    const int c = checkerboard_cell(x[2 * i], x[2 * i + 1]);
    REQUIRE(c >= 0);
    ++counts[c];
    const float fx = x[2 * i] / 2 - std::floor(x[2 * i] / 2), fy = x[2 * i + 1] / 2 - std::floor(x[2 * i + 1] / 2);
    ++quadrant[(fx >= 0.5f) * 2 + (fy >= 0.5f)];
  }
  // Expected n/8 = 20000 per square, sd ≈ √(n·⅛·⅞) ≈ 132: allow 5 sd.
  for (int c = 0; c < 8; ++c) CHECK(std::abs(counts[c] - n / 8) < 660);
  for (int q = 0; q < 4; ++q) CHECK(std::abs(quadrant[q] - n / 4) < 900);
  // Empty squares are empty, filled ones hold exactly density 1/32 (8 × area 4).
  CHECK_FALSE(on_checkerboard(1.0f, -1.0f));
  CHECK(on_checkerboard(1.0f, 1.0f));
  CHECK_FALSE(on_checkerboard(4.5f, 0.5f));
}

TEST_CASE("Euler is first order, midpoint second order, forward and backward in time") {
  // dx/dt = A x + (0, t) with A a rotation generator: x(t) = R(t) x(0) + particular part.
  const VelocityFn v = [](const float* x, float t, int n, float* out) {
    for (int i = 0; i < n; ++i) {
      out[2 * i] = -x[2 * i + 1];
      out[2 * i + 1] = x[2 * i] + t;
    }
  };
  // From x(0) = (1, 0): x'' = −x − t gives x = cos t + sin t − t, y = −x' = sin t − cos t + 1.
  auto exact = [](double t) {
    return std::pair<double, double>{std::cos(t) + std::sin(t) - t, std::sin(t) - std::cos(t) + 1};
  };
  // Verify the closed form satisfies the ODE: x' = −y, y' = x + t.
  for (double t : {0.0, 0.3, 1.0}) {
    const double h = 1e-6;
    const auto a = exact(t + h), b = exact(t - h), c = exact(t);
    CHECK((a.first - b.first) / (2 * h) == doctest::Approx(-c.second).epsilon(1e-6));
    CHECK((a.second - b.second) / (2 * h) == doctest::Approx(c.first + t).epsilon(1e-6));
  }
  for (Solver s : {Solver::Euler, Solver::Midpoint}) {
    double err[2];
    for (int k = 0; k < 2; ++k) {
      const int steps = 50 << k;
      float x[2] = {1.0f, 0.0f};
      integrate(v, x, 1, 2, 0.0f, 1.0f, steps, s);
      const auto e = exact(1.0);
      err[k] = std::hypot(x[0] - e.first, x[1] - e.second);
    }
    const double order = std::log2(err[0] / err[1]);
    MESSAGE(std::string(s == Solver::Euler ? "euler" : "midpoint") << " observed order " << order);
    CHECK(order == doctest::Approx(s == Solver::Euler ? 1.0 : 2.0).epsilon(0.15));
  }
  // Backward: integrate 1 → 0 from the exact x(1) and recover x(0).
  const auto e1 = exact(1.0);
  float x[2] = {float(e1.first), float(e1.second)};
  std::vector<float> traj;
  integrate(v, x, 1, 2, 1.0f, 0.0f, 200, Solver::Midpoint, &traj);
  CHECK(x[0] == doctest::Approx(1.0).epsilon(1e-4));
  CHECK(x[1] == doctest::Approx(0.0).scale(1).epsilon(1e-4));
  CHECK(traj.size() == 201 * 2);
  CHECK(traj[0] == float(e1.first));
}

TEST_CASE("flow matching: same seed gives identical losses; different seed differs") {
  Config c = net_config(32, 2, 64);
  FlowMatching a(c), b(c);
  c.seed = 2;
  FlowMatching d(c);
  for (int i = 0; i < 20; ++i) {
    const float la = a.train_step(), lb = b.train_step(), ld = d.train_step();
    CHECK(la == lb);
    if (i == 19) CHECK(la != ld);
  }
  const auto sa = a.sample(100, 10, Solver::Midpoint), sb = b.sample(100, 10, Solver::Midpoint);
  CHECK(sa == sb);
}

TEST_CASE("flow matching: a short run puts >= 86% of samples on the filled squares") {
  // Measured 0.9158 under every SIMD target (scalar, SSE4, AVX2, AVX-512); 0.91
  // on other seeds. The bound leaves 0.05 for another float order or seed —
  // an untrained field puts ≈ 0.5 there. The Fig. 4-quality targets over
  // several seeds are pinned in wasm (tests/wasm/quality.test.mjs).
  Config c = net_config(64, 4, 1024, 1);
  c.lr = 5e-3;
  c.steps = 6000;
  FlowMatching fm(c);
  const int steps = int(c.steps);
  const auto [first, last] = train_first_last(fm, steps);
  const int n = 4000;
  const auto x = fm.sample(n, 20, Solver::Midpoint);
  int on = 0;
  for (int i = 0; i < n; ++i) on += on_checkerboard(x[2 * i], x[2 * i + 1]);
  const double frac = double(on) / n;
  MESSAGE("loss " << first << " -> " << last << ", on squares " << frac);
  CHECK(last < first);
  CHECK(frac >= 0.86);

  // Sheet 000 §3(b): the trained v(x, 0) against v*(x, 0) = E[x1] − x.
  const FieldAtZero f0 = field_at_zero(fm, 11, 0.5, 100000);
  MESSAGE("v(x, 0): mean relative error " << f0.mean_rel_err << ", ratio of means " << f0.ratio_of_means);
  CHECK(f0.mean_rel_err < FIELD0_BOUND);
}

TEST_CASE("checkpoint: save, load into a fresh model, and continue bit-identically") {
  const Config c = net_config(16, 2, 32);
  FlowMatching a(c), b(c);
  const std::string ck = check_resume(a, b, to_link(c), 10, 5);
  CHECK(b.losses() == a.losses());
  CHECK(a.sample(50, 4, Solver::Euler) == b.sample(50, 4, Solver::Euler));
  std::string err;
  CHECK(checkpoint_link(ck, &err) == to_link(c));
}

TEST_CASE("checkpoint: every corruption is refused with a message, and the model is unchanged") {
  const Config c = net_config(16, 2, 32);
  FlowMatching a(c);
  a.train_step();
  const std::string ck = a.save(to_link(c));
  Config other = c;
  other.hidden = 8;
  FlowMatching wrong_shape(other);
  std::string err;
  CHECK_FALSE(wrong_shape.load(ck, &err));
  CHECK(err.find("params") != std::string::npos);
  FlowMatching b(c);
  const auto before = b.sample(20, 2, Solver::Euler);
  // Truncations, bit flips in the header, a NaN in the parameters.
  for (size_t cut : {size_t(0), size_t(7), size_t(12), size_t(40), ck.size() - 1}) {
    err.clear();
    CHECK_FALSE(b.load(ck.substr(0, cut), &err));
    CHECK(!err.empty());
  }
  std::string bad = ck;
  bad[8] = 9;  // version
  CHECK_FALSE(b.load(bad, &err));
  CHECK(err.find("version") != std::string::npos);
  bad = ck;
  const size_t at = bad.find("params");
  REQUIRE(at != std::string::npos);
  const uint32_t nan_bits = 0x7fc00000u;
  std::memcpy(&bad[at + 6 + 4 + 8], &nan_bits, 4);  // first parameter
  CHECK_FALSE(b.load(bad, &err));
  CHECK(err.find("checksum") != std::string::npos);
  const uint32_t crc = crc32c(bad.data(), bad.size() - 4);  // re-sealed: the value check catches it
  std::memcpy(&bad[bad.size() - 4], &crc, 4);
  CHECK_FALSE(b.load(bad, &err));
  CHECK(err.find("NaN") != std::string::npos);
  CHECK(b.sample(20, 2, Solver::Euler) == before);
  CHECK(b.step() == 0);
}

TEST_CASE("v*(x, 0) = E[x1] − x: E[x1] of the checkerboard is (0, 0); an untrained field is far from it") {
  Config c = net_config(16, 2, 32);
  FlowMatching fm(c);
  const int n = 100000;
  const FieldAtZero f = field_at_zero(fm, 5, 0.5, n);
  // Exactly (0, 0) by symmetry, not estimated.
  CHECK(f.mean_exact);
  CHECK(f.mean_x1[0] == 0.0);
  CHECK(f.mean_x1[1] == 0.0);
  // The sampler agrees: each coordinate is uniform-like on [−4, 4), sd ≈ 4/√3, so 4 standard errors.
  const FlowMatching drawn({16}, 1e-3f, 8, 1, [](Rng& r, int m, float* x) { sample_checkerboard(r, m, x); });
  CHECK_FALSE(drawn.data_mean_exact());
  const auto est = drawn.data_mean(n);
  const double se = 4 / std::sqrt(3.0) / std::sqrt(double(n));
  CHECK(std::abs(est[0]) < 4 * se);
  CHECK(std::abs(est[1]) < 4 * se);
  // The origin (v* = 0) is left out of the relative error, counted in the absolute one.
  CHECK(f.excluded == 1);
  CHECK(std::isnan(f.rel_err[12]));
  CHECK(f.ratio_of_means == doctest::Approx(f.mean_abs_err / f.mean_star));
  double abs_sum = 0;
  for (int k = 0; k < 25; ++k)
    abs_sum += std::hypot(f.v[2 * k] - f.v_star[2 * k], f.v[2 * k + 1] - f.v_star[2 * k + 1]);
  CHECK(f.mean_abs_err == doctest::Approx(abs_sum / 25).epsilon(1e-6));
  for (int k = 0; k < 25; ++k) {
    CHECK(f.v_star[2 * k] == doctest::Approx(f.mean_x1[0] - f.x[2 * k]).epsilon(1e-6));
    CHECK(f.v_star[2 * k + 1] == doctest::Approx(f.mean_x1[1] - f.x[2 * k + 1]).epsilon(1e-6));
  }
  CHECK(f.x[0] == -0.5f);
  CHECK(f.x[2 * 24 + 1] == 0.5f);
  CHECK(f.mean_rel_err > 0.5);  // at initialisation v ≈ 0 or arbitrary, nowhere near v*
}

TEST_CASE("Fourier features: the double-angle recurrence equals sin and cos of 2^j u") {
  for (float u : {0.0f, 0.3f, -1.7f, 3.1f, -6.2f}) {
    float sc[2 * kMaxFourier];
    fourier_features(u, kMaxFourier, sc);
    for (int j = 0; j < kMaxFourier; ++j) {
      CAPTURE(u);
      CAPTURE(j);
      // Each doubling at most doubles the error of the last: 2^j · 1e-7.
      CHECK(std::abs(sc[2 * j] - std::sin(std::ldexp(double(u), j))) < 1e-6 * (1 << j));
      CHECK(std::abs(sc[2 * j + 1] - std::cos(std::ldexp(double(u), j))) < 1e-6 * (1 << j));
    }
  }
}

TEST_CASE("Fourier features widen the checkerboard's input and keep fourier=0 the sheet's MLP") {
  const Config d = default_config(0);
  CHECK(exercise_of(d) == "fm-checkerboard");
  CHECK(d.fourier == 4);
  FlowMatching on(d);
  CHECK(on.net().in_dim() == 3 + 4 * 4);
  Config off = d;
  off.fourier = 0;
  FlowMatching plain(off);
  CHECK(plain.net().in_dim() == 3);
  // Features are inputs, not parameters: both train and sample finite points.
  for (FlowMatching* fm : {&on, &plain}) {
    for (int k = 0; k < 3; ++k) CHECK(std::isfinite(fm->train_step()));
    for (float x : fm->sample(50, 4, Solver::Midpoint)) REQUIRE(std::isfinite(x));
  }
}
