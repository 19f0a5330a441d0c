// Minibatch OT (sheet 000 §3(c)): the assignment solver against brute force
// and its dual certificate; OT-CFM against independent CFM.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <vector>

#include "datasets.h"
#include "fm_ot.h"
#include "ot.h"
#include "rng.h"

using namespace flowlab;

namespace {
double brute_force(const std::vector<double>& C, int n) {
  std::vector<int> p(n);
  std::iota(p.begin(), p.end(), 0);
  double best = INFINITY;
  do {
    double c = 0;
    for (int i = 0; i < n; ++i) c += C[size_t(i) * n + p[i]];
    best = std::min(best, c);
  } while (std::next_permutation(p.begin(), p.end()));
  return best;
}
bool is_permutation(const std::vector<int>& col) {
  std::vector<int> s = col;
  std::sort(s.begin(), s.end());
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] != int(i)) return false;
  return true;
}
}  // namespace

TEST_CASE("assignment: optimal against brute force on small batches (random, ties, duplicates)") {
  Rng r(11);
  int cases = 0;
  for (int n = 1; n <= 7; ++n)
    for (int rep = 0; rep < 60; ++rep) {
      std::vector<double> C(size_t(n) * n);
      const int kind = rep % 3;
      if (kind == 0) {  // real costs
        for (double& c : C) c = r.uniform() * 10;
      } else if (kind == 1) {  // few integer values: many ties
        for (double& c : C) c = double(r.below(3));
      } else {  // squared distances with duplicated points
        std::vector<float> x0(2 * n), x1(2 * n);
        for (int i = 0; i < n; ++i) {
          x0[2 * i] = float(r.below(2)), x0[2 * i + 1] = float(r.below(2));
          x1[2 * i] = float(r.below(3)), x1[2 * i + 1] = float(r.below(2));
        }
        C = squared_distances(x0.data(), x1.data(), n);
      }
      const Assignment a = solve_assignment(C, n);
      REQUIRE(is_permutation(a.col));
      CHECK(a.cost == doctest::Approx(brute_force(C, n)).epsilon(1e-12));
      ++cases;
    }
  MESSAGE(cases << " batches checked against all permutations");
}

TEST_CASE("assignment: the dual potentials certify optimality on a batch of 300") {
  Rng r(5);
  const int n = 300;
  std::vector<float> x0(2 * n), x1(2 * n);
  sample_normal(r, n, x0.data());
  sample_checkerboard(r, n, x1.data());
  const std::vector<double> C = squared_distances(x0.data(), x1.data(), n);
  const Assignment a = solve_assignment(C, n);
  REQUIRE(is_permutation(a.col));
  double worst = 0, dual = 0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) worst = std::max(worst, a.u[i] + a.v[j] - C[size_t(i) * n + j]);
  for (int i = 0; i < n; ++i) {
    CHECK(a.u[i] + a.v[a.col[i]] == doctest::Approx(C[size_t(i) * n + a.col[i]]).epsilon(1e-9));
    dual += a.u[i] + a.v[i];
  }
  CHECK(worst < 1e-9);                                    // dual feasible
  CHECK(dual == doctest::Approx(a.cost).epsilon(1e-10));  // no duality gap
  double identity = 0;
  for (int i = 0; i < n; ++i) identity += C[size_t(i) * n + i];
  MESSAGE("mean pairing cost: independent " << identity / n << ", OT " << a.cost / n);
  CHECK(a.cost < 0.5 * identity);
}

TEST_CASE("OT-CFM: straighter paths and better few-step samples than independent CFM") {
  Config c;
  c.ex = 1;  // fm-ot
  c.hidden = 64;
  c.depth = 3;
  c.ot_batch = 128;
  c.ot_steps = 1500;
  c.seed = 3;
  FlowMatchingOt pair(c);
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < int(c.ot_steps); ++i) pair.train_step();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const Straightness si = straightness(pair.independent(), 500, 100), so = straightness(pair.ot(), 500, 100);
  MESSAGE("1500 steps (batch 128) of both in " << secs << " s; length ratio independent " << si.length_ratio << ", OT " << so.length_ratio
          << "; NPE independent " << si.npe << ", OT " << so.npe);
  CHECK(so.length_ratio < si.length_ratio);
  CHECK(so.npe < si.npe);
  for (int nfe : {1, 2, 4, 8}) {
    const Quality qi = quality(pair.independent(), nfe, 2000), qo = quality(pair.ot(), nfe, 2000);
    MESSAGE("NFE " << nfe << ": on squares " << qi.on_squares << " vs " << qo.on_squares << "; SW2 " << qi.sw2 << " vs " << qo.sw2);
    if (nfe <= 2) CHECK(qo.sw2 < qi.sw2);
  }
}

TEST_CASE("OT-CFM pair: checkpoint round trip continues bit-identically; other kinds are refused") {
  Config c;
  c.ex = 1;
  c.hidden = 16;
  c.depth = 2;
  c.ot_batch = 32;
  FlowMatchingOt a(c), b(c);
  for (int i = 0; i < 5; ++i) a.train_step();
  const std::string ck = a.save(to_link(c));
  std::string err;
  REQUIRE(b.load(ck, &err));
  CHECK(b.step() == 5);
  for (int i = 0; i < 3; ++i) CHECK(a.train_step() == b.train_step());
  CHECK(a.independent().losses() == b.independent().losses());
  FlowMatching single(fm_ot_config(c));
  CHECK_FALSE(b.load(single.save(to_link(c)), &err));
  CHECK(err.find("pair") != std::string::npos);
  CHECK_FALSE(single.load(ck, &err));
}
