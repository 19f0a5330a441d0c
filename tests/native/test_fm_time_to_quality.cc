// Measurement driver for the checkerboard's time to quality (not part of the default run):
//   FM_LINK='batch=256&lr=0.02' FM_SEEDS=1,2,3,4,5 FM_EVERY=50 flowlab_tests -tc="fm time to quality*" -ns
// (-ns: doctest's --no-skip). For each training seed it prints the first step at
// which the page's preview (the first FM_PREVIEW = 2000 points of the seed's fixed noise,
// the link's solver and ODE steps) has ≥ 90 % on the squares, checked every
// FM_EVERY steps, the time per training step, the preview's time, and the
// quality report (core/quality.h) at the end of the run (FM_STOP90=1: stop at 90 %;
// FM_TRACE=1: print every preview's fraction).
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "config.h"
#include "datasets.h"
#include "flow_matching.h"
#include "quality.h"

using namespace flowlab;

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
double on_squares(const std::vector<float>& x) {
  int on = 0;
  for (size_t i = 0; i < x.size(); i += 2) on += on_checkerboard(x[i], x[i + 1]);
  return x.empty() ? 0.0 : double(on) / double(x.size() / 2);
}
}  // namespace

TEST_CASE("fm time to quality: checkerboard defaults (or FM_LINK) over FM_SEEDS" * doctest::skip()) {
  const char* extra = std::getenv("FM_LINK");
  const char* seeds_env = std::getenv("FM_SEEDS");
  const char* every_env = std::getenv("FM_EVERY");
  const long every = every_env ? std::atol(every_env) : 50;
  const bool stop90 = std::getenv("FM_STOP90") != nullptr;
  const bool trace = std::getenv("FM_TRACE") != nullptr;  // every preview's fraction, to the end
  std::vector<int> seeds;
  std::stringstream ss(seeds_env ? seeds_env : "1,2,3,4,5");
  for (std::string t; std::getline(ss, t, ',');) seeds.push_back(std::stoi(t));
  const std::string base = std::string("v=1&ex=fm-checkerboard") + (extra && *extra ? std::string("&") + extra : "");
  std::printf("link %s\n", base.c_str());
  const char* preview_env = std::getenv("FM_PREVIEW");
  const int kPreview = preview_env ? std::atoi(preview_env) : 2000;
  for (int seed : seeds) {
    std::vector<ParseIssue> issues;
    const Config c = parse_link(base + "&seed=" + std::to_string(seed), &issues);
    for (const ParseIssue& i : issues) std::printf("link issue: %s: %s\n", i.field.c_str(), i.message.c_str());
    const Solver solver = Solver(c.i(&Config::solver));
    const int ode_steps = c.i(&Config::ode_steps);
    FlowMatching fm(c);
    long at90 = -1;
    double train_s = 0, preview_s = 0;
    int previews = 0;
    while (fm.step() < long(c.steps)) {
      const auto t0 = std::chrono::steady_clock::now();
      for (long k = 0; k < every && fm.step() < long(c.steps); ++k) fm.train_step();
      train_s += seconds_since(t0);
      if (at90 >= 0 && !trace) continue;
      const auto t1 = std::chrono::steady_clock::now();
      const double f = on_squares(fm.sample(kPreview, ode_steps, solver));
      preview_s += seconds_since(t1);
      ++previews;
      if (trace) std::printf("seed %d step %ld on squares %.4f\n", seed, fm.step(), f);
      if (f >= 0.9 && at90 < 0) at90 = fm.step();
      if (at90 >= 0 && stop90) break;
    }
    if (stop90) {
      std::printf("seed %d: 90%% at step %ld | %.3f ms/step, %.2f ms/preview\n", seed, at90,
                  1e3 * train_s / double(fm.step()), previews ? 1e3 * preview_s / previews : 0.0);
      continue;
    }
    const std::vector<float> x = fm.sample(c.i(&Config::samples), ode_steps, solver);
    const CheckerboardQuality q = checkerboard_quality(fm, x.data(), int(x.size() / 2));
    std::printf("seed %d: 90%% at step %ld | %.3f ms/step, %.2f ms/preview | end: on squares %.4f KL %.4f %s\n", seed,
                at90, 1e3 * train_s / double(fm.step()), previews ? 1e3 * preview_s / previews : 0.0, q.on_squares,
                q.kl_gap, q.ok ? "ok" : "BELOW");
    std::fflush(stdout);
  }
}
