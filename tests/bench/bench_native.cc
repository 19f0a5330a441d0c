// Native benchmark of the flow-matching hot paths, one thread.
// Prints one JSON line per measurement:
//   train  — FlowMatching::train_step (CFM on the checkerboard, Adam)
//   sample — Euler sampling, 1000 points × 500 steps through the net
//   div    — exact divergence Tr ∂v/∂x: two Mlp::jvp per point (e1, e2)
//   ot-assignment — one minibatch-OT pairing (cost matrix + exact assignment)
//            of N(0, I) x0 and checkerboard x1, Hungarian vs the fast solver
//            (ε-scaling auction + Jonker–Volgenant finish)
// GFLOP/s use the convention: 6·P·B per training step, 2·P per
// forward evaluation and point, 4·P per jvp (value + tangent) and point.
//   profile — (--profile only) 1 and 2 threads: the CPU time per call of
//            each phase of the reference step, how much of it runs inside
//            parallel_ranges (what threads share) vs outside (serial), and
//            the critical path with a core per thread
//   flowlab_bench [--quick | --ot | --profile]   (--ot: only the assignment lines)
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "datasets.h"
#include "flow_matching.h"
#include "ot.h"
#include "parallel.h"
#include "simd.h"

using namespace flowlab;
using Clock = std::chrono::steady_clock;

static double now() { return std::chrono::duration<double>(Clock::now().time_since_epoch()).count(); }

static std::string net_name(int hidden, int depth) {
  std::string s = "3";
  for (int i = 0; i < depth; ++i) s += "-" + std::to_string(hidden);
  return s + "-2";
}

static FlowMatching make(int hidden, int depth, int batch) {
  return FlowMatching(std::vector<int>(size_t(depth), hidden), 1e-3f, batch, 1,
                      [](Rng& r, int n, float* x) { sample_checkerboard(r, n, x); });
}

// Calls `fn` until at least `min_s` seconds of `clock` have passed.
struct Timed {
  long calls;
  double seconds;
};
template <class F, class C>
static Timed time_calls(F fn, double min_s, C clock) {
  long calls = 0;
  const double t0 = clock();
  double t1 = t0;
  do {
    fn();
    ++calls;
    t1 = clock();
  } while (t1 - t0 < min_s);
  return {calls, t1 - t0};
}

// Calls per second of wall time, after a warm-up call.
template <class F>
static double rate(F fn, double min_s) {
  fn();
  const Timed r = time_calls(fn, min_s, now);
  return r.calls / r.seconds;
}

static void train(int hidden, int depth, int batch, double min_s) {
  FlowMatching fm = make(hidden, depth, batch);
  const double P = double(fm.net().num_params());
  const double sps = rate([&] { fm.train_step(); }, min_s);
  std::printf(
      "{\"impl\":\"flowlab-native\",\"task\":\"train\",\"net\":\"%s\",\"batch\":%d,\"threads\":%d,\"steps_per_s\":%.3f,"
      "\"gflops\":%.2f}\n",
      net_name(hidden, depth).c_str(), batch, threads(), sps, sps * 6.0 * P * batch / 1e9);
  std::fflush(stdout);
}

static void sample(int points, int steps, double min_s) {
  FlowMatching fm = make(256, 3, 1024);
  const double P = double(fm.net().num_params());
  const double per_s = rate([&] { fm.sample(points, steps, Solver::Euler); }, min_s);
  std::printf(
      "{\"impl\":\"flowlab-native\",\"task\":\"sample\",\"net\":\"%s\",\"points\":%d,\"euler_steps\":%d,"
      "\"seconds\":%.4f,\"point_steps_per_s\":%.4g,\"gflops\":%.2f}\n",
      net_name(256, 3).c_str(), points, steps, 1.0 / per_s, per_s * points * steps,
      per_s * 2.0 * P * points * steps / 1e9);
  std::fflush(stdout);
}

