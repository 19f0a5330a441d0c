#include "ot.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace flowlab {

// Rows are added one at a time; each addition grows a shortest-path tree over
// the columns in reduced costs C_ij − u_i − v_j ≥ 0 until it reaches a free
// column, then flips the path (Kuhn–Munkres with Dijkstra-like updates;
// indices are 1-based, column 0 is the virtual root).
Assignment solve_assignment(const std::vector<double>& C, int n) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0), v(n + 1, 0), minv(n + 1);
  std::vector<int> p(n + 1, 0), way(n + 1, 0);
  std::vector<char> used(n + 1);
  for (int i = 1; i <= n; ++i) {
    p[0] = i;
    int j0 = 0;
    std::fill(minv.begin(), minv.end(), inf);
    std::fill(used.begin(), used.end(), 0);
    do {
      used[j0] = 1;
      const int i0 = p[j0];
      double delta = inf;
      int j1 = 0;
      const double* row = &C[size_t(i0 - 1) * n];
      for (int j = 1; j <= n; ++j) {
        if (used[j]) continue;
        const double cur = row[j - 1] - u[i0] - v[j];
        if (cur < minv[j]) minv[j] = cur, way[j] = j0;
        if (minv[j] < delta) delta = minv[j], j1 = j;
      }
      for (int j = 0; j <= n; ++j) {
        if (used[j])
          u[p[j]] += delta, v[j] -= delta;
        else
          minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] != 0);
    do {  // flip the augmenting path
      const int j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0);
  }
  Assignment a;
  a.col.assign(n, 0);
  for (int j = 1; j <= n; ++j) a.col[p[j] - 1] = j - 1;
  a.u.assign(u.begin() + 1, u.end());
  a.v.assign(v.begin() + 1, v.end());
  for (int i = 0; i < n; ++i) a.cost += C[size_t(i) * n + a.col[i]];
  return a;
}

// ε-scaling auction (Bertsekas 1988) finished by Jonker–Volgenant shortest
// augmenting paths. Column potentials v only; a row's potential is implicit,
// u_i = min_j (C_ij − v_j); the auction's prices are p_j = −v_j.
namespace {

// Best and second-best reduced cost row_j − v_j over j < n: branch-free in
// kAcc independent vectors of 16 bytes (GCC/Clang vector extensions: SSE/AVX
// natively, SIMD128 in wasm; independent vectors hide the latency of
// compare-and-select), then the lanes merged. The column index rides along
// as a T (exact below 2^24 columns for float).
template <class T>
void best_two(const T* row, const T* v, int n, int* j1, T* w1, T* w2) {
  typedef T V __attribute__((vector_size(16)));
  constexpr int kW = int(16 / sizeof(T)), kAcc = 4, kLanes = kW * kAcc;
  const T inf = std::numeric_limits<T>::infinity();
  V b1[kAcc], b2[kAcc], k1[kAcc], col[kAcc];
  T lane[kLanes];
  for (int l = 0; l < kLanes; ++l) lane[l] = T(l);
  std::memcpy(col, lane, sizeof col);
  for (int a = 0; a < kAcc; ++a) b1[a] = b2[a] = V{} + inf, k1[a] = col[a];
  const int body = n - n % kLanes;
  for (int j = 0; j < body; j += kLanes)
    for (int a = 0; a < kAcc; ++a) {
      V r, w;
      std::memcpy(&r, row + j + kW * a, sizeof r);
      std::memcpy(&w, v + j + kW * a, sizeof w);
      const V h = r - w;
      const auto lt = h < b1[a];
      const V second = lt ? b1[a] : h;  // max(b1, h)
      b2[a] = second < b2[a] ? second : b2[a];
      k1[a] = lt ? col[a] : k1[a];
      b1[a] = lt ? h : b1[a];
      col[a] += T(kLanes);
    }
  T B1[kLanes], B2[kLanes], K1[kLanes];
  std::memcpy(B1, b1, sizeof b1), std::memcpy(B2, b2, sizeof b2), std::memcpy(K1, k1, sizeof k1);
  for (int j = body; j < n; ++j) {  // the tail in lane 0
    const T h = row[j] - v[j];
    if (h < B1[0])
      B2[0] = B1[0], B1[0] = h, K1[0] = T(j);
    else
      B2[0] = std::min(B2[0], h);
  }
  int best = 0;  // the smallest value, the first column among equals
  for (int l = 1; l < kLanes; ++l)
    if (B1[l] < B1[best] || (B1[l] == B1[best] && K1[l] < K1[best])) best = l;
  T second = B2[best];
  for (int l = 0; l < kLanes; ++l)
    if (l != best) second = std::min(second, B1[l]);
  *j1 = int(K1[best]), *w1 = B1[best], *w2 = second;
}

struct Auction {
  const double* C;
  int n;
  std::vector<int> x, y;  // x[i]: column of row i, y[j]: row of column j (−1: free)
  std::vector<double> v, d;
  std::vector<int> queue;
  std::vector<double> pred;  // row of the path into column j (a double: one mask width with d)
  std::vector<std::pair<int, double>> settled;
  // The auction runs in float on (C − min C) / range (twice the lanes; its
  // ε never goes below 1e-4, far above float rounding); the finish in double.
  std::vector<float> Cf, vf;

