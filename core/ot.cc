#include "ot.h"

#include <algorithm>
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

// LAPJV. Column potentials v only; a row's potential is implicit,
// u_i = min_j (C_ij − v_j). Invariant of every phase: an assigned row's column
// attains that minimum, so (u, v) is dual feasible and tight on the matching.
namespace {

struct Jv {
  const double* C;
  int n;
  std::vector<int> x, y;  // x[i]: column of row i, y[j]: row of column j (−1: free)
  std::vector<double> v;
  std::vector<int> free_rows, cols, pred;
  std::vector<double> d;

  // v_j = min_i C_ij, each column's minimal row takes it if still free; a row
  // that got exactly one column hands the slack of its second-best column to v.
  void column_reduction() {
    std::vector<int> argmin(n, 0);
    std::copy(C, C + n, v.begin());
    for (int i = 1; i < n; ++i) {
      const double* row = C + size_t(i) * n;
      for (int j = 0; j < n; ++j)
        if (row[j] < v[j]) v[j] = row[j], argmin[j] = i;
    }
    std::vector<char> unique(n, 1);
    for (int j = n - 1; j >= 0; --j) {
      const int i = argmin[j];
      if (x[i] < 0) x[i] = j, y[j] = i;
      else unique[i] = 0;
    }
    for (int i = 0; i < n; ++i) {
      if (x[i] < 0) {
        free_rows.push_back(i);
      } else if (unique[i] && n > 1) {
        const double* row = C + size_t(i) * n;
        const int j1 = x[i];
        double m = std::numeric_limits<double>::infinity();
        for (int j = 0; j < n; ++j)
          if (j != j1) m = std::min(m, row[j] - v[j]);
        v[j1] -= m;
      }
    }
  }

  // Each free row takes its best column j1 and lowers v_j1 by the gap to its
  // second best (u1 < u2), evicting j1's row, which is retried at once; with a
  // tie it takes the second best column instead. Bounded work (n per row).
  void augmenting_row_reduction() {
    const double inf = std::numeric_limits<double>::infinity();
    size_t current = 0, kept = 0, count = 0;
    const size_t rows = free_rows.size();
    while (current < rows) {
      const int i = free_rows[current++];
      ++count;
      const double* row = C + size_t(i) * n;
      int j1 = 0, j2 = -1;
      double u1 = row[0] - v[0], u2 = inf;
      for (int j = 1; j < n; ++j) {
        const double h = row[j] - v[j];
        if (h < u2) {
          if (h >= u1) u2 = h, j2 = j;
          else u2 = u1, u1 = h, j2 = j1, j1 = j;
        }
      }
      int i0 = y[j1];
      const double v1 = v[j1] - (u2 - u1);
      const bool lowers = v1 < v[j1];
      if (count < current * size_t(n)) {
        if (lowers) v[j1] = v1;
        else if (i0 >= 0 && j2 >= 0) j1 = j2, i0 = y[j2];
        if (i0 >= 0) {
          if (lowers) free_rows[--current] = i0;
          else free_rows[kept++] = i0;
        }
      } else if (i0 >= 0) {
        free_rows[kept++] = i0;
      }
      x[i] = j1, y[j1] = i;
      if (i0 >= 0) x[i0] = -1;
    }
    free_rows.resize(kept);
  }

  // Dijkstra over columns in reduced costs from the free row `start`: cols
  // [0, lo) are scanned, [lo, hi) sit at the current distance `mind`, [hi, n)
  // are further. Stops at the first free column at distance mind, moves v of
  // the scanned columns by d_j − mind, and flips the path.
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
};

}  // namespace

Assignment solve_assignment_jv(const std::vector<double>& C, int n) {
  Jv s{C.data(), n, std::vector<int>(n, -1), std::vector<int>(n, -1), std::vector<double>(n), {}, std::vector<int>(n),
       std::vector<int>(n), std::vector<double>(n)};
  Assignment a;
  if (n <= 0) return a;
  s.column_reduction();
  for (int round = 0; round < 2 && !s.free_rows.empty(); ++round) s.augmenting_row_reduction();
  for (const int i : s.free_rows) s.augment(i);
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
