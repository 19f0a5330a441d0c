// RealNVP (seed 003 §1): exact invertibility, log-det against a
// finite-difference Jacobian, the loss gradient against finite differences,
// the density integrating to 1, save/load, and a short training run that
// separates the seed's inliers from its outliers.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>
#include <vector>

#include "own_data.h"
#include "quality.h"
#include "realnvp.h"

using namespace flowlab;

namespace {
RealNvpConfig small_config(float in_scale = 1, int fourier = 0, int mix = 0) {
  RealNvpConfig c;
  c.fourier = fourier;
  c.mix = mix;
  c.s_exp = 0;  // symmetric bound unless a case sets it
  c.layers = 6;
  c.hidden = 16;
  c.depth = 2;
  c.rings_n = 1000;
  c.seed = 7;
  c.in_scale = in_scale;
  return c;
}
// Couplings start as the identity; perturb every parameter so they are not.
void randomise(RealNvp& f, float scale, uint64_t seed) {
  Rng rng(seed);
  for (size_t i = 0; i < f.num_params(); ++i) f.set_param(i, f.get_param(i) + scale * rng.normal());
}
// ∫ p over [−R, R]² by the midpoint rule on an m × m grid.
double integrate_density(RealNvp& f, float R, int m) {
  std::vector<float> g(2 * size_t(m) * m);
  const float h = 2 * R / m;
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j) {
      g[2 * (size_t(i) * m + j)] = -R + (j + 0.5f) * h;
      g[2 * (size_t(i) * m + j) + 1] = -R + (i + 0.5f) * h;
    }
  const RealNvpLogp lp = f.log_prob(g.data(), m * m);
  double s = 0;
  for (float v : lp.logp) s += std::exp(double(v));
  return s * h * h;
}
}  // namespace

TEST_CASE("realnvp: inverse(forward(z)) = z and intermediate layers") {
  for (int mix : {0, 1, 2}) {
    CAPTURE(mix);
    RealNvp f(small_config(1, 0, mix));
    randomise(f, 0.3f, 1);
    const int n = 200;
    std::vector<std::vector<float>> fl, il;
    std::vector<float> x(2 * n), z2(2 * n), ld(n);
    const std::vector<float> xs = f.sample(n, 3, &fl);
    std::copy(xs.begin(), xs.end(), x.begin());
    f.inverse(x.data(), n, z2.data(), ld.data(), &il);
    REQUIRE(fl.size() == size_t(f.num_layers() + 1));
    REQUIRE(il.size() == size_t(f.num_layers() + 1));
    double err = 0, moved = 0;
    for (int i = 0; i < 2 * n; ++i) {
      err = std::max(err, double(std::fabs(z2[i] - fl[0][i])) / (1 + std::fabs(fl[0][i])));
      moved = std::max(moved, double(std::fabs(x[i] - fl[0][i])));
    }
    CHECK(err < 1e-5);
    CHECK(moved > 0.1);  // the flow is not the identity
    // The inverse visits the forward's layers in reverse order.
    for (int j = 0; j <= f.num_layers(); ++j)
      for (int i = 0; i < 2 * n; ++i)
        CHECK(il[j][i] == doctest::Approx(fl[f.num_layers() - j][i]).epsilon(1e-4).scale(1));
  }
}

TEST_CASE("realnvp: the mixing between couplings: a swap, k × the golden angle, or the golden angle each time") {
  // Fresh couplings are the identity (zero last layers), so f is the mixing alone: the swaps
  // (mix 0) leave z as it is; the rotations turn it by Σ_k k·g (mix 1) or L·g (mix 2), g = 137.5°.
  const double g = 3.141592653589793 * (3.0 - std::sqrt(5.0));
  const int L = 6;
  for (const auto& [mix, angle] : {std::pair<int, double>{0, 0.0}, {1, g * L * (L - 1) / 2}, {2, g * L}}) {
    CAPTURE(mix);
    RealNvp f(small_config(1, 0, mix));
    REQUIRE(f.num_layers() == L);
    const float z[2] = {0.6f, -0.8f};
    float x[2];
    f.forward(z, 1, x);
    CHECK(x[0] == doctest::Approx(std::cos(angle) * z[0] - std::sin(angle) * z[1]).epsilon(1e-5).scale(1));
    CHECK(x[1] == doctest::Approx(std::sin(angle) * z[0] + std::cos(angle) * z[1]).epsilon(1e-5).scale(1));
  }
}

