// Thin embind layer over core/cov1d.h. Results leave as plain objects holding
// copied Float64Arrays (safe across memory growth).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "bind_contract.h"
#include "bind_val.h"
#include "config.h"
#include "cov1d.h"

using namespace emscripten;
using namespace flowlab;

namespace {

val derivation_object(const Derivation& d) {
  return flowlab_bind::object("z", d.z, "dz", d.dz, "dt", d.dt, "t", d.t, "f", d.f, "df", d.df, "x", d.x, "xEnd",
                              d.x_end, "dx", d.dx, "dxLinear", d.dx_linear, "massZ", d.mass_z, "massX", d.mass_x, "qZ",
                              d.q_z, "qX", d.q_x, "ratioInterval", d.ratio_interval, "ratioLinear", d.ratio_linear,
                              "ratioTrue", d.ratio_true, "rateInterval", d.rate_interval, "rateLinear", d.rate_linear,
                              "rateTrue", d.rate_true, "target", d.target, "errInterval", d.err_interval, "errLinear",
                              d.err_linear, "errTrue", d.err_true);
}

val particles_object(const Particles& p) {
  return flowlab_bind::object("n", p.n, "snapshots", p.snapshots, "T", p.T, "times", flowlab_bind::to_js(p.times), "z",
                              flowlab_bind::to_js(p.z), "logQ", flowlab_bind::to_js(p.log_q), "logQExact",
                              flowlab_bind::to_js(p.log_q_exact), "maxAbsErr", p.max_abs_err);
}

struct Cov1dHandle {
  // From a link ("v=1&ex=cov1d&field=learned&…"): its fields are core/cov1d.h's options.
  explicit Cov1dHandle(const std::string& link) : c(cov1d_options(parse_link(link, nullptr))) {}
  Cov1d c;

  // The contract (bind_contract.h): θ is the learned field's MLP (none for a
  // closed-form field, whose train(n) does nothing).
  Cov1d& core() { return c; }
  void train_steps(int n) { c.train(n); }
  const std::vector<float>& train_losses() const { return c.losses(); }
  size_t num_params() { return c.net().num_params(); }
  void copy_params(float* p) { std::copy_n(c.net().params(), num_params(), p); }
  void set_param(size_t i, float v) { c.net().params()[i] = v; }

  int field() const { return c.options().field; }
  bool has_analytic() const { return c.has_analytic(); }
  // {f, df} at the given points and time.
  val field_at(val zs, double t) {
    const std::vector<double> z = convertJSArrayToNumberVector<double>(zs);
    std::vector<double> f(z.size()), df(z.size());
    c.eval(z.data(), int(z.size()), t, f.data(), df.data());
    return flowlab_bind::object("f", flowlab_bind::to_js(f), "df", flowlab_bind::to_js(df));
  }
  // ln q(x, t) at the given points (analytic, or integrated back to t = 0).
  val log_q(val xs, double t) {
    const std::vector<double> x = convertJSArrayToNumberVector<double>(xs);
    std::vector<double> out(x.size());
    for (size_t i = 0; i < x.size(); ++i) out[i] = c.log_q(x[i], t);
    return flowlab_bind::to_js(out);
  }
  val derive(double z, double dz, double dt, double t) { return derivation_object(c.derive(z, dz, dt, t)); }
  // δt = dtMax, dtMax/2, …: an array of derivation objects.
  val dt_sweep(double z, double dz, double t, double dt_max, int count) {
    val a = val::array();
    for (const Derivation& d : c.dt_sweep(z, dz, t, dt_max, std::max(1, std::min(count, 40))))
      a.call<void>("push", derivation_object(d));
    return a;
  }
  // n particles from N(μ0, σ0²) (seeded) pushed to T; solver 0 Euler, 1 RK4.
  val push(int n, double T, int steps, int solver, int snapshots) {
    return particles_object(c.push(c.source_samples(std::max(1, n)), T, steps, solver, snapshots));
  }
  // The same for given start points (e.g. a grid, for a density curve).
  val push_points(val z0s, double T, int steps, int solver, int snapshots) {
    return particles_object(c.push(convertJSArrayToNumberVector<double>(z0s), T, steps, solver, snapshots));
  }
};

// Density histogram of xs over [lo, hi) in `bins` bins.
val cov1d_histogram(val xs, double lo, double hi, int bins) {
  const std::vector<double> x = convertJSArrayToNumberVector<double>(xs);
  return flowlab_bind::to_js(histogram(x, 0, x.size(), lo, hi, bins));
}

double cov1d_log_log_slope(val xs, val ys) {
  return log_log_slope(convertJSArrayToNumberVector<double>(xs), convertJSArrayToNumberVector<double>(ys));
}
val cov1d_histogram_window(val xs) {
  const std::array<double, 2> w = histogram_window(convertJSArrayToNumberVector<double>(xs));
  return flowlab_bind::to_js(w.data(), w.size());
}
double cov1d_l1_distance(val h, val q, double width) {
  return l1_distance(convertJSArrayToNumberVector<double>(h), convertJSArrayToNumberVector<double>(q), width);
}

}  // namespace

EMSCRIPTEN_BINDINGS(flowlab_cov1d) {
  FLOWLAB_FUNCTIONS(&cov1d_histogram, &cov1d_log_log_slope, &cov1d_histogram_window, &cov1d_l1_distance);
  using H = Cov1dHandle;
  const auto cls = flowlab_bind::bind_contract<H>("Cov1d").constructor<std::string>();
  FLOWLAB_METHODS(cls, &H::field, &H::has_analytic, &H::field_at, &H::log_q, &H::derive, &H::dt_sweep, &H::push,
                  &H::push_points);
}
