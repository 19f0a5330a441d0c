// Measurement driver for RealNVP on the rings (not part of the default run):
//   NVP_LINK='layers=15&…' NVP_SEEDS=1,2,3,4,5 flowlab_tests -tc="realnvp sweep*" -ns
// (-ns: doctest's --no-skip). For each training seed it prints the
// validation NLL, the data's entropy, ln p of the sheet's five points (model and exact), and the largest jump of the
// training loss above its recent mean (spikes); NVP_EDGE=1 adds ln p across a ring's edge.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "config.h"
#include "realnvp.h"

using namespace flowlab;

TEST_CASE("realnvp sweep: defaults (or NVP_LINK) over NVP_SEEDS" * doctest::skip()) {
  const char* extra = std::getenv("NVP_LINK");
  const char* seeds_env = std::getenv("NVP_SEEDS");
  std::vector<uint64_t> seeds;
  std::stringstream ss(seeds_env ? seeds_env : "1,2,3,4,5");
  for (std::string t; std::getline(ss, t, ',');) seeds.push_back(std::stoull(t));
  std::vector<ParseIssue> issues;
  const std::string base = std::string("v=1&ex=realnvp") + (extra && *extra ? std::string("&") + extra : "");
  const Config cfg = parse_link(base, &issues);
  for (const ParseIssue& i : issues) std::printf("link issue: %s: %s\n", i.field.c_str(), i.message.c_str());
  std::printf("link %s\n", base.c_str());
  for (uint64_t seed : seeds) {
    RealNvpConfig c = realnvp_options(cfg);
    c.seed = seed;
    const auto t0 = std::chrono::steady_clock::now();
    RealNvp f(c);
    // One step a call, to keep each step's gradient norm (before clipping).
    std::vector<double> gn;
    for (int t = 0; t < c.steps; ++t) f.train(1), gn.push_back(f.last_grad_norm());
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const std::vector<float>& v = f.val_history();
    const double H = f.data_entropy(), val = v[v.size() - 3], train = f.loss(f.train_x(), f.n_train(), nullptr);
    const RealNvpLogp lp = f.log_prob(kSheetPoints, kSheetPointCount);
    float exact[kSheetPointCount];
    rings_log_density(f.data(), kSheetPoints, kSheetPointCount, exact);
    // Spike: a training loss far above the mean of the previous 50 (after the first 100 steps).
    const std::vector<float>& L = f.losses();
    double spike = 0, mean = 0;
    long spike_at = -1;
    for (size_t t = 0; t < L.size(); ++t) {
      if (t >= 100 && L[t] - mean > spike) spike = L[t] - mean, spike_at = long(t);
      mean = t < 50 ? (mean * t + L[t]) / (t + 1) : mean + (L[t] - L[t - 50]) / 50.0;
    }
    const double gmax = gn.empty() ? 0 : *std::max_element(gn.begin() + std::min<size_t>(100, gn.size() - 1), gn.end());
    std::printf(
        "seed %llu: train NLL %.4f val NLL %.4f entropy %.4f gap %.4f | ln p %.3f %.3f %.3f | %.2f %.2f | exact %.3f "
        "%.3f %.3f"
        " | spike +%.2f at %ld (grad norm %.3g; max after step 100 %.3g) | %.1f s, %.1f steps/s\n",
        (unsigned long long)seed, train, val, H, val - H, lp.logp[0], lp.logp[1], lp.logp[2], lp.logp[3], lp.logp[4],
        exact[0], exact[1], exact[2], spike, spike_at, spike_at >= 0 ? gn[size_t(spike_at)] : 0.0, gmax, secs,
        c.steps / secs);
    std::fflush(stdout);
    // NVP_EDGE=1: model and exact ln p along the ray from ring 0's centre through the
    // second inlier (raw radius 0.85-1.15; the ring's edges are at 0.875 and 1.125).
    if (std::getenv("NVP_EDGE")) {
      const Rings& R = f.data();
      const float raw[2] = {kSheetPoints[2] * R.std[0] + R.mean[0], kSheetPoints[3] * R.std[1] + R.mean[1]};
      const float r2 = std::hypot(raw[0], raw[1]);
      std::vector<float> ray;
      for (int k = 0; k <= 30; ++k) {
        const float rad = 0.85f + 0.01f * k;
        for (int j = 0; j < 2; ++j) ray.push_back((raw[j] * rad / r2 - R.mean[j]) / R.std[j]);
      }
      const int m = int(ray.size() / 2);
      const RealNvpLogp e = f.log_prob(ray.data(), m);
      std::vector<float> ex(m);
      rings_log_density(R, ray.data(), m, ex.data());
      std::printf("  inlier 2 at raw radius %.4f; radius: model / exact ln p\n ", r2);
      for (int k = 0; k < m; ++k) std::printf(" %.2f: %.2f/%.2f", 0.85 + 0.01 * k, e.logp[k], ex[k]);
      std::printf("\n");
    }
    // NVP_SAMPLES=prefix: 1000 samples for each sampling seed 1-3 (the view's Q2), as text.
    if (const char* out = std::getenv("NVP_SAMPLES"))
      for (uint64_t s = 1; s <= 3; ++s) {
        const std::vector<float> x = f.sample(1000, s);
        FILE* fp = std::fopen(
            (std::string(out) + "-t" + std::to_string(seed) + "-s" + std::to_string(s) + ".txt").c_str(), "w");
        for (size_t i = 0; fp && i < x.size(); i += 2) std::fprintf(fp, "%g %g\n", x[i], x[i + 1]);
        if (fp) std::fclose(fp);
      }
  }
}