TEST_CASE("realnvp: log_det equals log|det| of a finite-difference Jacobian") {
  // Without and with Fourier features of x_a (a wigglier flow: smaller perturbation,
  // so that the central differences resolve it); with rotations between the couplings.
  for (const auto& [fourier, scale, mix] :
       {std::tuple<int, float, int>{0, 0.3f, 0}, {3, 0.1f, 0}, {0, 0.3f, 1}, {0, 0.2f, 2}}) {
    CAPTURE(fourier);
    CAPTURE(mix);
    RealNvp f(small_config(1, fourier, mix));
    randomise(f, scale, 2);
    Rng rng(5);
    for (int t = 0; t < 10; ++t) {
      float x[2] = {1.5f * rng.normal(), 1.5f * rng.normal()}, z[2], ld;
      f.inverse(x, 1, z, &ld);
      const float h = 1e-2f;
      double J[2][2];
      for (int c = 0; c < 2; ++c) {
        float xp[2] = {x[0], x[1]}, xm[2] = {x[0], x[1]}, zp[2], zm[2];
        xp[c] += h;
        xm[c] -= h;
        f.inverse(xp, 1, zp, nullptr);
        f.inverse(xm, 1, zm, nullptr);
        for (int r = 0; r < 2; ++r) J[r][c] = (double(zp[r]) - zm[r]) / (2 * h);
      }
      const double det = J[0][0] * J[1][1] - J[0][1] * J[1][0];
      CHECK(std::log(std::fabs(det)) == doctest::Approx(ld).epsilon(2e-3).scale(1));
    }
  }
}

TEST_CASE("realnvp: loss gradient matches finite differences") {
  // With the input gain 1 and 3 (its chain rule), the shift unbounded and
  // bounded (b = b_max·tanh(raw/b_max), tight enough to bite); the steeper net
  // gets a smaller perturbation so that float32 central differences stay accurate;
  // with Fourier features of x_a (frequencies 1, 2, 4 × the gain) too; with rotations
  // between the couplings (mix = 1, 2) in place of the swap.
  for (const auto& [gain, scale, b_max, fourier, mix] :
       {std::tuple<float, float, float, int, int>{1.0f, 0.2f, 0.0f, 0, 0},
        {3.0f, 0.05f, 0.0f, 0, 0},
        {1.0f, 0.2f, 0.5f, 0, 0},
        {3.0f, 0.05f, 0.5f, 0, 0},
        {1.0f, 0.1f, 0.0f, 3, 0},
        {1.0f, 0.1f, 0.5f, 3, 0},
        {1.0f, 0.1f, 0.0f, 0, 1},
        {3.0f, 0.05f, 0.5f, 0, 1},
        {3.0f, 0.05f, 0.5f, 0, 2}}) {
    RealNvpConfig c = small_config(gain, fourier, mix);
    c.s_exp = mix ? 0.5f : 0.0f;  // an expansion bound below s_max (asymmetric tanh)
    c.b_max = b_max;
    RealNvp f(c);
    randomise(f, scale, 3);
    const int n = 32;
    std::vector<float> x(f.train_x(), f.train_x() + 2 * n), grad;
    f.loss(x.data(), n, &grad);
    Rng rng(11);
    double worst = 0;
    for (int t = 0; t < 60; ++t) {
      const size_t i = rng.below(uint32_t(f.num_params()));
      const float p = f.get_param(i), h = 1e-2f;
      f.set_param(i, p + h);
      const double lp = f.loss(x.data(), n, nullptr);
      f.set_param(i, p - h);
      const double lm = f.loss(x.data(), n, nullptr);
      f.set_param(i, p);
      const double fd = (lp - lm) / (2 * h);
      worst = std::max(worst, std::fabs(fd - grad[i]) / (1e-2 + std::fabs(fd) + std::fabs(grad[i])));
    }
    MESSAGE("input gain " << gain << ", b_max " << b_max << ", fourier " << fourier << ", mix " << mix
                          << ": worst relative gradient error over 60 parameters: " << worst);
    CHECK(worst < 2e-2);
  }
}

TEST_CASE("realnvp: density integrates to 1; save/load resumes bit for bit") {
  RealNvpConfig c;
  c.seed = 1;
  c.rings_n = 2000;
  c.steps = 400;
  RealNvp f(c);
  CHECK(integrate_density(f, 8.0f, 200) == doctest::Approx(1.0).epsilon(5e-3));  // identity: N(0, I)
  f.train(300);
  const std::string ck = f.save("ex=realnvp");
  f.train(100);
  // Resume from the checkpoint: the same steps give the same numbers.
  RealNvp g(c);
  std::string err;
  REQUIRE(g.load(ck, &err));
  g.train(100);
  CHECK(g.losses() == f.losses());
  CHECK(g.val_history() == f.val_history());
  CHECK(integrate_density(f, 8.0f, 400) == doctest::Approx(1.0).epsilon(3e-2));
  // The validation loss (its pass in chunks of rows) is the mean −log p of the held-out points.
  const RealNvpLogp lp = f.log_prob(f.val_x(), f.n_val());
  double nll = 0;
  for (float v : lp.logp) nll -= v;
  CHECK(f.val_history()[f.val_history().size() - 3] == doctest::Approx(nll / f.n_val()).epsilon(1e-5));
}

