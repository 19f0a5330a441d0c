// 1D instantaneous change of variables: fields, exact solutions, the four
// derivation steps, and particles carrying ln q. See cov1d.h for the math.
#include "cov1d.h"

#include "cfm.h"
#include "ode.h"
#include "run_file.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace flowlab {

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();
const double kPi = 3.141592653589793;

double log_normal(double z, double mu, double s) {
  const double u = (z - mu) / s;
  return -0.5 * u * u - std::log(s) - 0.5 * std::log(2 * kPi);
}
double normal_cdf(double z, double mu, double s) { return 0.5 * std::erfc(-(z - mu) / (s * std::sqrt(2.0))); }

// The joint state (z, L) of n particles with dz/dt = f(z, t), dL/dt = −f′(z, t).
struct Joint {
  const Cov1d& c;
  std::vector<double>& z;
  std::vector<double>& L;
  int n;
  std::vector<double> f, df, zt, kz, kL;
  Joint(const Cov1d& c_, std::vector<double>& z_, std::vector<double>& L_)
      : c(c_), z(z_), L(L_), n(int(z_.size())), f(n), df(n), zt(n), kz(n), kL(n) {}
  void slope(bool at_stage, double t) { c.eval(at_stage ? zt.data() : z.data(), n, t, f.data(), df.data()); }
  void stage(double a) {
    for (int i = 0; i < n; ++i) zt[i] = z[i] + a * f[i];
  }
  void advance(double a) {
    for (int i = 0; i < n; ++i) {
      z[i] += a * f[i];
      L[i] -= a * df[i];
    }
  }
  void clear_sum() {
    std::fill(kz.begin(), kz.end(), 0.0);
    std::fill(kL.begin(), kL.end(), 0.0);
  }
  void add_to_sum(double w) {
    for (int i = 0; i < n; ++i) {
      kz[i] += w * f[i];
      kL[i] -= w * df[i];
    }
  }
  void advance_sum(double a) {
    for (int i = 0; i < n; ++i) {
      z[i] += a * kz[i];
      L[i] += a * kL[i];
    }
  }
};

// Integrates (z, L) from t0 to t1 (t1 < t0 runs backwards) with `steps`
// steps of Euler (solver 0) or RK4 (any other). snap(k, t) is called after
// step k (and with k = 0 before the first step).
template <class Snap>
void integrate_joint(const Cov1d& c, std::vector<double>& z, std::vector<double>& L, double t0, double t1, int steps,
                     int solver, Snap snap) {
  Joint j(c, z, L);
  snap(0, t0);
  fixed_steps(t0, t1, steps, 0, steps, [&](int s, double t, double h) {
    ode_step(j, solver == 0 ? Solver::Euler : Solver::Rk4, t, h);
    snap(s + 1, t + h);
  });
}

}  // namespace

Cov1d::Cov1d(const Cov1dOptions& o) : o_(o), ts_(o.seed, kStreamTrain) {
  if (field() == Field1D::Learned) {
    std::vector<int> dims = {2};
    for (int l = 0; l < std::max(1, o_.depth); ++l) dims.push_back(o_.hidden);
    dims.push_back(1);
    net_ = Mlp(dims);
    Rng init(o_.seed, kStreamInit);
    net_.init(init);
    adam_.reset(net_.num_params());
  }
}

void Cov1d::eval(const double* z, int n, double t, double* f, double* df) const {
  switch (field()) {
    case Field1D::Linear:
      for (int i = 0; i < n; ++i) {
        f[i] = -o_.lambda * z[i];
        df[i] = -o_.lambda;
      }
      return;
    case Field1D::Sine:
      for (int i = 0; i < n; ++i) {
        f[i] = o_.alpha * std::sin(o_.omega * z[i]);
        df[i] = o_.alpha * o_.omega * std::cos(o_.omega * z[i]);
      }
      return;
    case Field1D::Split:
      for (int i = 0; i < n; ++i) {
        f[i] = o_.beta * (z[i] - z[i] * z[i] * z[i]);
        df[i] = o_.beta * (1 - 3 * z[i] * z[i]);
      }
      return;
    case Field1D::Learned: {
      // v_θ(z, t) and ∂v/∂z by one forward-mode pass with direction (1, 0).
      std::vector<float> in(2 * size_t(n)), u(2 * size_t(n), 0.0f), y(n), ju(n);
      for (int i = 0; i < n; ++i) {
        in[2 * i] = float(z[i]);
        in[2 * i + 1] = float(t);
        u[2 * i] = 1.0f;
      }
      net_.jvp(in.data(), u.data(), n, y.data(), ju.data());
      for (int i = 0; i < n; ++i) {
        f[i] = y[i];
        df[i] = ju[i];
      }
      return;
    }
  }
}

