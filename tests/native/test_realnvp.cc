// RealNVP (seed 003 §1): exact invertibility, log-det against a
// finite-difference Jacobian, the loss gradient against finite differences,
// the density integrating to 1, save/load, and a short training run that
// separates the seed's inliers from its outliers.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "realnvp.h"

using namespace flowlab;

namespace {
RealNvpConfig small_config() {
  RealNvpConfig c;
  c.layers = 6;
  c.hidden = 16;
  c.depth = 2;
  c.rings_n = 1000;
  c.seed = 7;
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
  RealNvp f(small_config());
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

TEST_CASE("realnvp: log_det equals log|det| of a finite-difference Jacobian") {
  RealNvp f(small_config());
  randomise(f, 0.3f, 2);
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

TEST_CASE("realnvp: loss gradient matches finite differences") {
  RealNvp f(small_config());
  randomise(f, 0.2f, 3);
  const int n = 32;
  std::vector<float> x(f.train_x(), f.train_x() + 2 * n), grad;
  f.loss(x.data(), n, &grad);
  Rng rng(11);
  int checked = 0;
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
    const double err = std::fabs(fd - grad[i]) / (1e-2 + std::fabs(fd) + std::fabs(grad[i]));
    worst = std::max(worst, err);
    ++checked;
  }
  MESSAGE("worst relative gradient error over " << checked << " parameters: " << worst);
  CHECK(worst < 2e-2);
}

TEST_CASE("realnvp: density integrates to 1; save/load; training separates inliers from outliers") {
  RealNvpConfig c;  // course defaults except a shorter run
  c.seed = 1;
  RealNvp f(c);
  CHECK(integrate_density(f, 8.0f, 200) == doctest::Approx(1.0).epsilon(5e-3));  // identity: N(0, I)
  f.train(c.steps - 300);
  const std::string ck = f.save("ex=realnvp");
  f.train(300);
  // Resume from the checkpoint: the same steps give the same numbers.
  RealNvp g(c);
  std::string err;
  REQUIRE(g.load(ck, &err));
  g.train(300);
  CHECK(g.losses() == f.losses());
  CHECK(g.val_history() == f.val_history());
  CHECK(integrate_density(f, 8.0f, 400) == doctest::Approx(1.0).epsilon(3e-2));
  const std::vector<float>& v = f.val_history();
  MESSAGE("validation loss after " << f.step() << " steps: " << v[v.size() - 3] << " = −log p_z "
                                   << v[v.size() - 2] << " + −log det " << v[v.size() - 1]);
  CHECK(v[v.size() - 3] < v[1] - 0.15f);  // validation loss fell
  const float pts[10] = {-0.68536588f, 1.04613213f, -0.83722729f, 1.48307046f, 0.71348099f,
                         -0.03766172f, -1.44f,      -1.44f,      1.8f,        1.8f};
  const RealNvpLogp lp = f.log_prob(pts, 5);
  for (int i = 0; i < 5; ++i)
    MESSAGE("y = (" << pts[2 * i] << ", " << pts[2 * i + 1] << "): log p = " << lp.logp[i]
                    << ", log p_z = " << lp.logpz[i] << ", log det = " << lp.logdet[i]);
  const float worst_in = std::min({lp.logp[0], lp.logp[1], lp.logp[2]});
  // A short run separates them by less than seed 003's ≈ 12 nats, but clearly.
  CHECK(worst_in > lp.logp[3] + 1);
  CHECK(worst_in > lp.logp[4] + 1);
}

TEST_CASE("realnvp: link defaults are the core defaults") {
  const RealNvpConfig a = realnvp_config(Config{}), b;
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
}
