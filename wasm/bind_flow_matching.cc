// Thin embind layer over core/flow_matching.h. Arrays leave as copies (bind_val.h to_js).
#include <emscripten/bind.h>

#include <emscripten/val.h>
#include "bind_contract.h"
#include "bind_val.h"

#include "config.h"
#include "datasets.h"
#include "flow_matching.h"
#include "fm_ot.h"
#include "loglik.h"
#include "ode.h"
#include "quality.h"

using namespace emscripten;
using namespace flowlab;

namespace {

struct FlowMatchingHandle {
  explicit FlowMatchingHandle(const std::string& link) : model(parse_link(link, nullptr)) {}
  FlowMatching model;
  std::string saved;

  // The contract (bind_contract.h): θ is the MLP's flat parameter vector.
  FlowMatching& core() { return model; }
  void train_steps(int n) {
    for (int i = 0; i < n; ++i) model.train_step();
  }
  const std::vector<float>& train_losses() const { return model.losses(); }
  size_t num_params() { return model.net().num_params(); }
  void copy_params(float* p) { std::copy_n(model.net().params(), num_params(), p); }
  void set_param(size_t i, float v) { model.net().params()[i] = v; }
  val sample(int n, int steps, int solver) { return flowlab_bind::to_js(model.sample(n, steps, Solver(solver))); }
  // sample(n, steps, solver) in slices: sampleBegin, then sampleSteps over
  // [0, steps) in any slices, then sampleEnd: the bits of sample().
  // sampleClassBegin(n, cls) likewise for sampleClass(n, cls, steps, solver).
  SampleSlices job;
  void sample_begin(int n) { job.begin(model, std::clamp(n, 1, 1000000)); }
  void sample_class_begin(int n, int cls) {
    n = std::clamp(n, 1, 1000000);
    job.begin(model, n, classes(n, cls));
  }
  void sample_steps(int steps, int from, int to, int solver) {
    job.steps(model, std::clamp(steps, 1, 100000), from, to, Solver(solver));
  }
  val sample_end() {
    const val v = flowlab_bind::to_js(job.x);
    job = {};
    return v;
  }
  // (steps + 1) × n × 2 positions from t = 0 to 1 of the first n noise points.
  val trajectories(int n, int steps, int solver) {
    std::vector<float> traj;
    model.sample(n, steps, Solver(solver), &traj);
    return flowlab_bind::to_js(traj);
  }
  // Integrates given points (flat x,y pairs) from t0 to t1; returns the
  // trajectory, (steps + 1) × n × 2.
  val flow(val points, float t0, float t1, int steps, int solver) {
    std::vector<float> x = convertJSArrayToNumberVector<float>(points);
    std::vector<float> traj;
    model.flow(x.data(), int(x.size() / 2), t0, t1, steps, Solver(solver), &traj);
    return flowlab_bind::to_js(traj);
  }
  // round_trip (core/flow_matching.h) of points (flat x,y pairs): {back, x0, errors, mean}.
  val round_trip(val points, int steps) {
    const std::vector<float> x = convertJSArrayToNumberVector<float>(points);
    const RoundTrip r = flowlab::round_trip(model, x.data(), int(x.size() / 2), std::clamp(steps, 1, 100000));
    return flowlab_bind::object("back", flowlab_bind::to_js(r.back), "x0", flowlab_bind::to_js(r.x0), "errors",
                                flowlab_bind::to_js(r.errors), "mean", r.mean);
  }
  // v(x, t) at given points (flat x,y pairs).
  val velocity(val points, float t) {
    std::vector<float> x = convertJSArrayToNumberVector<float>(points);
    std::vector<float> v(x.size());
    model.velocity(x.data(), t, int(x.size() / 2), v.data());
    return flowlab_bind::to_js(v);
  }
  // Sheet 000 §3(b): v(x, 0) vs v*(x, 0) = E[x1] − x on an m × m grid.
  val field_at_zero(int m, double half, int n_data) {
    const FieldAtZero f = flowlab::field_at_zero(model, std::clamp(m, 2, 101), half, std::clamp(n_data, 1, 1 << 22));
    return flowlab_bind::object("m", f.m, "x", flowlab_bind::to_js(f.x), "v", flowlab_bind::to_js(f.v), "vStar",
                                flowlab_bind::to_js(f.v_star), "meanX1",
                                flowlab_bind::to_js({f.mean_x1[0], f.mean_x1[1]}), "meanExact", f.mean_exact,
                                "excluded", f.excluded, "meanRelErr", f.mean_rel_err, "meanAbsErr", f.mean_abs_err,
                                "meanStar", f.mean_star, "ratioOfMeans", f.ratio_of_means);
  }
  // Checkerboard quality (core/quality.h): exact NLL on k × k cells per square
  // (ode_steps midpoint steps), KL gap to ln 32, fraction of `points` on the squares.
  val checkerboard_quality(val points, int k, int ode_steps) {
    const std::vector<float> x = convertJSArrayToNumberVector<float>(points);
    const CheckerboardQuality q = flowlab::checkerboard_quality(model, x.data(), int(x.size() / 2),
                                                                std::clamp(k, 2, 64), std::clamp(ode_steps, 1, 1000));
    return flowlab_bind::object("nll", q.nll, "optimum", q.optimum, "klGap", q.kl_gap, "onSquares", q.on_squares,
                                "cells", q.cells, "odeSteps", q.ode_steps, "maxKl", kCheckerboardMaxKl, "minOnSquares",
                                kCheckerboardMinOnSquares, "ok", q.ok, "advice", q.advice);
  }
  // Rings by class: accuracy of samples (flat x,y pairs) asked for class cls
  // (−1: i mod 5) against the data's own nearest-ring ceiling.
  val class_quality(val points, int cls) {
    const std::vector<float> x = convertJSArrayToNumberVector<float>(points);
    const std::vector<int> c = classes(int(x.size() / 2), cls);
    const RingsClassQuality q = rings_class_quality(model.rings(), x.data(), c.data(), int(c.size()));
    return flowlab_bind::object("accuracy", q.accuracy, "ceiling", q.ceiling, "gap", q.gap, "maxGap",
                                kRingsMaxAccuracyGap, "n", q.n, "ok", q.ok, "advice", q.advice);
  }
  // Conditional rings: exact per-class W2 of n samples at nfe Euler steps to ring data (core/fm_ot.h).
  val class_w2(int nfe, int n) {
    const ClassW2 w = flowlab::class_w2(model, std::clamp(nfe, 1, 1000), std::clamp(n, 2, 2000));
    return flowlab_bind::object("nfe", w.nfe, "mean", w.mean, "perClass", flowlab_bind::to_js(w.per_class), "classes",
                                flowlab_bind::to_js(w.classes));
  }
  // Rings, unconditional: NLL of n fresh data points against their exact entropy (core/quality.h).
  val rings_quality(int n, int ode_steps) {
    const RingsNllQuality q = rings_nll_quality(model, std::clamp(n, 5, 100000), std::clamp(ode_steps, 1, 1000));
    return flowlab_bind::object("nll", q.nll, "entropy", q.entropy, "gap", q.gap, "maxGap", kRingsMaxNllGap, "n", q.n,
                                "odeSteps", q.ode_steps, "ok", q.ok, "advice", q.advice);
  }
  // Your own points: the model's NLL of its first n training points (core/quality.h).
  val own_quality(int n, int ode_steps) {
    const OwnNllQuality q = own_nll_quality(model, std::clamp(n, 1, 100000), std::clamp(ode_steps, 1, 1000));
    return flowlab_bind::object("nll", q.nll, "n", q.n, "odeSteps", q.ode_steps);
  }
  bool own_data() const { return model.rings().own; }
  // ln p_1 of points (flat x,y pairs) by the instantaneous change of variables.
  val log_density(val points, int steps, int solver) {
    const std::vector<float> x = convertJSArrayToNumberVector<float>(points);
    return flowlab_bind::to_js(
        model.log_density(x.data(), int(x.size() / 2), std::clamp(steps, 1, 10000), Solver(solver)));
  }
  // ln p_1 on an m × m grid of cell centres over [lo, hi]² (rows = y ascending) and ∫ p.
  val density_grid(int m, float lo, float hi, int steps, int solver) {
    const DensityGrid g = flowlab::density_grid(
        [this](const float* x, float t, int n, float* v, float* div) { model.velocity_div(x, t, n, nullptr, v, div); },
        std::clamp(m, 2, 300), lo, hi, std::clamp(steps, 1, 10000), Solver(solver));
    return flowlab_bind::object("m", g.m, "lo", g.lo, "hi", g.hi, "logP", flowlab_bind::to_js(g.log_p), "integral",
                                g.integral);
  }
  // Olympic rings (seed 003 §2). Classes for n points: cls in 0..4 for all,
  // −1 for class i mod 5 (your own points: the class of point i mod N, so
  // only classes drawn, in the data's proportions).
  std::vector<int> classes(int n, int cls) const {
    std::vector<int> c(n);
    const Rings& R = model.rings();
    for (int i = 0; i < n; ++i)
      c[i] = cls >= 0 ? cls % Rings::kClasses : R.own ? R.label[size_t(i) % R.label.size()] : i % Rings::kClasses;
    return c;
  }
  // The classes asked for by sampleClass(n, cls, …) (a copy).
  val classes_of(int n, int cls) { return flowlab_bind::to_js(classes(std::clamp(n, 1, 1000000), cls)); }
  val sample_class(int n, int cls, int steps, int solver) {
    const std::vector<int> c = classes(n, cls);
    return flowlab_bind::to_js(model.sample(n, steps, Solver(solver), nullptr, c.data()));
  }
  val trajectories_class(int n, int cls, int steps, int solver) {
    const std::vector<int> c = classes(n, cls);
    std::vector<float> traj;
    model.sample(n, steps, Solver(solver), &traj, c.data());
    return flowlab_bind::to_js(traj);
  }
  // The training data set (standardised x,y pairs) and its class labels.
  val rings_data() { return flowlab_bind::to_js(model.rings().x); }
  val rings_labels() { return flowlab_bind::to_js(model.rings().label); }
  // The rings' entropy in this data set's standardisation (the floor of any NLL; rings exercises only).
  double rings_entropy() const { return flowlab::rings_entropy(model.rings()); }
  // Nearest ring of each point (flat x,y pairs).
  val nearest_ring(val points) {
    const std::vector<float> x = convertJSArrayToNumberVector<float>(points);
    labels.resize(x.size() / 2);
    for (size_t i = 0; i < labels.size(); ++i) labels[i] = model.rings().nearest_ring(&x[2 * i]);
    return flowlab_bind::to_js(labels);
  }
  bool conditional() const { return model.conditional(); }
  std::vector<int> labels;
};

// Fraction of points (flat x,y pairs) on the checkerboard's filled squares.
double checkerboard_fraction(val points) {
  const std::vector<float> x = convertJSArrayToNumberVector<float>(points);
  const size_t n = x.size() / 2;
  size_t on = 0;
  for (size_t i = 0; i < n; ++i) on += on_checkerboard(x[2 * i], x[2 * i + 1]);
  return n ? double(on) / double(n) : 0.0;
}

}  // namespace

EMSCRIPTEN_BINDINGS(flowlab_flow_matching) {
  FLOWLAB_FUNCTIONS(&checkerboard_fraction);
  using H = FlowMatchingHandle;
  const auto cls = flowlab_bind::bind_contract<H>("FlowMatching").constructor<std::string>();
  FLOWLAB_METHODS(cls, &H::sample, &H::trajectories, &H::flow, &H::velocity, &H::round_trip, &H::field_at_zero,
                  &H::checkerboard_quality, &H::class_quality, &H::rings_quality, &H::log_density, &H::density_grid,
                  &H::sample_begin, &H::sample_steps, &H::sample_end, &H::sample_class_begin, &H::class_w2,
                  &H::sample_class, &H::trajectories_class, &H::rings_data, &H::rings_labels, &H::rings_entropy,
                  &H::nearest_ring, &H::conditional, &H::own_quality, &H::own_data, &H::classes_of);
}
