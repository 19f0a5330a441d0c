#include "flow_matching.h"

#include <algorithm>
#include <cmath>

#include "checkpoint.h"
#include "datasets.h"

namespace flowlab {

std::vector<int> hidden_dims(const Config& c) {
  return std::vector<int>(size_t(c.depth), c.i(&Config::hidden));
}

FlowMatching::FlowMatching(const Config& c)
    : FlowMatching(hidden_dims(c), float(c.lr), c.i(&Config::batch), uint64_t(c.seed),
                   [](Rng& r, int n, float* x) { sample_checkerboard(r, n, x); }) {
  if (c.i(&Config::schedule) == 1) set_schedule(long(c.steps));
}

FlowMatching::FlowMatching(std::vector<int> hidden, float lr, int batch, uint64_t seed,
                           Sampler draw_x1)
    : lr_(lr), batch_(batch), seed_(seed), draw_x1_(std::move(draw_x1)), rng_(seed, kStreamTrain) {
  std::vector<int> dims = {3};
  dims.insert(dims.end(), hidden.begin(), hidden.end());
  dims.push_back(2);
  net_ = Mlp(dims);
  Rng init(seed, kStreamInit);
  net_.init(init);
  adam_.reset(net_.num_params());
}

float FlowMatching::train_step() {
  const int n = batch_;
  x0_.resize(2 * size_t(n));
  x1_.resize(2 * size_t(n));
  t_.resize(n);
  in_.resize(3 * size_t(n));
  dout_.resize(2 * size_t(n));
  draw_x1_(rng_, n, x1_.data());
  sample_normal(rng_, n, x0_.data());
  for (int i = 0; i < n; ++i) t_[i] = rng_.uniform();
  // Network input [ψ_t(x0), t]; regression target u = x1 − x0.
  for (int i = 0; i < n; ++i) {
    const float t = t_[i];
    for (int k = 0; k < 2; ++k)
      in_[3 * i + k] = (1.0f - t) * x0_[2 * i + k] + t * x1_[2 * i + k];
    in_[3 * i + 2] = t;
  }
  const float* v = net_.forward(in_.data(), n);
  double loss = 0.0;
  const float scale = 2.0f / float(n);
  for (int i = 0; i < 2 * n; ++i) {
    const float e = v[i] - (x1_[i] - x0_[i]);
    loss += double(e) * e;
    dout_[i] = scale * e;
  }
  grad_.assign(net_.num_params(), 0.0f);
  net_.backward(dout_.data(), grad_.data());
  adam_.step(net_.params(), grad_.data(), current_lr());
  ++step_;
  const float l = float(loss / n);
  losses_.push_back(l);
  return l;
}

float FlowMatching::current_lr() const {
  if (total_steps_ <= 0) return lr_;
  const double f = std::min(1.0, double(step_) / double(total_steps_));
  return float(lr_ * 0.5 * (1.0 + std::cos(3.141592653589793 * f)));
}

void FlowMatching::velocity(const float* x, float t, int n, float* v) {
  in_.resize(3 * size_t(n));
  for (int i = 0; i < n; ++i) {
    in_[3 * i] = x[2 * i];
    in_[3 * i + 1] = x[2 * i + 1];
    in_[3 * i + 2] = t;
  }
  const float* out = net_.forward(in_.data(), n);
  std::copy(out, out + 2 * size_t(n), v);
}

void FlowMatching::flow(float* x, int n, float t0, float t1, int steps, Solver s,
                        std::vector<float>* traj) {
  integrate([this](const float* xx, float t, int m, float* v) { velocity(xx, t, m, v); }, x, n,
            2, t0, t1, steps, s, traj);
}

std::vector<float> FlowMatching::source_noise(int n) const {
  Rng r(seed_, kStreamSample);
  std::vector<float> x(2 * size_t(n));
  sample_normal(r, n, x.data());
  return x;
}

std::vector<float> FlowMatching::sample(int n, int steps, Solver s, std::vector<float>* traj) {
  std::vector<float> x = source_noise(n);
  flow(x.data(), n, 0.0f, 1.0f, steps, s, traj);
  return x;
}

std::string FlowMatching::save(const std::string& link) const {
  CheckpointWriter w;
  w.bytes("link", link);
  w.bytes("kind", "flow-matching");
  w.f32("params", net_.params(), net_.num_params());
  w.f32("adam.m", adam_.m);
  w.f32("adam.v", adam_.v);
  uint64_t st[2 + Rng::kStateWords] = {uint64_t(adam_.t), uint64_t(step_)};
  rng_.get_state(st + 2);
  w.u64("state", st, 2 + Rng::kStateWords);
  w.f32("losses", losses_);
  return w.finish();
}

bool FlowMatching::load(const std::string& data, std::string* error) {
  CheckpointReader r;
  std::string kind;
  std::vector<float> params, m, v, losses;
  std::vector<uint64_t> st;
  const size_t n = net_.num_params();
  if (!r.parse(data, error) || !r.bytes("kind", &kind, error)) return false;
  if (kind != "flow-matching") {
    *error = "checkpoint is of a '" + kind + "' model, not flow matching";
    return false;
  }
  if (!r.f32("params", &params, n, error) || !r.f32("adam.m", &m, n, error) || !r.f32("adam.v", &v, n, error) ||
      !r.u64("state", &st, 2 + Rng::kStateWords, error) || !r.f32("losses", &losses, SIZE_MAX, error))
    return false;
  if (st[1] != losses.size() || st[0] != st[1]) {
    *error = "checkpoint step count does not match its loss history";
    return false;
  }
  std::copy(params.begin(), params.end(), net_.params());
  adam_.m = std::move(m);
  adam_.v = std::move(v);
  adam_.t = long(st[0]);
  step_ = long(st[1]);
  rng_.set_state(st.data() + 2);
  losses_ = std::move(losses);
  return true;
}

}  // namespace flowlab
