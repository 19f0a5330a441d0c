// Conditional flow matching (Lipman et al. 2022) from N(0, I) to a 2D target,
// seed 000 §3: v_θ(x, t) is an MLP on [x, t] trained with
//   L_CFM = E_{t~U[0,1], x0~p, x1~q} ‖v_θ(ψ_t(x0), t) − (x1 − x0)‖²,
//   ψ_t(x0) = (1 − t)·x0 + t·x1,
// and samples are drawn by integrating dx/dt = v_θ(x, t) from t = 0 to 1.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "class_embedding.h"
#include "config.h"
#include "datasets.h"
#include "mlp.h"
#include "ode.h"
#include "rng.h"
#include "run_file.h"
#include "train_state.h"

namespace flowlab {

class RunFile;

class FlowMatching : public RunFileModel<FlowMatching> {
  friend class RunFileModel<FlowMatching>;  // save() and load() read sections()

 public:
  // draw_x1(rng, n, out): n target samples (n × 2).
  using Sampler = std::function<void(Rng&, int, float*)>;

  explicit FlowMatching(const Config& c);
  FlowMatching(std::vector<int> hidden, float lr, int batch, uint64_t seed, Sampler draw_x1);

  // Cosine decay of the learning rate from lr to 0 over `total` steps
  // (total = 0: constant). Sharp edges of the target need the late small steps.
  void set_schedule(long total) { total_steps_ = total; }
  float current_lr() const;

  // One Adam step on a fresh batch (x1, x0, t); returns its CFM loss.
  float train_step();
  long step() const { return ts_.step; }
  const std::vector<float>& losses() const { return ts_.losses; }

  // v_θ(x, t) for n points; a conditional model reads class c[i] for point i
  // (c == nullptr: class i mod 5, see ClassEmbedding).
  void velocity(const float* x, float t, int n, float* v, const int* c = nullptr);
  // v and its exact divergence Tr ∂v/∂x (two forward-mode passes) at n points.
  void velocity_div(const float* x, float t, int n, const int* c, float* v, float* div);
  // ln p_1(x) of the model (core/loglik.h): the reverse flow to t = 0 with
  // ∫ Tr ∂v/∂x dt, `steps` steps of solver s.
  std::vector<double> log_density(const float* x, int n, int steps, Solver s, const int* c = nullptr);

  // Integrates x (n × 2) in place from t0 to t1 (t0 > t1 reverses the flow).
  void flow(float* x, int n, float t0, float t1, int steps, Solver s, std::vector<float>* traj = nullptr,
            const int* c = nullptr);
  // The fixed source noise of the figures: n points x0 ~ N(0, I) from the
  // seed's sampling stream, so snapshots of one run show the same particles.
  std::vector<float> source_noise(int n) const;
  // x1 = ψ_1 of source_noise(n) under the current model (point i asked for class c[i]).
  std::vector<float> sample(int n, int steps, Solver s, std::vector<float>* traj = nullptr, const int* c = nullptr);

  // E[x1] of sheet 000 §3(b), in double: exactly (0, 0) for the checkerboard
  // (symmetric under x → −x), the mean of the fixed data set for the rings,
  // else the mean of n target draws (a fixed evaluation stream of the seed).
  std::array<double, 2> data_mean(int n) const;
  bool data_mean_exact() const { return target_ != Target::Sampler; }

  // The whole training state as a checkpoint (core/checkpoint.h): the link
  // it was made from, θ, Adam's moments, step, RNG, losses. load() accepts
  // only a checkpoint of a model of the same shape; on error nothing changes.
  // save(link) and load(data, error): RunFileModel (core/run_file.h), a file of
  // this kind (kRunWhat names the model in messages).
  static constexpr const char* kRunKind = "flow-matching";
  static constexpr const char* kRunWhat = "flow matching";

  // Minibatch OT (sheet 000 §3(c)): pair each batch's x0 and x1 by an exact
  // optimal assignment under ‖x0 − x1‖² before ψ_t (no extra random draws, so
  // the batches are the independent coupling's, reordered).
  // Minibatch OT pairing of x0 and x1; by_class: only within each class of a
  // conditional model (condition-aware OT: x0 given c stays N(0, I)).
  void set_ot_pairing(bool on, bool by_class = false) { ot_ = on, ot_by_class_ = on && by_class; }
  bool ot_pairing() const { return ot_; }

  Mlp& net() { return net_; }
  float lr() const { return lr_; }
  uint64_t seed() const { return seed_; }

