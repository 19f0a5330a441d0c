#include "ot.h"

#include <algorithm>
#include <limits>
#include <cmath>
#include <cstring>

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
        if (used[j]) u[p[j]] += delta, v[j] -= delta;
        else minv[j] -= delta;
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

struct Auction {
  const double* C;
  int n;
  std::vector<int> x, y;  // x[i]: column of row i, y[j]: row of column j (−1: free)
  std::vector<double> v, d;
  std::vector<int> queue, cols, pred;

  // Best and second-best reduced cost C_ij − v_j of row i, branch-free in
  // kAcc independent pairs of double lanes (GCC/Clang vector extensions:
  // SSE/AVX natively, SIMD128 in wasm; independent pairs hide the latency
  // of compare-and-select), then the lanes merged.
  static constexpr int kAcc = 4, kLanes = 2 * kAcc;
  void best_two(int i, int* j1, double* w1, double* w2) const {
    typedef double d2 __attribute__((vector_size(16)));
    const double inf = std::numeric_limits<double>::infinity();
    const double* row = C + size_t(i) * n;
    const double* vv = v.data();
    d2 b1[kAcc], b2[kAcc], k1[kAcc], col[kAcc];
    const d2 step = {kLanes, kLanes};
    for (int a = 0; a < kAcc; ++a) b1[a] = b2[a] = d2{inf, inf}, col[a] = k1[a] = d2{2.0 * a, 2.0 * a + 1};
    const int body = n - n % kLanes;
    for (int j = 0; j < body; j += kLanes)
      for (int a = 0; a < kAcc; ++a) {
        d2 r, w;
        std::memcpy(&r, row + j + 2 * a, sizeof r);
        std::memcpy(&w, vv + j + 2 * a, sizeof w);
        const d2 h = r - w;
        const auto lt = h < b1[a];
        const d2 second = lt ? b1[a] : h;  // max(b1, h)
        b2[a] = second < b2[a] ? second : b2[a];
        k1[a] = lt ? col[a] : k1[a];
        b1[a] = lt ? h : b1[a];
        col[a] += step;
      }
    double B1[kLanes], B2[kLanes], K1[kLanes];
    std::memcpy(B1, b1, sizeof b1), std::memcpy(B2, b2, sizeof b2), std::memcpy(K1, k1, sizeof k1);
    for (int j = body; j < n; ++j) {  // the tail in lane 0
      const double h = row[j] - vv[j];
      if (h < B1[0]) B2[0] = B1[0], B1[0] = h, K1[0] = j;
      else B2[0] = std::min(B2[0], h);
    }
    int best = 0;  // the smallest value, the first column among equals
    for (int l = 1; l < kLanes; ++l)
      if (B1[l] < B1[best] || (B1[l] == B1[best] && K1[l] < K1[best])) best = l;
    double second = B2[best];
    for (int l = 0; l < kLanes; ++l)
      if (l != best) second = std::min(second, B1[l]);
    *j1 = int(K1[best]), *w1 = B1[best], *w2 = second;
  }

  // One auction phase at fixed ε: a free row takes its best column j1 and
  // lowers v_j1 until j1 is ε worse than its second best, evicting j1's row
  // (Gauss–Seidel, first in first out). A row's column only gets worse for it
  // when another row takes it, so rows already within ε of their minimum keep
  // their columns from the previous phase. Ends ε-optimal: every row's column
  // is within ε of its row minimum.
  void auction(double eps) {
    size_t head = 0, tail = 0;  // ring buffer: at most n rows are free
    int j1;
    double w1, w2;
    for (int i = 0; i < n; ++i) {
      if (x[i] >= 0) {
        best_two(i, &j1, &w1, &w2);
        if (C[size_t(i) * n + x[i]] - v[x[i]] <= w1 + eps) continue;
        y[x[i]] = -1, x[i] = -1;
      }
      queue[tail++ % n] = i;
    }
    while (head != tail) {
      const int i = queue[head++ % n];
      best_two(i, &j1, &w1, &w2);
      v[j1] -= (w2 - w1) + eps;
      const int i0 = y[j1];
      if (i0 >= 0) x[i0] = -1, queue[tail++ % n] = i0;
      x[i] = j1, y[j1] = i;
    }
  }

  // Dijkstra over columns in reduced costs from the free row `start`: cols
  // [0, lo) are scanned, [lo, hi) sit at the current distance `mind`, [hi, n)
  // are further. Stops at the first free column at distance mind, moves v of
  // the scanned columns by d_j − mind (every assigned row stays at its row
  // minimum), and flips the path.
  void augment(int start) {
    const double* r0 = C + size_t(start) * n;
    for (int j = 0; j < n; ++j) cols[j] = j, pred[j] = start, d[j] = r0[j] - v[j];
    int lo = 0, hi = 0, end = -1;
    double mind = 0;
    while (end < 0) {
      if (lo == hi) {  // next distance level: gather the columns at the minimum
        mind = d[cols[lo]];
        hi = lo + 1;
        for (int k = lo + 1; k < n; ++k) {
          const int j = cols[k];
          if (d[j] <= mind) {
            if (d[j] < mind) hi = lo, mind = d[j];
            cols[k] = cols[hi], cols[hi++] = j;
          }
        }
        for (int k = lo; k < hi && end < 0; ++k)
          if (y[cols[k]] < 0) end = cols[k];
        if (end >= 0) break;
      }
      const int j0 = cols[lo++], i = y[j0];
      const double* ri = C + size_t(i) * n;
      const double h = ri[j0] - v[j0] - mind;
      for (int k = hi; k < n; ++k) {
        const int j = cols[k];
        const double red = ri[j] - v[j] - h;
        if (red < d[j]) {
          d[j] = red, pred[j] = i;
          if (red == mind) {
            if (y[j] < 0) {
              end = j;
              break;
            }
            cols[k] = cols[hi], cols[hi++] = j;
          }
        }
      }
    }
    for (int k = 0; k < lo; ++k) v[cols[k]] += d[cols[k]] - mind;
    for (int j = end;;) {
      const int i = pred[j];
      y[j] = i;
      std::swap(x[i], j);
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
  Auction s{C.data(), n, std::vector<int>(n, -1), std::vector<int>(n, -1), std::vector<double>(n),
            std::vector<double>(n), std::vector<int>(n), std::vector<int>(n), std::vector<int>(n)};
  // ε from a tenth of the cost range down to 1e-4 of it, by factors of 5
  // (any end value is exact after the finish; this one balances the two);
  // v starts at the column minima.
  const auto [lo, hi] = std::minmax_element(C.begin(), C.end());
  const double range = *hi - *lo, cmax = std::max(std::abs(*lo), std::abs(*hi));
  std::copy(C.begin(), C.begin() + n, s.v.begin());
  for (int i = 1; i < n; ++i)
    for (int j = 0; j < n; ++j) s.v[j] = std::min(s.v[j], C[size_t(i) * n + j]);
  if (n == 1 || range == 0) {  // every permutation is optimal
    for (int i = 0; i < n; ++i) s.x[i] = s.y[i] = i;
  } else {
    const double eps_end = 1e-4 * range;
    for (double eps = 0.1 * range;; eps /= 5) {
      s.auction(std::max(eps, eps_end));
      if (eps <= eps_end) break;
    }
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
