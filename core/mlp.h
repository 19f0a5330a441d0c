// A multilayer perceptron with SiLU hidden layers and a linear output,
// in the style of llm.c: one flat parameter buffer, one explicit forward and
// backward per layer, activations cached for the backward pass.
//
// Parameter layout, layer by layer: W_l (fan_in × fan_out, row-major), then b_l.
#pragma once
#include <cstddef>
#include <vector>

#include "rng.h"

namespace flowlab {

class Mlp {
 public:
  Mlp() = default;
  // dims = {in, hidden..., out}; at least {in, out}.
  explicit Mlp(std::vector<int> dims);

  // PyTorch's nn.Linear default: W, b ~ U(−1/√fan_in, 1/√fan_in).
  void init(Rng& rng);

  int in_dim() const { return dims_.front(); }
  int out_dim() const { return dims_.back(); }
  int num_layers() const { return int(dims_.size()) - 1; }
  const std::vector<int>& dims() const { return dims_; }
  size_t num_params() const { return params_.size(); }
  float* params() { return params_.data(); }
  const float* params() const { return params_.data(); }
  float* W(int l) { return params_.data() + w_off_[l]; }
  float* b(int l) { return params_.data() + b_off_[l]; }
  size_t w_offset(int l) const { return w_off_[l]; }
  size_t b_offset(int l) const { return b_off_[l]; }

  // y = net(x) for a batch of n rows; returns a pointer to n × out_dim
  // outputs owned by the net (valid until the next forward). Caches what
  // backward needs.
  const float* forward(const float* x, int n);

  // Given dL/dy (n × out_dim) of the last forward, *accumulate* dL/dθ into
  // grad (num_params floats) and, if dx != nullptr, write dL/dx (n × in_dim).
  void backward(const float* dy, float* grad, float* dx = nullptr);

  // y = net(x) for n rows into y (n × out_dim), caching nothing: the same
  // bits as forward, in row blocks that keep their activations in cache.
  void eval(const float* x, int n, float* y);

  // Jacobian-vector product: (y, J·u) at x for one direction u per row
  // (forward-mode; used for the exact divergence Tr ∂v/∂x in 2D). With
  // dirs > 1, u and ju hold `dirs` blocks of n rows (one direction each) and
  // y is computed once: each block's bits are those of a jvp of its own.
  void jvp(const float* x, const float* u, int n, float* y, float* ju, int dirs = 1);

 private:
  std::vector<int> dims_;
  std::vector<size_t> w_off_, b_off_;
  std::vector<float> params_;
  int n_ = 0;  // batch of the cached forward
  // acts_[l]: input of layer l (acts_[0] = x, acts_[L] = output);
  // dsilu_[l]: silu'(z) of hidden layer l at its pre-activation z (the backward's factor).
  std::vector<std::vector<float>> acts_, dsilu_;
  std::vector<float> gbuf_a_, gbuf_b_, wgrad_;
};

// Adam over a flat parameter vector.
struct Adam {
  float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
  std::vector<float> m, v;
  long t = 0;
  void reset(size_t n) {
    m.assign(n, 0.0f);
    v.assign(n, 0.0f);
    t = 0;
  }
  void step(float* params, const float* grad, float lr);
};

}  // namespace flowlab