// A short run of the default model (fewer steps, the same schedule) for
// several seeds: properties with wide margins, since every SIMD target
// rounds differently and takes its own path.
TEST_CASE("realnvp: short default runs learn the rings for every seed") {
  const float pts[10] = {-0.68536588f, 1.04613213f, -0.83722729f, 1.48307046f, 0.71348099f,
                         -0.03766172f, -1.44f,      -1.44f,       1.8f,        1.8f};
  for (uint64_t seed : {1, 2, 3}) {
    RealNvpConfig c;
    c.seed = seed;
    c.steps = 1000;
    c.rings_n = 10000;
    RealNvp f(c);
    f.train(c.steps);
    const std::vector<float>& v = f.val_history();
    const double H = f.data_entropy(), val = v[v.size() - 3];
    const RealNvpLogp lp = f.log_prob(pts, 5);
    float worst = 0;
    for (float l : f.losses()) worst = std::max(worst, l);
    MESSAGE("seed " << seed << ": validation NLL " << val << " (start " << v[1] << ", entropy " << H << "), ln p "
                    << lp.logp[0] << " " << lp.logp[1] << " " << lp.logp[2] << " | " << lp.logp[3] << " " << lp.logp[4]
                    << ", largest train loss " << worst);
    CHECK(std::isfinite(val));
    CHECK(val > H - 0.05);    // no model beats the data's entropy (up to sampling noise)
    CHECK(val < v[1] - 0.4);  // from N(0, I) at ≈ 2.84, at least 0.4 nats down
    // 1000 steps of the 128-coupling default (golden-angle mixing, batch 384), measured (seeds 1-3
    // under AVX-512, AVX2, SSE4 and scalar): gap 0.24-0.27 nats; inliers 0 and 2 at worst -2.43;
    // point 1 lies about 0.02 inside the blue ring's outer edge, where a blurred edge halves the
    // density or worse: -2.30 to -3.19; outliers at most -12.2, at least 9.6 below the worst
    // inlier; largest training loss 0.07 above the first validation loss (no spikes; 1 seed of 3
    // spiked by +6 at s_exp 0.25 with the earlier mixing and batch 256).
    CHECK(val < H + 0.45);
    CHECK(lp.logp[0] > -3.6f);
    CHECK(lp.logp[2] > -3.6f);
    CHECK(lp.logp[1] > -6.0f);
    CHECK(worst < v[1] + 1.0);
    const float worst_in = std::min({lp.logp[0], lp.logp[1], lp.logp[2]});
    const float best_out = std::max(lp.logp[3], lp.logp[4]);
    CHECK(worst_in > best_out + 2);  // the rings stand out from the space between them
    CHECK(best_out < -5);
  }
}

TEST_CASE("realnvp: learning rate: linear warm-up, then cosine to 0 at the last step") {
  RealNvpConfig c = small_config();
  c.lr = 1e-2f;
  c.warmup = 4;
  c.steps = 20;
  c.schedule = 1;
  RealNvp f(c);
  std::vector<float> lr;
  for (int t = 0; t < c.steps; ++t) {
    lr.push_back(f.current_lr());
    f.train(1);
  }
  for (int t = 0; t < c.steps; ++t) {
    const double cosine = 0.5 * (1 + std::cos(M_PI * t / c.steps));
    CHECK(lr[t] == doctest::Approx(1e-2 * std::min(1.0, (t + 1) / 4.0) * cosine).epsilon(1e-6));
  }
  c.schedule = 0;
  c.warmup = 0;
  CHECK(RealNvp(c).current_lr() == c.lr);
}

TEST_CASE("realnvp: link defaults are the core defaults") {
  const RealNvpConfig a = realnvp_options(Config{}), b;
  CHECK(a.layers == b.layers);
  CHECK(a.hidden == b.hidden);
  CHECK(a.depth == b.depth);
  CHECK(a.lr == b.lr);
  CHECK(a.batch == b.batch);
  CHECK(a.steps == b.steps);
  CHECK(a.rings_n == b.rings_n);
  CHECK(a.thickness == b.thickness);
  CHECK(a.val_fraction == b.val_fraction);
  CHECK(a.s_max == b.s_max);
  CHECK(a.s_exp == b.s_exp);
  CHECK(a.mix == b.mix);
  CHECK(a.fourier == b.fourier);
  CHECK(a.schedule == b.schedule);
  CHECK(a.warmup == b.warmup);
  CHECK(a.clip == b.clip);
  CHECK(a.in_scale == b.in_scale);
  CHECK(a.b_max == b.b_max);
}