  void best_two(int i, int* j1, double* w1, double* w2) const {
    flowlab::best_two(C + size_t(i) * n, v.data(), n, j1, w1, w2);
  }

  // One auction phase at fixed ε: a free row takes its best column j1 and
  // lowers v_j1 until j1 is ε worse than its second best, evicting j1's row
  // (Gauss–Seidel, first in first out). A row's column only gets worse for it
  // when another row takes it, so rows already within ε of their minimum keep
  // their columns from the previous phase. Ends ε-optimal: every row's column
  // is within ε of its row minimum.
  void auction(float eps) {
    size_t head = 0, tail = 0;  // ring buffer: at most n rows are free
    int j1;
    float w1, w2;
    for (int i = 0; i < n; ++i) {
      if (x[i] >= 0) {
        const float* row = &Cf[size_t(i) * n];
        flowlab::best_two(row, vf.data(), n, &j1, &w1, &w2);
        if (row[x[i]] - vf[x[i]] <= w1 + eps) continue;
        y[x[i]] = -1, x[i] = -1;
      }
      queue[tail++ % n] = i;
    }
    while (head != tail) {
      const int i = queue[head++ % n];
      flowlab::best_two(&Cf[size_t(i) * n], vf.data(), n, &j1, &w1, &w2);
      vf[j1] -= (w2 - w1) + eps;
      const int i0 = y[j1];
      if (i0 >= 0) x[i0] = -1, queue[tail++ % n] = i0;
      x[i] = j1, y[j1] = i;
    }
  }

  // Dijkstra over columns in reduced costs from the free row `start`, one
  // column settled per step (the nearest unsettled one). Settled columns hold
  // NaN in d: no comparison picks or relaxes them, so each step is one
  // branch-free pass that relaxes through the settled column's row and finds
  // the next nearest column. Stops at the first free column (distance mind),
  // moves v of the settled columns by d_j − mind (every assigned row stays at
  // its row minimum), and flips the path.
  void augment(int start) {
    typedef double V __attribute__((vector_size(16)));
    constexpr int kAcc = 4, kLanes = 2 * kAcc;
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    const int body = n - n % kLanes;
    double* dd = d.data();
    double* pp = pred.data();
    const double* vv = v.data();
    settled.clear();
    // One pass: d_j ← min(d_j, row_j − v_j − h) (pred_j ← i where it drops),
    // and the nearest column afterwards.
    auto relax = [&](int i, double h, int* jmin, double* dmin) {
      const double* row = C + size_t(i) * n;
      const V hv = V{} + h, iv = V{} + double(i);
      V b1[kAcc], k1[kAcc], col[kAcc];
      for (int a = 0; a < kAcc; ++a) b1[a] = V{} + inf, col[a] = k1[a] = V{double(2 * a), double(2 * a + 1)};
      for (int j = 0; j < body; j += kLanes)
        for (int a = 0; a < kAcc; ++a) {
          const int o = j + 2 * a;
          V r, w, dj, pj;
          std::memcpy(&r, row + o, sizeof r), std::memcpy(&w, vv + o, sizeof w);
          std::memcpy(&dj, dd + o, sizeof dj), std::memcpy(&pj, pp + o, sizeof pj);
          const V red = r - w - hv;
          const auto drop = red < dj;
          dj = drop ? red : dj;
          pj = drop ? iv : pj;
          std::memcpy(dd + o, &dj, sizeof dj), std::memcpy(pp + o, &pj, sizeof pj);
          const auto lt = dj < b1[a];
          b1[a] = lt ? dj : b1[a];
          k1[a] = lt ? col[a] : k1[a];
          col[a] += V{} + double(kLanes);
        }
      double B1[kLanes], K1[kLanes];
      std::memcpy(B1, b1, sizeof b1), std::memcpy(K1, k1, sizeof k1);
      for (int j = body; j < n; ++j) {  // the tail in lane 0
        const double red = row[j] - vv[j] - h;
        if (red < dd[j]) dd[j] = red, pp[j] = i;
        if (dd[j] < B1[0]) B1[0] = dd[j], K1[0] = j;
      }
      int best = 0;  // the smallest distance, the first column among equals
      for (int l = 1; l < kLanes; ++l)
        if (B1[l] < B1[best] || (B1[l] == B1[best] && K1[l] < K1[best])) best = l;
      *jmin = int(K1[best]), *dmin = B1[best];
    };
    std::fill(d.begin(), d.end(), inf);
    int j;
    double mind;
    relax(start, 0, &j, &mind);
    while (y[j] >= 0) {  // settle j, continue through its row
      settled.push_back({j, mind});
      dd[j] = nan;
      const int i = y[j];
      relax(i, C[size_t(i) * n + j] - v[j] - mind, &j, &mind);
    }
    for (const auto& [k, dk] : settled) v[k] += dk - mind;
    for (int jj = j;;) {
      const int i = int(pred[jj]);
      y[jj] = i;
      std::swap(x[i], jj);
      if (i == start) break;
    }
  }

