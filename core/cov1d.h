// Instantaneous change of variables in 1D (seed 000 §2). A density q(z, t)
// carried by dz/dt = f(z, t) obeys, along each trajectory,
//   d ln q(z(t), t) / dt = −f′(z(t), t),   f′ = ∂f/∂z.
// The sheet's four steps, for an interval [z, z + Δz] at time t mapped to
// [x, x + Δx] at t + δt by x = z + f(z, t) δt:
//   (1) equal mass:        q(x, t+δt) Δx = q(z, t) Δz
//   (2) density change:    q(x, t+δt) = q(z, t) + (dq/dt) δt
//   (3) interval change:   Δx = Δz + (f(z+Δz) − f(z)) δt ≈ Δz (1 + f′(z) δt)
//   (4) combine, δt → 0:   (ln q(x, t+δt) − ln q(z, t)) / δt → −f′(z),
// with an error that falls linearly in δt (−ln(1 + f′δt)/δt = −f′ + f′²δt/2 + …).
//
// Fields: closed forms with exact solutions (so q(x, t) is analytic when the
// start is q(z, 0) = N(μ0, σ0²)), and a field learned by flow matching between
// N(μ0, σ0²) and a two-Gaussian mixture (an MLP on [z, t], core/mlp.h).
//   linear contraction  f = −λ z            z(t) = z0 e^{−λt}
//   sine shear          f = α sin(ω z)      tan(ωz/2) = tan(ωz0/2) e^{αωt}
//   two-mode split      f = β (z − z³)      z² = u0 e^{2βt} / (1 − u0 + u0 e^{2βt}), u0 = z0²
// Everything except the MLP is double precision.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "config.h"
#include "mlp.h"
#include "rng.h"
#include "run_file.h"
#include "train_state.h"

namespace flowlab {

class RunFile;

enum class Field1D { Linear = 0, Sine = 1, Split = 2, Learned = 3 };

struct Cov1dOptions {
  int field = 0;        // Field1D: 0 linear, 1 sine, 2 split, 3 learned
  double lambda = 1.0;  // linear: f = −λz, [−5, 5]
  double alpha = 1.0;   // sine: f = α sin(ωz), [−5, 5]
  double omega = 1.0;   // sine frequency, [0.1, 10]
  double beta = 1.0;    // split: f = β(z − z³), [−5, 5]
  double mu0 = 0.0;     // start density N(μ0, σ0²) at t = 0, [−5, 5]
  double sigma0 = 1.0;  // (0.05, 5]
  // Learned field: flow matching from N(μ0, σ0²) (t = 0) to the mixture
  // w1 N(m1, s²) + (1 − w1) N(m2, s²) (t = 1).
  double target_m1 = -2.0;  // [−5, 5]
  double target_m2 = 2.0;   // [−5, 5]
  double target_s = 0.5;    // (0.05, 3]
  double target_w1 = 0.5;   // (0, 1)
  int hidden = 64;          // MLP width, [4, 512]
  int depth = 2;            // hidden layers, [1, 4]
  float lr = 2e-3f;         // Adam, (0, 0.1]
  int batch = 256;          // [16, 4096]
  uint64_t seed = 0;
};

// The options of a parsed link (its fields: cov1d_fields() in cov1d.cc; the parser keeps each in range).
Cov1dOptions cov1d_options(const Config& c);

// The four steps' numbers for one (z, Δz, δt) at time t. "true" uses the real
// density q(·, t + δt) of the flow (analytic for closed forms, integrated
// backwards along the trajectory for the learned field).
struct Derivation {
  double z, dz, dt, t;
  double f, df;           // f(z, t), f′(z, t)
  double x, x_end, dx;    // x = z + f(z)δt, x_end = (z + Δz) + f(z + Δz)δt, Δx = x_end − x
  double dx_linear;       // Δz (1 + f′(z) δt)                          (step 3)
  double mass_z, mass_x;  // ∫ q(·, t) over [z, z+Δz]; ∫ q(·, t+δt) over [x, x+Δx]   (step 1)
  double q_z, q_x;        // q(z, t), q(x, t + δt)
  double ratio_interval;  // Δz / Δx          ≈ q(x, t+δt) / q(z, t)
  double ratio_linear;    // 1 / (1 + f′δt)
  double ratio_true;      // q(x, t+δt) / q(z, t)
  double rate_interval;   // ln(Δz/Δx) / δt                             (step 4, finite Δz)
  double rate_linear;     // −ln(1 + f′δt) / δt                         (step 4, Δz → 0)
  double rate_true;       // (ln q(x, t+δt) − ln q(z, t)) / δt
  double target;          // −f′(z)
  double err_interval, err_linear, err_true;  // |rate − target|
};

// Particles pushed from t0 = 0 to T: positions and ln q integrated along each
// (d ln q/dt = −f′), at snapshots + 1 equally spaced times; log_q_exact is the
// analytic ln q(z(t), t) (NaN for the learned field). All arrays are
// (snapshots + 1) × n, time-major.
struct Particles {
  int n = 0, snapshots = 0;
  double T = 0;
  std::vector<double> times, z, log_q, log_q_exact;
  double max_abs_err = 0;  // max |log_q − log_q_exact| at the final time (NaN if no analytic)
};

class Cov1d : public RunFileModel<Cov1d> {
  friend class RunFileModel<Cov1d>;  // save() and load() read sections()

