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