double Cov1d::f(double z, double t) const {
  double f, d;
  eval(&z, 1, t, &f, &d);
  return f;
}

double Cov1d::df(double z, double t) const {
  double f, d;
  eval(&z, 1, t, &f, &d);
  return d;
}

void Cov1d::sample_target(Rng& rng, int n, float* x1) const {
  for (int i = 0; i < n; ++i) {
    const double m = rng.uniform() < o_.target_w1 ? o_.target_m1 : o_.target_m2;
    x1[i] = float(m + o_.target_s * rng.normal());
  }
}

double Cov1d::train(int steps) {
  if (field() != Field1D::Learned || steps <= 0) return 0.0;
  const int B = o_.batch;
  std::vector<float> x0(B), x1(B), t(B), xt(B), in(2 * size_t(B)), dout(B), grad(net_.num_params());
  double total = 0;
  for (int s = 0; s < steps; ++s) {
    sample_target(ts_.rng, B, x1.data());
    for (int i = 0; i < B; ++i) x0[i] = float(o_.mu0 + o_.sigma0 * ts_.rng.normal());
    for (int i = 0; i < B; ++i) t[i] = ts_.rng.uniform();
    // L_CFM: v_θ(ψ_t, t) regressed on x1 − x0.
    cfm_path(x0.data(), x1.data(), t.data(), B, 1, xt.data());
    for (int i = 0; i < B; ++i) {
      in[2 * i] = xt[i];
      in[2 * i + 1] = t[i];
    }
    const float* v = net_.forward(in.data(), B);
    const double loss = cfm_residual(v, x0.data(), x1.data(), B, 1, dout.data());
    for (float& e : dout) e = 2.0f * e / float(B);
    std::fill(grad.begin(), grad.end(), 0.0f);
    net_.backward(dout.data(), grad.data());
    adam_.step(net_.params(), grad.data(), o_.lr);
    ++ts_.step;
    ts_.losses.push_back(float(loss / B));
    total += loss / B;
  }
  return total / steps;
}

double Cov1d::log_q0(double z) const { return log_normal(z, o_.mu0, o_.sigma0); }

double Cov1d::preimage(double x, double t, double* dz0_dx) const {
  double z0 = kNaN, d = kNaN;
  switch (field()) {
    case Field1D::Linear:
      z0 = x * std::exp(o_.lambda * t);
      d = std::exp(o_.lambda * t);
      break;
    case Field1D::Sine: {
      // Every interval between zeros of sin(ωz) is invariant; atan2 keeps the
      // quadrant of φ = ωx/2, and k restores the 2π period.
      const double w = o_.omega, c = o_.alpha * w * t, phi = 0.5 * w * x;
      const double s = std::sin(phi), co = std::cos(phi);
      const double k = std::round((phi - std::atan2(s, co)) / (2 * kPi));
      z0 = (2 / w) * (std::atan2(s * std::exp(-c), co) + 2 * kPi * k);
      d = std::exp(-c) / (co * co + s * s * std::exp(-2 * c));
      break;
    }
    case Field1D::Split: {
      // u = z² follows the logistic du/dt = 2βu(1 − u).
      const double E = std::exp(-2 * o_.beta * t), u = x * x, D = 1 - u + u * E;
      if (D <= 0) {  // no start point reaches x by time t
        z0 = x > 0 ? kInf : -kInf;
        d = 0;
      } else {
        z0 = x * std::exp(-o_.beta * t) / std::sqrt(D);
        d = std::exp(-o_.beta * t) / (D * std::sqrt(D));
      }
      break;
    }
    case Field1D::Learned: {
      std::vector<double> z = {x}, L = {0.0};
      const int steps = int(std::ceil(std::fabs(t) * back_steps));
      integrate_joint(*this, z, L, t, 0.0, steps, 1, [](int, double) {});
      z0 = z[0];
      d = std::exp(-L[0]);  // run backwards, L(0) = ∫_0^t f′ ds = ln dx/dz0
      break;
    }
  }
  if (dz0_dx) *dz0_dx = d;
  return z0;
}

