// Minibatch OT (sheet 000 §3(c)): the assignment solver against brute force
// and its dual certificate; OT-CFM against independent CFM.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "datasets.h"
#include "fm_ot.h"
#include "ot.h"
#include "rng.h"
#include "small_options.h"
#include "train_loss.h"

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
// The dual certificate of an assignment: a permutation, u_i + v_j ≤ C_ij for
// all i, j (up to rounding, relative to the largest |C_ij|), equality on the
// matching, and Σu + Σv equal to its cost (no duality gap).
void certify(const std::vector<double>& C, int n, const Assignment& a) {
  REQUIRE(is_permutation(a.col));
  double cmax = 0;
  for (double c : C) cmax = std::max(cmax, std::abs(c));
  const double tol = 1e-12 * n * cmax;
  double worst = -INFINITY, tight = 0, dual = 0;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) worst = std::max(worst, a.u[i] + a.v[j] - C[size_t(i) * n + j]);
    tight = std::max(tight, std::abs(a.u[i] + a.v[a.col[i]] - C[size_t(i) * n + a.col[i]]));
    dual += a.u[i] + a.v[i];
  }
  CHECK(worst <= tol);                        // dual feasible
  CHECK(tight <= tol);                        // complementary slackness
  CHECK(std::abs(dual - a.cost) <= n * tol);  // no duality gap
}
// The fast solver against the Hungarian oracle on one cost matrix: the same optimal cost
// (exactly when every cost is an integer), and its own certificate.
void same_as_hungarian(const std::vector<double>& C, int n, bool integer_costs = false) {
  const Assignment h = solve_assignment(C, n), a = solve_assignment_auction(C, n);
  certify(C, n, a);
  if (integer_costs)
    CHECK(a.cost == h.cost);
  else
    CHECK(std::abs(a.cost - h.cost) <= 1e-12 * std::abs(h.cost));
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
      const double best = brute_force(C, n);
      for (const Assignment& a : {solve_assignment(C, n), solve_assignment_auction(C, n)}) {
        REQUIRE(is_permutation(a.col));
        CHECK(a.cost == doctest::Approx(best).epsilon(1e-12));
        certify(C, n, a);
      }
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

TEST_CASE("fast assignment: the Hungarian solver's optimal cost on random batches of many sizes") {
  Rng r(21);
  int cases = 0;
  for (int n : {1, 2, 3, 4, 5, 8, 13, 31, 64, 100, 127, 128, 129, 255, 256, 257, 301, 511, 512}) {
    const int reps = n <= 64 ? 12 : n <= 300 ? 3 : 1;
    for (int rep = 0; rep < reps; ++rep) {
      // The training workload: x0 ~ N(0, I), x1 from the data.
      std::vector<float> x0(2 * n), x1(2 * n);
      sample_normal(r, n, x0.data());
      sample_checkerboard(r, n, x1.data());
      same_as_hungarian(squared_distances(x0.data(), x1.data(), n), n);
      // Uniform random costs.
      std::vector<double> C(size_t(n) * n);
      for (double& c : C) c = r.uniform();
      same_as_hungarian(C, n);
      cases += 2;
    }
  }
  MESSAGE(cases << " batches: same cost as the Hungarian solver, certified");
}

TEST_CASE("fast assignment: degenerate batches (identical, duplicated, collinear points, ties, extreme scales)") {
  Rng r(8);
  for (int n : {1, 2, 7, 64, 255}) {
    std::vector<float> x0(2 * n), x1(2 * n);
    auto solve_points = [&](bool integer_costs) {
      same_as_hungarian(squared_distances(x0.data(), x1.data(), n), n, integer_costs);
    };
    SUBCASE("all points identical") {
      std::fill(x0.begin(), x0.end(), 0.5f), std::fill(x1.begin(), x1.end(), 0.5f);
      solve_points(true);  // every cost 0
      for (int i = 0; i < n; ++i) x1[2 * i] = 3.0f, x1[2 * i + 1] = -1.0f;
      solve_points(true);  // every cost 12.25 + 2.25
    }
    SUBCASE("duplicated points on a small integer grid") {
      for (int i = 0; i < 2 * n; ++i) x0[i] = float(r.below(3)), x1[i] = float(r.below(2)) - 1.0f;
      solve_points(true);
    }
    SUBCASE("collinear points") {
      for (int i = 0; i < n; ++i) {
        const float s = float(r.normal()), t = float(r.below(5));  // t: repeated positions
        x0[2 * i] = s, x0[2 * i + 1] = 2 * s;
        x1[2 * i] = t, x1[2 * i + 1] = 2 * t;
      }
      solve_points(false);
    }
    SUBCASE("integer costs with many ties") {
      for (int levels : {1, 2, 3, 10}) {
        std::vector<double> C(size_t(n) * n);
        for (double& c : C) c = double(r.below(uint32_t(levels)));
        same_as_hungarian(C, n, true);
      }
    }
    SUBCASE("huge and tiny scales") {
      for (float scale : {1e-15f, 1e15f}) {
        sample_normal(r, n, x0.data());
        sample_checkerboard(r, n, x1.data());
        for (int i = 0; i < 2 * n; ++i) x0[i] *= scale, x1[i] *= scale;
        solve_points(false);
      }
      for (double scale : {1e-200, 1e200}) {  // costs far outside float range
        std::vector<double> C(size_t(n) * n);
        for (double& c : C) c = r.uniform() * scale;
        same_as_hungarian(C, n);
      }
      // Far from the origin: costs are differences of large coordinates.
      sample_normal(r, n, x0.data());
      sample_checkerboard(r, n, x1.data());
      for (int i = 0; i < 2 * n; ++i) x0[i] += 1000.0f, x1[i] += 1000.0f;
      solve_points(false);
    }
  }
}

TEST_CASE("fast assignment: non-finite costs end at once with a NaN cost (a diverged model never loops)") {
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    std::vector<double> C(64 * 64, 1.0);
    C[64 * 3 + 5] = bad;
    const Assignment a = solve_assignment_auction(C, 64);
    CHECK(std::isnan(a.cost));
    REQUIRE(a.col.size() == 64);
    for (int i = 0; i < 64; ++i) CHECK(a.col[i] == i);
  }
}