 public:
  explicit Cov1d(const Cov1dOptions& o);
  const Cov1dOptions& options() const { return o_; }
  Field1D field() const { return Field1D(o_.field); }
  bool has_analytic() const { return field() != Field1D::Learned; }

  // f and ∂f/∂z at n points (batched so the learned field runs one MLP pass).
  void eval(const double* z, int n, double t, double* f, double* df) const;
  double f(double z, double t) const;
  double df(double z, double t) const;

  // Learned field: `steps` Adam steps on the CFM loss; returns their mean loss
  // (0 for a closed-form field). losses() keeps every step's loss.
  double train(int steps);
  long step() const { return ts_.step; }
  const std::vector<float>& losses() const { return ts_.losses; }
  // The learned field's MLP (no parameters for a closed-form field).
  Mlp& net() { return net_; }

  // Checkpoint (core/checkpoint.h): the link it was made from, θ, Adam's
  // moments, step, RNG, losses. load() refuses another model's checkpoint or
  // one whose sizes do not match this field/architecture.
  // save(link) and load(data, error): RunFileModel (core/run_file.h), a file of
  // this kind (kRunWhat names the model in messages).
  static constexpr const char* kRunKind = "cov1d";
  static constexpr const char* kRunWhat = "the 1D change of variables";

  // The start density and the density at time t (analytic if the field has
  // a closed-form solution, else ln q0(z0) − ∫ f′ along the trajectory
  // integrated back to t = 0 with `back_steps` RK4 steps per unit time).
  double log_q0(double z) const;
  double log_q(double x, double t) const;
  double cdf(double x, double t) const;  // P(Z_t ≤ x), via the (monotone) flow
  // The point at time 0 that lands on x at time t, and dz0/dx.
  double preimage(double x, double t, double* dz0_dx = nullptr) const;
  // The exact position at t of a point z0 at time 0 (closed forms only, else
  // RK4 with fine steps).
  double flow(double z0, double t) const;

  Derivation derive(double z, double dz, double dt, double t) const;
  // δt = dt_max, dt_max/2, … (count values); each row a Derivation.
  std::vector<Derivation> dt_sweep(double z, double dz, double t, double dt_max, int count) const;

  // n draws from N(μ0, σ0²) (the sampling stream of the seed).
  std::vector<double> source_samples(int n) const;
  // Pushes z0 to time T with `steps` steps of Euler (solver 0) or RK4 (1) on
  // the joint state (z, ln q).
  Particles push(const std::vector<double>& z0, double T, int steps, int solver, int snapshots) const;

  int back_steps = 400;

 private:
  void sample_target(Rng& rng, int n, float* x1) const;
  // The training state, section by section (core/run_file.h).
  void sections(RunFile& f);
  Cov1dOptions o_;
  mutable Mlp net_;  // forward/jvp cache activations
  Adam adam_;
  TrainState ts_;
};

// Least-squares slope of ln y against ln x over the pairs where both logs are
// finite: the order of an error in δt.
double log_log_slope(const std::vector<double>& x, const std::vector<double>& y);
// The window of a histogram of x: its order statistics at 0.2 % and 99.8 %,
// widened by 15 % of their distance on each side.
std::array<double, 2> histogram_window(std::vector<double> x);
// L1 distance Σ_i |h_i − q_i| · width between a density histogram and a
// density q at its bin centres.
double l1_distance(const std::vector<double>& h, const std::vector<double>& q, double width);

// Density histogram of x over [lo, hi) in `bins` bins (counts / (n · width)).
std::vector<double> histogram(const std::vector<double>& x, size_t offset, size_t n, double lo, double hi, int bins);

}  // namespace flowlab