  // From ε-optimal to exact: raise each assigned column's v by its row's slack
  // (≤ ε), so that row sits at its minimum; rows that another column's raise
  // undercut are freed and re-matched by shortest augmenting paths, which keep
  // every assigned row at its minimum. At the end the matching is optimal.
  void finish(double tol) {
    int j1;
    double w1, w2;
    for (int i = 0; i < n; ++i) {
      best_two(i, &j1, &w1, &w2);
      v[x[i]] += (C[size_t(i) * n + x[i]] - v[x[i]]) - w1;
    }
    std::vector<int> free_rows;
    for (int i = 0; i < n; ++i) {
      best_two(i, &j1, &w1, &w2);
      if (C[size_t(i) * n + x[i]] - v[x[i]] > w1 + tol) free_rows.push_back(i);
    }
    for (const int i : free_rows) y[x[i]] = -1, x[i] = -1;
    for (const int i : free_rows) augment(i);
  }
};

}  // namespace

Assignment solve_assignment_auction(const std::vector<double>& C, int n) {
  Assignment a;
  if (n <= 0) return a;
  // NaN/Inf costs (a diverged model's points) have no optimum and would keep
  // the auction bidding forever: pair i with i and report a NaN cost, so the
  // caller's divergence check sees it.
  for (size_t k = 0; k < size_t(n) * n; ++k)
    if (!std::isfinite(C[k])) {
      a.col.resize(n);
      for (int i = 0; i < n; ++i) a.col[i] = i;
      a.u.assign(n, 0);
      a.v.assign(n, 0);
      a.cost = std::numeric_limits<double>::quiet_NaN();
      return a;
    }
  Auction s{C.data(),
            n,
            std::vector<int>(n, -1),
            std::vector<int>(n, -1),
            std::vector<double>(n),
            std::vector<double>(n),
            std::vector<int>(n),
            std::vector<double>(n),
            {},
            {},
            {}};
  // ε from a tenth of the cost range down to 1e-4 of it, by factors of 5
  // (any end value is exact after the finish; this one balances the two);
  // v starts at the column minima. Costs scaled to [0, 1] for the auction.
  const auto [lo, hi] = std::minmax_element(C.begin(), C.end());
  const double cmin = *lo, range = *hi - *lo, cmax = std::max(std::abs(*lo), std::abs(*hi));
  if (n == 1 || range == 0) {  // every permutation is optimal
    std::copy(C.begin(), C.begin() + n, s.v.begin());
    for (int i = 0; i < n; ++i) s.x[i] = s.y[i] = i;
  } else {
    s.Cf.resize(C.size());
    for (size_t k = 0; k < C.size(); ++k) s.Cf[k] = float((C[k] - cmin) / range);
    s.vf.assign(s.Cf.begin(), s.Cf.begin() + n);
    for (int i = 1; i < n; ++i)
      for (int j = 0; j < n; ++j) s.vf[j] = std::min(s.vf[j], s.Cf[size_t(i) * n + j]);
    for (float eps = 0.1f;; eps /= 5) {
      s.auction(std::max(eps, 1e-4f));
      if (eps <= 1e-4f) break;
    }
    for (int j = 0; j < n; ++j) s.v[j] = cmin + range * double(s.vf[j]);
    s.finish(4e-16 * cmax);  // a few rounding units of the costs
  }
  a.col = s.x;
  a.v = s.v;
  a.u.resize(n);
  for (int i = 0; i < n; ++i) {
    const double c = C[size_t(i) * n + a.col[i]];
    a.u[i] = c - a.v[a.col[i]];
    a.cost += c;
  }
  return a;
}

std::vector<double> squared_distances(const float* x0, const float* x1, int n) {
  std::vector<double> C(size_t(n) * n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const double dx = double(x0[2 * i]) - x1[2 * j], dy = double(x0[2 * i + 1]) - x1[2 * j + 1];
      C[size_t(i) * n + j] = dx * dx + dy * dy;
    }
  return C;
}

}  // namespace flowlab
