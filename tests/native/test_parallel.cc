// Threads inside a training step (core/parallel.h) change nothing but speed:
// the same seed gives the same bits for 1, 2 and 3 threads.
#include <doctest/doctest.h>

#include <vector>

#include "datasets.h"
#include "flow_matching.h"
#include "parallel.h"

using namespace flowlab;

namespace {
struct Run {
  std::vector<float> losses, params, div;
};
Run run(int threads, int hidden, int batch) {
  set_threads(threads);
  FlowMatching fm(std::vector<int>(3, hidden), 1e-3f, batch, 7, [](Rng& r, int n, float* x) { sample_checkerboard(r, n, x); });
  for (int i = 0; i < 8; ++i) fm.train_step();
  Run r;
  r.losses = fm.losses();
  r.params.assign(fm.net().params(), fm.net().params() + fm.net().num_params());
  const std::vector<float> x = fm.sample(batch, 4, Solver::Midpoint);
  r.div.assign(x.begin(), x.end());
  set_threads(1);
  return r;
}
}  // namespace

TEST_CASE("threads in the matrix products: bit-identical losses, parameters and samples") {
  for (auto [hidden, batch] : {std::pair{256, 1024}, std::pair{64, 1000}, std::pair{100, 37}, std::pair{32, 301}}) {
    const Run one = run(1, hidden, batch);
    for (int t : {2, 3}) {
      const Run more = run(t, hidden, batch);
      CHECK(more.losses == one.losses);
      CHECK(more.params == one.params);
      CHECK(more.div == one.div);
    }
  }
}