TEST_CASE("OT-CFM: straighter paths and better few-step samples than independent CFM") {
  Config c = net_config(64, 3, Config{}.batch, 3);
  c.ex = 1;  // fm-ot
  c.ot_batch = 128;
  c.ot_steps = 1500;
  FlowMatchingOt pair(c);
  const auto t0 = std::chrono::steady_clock::now();
  train_steps(pair, int(c.ot_steps));
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const Straightness si = straightness(pair.independent(), 500, 100), so = straightness(pair.ot(), 500, 100);
  MESSAGE("1500 steps (batch 128) of both in " << secs << " s; length ratio independent " << si.length_ratio << ", OT "
                                               << so.length_ratio << "; NPE independent " << si.npe << ", OT "
                                               << so.npe);
  CHECK(so.length_ratio < si.length_ratio);
  CHECK(so.npe < si.npe);
  for (int nfe : {1, 2, 4, 8}) {
    const Quality qi = quality(pair.independent(), nfe, 2000), qo = quality(pair.ot(), nfe, 2000);
    MESSAGE("NFE " << nfe << ": on squares " << qi.on_squares << " vs " << qo.on_squares << "; SW2 " << qi.sw2 << " vs "
                   << qo.sw2);
    if (nfe <= 2) CHECK(qo.sw2 < qi.sw2);
  }
}

TEST_CASE("OT-CFM pair: checkpoint round trip continues bit-identically; other kinds are refused") {
  Config c = net_config(16, 2);
  c.ex = 1;
  c.ot_batch = 32;
  FlowMatchingOt a(c), b(c);
  const std::string ck = check_resume(a, b, to_link(c), 5, 3);
  CHECK(a.independent().losses() == b.independent().losses());
  std::string err;
  FlowMatching single(fm_ot_config(c));
  CHECK_FALSE(b.load(single.save(to_link(c)), &err));
  CHECK(err.find("pair") != std::string::npos);
  CHECK_FALSE(single.load(ck, &err));
}
