// The RBM training lab (rbm.h): options from the link, CD-k/PCD steps with
// momentum, the exact log-likelihood history, display chains, the run file.
#include "rbm.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "config.h"
#include "kernels.h"
#include "rbm_detail.h"
#include "rbm_kernels.h"
#include "run_file.h"

namespace flowlab {

using namespace rbm_detail;

RbmOptions rbm_options(const Config& c) {
  RbmOptions r;
  r.dataset = int(c.rbm_dataset);
  r.side = int(c.rbm_side);
  r.n_train = int(c.rbm_n_train);
  r.n_test = int(c.rbm_n_test);
  r.flip = float(c.rbm_flip);
  r.n_hidden = int(c.rbm_m);
  r.k = int(c.rbm_k);
  r.persistent = c.rbm_sampler == 1;
  r.batch = int(c.rbm_batch);
  r.lr = float(c.rbm_lr);
  r.momentum = float(c.rbm_momentum);
  r.weight_decay = float(c.rbm_weight_decay);
  r.steps = c.rbm_schedule == 1 ? long(c.rbm_steps) : 0;
  r.seed = uint64_t(c.seed);
  // The link allows grids up to 16 for drawn patterns; bars and stripes stay enumerable (2–5).
  if (r.dataset != 2) r.side = std::min(r.side, 5);
  return r;
}

// The link fields of this exercise (core/config.h), in link order: a table, one row each.
const std::vector<FieldSpec>& rbm_fields() {
  // clang-format off
  static const std::vector<FieldSpec> f = {
    {"dataset", "data", "training patterns", &Config::rbm_dataset, 0, 2, true, {"bars", "digits", "drawn"}, "data", "rbm"},
    {"side", "grid side", "pattern grid side (bars and stripes: 2–5)", &Config::rbm_side, 2, 16, true, {}, "data", "rbm"},
    {"n_train", "train size", "noisy digits in the training set", &Config::rbm_n_train, 10, 5000, true, {}, "data", "rbm"},
    {"n_test", "held-out size", "noisy digits held out", &Config::rbm_n_test, 0, 5000, true, {}, "data", "rbm"},
    {"flip", "pixel flips", "probability of flipping each digit pixel", &Config::rbm_flip, 0, 0.5, false, {}, "data", "rbm"},
    {"m", "hidden units m", "number of hidden units", &Config::rbm_m, 1, 256, true, {}, "model", "rbm"},
    {"sampler", "gradient", "CD-k or persistent CD", &Config::rbm_sampler, 0, 1, true, {"cd", "pcd"}, "training", "rbm"},
    {"k", "Gibbs sweeps k", "Gibbs sweeps per update", &Config::rbm_k, 1, 1000, true, {}, "training", "rbm"},
    {"batch", "batch size", "minibatch size (and PCD chains)", &Config::rbm_batch, 1, 4096, true, {}, "training", "rbm"},
    {"lr", "learning rate", "SGD learning rate", &Config::rbm_lr, 1e-6, 10, false, {}, "training", "rbm"},
    {"momentum", "momentum", "SGD momentum", &Config::rbm_momentum, 0, 0.99, false, {}, "training", "rbm"},
    {"weight_decay", "weight decay", "L2 penalty on W (not on biases)", &Config::rbm_weight_decay, 0, 1, false, {}, "training", "rbm"},
    {"steps", "steps", "training steps of a run", &Config::rbm_steps, 1, 1000000, true, {}, "training", "rbm"},
    {"schedule", "lr schedule", "learning-rate schedule over the run", &Config::rbm_schedule, 0, 1, true, {"constant", "cosine"}, "training", "rbm"},
  };
  // clang-format on
  return f;
}

RbmLab::RbmLab(const RbmOptions& o, const std::vector<float>& patterns)
    : o_(o), ts_(o.seed, kStreamTrain), chain_rng_(o.seed, kStreamSample) {
  if (o_.dataset == 0) {
    width_ = height_ = o_.side;
    train_ = bars_and_stripes(o_.side);
  } else if (o_.dataset == 1) {
    width_ = kGlyphW;
    height_ = kGlyphH;
    Rng data_rng(o_.seed, kStreamData), test_rng(o_.seed, kStreamEval);
    train_ = noisy_digits(data_rng, o_.n_train, o_.flip);
    test_ = noisy_digits(test_rng, o_.n_test, o_.flip);
  } else {
    width_ = height_ = o_.side;
    const size_t n = size_t(o_.side) * o_.side;
    if (patterns.empty() || patterns.size() % n != 0)
      throw std::invalid_argument("user patterns must be a non-empty list of side² pixels each");
    train_ = patterns;
    for (auto& x : train_) x = x > 0.5f ? 1.0f : 0.0f;
  }
  const int n = width_ * height_;
  rbm_ = Rbm(n, o_.n_hidden);
  Rng init_rng(o_.seed, kStreamInit);
  rbm_.init(init_rng, train_.data(), n_train());
  vW_.assign(rbm_.W.size(), 0.0f);
  va_.assign(n, 0.0f);
  vb_.assign(o_.n_hidden, 0.0f);
  dW_.resize(rbm_.W.size());
  da_.resize(n);
  db_.resize(o_.n_hidden);
  // Track the exact log-likelihood at ≤ 2·10⁴ softplus evaluations per step
  // (a CD step of the default model costs about as much), every 10, 20, 50, …
  // 1000 steps so the curve lands on the round step counts of a run.
  const double cost = std::ldexp(1.0, std::min(n, o_.n_hidden)) * std::max(n, o_.n_hidden);
  ll_every_ = 1000;
  for (int e : {500, 200, 100, 50, 20, 10})
    if (cost / e <= 2e4) ll_every_ = e;
}

RbmStats RbmLab::train_step() {
  const int n = rbm_.n, m = rbm_.m, B = o_.batch, N = n_train();
  batch_.resize(size_t(B) * n);
  for (int s = 0; s < B; ++s) {
    const size_t r = ts_.rng.below(uint32_t(N));
    std::copy(train_.begin() + r * n, train_.begin() + (r + 1) * n, batch_.begin() + size_t(s) * n);
  }
  cd_statistics(rbm_, batch_.data(), B, o_.k, o_.persistent ? &pcd_ : nullptr, ts_.rng, dW_.data(), da_.data(),
                db_.data());
  // Momentum SGD ascent on L; weight decay pulls W (not the biases) to 0.
  const float lr = current_lr();
  for (size_t k = 0; k < rbm_.W.size(); ++k) {
    vW_[k] = o_.momentum * vW_[k] + lr * (dW_[k] - o_.weight_decay * rbm_.W[k]);
    rbm_.W[k] += vW_[k];
  }
  for (int i = 0; i < n; ++i) rbm_.a[i] += (va_[i] = o_.momentum * va_[i] + lr * da_[i]);
  for (int j = 0; j < m; ++j) rbm_.b[j] += (vb_[j] = o_.momentum * vb_[j] + lr * db_[j]);
  ++ts_.step;
  RbmStats st;
  st.step = ts_.step;
  std::vector<float> ph(size_t(B) * m), pv(size_t(B) * n);
  rbm_.prob_h(batch_.data(), B, ph.data());
  rbm_.prob_v(ph.data(), B, pv.data());
  st.recon_error = sum_sq_diff(batch_.data(), pv.data(), pv.size()) / double(pv.size());
  ts_.losses.push_back(float(st.recon_error));
  if (exact_available(n, m) && (ts_.step == 1 || ts_.step % ll_every_ == 0)) {
    const RbmEval e = evaluate();
    ll_hist_.insert(ll_hist_.end(), {double(ts_.step), e.ll_train, e.ll_test});
  }
  return st;
}

float RbmLab::current_lr() const {
  if (o_.steps <= 0) return o_.lr;
  const double f = std::min(1.0, double(ts_.step) / double(o_.steps));
  return float(o_.lr * 0.5 * (1.0 + std::cos(3.141592653589793 * f)));
}

void RbmLab::sections(RunFile& f) {
  const size_t n = rbm_.n, m = rbm_.m;
  f.f32("W", rbm_.W.data(), n * m);
  f.f32("a", rbm_.a.data(), n);
  f.f32("b", rbm_.b.data(), m);
  f.f32("mom.W", vW_.data(), n * m);
  f.f32("mom.a", va_.data(), n);
  f.f32("mom.b", vb_.data(), m);
  f.f32("pcd", pcd_);
  f.f32("chains", vis_chains_);
  f.f32("data", train_);
  f.losses(ts_.losses);
  // The ll history holds NaN (no held-out set): it travels as the bits of its doubles.
  f.f64_bits("ll", ll_hist_);
  f.words("state", {RunFile::step(ts_.step), RunFile::stream(ts_.rng, "training stream"),
                    RunFile::stream(chain_rng_, "display chains")});
  f.check([this]() -> const char* {
    const size_t n = rbm_.n;
    if (pcd_.size() % n || vis_chains_.size() % n || train_.empty() || train_.size() % n || ll_hist_.size() % 3)
      return "checkpoint chains, data or history have the wrong shape";
    // Visible units are binary (data, PCD chains); display chains hold 0/1 or
    // mean-field probabilities in [0, 1].
    for (const auto* x : {&pcd_, &vis_chains_, &train_})
      for (float u : *x)
        if (!(u >= 0 && u <= 1) || (x != &vis_chains_ && u != 0 && u != 1))
          return "the file's visible units (data or chains) are not 0/1 values";
    // ll history: rows (step, ll_train, ll_test); NaN marks "not exact".
    for (size_t i = 0; i < ll_hist_.size(); i += 3) {
      const double* row = &ll_hist_[i];
      if (!(row[0] >= 1 && row[0] <= double(ts_.step) && row[0] == std::floor(row[0])) || std::isinf(row[1]) ||
          std::isinf(row[2]))
        return "the log-likelihood history is malformed";
    }
    return nullptr;
  });
}

std::vector<float> RbmLab::reconstruct(const float* v, int sweeps) const {
  std::vector<float> x(v, v + rbm_.n), ph(rbm_.m);
  for (int s = 0; s < std::max(1, sweeps); ++s) {
    rbm_.prob_h(x.data(), 1, ph.data());
    rbm_.prob_v(ph.data(), 1, x.data());
  }
  return x;
}

RbmEval RbmLab::evaluate() const {
  RbmEval e;
  const int n = rbm_.n, m = rbm_.m;
  auto recon = [&](const std::vector<float>& X) {
    const int N = int(X.size() / n);
    if (!N) return kNaN;
    std::vector<float> ph(size_t(N) * m), pv(size_t(N) * n);
    rbm_.prob_h(X.data(), N, ph.data());
    rbm_.prob_v(ph.data(), N, pv.data());
    return sum_sq_diff(X.data(), pv.data(), pv.size()) / double(pv.size());
  };
  const RbmD d(rbm_);
  auto mean_fe = [&](const std::vector<float>& X) {
    const int N = int(X.size() / n);
    if (!N) return kNaN;
    double s = 0;
    for (int k = 0; k < N; ++k) s += free_energy(d, X.data() + size_t(k) * n);
    return s / N;
  };
  e.recon_train = recon(train_);
  e.recon_test = recon(test_);
  e.fe_train = mean_fe(train_);
  e.fe_test = mean_fe(test_);
  e.fe_gap = e.fe_test - e.fe_train;
  e.exact = exact_available(n, m);
  if (e.exact) {
    e.log_Z = log_Z(d);
    e.ll_train = -e.fe_train - e.log_Z;
    e.ll_test = test_.empty() ? kNaN : -e.fe_test - e.log_Z;
  } else {
    e.log_Z = e.ll_train = e.ll_test = kNaN;
  }
  return e;
}

void RbmLab::chains_reset(int B, bool from_data) {
  const int n = rbm_.n, N = n_train();
  vis_chains_.resize(size_t(std::max(1, B)) * n);
  for (int s = 0; s < std::max(1, B); ++s) {
    if (from_data) {
      const size_t r = chain_rng_.below(uint32_t(N));
      std::copy(train_.begin() + r * n, train_.begin() + (r + 1) * n, vis_chains_.begin() + size_t(s) * n);
    } else {
      for (int i = 0; i < n; ++i) vis_chains_[size_t(s) * n + i] = chain_rng_.uniform() < 0.5f ? 1.0f : 0.0f;
    }
  }
}

void RbmLab::chains_step(int sweeps) {
  if (vis_chains_.empty()) chains_reset(16, false);
  const int B = int(vis_chains_.size() / rbm_.n);
  for (int s = 0; s < sweeps; ++s) rbm_.gibbs(vis_chains_.data(), B, chain_rng_);
}

}  // namespace flowlab
