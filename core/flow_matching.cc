#include "flow_matching.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "cfm.h"
#include "datasets.h"
#include "fourier.h"
#include "loglik.h"
#include "ot.h"
#include "own_data.h"
#include "run_file.h"

namespace flowlab {

std::vector<int> hidden_dims(const Config& c) { return std::vector<int>(size_t(c.depth), c.i(&Config::hidden)); }

FlowMatching::FlowMatching(const Config& c)
    : FlowMatching(hidden_dims(c), float(c.lr), c.i(&Config::batch), uint64_t(c.seed),
                   [](Rng& r, int n, float* x) { sample_checkerboard(r, n, x); }) {
  if (c.i(&Config::schedule) == 1) set_schedule(long(c.steps));
  use_fourier(c.i(&Config::fourier));
  target_ = Target::Checkerboard;
  const std::string& ex = exercise_of(c);
  OwnData own;
  std::string err;
  if (!c.data.empty() && own_data_exercise(ex) && decode_own_data(c.data, &own, &err)) {
    // Your own points replace the built-in target; classes condition fm-rings-cond.
    use_rings(own_rings(own), ex == "fm-rings-cond" ? c.i(&Config::rings_embed) : 0);
    if (ex == "fm-rings-cond" && c.rings_pairing > 0) set_ot_pairing(true, c.i(&Config::rings_pairing) == 2);
  } else if (ex == "fm-rings" || ex == "fm-rings-cond") {
    Rng data(uint64_t(c.seed), kStreamData);
    use_rings(make_rings(data, c.i(&Config::rings_n), float(c.rings_thickness)),
              ex == "fm-rings-cond" ? c.i(&Config::rings_embed) : 0);
    if (ex == "fm-rings-cond" && c.rings_pairing > 0) set_ot_pairing(true, c.i(&Config::rings_pairing) == 2);
  }
}

// The link fields of this exercise (core/config.h), in link order: a table, one row each.
const std::vector<FieldSpec>& flow_matching_fields() {
  // Shared by the flow-matching exercises.
  static const char* kFm = "fm-checkerboard fm-ot fm-rings fm-rings-cond";
  static const char* kFmNoOt = "fm-checkerboard fm-rings fm-rings-cond";
  // clang-format off
  static const std::vector<FieldSpec> f = {
    {"hidden", "hidden width", "hidden width of the MLP", &Config::hidden, 4, 1024, true, {}, "model", kFm},
    {"depth", "hidden layers", "number of hidden layers", &Config::depth, 1, 8, true, {}, "model", kFm},
    {"fourier", "Fourier octaves", "the MLP also sees sin(2^j ω x), cos(2^j ω x) of each coordinate, j < this, ω = π/4 (periods 8, 4, 2, …; 0: the sheet's MLP on [x, t])", &Config::fourier, 0, 6, true, {}, "model", kFm},
    {"lr", "learning rate", "Adam learning rate", &Config::lr, 1e-6, 0.1, false, {}, "training", kFm},
    {"batch", "batch size", "training batch size", &Config::batch, 1, 8192, true, {}, "training", kFmNoOt},
    {"batch", "batch size", "training batch size (also the size of each optimal assignment)", &Config::ot_batch, 2, 1024, true, {}, "training", "fm-ot"},
    {"steps", "steps", "training steps of a run", &Config::steps, 1, 1000000, true, {}, "training", kFmNoOt},
    {"steps", "steps", "training steps of a run (both models)", &Config::ot_steps, 1, 1000000, true, {}, "training", "fm-ot"},
    {"schedule", "lr schedule", "learning-rate schedule over the run", &Config::schedule, 0, 1, true, {"constant", "cosine"}, "training", kFm},
    {"solver", "ODE solver", "ODE solver", &Config::solver, 0, 1, true, {"euler", "midpoint"}, "sampling", kFm},
    {"ode_steps", "ODE steps", "ODE steps from t=0 to t=1", &Config::ode_steps, 1, 2000, true, {}, "sampling", kFm},
    {"samples", "points", "points drawn for the figures", &Config::samples, 100, 100000, true, {}, "sampling", kFm},
    {"rings_n", "ring points", "size of the fixed Olympic-rings data set", &Config::rings_n, 100, 200000, true, {}, "data", "fm-rings fm-rings-cond"},
    {"thickness", "ring thickness", "width of each ring's radius band", &Config::rings_thickness, 0, 1, false, {}, "data", "fm-rings fm-rings-cond"},
    {"embed", "class embedding", "width of the learned class embedding e_c", &Config::rings_embed, 1, 64, true, {}, "model", "fm-rings-cond"},
    {"pairing", "x0–x1 pairing", "how a batch pairs noise x0 with data x1: independently, by minibatch OT across classes, or by OT within each class", &Config::rings_pairing, 0, 2, true, {"independent", "ot", "class-ot"}, "training", "fm-rings-cond"},
  };
  // clang-format on
  return f;
}

void FlowMatching::use_rings(Rings data, int embed) {
  rings_ = std::move(data);
  target_ = Target::Rings;
  if (embed == 0) return;
  // The net now reads [x, t, features, e_c]: rebuild it with the wider input, same init stream.
  Rng init = rebuild_net(embed);
  emb_.init(Rings::kClasses, embed, init);  // from the init stream after θ
}

void FlowMatching::use_fourier(int octaves) {
  fourier_ = std::clamp(octaves, 0, kMaxFourier);
  if (fourier_ > 0) rebuild_net(emb_.dim);
}

// θ drawn afresh from the init stream for an input of width 3 + 4·fourier + embed;
// returns the stream, positioned after θ.
Rng FlowMatching::rebuild_net(int embed) {
  std::vector<int> dims = net_.dims();
  dims.front() = 3 + 4 * fourier_ + embed;
  net_ = Mlp(dims);
  Rng init(seed_, kStreamInit);
  net_.init(init);
  adam_.reset(net_.num_params());
  return init;
}

FlowMatching::FlowMatching(std::vector<int> hidden, float lr, int batch, uint64_t seed, Sampler draw_x1)
    : lr_(lr), batch_(batch), seed_(seed), draw_x1_(std::move(draw_x1)), ts_(seed, kStreamTrain) {
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
  if (rings_.size())
    draw_rings(n);
  else
    draw_x1_(ts_.rng, n, x1_.data());
  sample_normal(ts_.rng, n, x0_.data());
  for (int i = 0; i < n; ++i) t_[i] = ts_.rng.uniform();
  if (ot_by_class_ && emb_.on()) {  // within each class k: the rows of class k among themselves
    for (int k = 0; k < Rings::kClasses; ++k) {
      std::vector<int> rows;
      for (int i = 0; i < n; ++i)
        if (c_[i] == k) rows.push_back(i);
      pair_rows(rows);
    }
  } else if (ot_) {
    std::vector<int> rows(n);
    for (int i = 0; i < n; ++i) rows[i] = i;
    pair_rows(rows);
  }
  const double loss = loss_and_grad(x0_.data(), x1_.data(), t_.data(), emb_.on() ? c_.data() : nullptr, n, &grad_);
  adam_.step(net_.params(), grad_.data(), current_lr());
  if (emb_.on()) emb_.adam.step(emb_.e.data(), grad_.data() + net_.num_params(), current_lr());
  ++ts_.step;
  const float l = float(loss);
  ts_.losses.push_back(l);
  return l;
}

// Minibatch OT over the batch rows `rows`: x1_i ← x1_σ(i) (with its class), σ the
// optimal assignment of those rows' x0 to their x1.
void FlowMatching::pair_rows(const std::vector<int>& rows) {
  const int m = int(rows.size());
  if (m < 2) return;
  std::vector<float> a(2 * size_t(m)), b(2 * size_t(m));
  std::vector<int> c(m);
  for (int j = 0; j < m; ++j) {
    const int i = rows[j];
    a[2 * j] = x0_[2 * i], a[2 * j + 1] = x0_[2 * i + 1];
    b[2 * j] = x1_[2 * i], b[2 * j + 1] = x1_[2 * i + 1];
    if (emb_.on()) c[j] = c_[i];
  }
  const Assignment s = solve_assignment_auction(squared_distances(a.data(), b.data(), m), m);
  for (int j = 0; j < m; ++j) {
    const int i = rows[j];
    x1_[2 * i] = b[2 * s.col[j]], x1_[2 * i + 1] = b[2 * s.col[j] + 1];
    if (emb_.on()) c_[i] = c[s.col[j]];
  }
}

// x1 and its class from the fixed rings data set, uniformly with replacement.
void FlowMatching::draw_rings(int n) {
  c_.resize(n);
  for (int i = 0; i < n; ++i) {
    const int j = int(ts_.rng.below(uint32_t(rings_.size())));
    x1_[2 * i] = rings_.x[2 * j];
    x1_[2 * i + 1] = rings_.x[2 * j + 1];
    c_[i] = rings_.label[j];
  }
}

// Network input rows [x, t, e_c]: t per row (t != nullptr) or t_all for all.
void FlowMatching::fill_input(const float* x, const float* t, float t_all, int n, const int* c) {
  const int d = in_dim();
  in_.resize(size_t(d) * n);
  for (int i = 0; i < n; ++i) {
    float* row = &in_[size_t(d) * i];
    row[0] = x[2 * i];
    row[1] = x[2 * i + 1];
    row[2] = t ? t[i] : t_all;
    for (int k = 0; k < 2; ++k) fourier_features(kFourierOmega * x[2 * i + k], fourier_, row + 3 + 2 * fourier_ * k);
    if (emb_.on()) std::copy_n(emb_.row(c, i), emb_.dim, row + emb_col());
  }
}

double FlowMatching::loss_and_grad(const float* x0, const float* x1, const float* t, const int* c, int n,
                                   std::vector<float>* grad) {
  // Network input [ψ_t(x0), t, e_c]; regression target u = x1 − x0.
  std::vector<float> xt(2 * size_t(n));
  cfm_path(x0, x1, t, n, 2, xt.data());
  fill_input(xt.data(), t, 0.0f, n, c);
  const float* v = net_.forward(in_.data(), n);
  dout_.resize(2 * size_t(n));
  const double loss = cfm_residual(v, x0, x1, n, 2, dout_.data());
  const float scale = 2.0f / float(n);
  for (float& e : dout_) e *= scale;
  const size_t P = net_.num_params();
  grad->assign(P + emb_.e.size(), 0.0f);
  if (emb_.on()) dx_.resize(size_t(in_dim()) * n);
  net_.backward(dout_.data(), grad->data(), emb_.on() ? dx_.data() : nullptr);
  if (emb_.on()) emb_.accumulate(dx_.data(), in_dim(), emb_col(), c, n, grad->data() + P);
  return loss / n;
}

float FlowMatching::current_lr() const {
  if (total_steps_ <= 0) return lr_;
  const double f = std::min(1.0, double(ts_.step) / double(total_steps_));
  return float(lr_ * 0.5 * (1.0 + std::cos(3.141592653589793 * f)));
}

void FlowMatching::velocity(const float* x, float t, int n, float* v, const int* c) {
  fill_input(x, nullptr, t, n, c);
  net_.eval(in_.data(), n, v);
}

void FlowMatching::velocity_div(const float* x, float t, int n, const int* c, float* v, float* div) {
  fill_input(x, nullptr, t, n, c);
  const int d = in_dim();
  // Both directions in one pass (v computed once): rows [0, n) e_1, [n, 2n) e_2.
  dir_.assign(2 * size_t(d) * n, 0.0f);
  jvp_u_.resize(4 * size_t(n));
  for (int i = 0; i < n; ++i) dir_[size_t(d) * i] = 1.0f, dir_[size_t(d) * (n + i) + 1] = 1.0f;
  // Tangent of the features of x_k along e_k: d sin(a u)/du = a cos(a u), d cos(a u)/du = −a sin(a u).
  for (int k = 0; k < 2; ++k)
    for (int i = 0; i < n; ++i) {
      const float* f = &in_[size_t(d) * i + 3 + 2 * fourier_ * k];
      float* u = &dir_[size_t(d) * (size_t(k) * n + i) + 3 + 2 * fourier_ * k];
      for (int j = 0; j < fourier_; ++j) {
        const float a = kFourierOmega * float(1 << j);
        u[2 * j] = a * f[2 * j + 1];
        u[2 * j + 1] = -a * f[2 * j];
      }
    }
  net_.jvp(in_.data(), dir_.data(), n, v, jvp_u_.data(), 2);
  const float* ju2 = jvp_u_.data() + 2 * size_t(n);
  for (int i = 0; i < n; ++i) div[i] = jvp_u_[2 * i] + ju2[2 * i + 1];
}

std::vector<double> FlowMatching::log_density(const float* x, int n, int steps, Solver s, const int* c) {
  return flowlab::log_density(
      [this, c](const float* xx, float t, int m, float* v, float* div) { velocity_div(xx, t, m, c, v, div); }, x, n,
      steps, s);
}

void FlowMatching::flow(float* x, int n, float t0, float t1, int steps, Solver s, std::vector<float>* traj,
                        const int* c) {
  integrate([this, c](const float* xx, float t, int m, float* v) { velocity(xx, t, m, v, c); }, x, n, 2, t0, t1, steps,
            s, traj);
}

RoundTrip round_trip(FlowMatching& fm, const float* x, int n, int steps) {
  RoundTrip r;
  const size_t len = 2 * size_t(n);
  std::vector<float> y(x, x + len), fwd;
  fm.flow(y.data(), n, 1.0f, 0.0f, steps, Solver::Euler, &r.back);
  r.x0 = y;
  fm.flow(y.data(), n, 0.0f, 1.0f, steps, Solver::Euler, &fwd);
  for (int i = 0; i < n; ++i) {
    r.errors.push_back(std::hypot(double(y[2 * i]) - x[2 * i], double(y[2 * i + 1]) - x[2 * i + 1]));
    r.mean += r.errors.back();
  }
  r.mean /= n;
  return r;
}

std::vector<float> FlowMatching::source_noise(int n) const {
  Rng r(seed_, kStreamSample);
  std::vector<float> x(2 * size_t(n));
  sample_normal(r, n, x.data());
  return x;
}

std::array<double, 2> FlowMatching::data_mean(int n) const {
  std::array<double, 2> mean{0, 0};
  if (target_ == Target::Checkerboard) return mean;  // by symmetry, not estimated
  if (target_ == Target::Rings) {                    // the fixed data set itself
    const size_t N = rings_.size();
    for (size_t i = 0; i < N; ++i) mean[0] += rings_.x[2 * i], mean[1] += rings_.x[2 * i + 1];
    return {mean[0] / double(N), mean[1] / double(N)};
  }
  Rng r(seed_, kStreamEval);
  std::vector<float> x1(2 * size_t(n));
  draw_x1_(r, n, x1.data());
  for (int i = 0; i < n; ++i) mean[0] += x1[2 * i], mean[1] += x1[2 * i + 1];
  return {mean[0] / n, mean[1] / n};
}

FieldAtZero field_at_zero(FlowMatching& fm, int m, double half, int n_data) {
  FieldAtZero f;
  f.m = m;
  const size_t N = size_t(m) * m;
  f.x.resize(2 * N);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j) {
      f.x[2 * (size_t(i) * m + j)] = float(-half + 2 * half * j / (m - 1));
      f.x[2 * (size_t(i) * m + j) + 1] = float(-half + 2 * half * i / (m - 1));
    }
  f.v.resize(2 * N);
  fm.velocity(f.x.data(), 0.0f, int(N), f.v.data());
  f.mean_x1 = fm.data_mean(n_data);
  f.mean_exact = fm.data_mean_exact();
  f.v_star.resize(2 * N);
  f.rel_err.resize(N);
  double sum_rel = 0, sum_diff = 0, sum_star = 0;
  int counted = 0;
  for (size_t k = 0; k < N; ++k) {
    const double sx = f.mean_x1[0] - f.x[2 * k], sy = f.mean_x1[1] - f.x[2 * k + 1];
    f.v_star[2 * k] = float(sx), f.v_star[2 * k + 1] = float(sy);
    const double diff = std::hypot(f.v[2 * k] - sx, f.v[2 * k + 1] - sy), star = std::hypot(sx, sy);
    sum_diff += diff, sum_star += star;
    if (star > 1e-12) {
      f.rel_err[k] = float(diff / star);
      sum_rel += diff / star, ++counted;
    } else {
      f.rel_err[k] = std::numeric_limits<float>::quiet_NaN();
      ++f.excluded;
    }
  }
  f.mean_rel_err = counted ? sum_rel / counted : 0;
  f.mean_abs_err = sum_diff / double(N);
  f.mean_star = sum_star / double(N);
  f.ratio_of_means = sum_star > 0 ? sum_diff / sum_star : 0;
  return f;
}

std::vector<float> FlowMatching::sample(int n, int steps, Solver s, std::vector<float>* traj, const int* c) {
  std::vector<float> x = source_noise(n);
  flow(x.data(), n, 0.0f, 1.0f, steps, s, traj, c);
  return x;
}

// Sections in file order: θ, Adam's moments, (Adam's t, step, training
// stream), losses, then the class embedding with its own Adam.
void FlowMatching::sections(RunFile& f) {
  f.f32("params", net_.params(), net_.num_params());
  f.adam("adam", adam_);
  f.words("state", {RunFile::adam_t(adam_), RunFile::step(ts_.step), RunFile::stream(ts_.rng, "training stream")});
  f.losses(ts_.losses);
  if (emb_.on()) {
    f.f32("embed", emb_.e.data(), emb_.e.size());
    f.adam("embed.adam", emb_.adam);
  }
}

}  // namespace flowlab
