// Flow matching on the Olympic rings, unconditional and class-conditional (seed 003 §2).
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "config.h"
#include "datasets.h"
#include "flow_matching.h"
#include "train_loss.h"

using namespace flowlab;

namespace {
FlowMatching rings_model(const std::string& link) { return FlowMatching(parse_link(link, nullptr)); }
}  // namespace

TEST_CASE("rings generator: radius band, class balance, standardisation") {
  Rng r(7, kStreamData);
  const int n = 5003;
  const float th = 0.3f;
  const Rings R = make_rings(r, n, th);
  REQUIRE(R.size() == n);
  int count[Rings::kClasses] = {0};
  double s[2] = {0, 0}, ss[2] = {0, 0};
  double rmin = 9, rmax = 0;
  for (int i = 0; i < n; ++i) {
    const int c = R.label[i];
    ++count[c];
    for (int k = 0; k < 2; ++k) s[k] += R.x[2 * i + k], ss[k] += double(R.x[2 * i + k]) * R.x[2 * i + k];
    float raw[2] = {R.x[2 * i], R.x[2 * i + 1]};
    R.unstandardise(raw);
    const double rad = std::hypot(raw[0] - Rings::kCentres[c][0], raw[1] - Rings::kCentres[c][1]);
    rmin = std::min(rmin, rad), rmax = std::max(rmax, rad);
  }
  // Every point inside its ring's band [1 − th/2, 1 + th/2], and the band filled to its edges.
  CHECK(rmin >= 1 - th / 2 - 1e-4);
  CHECK(rmax <= 1 + th / 2 + 1e-4);
  CHECK(rmin < 1 - th / 2 + 0.01);
  CHECK(rmax > 1 + th / 2 - 0.01);
  for (int c = 0; c < Rings::kClasses; ++c) CHECK(std::abs(count[c] - n / Rings::kClasses) <= 1);
  for (int k = 0; k < 2; ++k) {
    CHECK(std::fabs(s[k] / n) < 1e-4);
    CHECK(ss[k] / n == doctest::Approx(1.0).epsilon(1e-4));
  }
  // Raw x spans [−1.15, 5.15]: its mean is ≈ 2 (by symmetry about x = 2).
  CHECK(R.mean[0] == doctest::Approx(2.0).epsilon(0.02));
  // Most points' nearest ring is their own.
  int own = 0;
  for (int i = 0; i < n; ++i) own += R.nearest_ring(&R.x[2 * i]) == R.label[i];
  // (≈ 0.88 at thickness 0.3: points near the crossings of two rings are ambiguous.)
  MESSAGE("data on its own nearest ring: " << double(own) / n);
  CHECK(own > 0.8 * n);
}

TEST_CASE("rings: the config picks the target; the data set is fixed by the seed") {
  FlowMatching a = rings_model("ex=fm-rings&rings_n=500&thickness=0.1&hidden=8&depth=1&batch=16");
  FlowMatching b = rings_model("ex=fm-rings&rings_n=500&thickness=0.1&hidden=8&depth=1&batch=16");
  CHECK(a.rings().size() == 500);
  CHECK(a.rings().thickness == doctest::Approx(0.1));
  CHECK(a.rings().x == b.rings().x);
  CHECK_FALSE(a.conditional());
  CHECK(a.net().in_dim() == 3);
  FlowMatching c = rings_model("ex=fm-rings-cond&embed=5&hidden=8&depth=1&batch=16");
  CHECK(c.conditional());
  CHECK(c.net().in_dim() == 8);
  CHECK(c.embedding().size() == 25);
  FlowMatching d = rings_model("ex=fm-checkerboard&hidden=8&depth=1");
  CHECK(d.rings().size() == 0);
}

TEST_CASE("conditional rings: loss gradient (θ and class embedding) matches finite differences") {
  // With Fourier features the embedding's columns sit after them (input width 3 + 4·2 + 3).
  for (const char* octaves : {"0", "2"}) {
    CAPTURE(octaves);
    FlowMatching fm =
        rings_model(std::string("ex=fm-rings-cond&embed=3&hidden=8&depth=2&batch=16&rings_n=200&fourier=") + octaves);
    REQUIRE(fm.net().in_dim() == 3 + 4 * fm.fourier() + 3);
    const int n = 24;
    Rng r(3);
    std::vector<float> x0(2 * n), x1(2 * n), t(n);
    std::vector<int> c(n);
    sample_normal(r, n, x0.data());
    for (int i = 0; i < n; ++i) {
      const int j = int(r.below(200));
      x1[2 * i] = fm.rings().x[2 * j], x1[2 * i + 1] = fm.rings().x[2 * j + 1];
      c[i] = fm.rings().label[j];
      t[i] = r.uniform();
    }
    std::vector<float> g, g2;
    fm.loss_and_grad(x0.data(), x1.data(), t.data(), c.data(), n, &g);
    const size_t P = fm.net().num_params(), E = fm.embedding().size();
    REQUIRE(g.size() == P + E);
    auto param = [&](size_t k) -> float& { return k < P ? fm.net().params()[k] : fm.embedding()[k - P]; };
    const float h = 1e-2f;
    double num = 0, den = 0, emb_num = 0, emb_den = 0;
    for (size_t k = 0; k < P + E; ++k) {
      const float keep = param(k);
      param(k) = keep + h;
      const double lp = fm.loss_and_grad(x0.data(), x1.data(), t.data(), c.data(), n, &g2);
      param(k) = keep - h;
      const double lm = fm.loss_and_grad(x0.data(), x1.data(), t.data(), c.data(), n, &g2);
      param(k) = keep;
      const double fd = (lp - lm) / (2 * h);
      num += (fd - g[k]) * (fd - g[k]), den += double(g[k]) * g[k];
      if (k >= P) emb_num += (fd - g[k]) * (fd - g[k]), emb_den += double(g[k]) * g[k];
    }
    const double rel = std::sqrt(num / den), emb_rel = std::sqrt(emb_num / emb_den);
    MESSAGE("relative gradient error: all " << rel << ", embedding " << emb_rel);
    CHECK(emb_den > 0);
    CHECK(rel < 1e-2);
    CHECK(emb_rel < 1e-2);
  }
}

