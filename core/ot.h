// Minibatch optimal transport (sheet 000 §3(c); Tong et al. 2023, Pooladian
// et al. 2023): pair the x0 and x1 of a batch by an exact optimal assignment
// under squared Euclidean cost. With uniform weights on n points each, the OT
// plan is a permutation, found by the linear assignment problem
//   min_σ Σ_i C[i][σ(i)].
#pragma once
#include <vector>

namespace flowlab {

struct Assignment {
  std::vector<int> col;      // row i is matched to column col[i]
  std::vector<double> u, v;  // dual potentials: u_i + v_j ≤ C_ij, equality on the matching
  double cost = 0;           // Σ_i C[i][col[i]]
};

// Hungarian method with potentials (shortest augmenting paths, O(n³)) on an
// n × n row-major cost matrix. The potentials certify optimality: a feasible
// dual with Σu + Σv equal to the matching's cost.
Assignment solve_assignment(const std::vector<double>& C, int n);

// The same problem, solved fast: an ε-scaling auction (Bertsekas) gives
// ε-optimal potentials cheaply (vectorised row scans), then Jonker–Volgenant
// shortest augmenting paths re-match the rows not yet at their row minimum,
// which makes the result exact: the same optimal cost as solve_assignment
// (ties may pick another optimal permutation), certified by the same kind of
// dual (u_i + v_j ≤ C_ij, equality on the matching). Deterministic. Training
// uses this one; the Hungarian solver stays as the tests' oracle.
Assignment solve_assignment_auction(const std::vector<double>& C, int n);

// C_ij = ‖x0_i − x1_j‖² for n points of dimension 2 each.
std::vector<double> squared_distances(const float* x0, const float* x1, int n);

}  // namespace flowlab