static void divergence(int points, double min_s) {
  FlowMatching fm = make(256, 3, 1024);
  Mlp& net = fm.net();
  const double P = double(net.num_params());
  Rng rng(7, 0);
  std::vector<float> in(3 * size_t(points)), e1(in.size(), 0.0f), e2(in.size(), 0.0f);
  std::vector<float> y(2 * size_t(points)), j1(y.size()), j2(y.size()), div(points);
  std::vector<float> x(2 * size_t(points));
  sample_normal(rng, points, x.data());
  for (int i = 0; i < points; ++i) {
    in[3 * i] = x[2 * i], in[3 * i + 1] = x[2 * i + 1], in[3 * i + 2] = 0.5f;
    e1[3 * i] = 1.0f;
    e2[3 * i + 1] = 1.0f;
  }
  const double per_s = rate(
      [&] {
        net.jvp(in.data(), e1.data(), points, y.data(), j1.data());
        net.jvp(in.data(), e2.data(), points, y.data(), j2.data());
        for (int i = 0; i < points; ++i) div[i] = j1[2 * i] + j2[2 * i + 1];
      },
      min_s);
  std::printf(
      "{\"impl\":\"flowlab-native\",\"task\":\"div\",\"net\":\"%s\",\"points\":%d,\"seconds\":%.5f,"
      "\"points_per_s\":%.4g,\"gflops\":%.2f}\n",
      net_name(256, 3).c_str(), points, 1.0 / per_s, per_s * points, per_s * 8.0 * P * points / 1e9);
  std::fflush(stdout);
}

// A pool of 8 batches, solved in turn, so no single draw decides the time.
static void assignment(int n, bool fast, double min_s) {
  Rng rng(uint64_t(n), 9);
  std::vector<std::vector<float>> x0(8, std::vector<float>(2 * size_t(n))), x1 = x0;
  for (int b = 0; b < 8; ++b) sample_normal(rng, n, x0[b].data()), sample_checkerboard(rng, n, x1[b].data());
  int b = 0;
  double cost = 0;
  const std::clock_t c0 = std::clock();
  long calls = 0;
  const double per_s = rate(
      [&] {
        const std::vector<double> C = squared_distances(x0[b].data(), x1[b].data(), n);
        cost += (fast ? solve_assignment_auction(C, n) : solve_assignment(C, n)).cost;
        b = (b + 1) % 8;
        ++calls;
      },
      min_s);
  // cpu_ms: process CPU time per call (warm-up included), for loaded machines.
  const double cpu_ms = 1e3 * double(std::clock() - c0) / CLOCKS_PER_SEC / calls;
  std::printf(
      "{\"impl\":\"flowlab-native\",\"task\":\"ot-assignment\",\"solver\":\"%s\",\"batch\":%d,\"ms\":%.3f,\"cpu_ms\":%."
      "3f}\n",
      fast ? "auction-jv" : "hungarian", n, 1e3 / per_s, cpu_ms);
  std::fflush(stdout);
}

static void assignments(const std::vector<int>& sizes, double min_s) {
  for (int n : sizes)
    for (bool fast : {false, true}) assignment(n, fast, min_s);
}

// Times one phase in CPU time (robust to other load): ms per call of the
// calling thread, the part of it inside parallel_ranges, and the critical
// path (outside + each region's slowest part: the time with a core per
// thread; with 1 thread it is ms). Workers' spinning is not counted.
template <class F>
static void phase(const char* name, int batch, F fn, double min_s) {
  fn();
  parallel_profile(true);
  const Timed r = time_calls(fn, min_s, parallel_profile_clock);
  const ParallelProfile p = parallel_profile_read();
  parallel_profile(false);
  const long calls = r.calls;
  const double ms = 1e3 * r.seconds / calls, in_ms = 1e3 * p.inside_s / calls;
  const double crit_ms = ms - in_ms + 1e3 * p.slowest_part_s / calls;
  std::printf(
      "{\"impl\":\"flowlab-native\",\"task\":\"profile\",\"batch\":%d,\"threads\":%d,\"phase\":\"%s\",\"ms\":%.4f,"
      "\"inside_ms\":%.4f,\"outside_ms\":%.4f,\"critical_ms\":%.4f,\"parallel_calls\":%.1f,\"serial_fraction\":%.4f}\n",
      batch, threads(), name, ms, in_ms, ms - in_ms, crit_ms, double(p.calls) / calls, (ms - in_ms) / ms);
  std::fflush(stdout);
}

