// The Olympic rings' exact density and entropy (the floor of every model's
// NLL on them): the density integrates to 1, the Monte Carlo entropy agrees
// with −∫p ln p on a grid, and the values at seed 003's five points.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "datasets.h"

using namespace flowlab;

namespace {
Rings rings(int n, float thickness, uint64_t seed = 1) {
  Rng rng(seed, 3);
  return make_rings(rng, n, thickness);
}
}  // namespace

TEST_CASE("rings: exact density integrates to 1, entropy = −∫p ln p, 0 off the rings") {
  for (float t : {0.1f, 0.25f}) {
    const Rings R = rings(5000, t);
    // Midpoint rule over the standardised box holding every ring.
    const int m = 1200;
    const float lo0 = (-1.5f - R.mean[0]) / R.std[0], hi0 = (5.5f - R.mean[0]) / R.std[0];
    const float lo1 = (-2.5f - R.mean[1]) / R.std[1], hi1 = (1.5f - R.mean[1]) / R.std[1];
    const double h0 = (hi0 - lo0) / m, h1 = (hi1 - lo1) / m;
    std::vector<float> y(2 * size_t(m)), lp(m);
    double s = 0, plogp = 0;
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < m; ++j) {
        y[2 * j] = float(lo0 + (j + 0.5) * h0);
        y[2 * j + 1] = float(lo1 + (i + 0.5) * h1);
      }
      rings_log_density(R, y.data(), m, lp.data());
      for (int j = 0; j < m; ++j) {
        const double p = std::exp(double(lp[j]));
        s += p;
        if (p > 0) plogp += p * lp[j];
      }
    }
    const double H = rings_entropy(R);
    MESSAGE("thickness " << t << ": ∫p = " << s * h0 * h1 << ", −∫p ln p = " << -plogp * h0 * h1
                         << ", Monte Carlo entropy " << H);
    CHECK(std::fabs(s * h0 * h1 - 1) < 3e-3);
    CHECK(std::fabs(-plogp * h0 * h1 - H) < 0.01);
  }
  const Rings R = rings(5000, 0.25f);
  const float out[4] = {-1.44f, -1.44f, 1.8f, 1.8f};
  float lp[2];
  rings_log_density(R, out, 2, lp);
  CHECK(std::isinf(lp[0]));
  CHECK(std::isinf(lp[1]));
}

TEST_CASE("rings: entropy, and ln p at seed 003's inliers") {
  // Entropy of one annulus r ∈ [a, b] with density 1/(2π r t):
  // H = ln(2π t) + E[ln r] with E[ln r] = (b ln b − a ln a)/t − 1. Five
  // disjoint rings would add ln 5; where rings cross, mass concentrates, so
  // the mixture's raw entropy is lower.
  const double t = 0.25, a = 1 - t / 2, b = 1 + t / 2;
  const double H1 = std::log(2 * M_PI * t) + (b * std::log(b) - a * std::log(a)) / t - 1;
  const Rings R = rings(250000, 0.25f);
  const double H = rings_entropy(R);
  const double raw = H + std::log(double(R.std[0])) + std::log(double(R.std[1]));
  MESSAGE("entropy " << H << " (raw " << raw << ", no-overlap bound " << H1 + std::log(5.0) << ")");
  CHECK(raw < H1 + std::log(5.0));
  CHECK(std::fabs(H - 1.59) < 0.01);
  CHECK(rings_entropy(R) == H);  // a fixed seed: deterministic
  const float pts[6] = {-0.68536588f, 1.04613213f, -0.83722729f, 1.48307046f, 0.71348099f, -0.03766172f};
  float lp[3];
  rings_log_density(R, pts, 3, lp);
  MESSAGE("ln p at the inliers: " << lp[0] << " " << lp[1] << " " << lp[2]);
  CHECK(std::fabs(lp[0] - (-1.79)) < 0.01);
  CHECK(std::fabs(lp[1] - (-1.85)) < 0.01);
  CHECK(std::fabs(lp[2] - (-1.72)) < 0.01);
}