TEST_CASE("conditional rings: after a short run samples land on their requested ring about as often as the data do") {
  FlowMatching fm = rings_model("ex=fm-rings-cond&hidden=64&depth=3&batch=512&steps=4000&lr=0.005&seed=1");
  const int steps = 4000;
  const auto [first, last] = train_first_last(fm, steps);
  const int n = 3000;
  std::vector<int> c(n);
  for (int i = 0; i < n; ++i) c[i] = i % Rings::kClasses;
  const auto x = fm.sample(n, 20, Solver::Midpoint, nullptr, c.data());
  int hit = 0;
  for (int i = 0; i < n; ++i) hit += fm.rings().nearest_ring(&x[2 * i]) == c[i];
  const double acc = double(hit) / n;
  MESSAGE("loss " << first << " -> " << last << ", nearest ring = requested class: " << acc);
  CHECK(last < first);
  // The data set's own ceiling under this measure (rings cross each other):
  // 0.914 here; the model measured 0.903 under every SIMD target. The bound
  // (ceiling − 0.06) leaves 0.05 for another float order (chance is 0.2).
  int own = 0;
  for (int i = 0; i < fm.rings().size(); ++i)
    own += fm.rings().nearest_ring(&fm.rings().x[2 * i]) == fm.rings().label[i];
  const double ceiling = double(own) / fm.rings().size();
  MESSAGE("data on its own nearest ring: " << ceiling);
  CHECK(acc >= ceiling - 0.06);
  // One class only: points asked for ring 2 (red) land on ring 2.
  std::vector<int> red(500, 2);
  const auto y = fm.sample(500, 20, Solver::Midpoint, nullptr, red.data());
  int on_red = 0;
  for (int i = 0; i < 500; ++i) on_red += fm.rings().nearest_ring(&y[2 * i]) == 2;
  MESSAGE("asked for red: " << on_red << " / 500 on the red ring");
  CHECK(on_red >= 425);  // 448 measured under every SIMD target; the data ceiling ≈ 0.9
}

TEST_CASE("rings: reverse then forward round-trip error falls as the step falls") {
  FlowMatching fm = rings_model("ex=fm-rings&hidden=32&depth=2&batch=256&steps=300&seed=2");
  for (int i = 0; i < 300; ++i) fm.train_step();
  const float pts[10] = {-0.68536588f, 1.04613213f, -0.83722729f, 1.48307046f, 0.71348099f,
                         -0.03766172f, -1.44f,      -1.44f,       1.8f,        1.8f};
  double prev = INFINITY;
  for (int steps : {5, 20, 50, 500}) {  // Δt = 0.2, 0.05, 0.02, 0.002
    std::vector<float> x(pts, pts + 10);
    fm.flow(x.data(), 5, 1.0f, 0.0f, steps, Solver::Euler);
    fm.flow(x.data(), 5, 0.0f, 1.0f, steps, Solver::Euler);
    double err = 0;
    for (int i = 0; i < 5; ++i) err += std::hypot(x[2 * i] - pts[2 * i], x[2 * i + 1] - pts[2 * i + 1]) / 5;
    MESSAGE("dt " << 1.0 / steps << " mean round-trip error " << err);
    CHECK(err < prev);
    prev = err;
  }
  CHECK(prev < 0.05);
}

TEST_CASE("conditional rings: checkpoint holds the embedding and continues bit-identically") {
  const std::string link = "ex=fm-rings-cond&embed=4&hidden=16&depth=2&batch=32&rings_n=300";
  FlowMatching a = rings_model(link), b = rings_model(link);
  for (int i = 0; i < 10; ++i) a.train_step();
  for (int i = 0; i < 3; ++i) b.train_step();
  std::string err;
  REQUIRE(b.load(a.save(link), &err));
  CHECK(b.embedding() == a.embedding());
  for (int i = 0; i < 5; ++i) CHECK(a.train_step() == b.train_step());
  CHECK(b.embedding() == a.embedding());
  // A checkpoint of an unconditional model has no embedding: refused.
  FlowMatching u = rings_model("ex=fm-rings&hidden=16&depth=2&batch=32&rings_n=300");
  CHECK_FALSE(b.load(u.save("x"), &err));
}
