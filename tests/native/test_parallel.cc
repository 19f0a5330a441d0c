// Threads inside a training step (core/parallel.h) change nothing but speed:
// the same seed gives the same bits for 1, 2 and 3 threads.
#include <doctest/doctest.h>

#include <vector>

#include "datasets.h"
#include "flow_matching.h"
#include "mlp.h"
#include "parallel.h"
#include "realnvp.h"

using namespace flowlab;

namespace {
struct Run {
  std::vector<float> losses, params, div;
};
Run run(int threads, int hidden, int batch) {
  set_threads(threads);
  FlowMatching fm(std::vector<int>(3, hidden), 1e-3f, batch, 7,
                  [](Rng& r, int n, float* x) { sample_checkerboard(r, n, x); });
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

// The pieces split across threads one by one: gradients of the MLP (dW by
// rows, or by columns for a layer narrower than the threads' row blocks, SiLU'
// per row block, dx) and Adam over the flat buffer, on ragged shapes whose
// blocks end in vector and scalar tails.
TEST_CASE("threads: MLP gradients, input gradient and Adam bit-identical for 1, 2 and 3 threads") {
  for (const std::vector<int>& dims :
       {std::vector<int>{3, 200, 37, 2}, std::vector<int>{5, 67, 130, 3}, std::vector<int>{2, 256, 1}}) {
    for (int n : {1000, 301, 50}) {
      std::vector<float> x(size_t(n) * dims.front()), dy(size_t(n) * dims.back());
      Rng rng(uint64_t(n), 3);
      sample_normal(rng, int(x.size() / 2), x.data());
      sample_normal(rng, int(dy.size() / 2), dy.data());
      std::vector<float> ref_grad, ref_dx, ref_theta;
      for (int t : {1, 2, 3}) {
        set_threads(t);
        Mlp net(dims);
        Rng init(11, 0);
        net.init(init);
        net.forward(x.data(), n);
        std::vector<float> grad(net.num_params(), 0.5f), dx(x.size());
        net.backward(dy.data(), grad.data(), dx.data());
        Adam adam;
        adam.reset(net.num_params());
        for (int s = 0; s < 3; ++s) adam.step(net.params(), grad.data(), 1e-2f);
        std::vector<float> theta(net.params(), net.params() + net.num_params());
        set_threads(1);
        if (t == 1) {
          ref_grad = grad, ref_dx = dx, ref_theta = theta;
          continue;
        }
        CHECK(grad == ref_grad);
        CHECK(dx == ref_dx);
        CHECK(theta == ref_theta);
      }
    }
  }
}

// RealNVP's training batch in fixed chunks of rows, one task each (parallel_tasks):
// the gradient sums the chunks in order, so the thread count changes no bit. The
// validation pass (400 points: five chunks, the last of 16 rows) is chunked too.
TEST_CASE("threads: RealNVP training and validation bit-identical for 1, 2 and 3 threads") {
  auto train = [](int threads, int batch) {
    set_threads(threads);
    RealNvpConfig c;
    c.layers = 10;
    c.batch = batch;
    c.rings_n = 2000;
    c.eval_every = 4;
    c.seed = 5;
    RealNvp f(c);
    f.train(12);
    std::vector<float> out = f.losses();
    REQUIRE(f.val_history().size() == 4 * 4);
    out.insert(out.end(), f.val_history().begin(), f.val_history().end());
    for (size_t i = 0; i < f.num_params(); ++i) out.push_back(f.get_param(i));
    const std::vector<float> x = f.sample(50, 2);
    out.insert(out.end(), x.begin(), x.end());
    set_threads(1);
    return out;
  };
  for (int batch : {256, 250, 3}) {
    CAPTURE(batch);
    const std::vector<float> one = train(1, batch);
    for (int t : {2, 3}) CHECK(train(t, batch) == one);
  }
}