double Cov1d::log_q(double x, double t) const {
  double d;
  const double z0 = preimage(x, t, &d);
  if (!std::isfinite(z0) || !(d > 0)) return -kInf;
  return log_q0(z0) + std::log(d);
}

double Cov1d::cdf(double x, double t) const { return normal_cdf(preimage(x, t), o_.mu0, o_.sigma0); }

double Cov1d::flow(double z0, double t) const {
  switch (field()) {
    case Field1D::Linear: return z0 * std::exp(-o_.lambda * t);
    case Field1D::Sine: {
      const double w = o_.omega, c = o_.alpha * w * t, phi = 0.5 * w * z0;
      const double s = std::sin(phi), co = std::cos(phi);
      const double k = std::round((phi - std::atan2(s, co)) / (2 * kPi));
      return (2 / w) * (std::atan2(s * std::exp(c), co) + 2 * kPi * k);
    }
    case Field1D::Split: {
      const double u0 = z0 * z0, e = std::exp(2 * o_.beta * t);
      return z0 * std::exp(o_.beta * t) / std::sqrt(1 - u0 + u0 * e);
    }
    case Field1D::Learned: {
      std::vector<double> z = {z0}, L = {0.0};
      integrate_joint(*this, z, L, 0.0, t, int(std::ceil(std::fabs(t) * back_steps)), 1, [](int, double) {});
      return z[0];
    }
  }
  return kNaN;
}

Derivation Cov1d::derive(double z, double dz, double dt, double t) const {
  Derivation d;
  d.z = z;
  d.dz = dz;
  d.dt = dt;
  d.t = t;
  double zz[2] = {z, z + dz}, ff[2] = {0, 0}, dd[2] = {0, 0};
  eval(zz, 2, t, ff, dd);
  d.f = ff[0];
  d.df = dd[0];
  // Step 3: the Euler map of both ends.
  d.x = z + ff[0] * dt;
  d.x_end = z + dz + ff[1] * dt;
  d.dx = d.x_end - d.x;
  d.dx_linear = dz * (1 + d.df * dt);
  // Step 1: the mass in both intervals under the flow's real densities.
  d.mass_z = cdf(z + dz, t) - cdf(z, t);
  d.mass_x = cdf(d.x_end, t + dt) - cdf(d.x, t + dt);
  const double lz = log_q(z, t), lx = log_q(d.x, t + dt);
  d.q_z = std::exp(lz);
  d.q_x = std::exp(lx);
  // Steps 2 and 4.
  d.ratio_interval = dz / d.dx;
  d.ratio_linear = 1 / (1 + d.df * dt);
  d.ratio_true = std::exp(lx - lz);
  d.target = -d.df;
  d.rate_interval = std::log(d.ratio_interval) / dt;
  d.rate_linear = 1 + d.df * dt > 0 ? -std::log1p(d.df * dt) / dt : kNaN;
  d.rate_true = (lx - lz) / dt;
  d.err_interval = std::fabs(d.rate_interval - d.target);
  d.err_linear = std::fabs(d.rate_linear - d.target);
  d.err_true = std::fabs(d.rate_true - d.target);
  return d;
}

std::vector<Derivation> Cov1d::dt_sweep(double z, double dz, double t, double dt_max, int count) const {
  std::vector<Derivation> rows;
  double dt = dt_max;
  for (int k = 0; k < count; ++k, dt *= 0.5) rows.push_back(derive(z, dz, dt, t));
  return rows;
}

std::vector<double> Cov1d::source_samples(int n) const {
  Rng rng(o_.seed, kStreamSample);
  std::vector<double> z(n);
  for (auto& x : z) x = o_.mu0 + o_.sigma0 * rng.normal();
  return z;
}

Particles Cov1d::push(const std::vector<double>& z0, double T, int steps, int solver, int snapshots) const {
  Particles p;
  p.n = int(z0.size());
  p.T = T;
  steps = std::max(1, steps);
  snapshots = std::max(1, std::min(snapshots, steps));
  p.snapshots = snapshots;
  std::vector<double> z = z0, L(z0.size());
  for (size_t i = 0; i < z.size(); ++i) L[i] = log_q0(z[i]);
  // Snapshot after step k when k·snapshots/steps crosses an integer.
  int next = 0;
  integrate_joint(*this, z, L, 0.0, T, steps, solver, [&](int k, double t) {
    if (long(k) * snapshots < long(next) * steps) return;
    p.times.push_back(t);
    p.z.insert(p.z.end(), z.begin(), z.end());
    p.log_q.insert(p.log_q.end(), L.begin(), L.end());
    for (size_t i = 0; i < z.size(); ++i) p.log_q_exact.push_back(has_analytic() ? log_q(z[i], t) : kNaN);
    ++next;
  });
  p.max_abs_err = has_analytic() ? 0.0 : kNaN;
  if (has_analytic()) {
    const size_t off = size_t(p.snapshots) * p.n;
    for (int i = 0; i < p.n; ++i)
      p.max_abs_err = std::max(p.max_abs_err, std::fabs(p.log_q[off + i] - p.log_q_exact[off + i]));
  }
  return p;
}

}  // namespace flowlab

