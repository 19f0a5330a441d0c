// The class input of conditional flow matching on the rings (seed 003 §3):
// v(x, t, c) reads [x, t, e_c], e_c a learned embedding (classes × dim, drawn
// N(0, 1) like nn.Embedding). e_c is an input of the MLP, so its gradient is
// the MLP's input gradient summed over the rows of class c:
//   ∂L/∂e_c = Σ_{i: c_i = c} ∂L/∂input_i[3 : 3 + dim].
// Rows given no class (c == nullptr) read class i mod classes.
#pragma once
#include <vector>

#include "mlp.h"
#include "rng.h"

namespace flowlab {

struct ClassEmbedding {
  int classes = 0, dim = 0;  // dim 0: unconditional (no embedding)
  std::vector<float> e;      // classes × dim, row c is e_c
  Adam adam;

  // e ~ N(0, 1) from `init` (after θ's draws), Adam reset.
  void init(int n_classes, int n_dim, Rng& init);
  bool on() const { return dim > 0; }
  int class_of(const int* c, int i) const { return c ? c[i] : i % classes; }
  const float* row(const int* c, int i) const { return &e[size_t(class_of(c, i)) * dim]; }
  // grad (classes × dim) += the input-gradient rows dx[i][at : at + dim] (rows of `width`).
  void accumulate(const float* dx, int width, int at, const int* c, int n, float* grad) const;
};

}  // namespace flowlab