// Your own points (core/own_data.h): two blobs of two classes, drawn in order
// (class 0 first), as a drawing arrives.
static OwnData two_blobs(int n, uint64_t seed) {
  OwnData d;
  Rng rng(seed);
  for (int i = 0; i < n; ++i) {
    const int c = i < n / 2 ? 0 : 1;
    d.x.push_back(quantise_coordinate((c ? 1.5f : -1.5f) + 0.3f * rng.normal()));
    d.x.push_back(quantise_coordinate((c ? -1.0f : 1.0f) + 0.3f * rng.normal()));
    d.label.push_back(c);
  }
  return d;
}

TEST_CASE("realnvp on your own points: the link carries them, the split is a shuffle, training repeats bit for bit") {
  const OwnData d = two_blobs(100, 3);
  const std::string s = encode_own_data(d);
  std::vector<ParseIssue> issues;
  const Config cfg = parse_link("v=1&ex=realnvp&seed=5&layers=6&hidden=16&data=" + s, &issues);
  CHECK(issues.empty());
  const std::string link = to_link(cfg);
  CHECK(link.find("&data=" + s) != std::string::npos);
  CHECK(to_link(parse_link(link, nullptr)) == link);
  RealNvpConfig c = realnvp_options(cfg);
  CHECK(c.data == s);
  c.steps = 300;
  RealNvp f(c);
  REQUIRE(f.own());
  CHECK(f.data().size() == 100);
  CHECK(f.n_val() == 20);  // val_fraction 0.2 of the set, not of rings_n
  CHECK(f.n_train() == 80);
  // The same points as the flow-matching exercises train on (own_rings), in another order:
  // the held-out fifth holds both blobs, not only the last-drawn one.
  const Rings R = own_rings(d);
  std::vector<std::pair<float, float>> a, b;
  for (int i = 0; i < 100; ++i)
    a.emplace_back(R.x[2 * i], R.x[2 * i + 1]), b.emplace_back(f.data().x[2 * i], f.data().x[2 * i + 1]);
  CHECK(a != b);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  CHECK(a == b);
  CHECK(f.data().mean[0] == R.mean[0]);
  CHECK(f.data().std[1] == R.std[1]);
  int val_class1 = 0;
  for (int i = f.n_train(); i < 100; ++i) val_class1 += f.data().label[i];
  CHECK(val_class1 > 0);
  CHECK(val_class1 < 20);
  f.train(300);
  RealNvp g(c);
  g.train(300);
  CHECK(g.losses() == f.losses());
  CHECK(g.val_history() == f.val_history());
  for (size_t i = 0; i < f.num_params(); i += 97) CHECK(g.get_param(i) == f.get_param(i));
  // The exact density stays a density in the standardised coordinates it is trained in.
  CHECK(integrate_density(f, 8.0f, 400) == doctest::Approx(1.0).epsilon(3e-2));
  // Another seed shuffles differently.
  c.seed = 6;
  CHECK(RealNvp(c).data().x != f.data().x);
}

TEST_CASE("realnvp on your own points: the NLL of the training and held-out points falls") {
  const std::string s = encode_own_data(two_blobs(200, 4));
  for (uint64_t seed : {1, 2}) {
    RealNvpConfig c = realnvp_options(parse_link("v=1&ex=realnvp&layers=8&hidden=16&steps=600&data=" + s, nullptr));
    c.seed = seed;
    RealNvp f(c);
    const RealNvpOwnNll before = own_nll_quality(f);
    f.train(c.steps);
    const RealNvpOwnNll after = own_nll_quality(f);
    MESSAGE("seed " << seed << ": NLL (your coordinates) train " << before.nll << " -> " << after.nll << ", held-out "
                    << before.val_nll << " -> " << after.val_nll);
    CHECK(after.n == 160);
    CHECK(after.n_val == 40);
    // N(0, I) in standardised coordinates: E[|y|²]/2 + ln 2π + ln(std₀ std₁), exactly, at the identity flow.
    const Rings& R = f.data();
    double sq = 0;
    for (int i = 0; i < f.n_train(); ++i)
      sq += 0.5 * (double(R.x[2 * i]) * R.x[2 * i] + double(R.x[2 * i + 1]) * R.x[2 * i + 1]);
    CHECK(before.nll ==
          doctest::Approx(sq / f.n_train() + 1.8378770664093453 + std::log(double(R.std[0]) * R.std[1])).epsilon(1e-5));
    // Two tight blobs: far below the single Gaussian, on the held-out points too.
    CHECK(after.nll < before.nll - 0.5);
    CHECK(after.val_nll < before.val_nll - 0.3);
  }
}