namespace flowlab {

Cov1dOptions cov1d_options(const Config& c) {
  Cov1dOptions o;
  o.field = int(c.cov_field);
  o.lambda = c.cov_lambda;
  o.alpha = c.cov_alpha;
  o.omega = c.cov_omega;
  o.beta = c.cov_beta;
  o.mu0 = c.cov_mu0;
  o.sigma0 = c.cov_sigma0;
  o.target_m1 = c.cov_m1;
  o.target_m2 = c.cov_m2;
  o.target_s = c.cov_s;
  o.target_w1 = c.cov_w1;
  o.hidden = int(c.cov_hidden);
  o.depth = int(c.cov_depth);
  o.lr = float(c.cov_lr);
  o.batch = int(c.cov_batch);
  o.seed = uint64_t(c.seed);
  return o;  // within bounds: the link parser keeps every field in its range
}

// The link fields of this exercise (core/config.h), in link order: a table, one row each.
const std::vector<FieldSpec>& cov1d_fields() {
  // clang-format off
  static const std::vector<FieldSpec> f = {
    {"field", "field f(z)", "velocity field of the 1D flow", &Config::cov_field, 0, 3, true, {"linear", "sine", "split", "learned"}, "model", "cov1d"},
    {"lambda", "λ", "linear field f = −λz", &Config::cov_lambda, -5, 5, false, {}, "model", "cov1d"},
    {"alpha", "α", "sine field f = α sin(ωz)", &Config::cov_alpha, -5, 5, false, {}, "model", "cov1d"},
    {"omega", "ω", "sine field frequency", &Config::cov_omega, 0.1, 10, false, {}, "model", "cov1d"},
    {"beta", "β", "split field f = β(z − z³)", &Config::cov_beta, -5, 5, false, {}, "model", "cov1d"},
    {"mu0", "μ0", "mean of the density at t = 0", &Config::cov_mu0, -5, 5, false, {}, "data", "cov1d"},
    {"sigma0", "σ0", "spread of the density at t = 0", &Config::cov_sigma0, 0.05, 5, false, {}, "data", "cov1d"},
    {"m1", "target m1", "learned field: first mixture mean", &Config::cov_m1, -5, 5, false, {}, "data", "cov1d"},
    {"m2", "target m2", "learned field: second mixture mean", &Config::cov_m2, -5, 5, false, {}, "data", "cov1d"},
    {"s", "target s", "learned field: mixture spread", &Config::cov_s, 0.05, 3, false, {}, "data", "cov1d"},
    {"w1", "target w1", "learned field: weight of the first component", &Config::cov_w1, 0.01, 0.99, false, {}, "data", "cov1d"},
    {"hidden", "hidden width", "learned field: MLP width", &Config::cov_hidden, 4, 512, true, {}, "training", "cov1d"},
    {"depth", "hidden layers", "learned field: MLP hidden layers", &Config::cov_depth, 1, 4, true, {}, "training", "cov1d"},
    {"lr", "learning rate", "learned field: Adam learning rate", &Config::cov_lr, 1e-6, 0.1, false, {}, "training", "cov1d"},
    {"batch", "batch size", "learned field: batch size", &Config::cov_batch, 16, 4096, true, {}, "training", "cov1d"},
    {"steps", "steps", "learned field: training steps", &Config::cov_steps, 1, 1000000, true, {}, "training", "cov1d"},
  };
  // clang-format on
  return f;
}

void Cov1d::sections(RunFile& f) {
  f.f32("params", net_.params(), net_.num_params());
  f.adam("adam", adam_);
  f.words("state", {RunFile::adam_t(adam_), RunFile::step(ts_.step),
                    RunFile::equal(uint64_t(o_.field), "checkpoint is of another field"),
                    RunFile::stream(ts_.rng, "training stream")});
  f.losses(ts_.losses);
}

}  // namespace flowlab