  // Olympic rings (seed 003 §2): trains on a fixed data set, x1 drawn from it
  // per batch. With embed > 0 the field is class-conditional, v(x, t, c) on
  // [x, t, e_c] (core/class_embedding.h).
  void use_rings(Rings data, int embed);
  // Fourier features (core/fourier.h) of ω·x_k, k = 1, 2, beside [x, t]: the input
  // becomes [x, t, sin(2^j ω x_1), cos(2^j ω x_1), …, sin(2^j ω x_2), …] for j < octaves,
  // θ redrawn for the wider input. ω = π/4: the slowest period, 8, spans the
  // checkerboard's box [−4, 4]. A checkerboard's sharp edges are then a few
  // octaves away rather than many SiLU units (0: the sheet's MLP on [x, t]).
  void use_fourier(int octaves);
  int fourier() const { return fourier_; }
  static constexpr float kFourierOmega = 0.785398163f;
  const Rings& rings() const { return rings_; }
  bool conditional() const { return emb_.on(); }
  std::vector<float>& embedding() { return emb_.e; }
  // Training loss of θ and e on a fixed batch, and its gradient (dθ then de);
  // for finite-difference checks.
  double loss_and_grad(const float* x0, const float* x1, const float* t, const int* c, int n, std::vector<float>* grad);

 private:
  // The training state, section by section (core/run_file.h).
  void sections(RunFile& f);
  Mlp net_;
  Adam adam_;
  float lr_;
  int batch_;
  uint64_t seed_;
  Sampler draw_x1_;
  TrainState ts_;  // its stream draws x1, x0 and t of every batch
  enum class Target { Sampler, Checkerboard, Rings } target_ = Target::Sampler;
  long total_steps_ = 0;
  std::vector<float> x0_, x1_, t_, in_, dout_, grad_;
  Rings rings_;
  ClassEmbedding emb_;
  bool ot_ = false, ot_by_class_ = false;
  std::vector<float> dx_, dir_, jvp_u_;
  std::vector<int> c_;
  int fourier_ = 0;  // octaves of Fourier features of each coordinate of x
  int emb_col() const { return 3 + 4 * fourier_; }
  int in_dim() const { return emb_col() + emb_.dim; }
  Rng rebuild_net(int embed);
  void fill_input(const float* x, const float* t, float t_all, int n, const int* c);
  void draw_rings(int n);
  void pair_rows(const std::vector<int>& rows);
};

// Sheet 000 §3(b): the learned v(x, t = 0) against the optimum on an m × m
// grid over [−half, half]². At t = 0, x_t = x0 and x0 ⊥ x1, so the
// minimiser of the CFM loss is v*(x, 0) = E[x1 − x0 | x0 = x] = E[x1] − x.
struct FieldAtZero {
  int m = 0;
  std::vector<float> x, v, v_star;  // m·m points (row-major, y rows), 2 values each
  std::vector<float> rel_err;       // ‖v − v*‖ / ‖v*‖ per point (NaN where v* = 0)
  std::array<double, 2> mean_x1{};  // E[x1]: exact, or from n_data target draws
  bool mean_exact = false;
  int excluded = 0;           // points where v* = 0 (the relative error means nothing there)
  double mean_rel_err = 0;    // mean of rel_err over points with ‖v*‖ > 0
  double mean_abs_err = 0;    // mean ‖v − v*‖ over all points
  double mean_star = 0;       // mean ‖v*‖ over all points (the scale of the absolute error)
  double ratio_of_means = 0;  // mean_abs_err / mean_star (no division by small ‖v*‖)
};
FieldAtZero field_at_zero(FlowMatching& fm, int m, double half, int n_data);

// Sheet 003 §2 Q5: n points x flowed from t = 1 back to 0 and forward again,
// `steps` Euler steps each way. back: the backward trajectory, (steps + 1) × n × 2;
// x0 its end; errors: the round-trip error ‖ψ(ψ⁻¹(x)) − x‖ of each point.
struct RoundTrip {
  std::vector<float> back, x0;
  std::vector<double> errors;
  double mean = 0;
};
RoundTrip round_trip(FlowMatching& fm, const float* x, int n, int steps);

// MLP dims {3, hidden × depth, 2} of a config.
std::vector<int> hidden_dims(const Config& c);

// sample() in slices of ODE steps, with the same bits:
// begin, then steps over [0, steps) in any slices, then take the points.
struct SampleSlices {
  std::vector<float> x;
  std::vector<int> c;  // classes (conditional), empty: unconditional
  void begin(const FlowMatching& fm, int n, std::vector<int> classes = {}) {
    x = fm.source_noise(n);
    c = std::move(classes);
  }
  void steps(FlowMatching& fm, int steps, int from, int to, Solver s) {
    const int* cls = c.empty() ? nullptr : c.data();
    integrate_steps([&](const float* xx, float t, int m, float* v) { fm.velocity(xx, t, m, v, cls); }, x.data(),
                    int(x.size() / 2), 2, 0.0f, 1.0f, steps, from, to, s);
  }
};

}  // namespace flowlab