// The reference step (MLP 3-256-256-256-2) phase by phase, with the same
// calls train_step makes: data (x1, x0, t), forward, loss + backward
// (loss_and_grad minus its forward), Adam, and the whole step.
static void profile(int batch, double min_s) {
  FlowMatching fm = make(256, 3, batch);
  Mlp& net = fm.net();
  const size_t P = net.num_params();
  Rng rng(1, 0);
  std::vector<float> x0(2 * size_t(batch)), x1(x0.size()), t(batch), in(3 * size_t(batch)), grad;
  phase(
      "data", batch,
      [&] {
        sample_checkerboard(rng, batch, x1.data());
        sample_normal(rng, batch, x0.data());
        for (int i = 0; i < batch; ++i) t[i] = rng.uniform();
      },
      min_s);
  for (int i = 0; i < batch; ++i) in[3 * i] = x0[2 * i], in[3 * i + 1] = x0[2 * i + 1], in[3 * i + 2] = t[i];
  phase(
      "forward", batch, [&] { net.forward(in.data(), batch); }, min_s);
  phase(
      "forward+loss+backward", batch, [&] { fm.loss_and_grad(x0.data(), x1.data(), t.data(), nullptr, batch, &grad); },
      min_s);
  Adam adam;
  adam.reset(P);
  std::vector<float> theta(net.params(), net.params() + P);
  phase(
      "adam", batch, [&] { adam.step(theta.data(), grad.data(), 1e-6f); }, min_s);
  phase(
      "train_step", batch, [&] { fm.train_step(); }, min_s);
}

// The analyses' kernels at the page's defaults: Euler/midpoint sampling of
// 10000 points (Fig. 4 makes 72 such forwards) and ln p on the 81² density
// grid (RK4, 10 steps: Tr ∂v/∂x by forward mode).
static void profile_analyses(double min_s) {
  FlowMatching fm = make(256, 3, 1024);
  phase(
      "sample 10000 points, midpoint 5 steps", 10000, [&] { fm.sample(10000, 5, Solver::Midpoint); }, min_s);
  std::vector<float> x(2 * 81 * 81);
  for (int i = 0; i < 81 * 81; ++i)
    x[2 * i] = -5 + 10.0f * (i % 81 + 0.5f) / 81, x[2 * i + 1] = -5 + 10.0f * (i / 81 + 0.5f) / 81;
  phase(
      "ln p on 81x81 points, rk4 10 steps", 81 * 81, [&] { fm.log_density(x.data(), 81 * 81, 10, Solver::Rk4); },
      min_s);
}

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  if (argc > 1 && std::strcmp(argv[1], "--ot") == 0) {
    assignments({128, 256, 512, 1024}, 1.0);
    return 0;
  }
  const double min_s = quick ? 0.3 : 2.0;
  const std::string error = apply_simd_target_env();
  if (!error.empty()) {
    std::fprintf(stderr, "flowlab_bench: %s\n", error.c_str());
    return 2;
  }
  if (argc > 1 && std::strcmp(argv[1], "--profile") == 0) {
    for (int T : {1, 2}) {
      set_threads(T);
      for (int b : {256, 1024, 4096}) profile(b, 1.0);
      profile_analyses(1.0);
    }
    return 0;
  }
  std::printf("{\"impl\":\"flowlab-native\",\"simd_target\":\"%s\"}\n", simd_target().c_str());
  train(256, 3, 1024, min_s);
  if (!quick) {
    train(256, 3, 256, min_s);
    train(256, 3, 4096, min_s);
    for (int h : {64, 128, 512}) train(h, 3, 1024, min_s);
  }
  sample(1000, 500, quick ? 0.0 : min_s);
  divergence(1000, min_s);
  // Threads inside a step (core/parallel.h; bit-identical results): the
  // reference net on 2 threads, batch 256 / 1024 / 4096.
  set_threads(2);
  for (int b : quick ? std::vector<int>{1024} : std::vector<int>{256, 1024, 4096}) train(256, 3, b, min_s);
  set_threads(1);
  assignments(quick ? std::vector<int>{512} : std::vector<int>{128, 256, 512, 1024}, quick ? 0.3 : 1.0);
  return 0;
}
