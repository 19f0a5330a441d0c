// Thin embind layer over core/fm_ot.h: independent CFM and OT-CFM trained
// side by side (sheet 000 §3(c)). `which`: 0 independent, 1 OT. Results leave
// as copied typed arrays.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>

#include "bind_contract.h"
#include "bind_val.h"
#include "config.h"
#include "fm_ot.h"
#include "ot.h"

using namespace emscripten;
using namespace flowlab;

namespace {

struct FmOtHandle {
  explicit FmOtHandle(const std::string& link) : pair(parse_link(link, nullptr)) {}
  FlowMatchingOt pair;

  // The contract (bind_contract.h): losses are the OT model's; θ is both
  // models', independent first.
  FlowMatchingOt& core() { return pair; }
  void train_steps(int n) {
    for (int i = 0; i < n; ++i) pair.train_step();
  }
  const std::vector<float>& train_losses() { return pair.model(1).losses(); }
  size_t num_params() { return pair.num_params(); }
  void copy_params(float* p) {
    for (size_t i = 0; i < num_params(); ++i) p[i] = *pair.param(i);
  }
  void set_param(size_t i, float v) { *pair.param(i) = v; }

  val losses_of(int which, int from) {
    const auto& l = pair.model(which).losses();
    from = std::clamp(from, 0, int(l.size()));
    return flowlab_bind::to_js(std::vector<float>(l.begin() + from, l.end()));
  }
  val sample(int which, int n, int steps, int solver) {
    return flowlab_bind::to_js(pair.model(which).sample(n, steps, Solver(solver)));
  }
  // sample(which, n, steps, solver) in slices of ODE steps (the same bits).
  SampleSlices jobs[2];
  void sample_begin(int which, int n) { jobs[which & 1].begin(pair.model(which & 1), std::clamp(n, 1, 1000000)); }
  void sample_steps(int which, int steps, int from, int to, int solver) {
    jobs[which & 1].steps(pair.model(which & 1), std::clamp(steps, 1, 100000), from, to, Solver(solver));
  }
  val sample_end(int which) {
    const val v = flowlab_bind::to_js(jobs[which & 1].x);
    jobs[which & 1] = {};
    return v;
  }
  val trajectories(int which, int n, int steps, int solver) {
    std::vector<float> traj;
    pair.model(which).sample(n, steps, Solver(solver), &traj);
    return flowlab_bind::to_js(traj);
  }
  val straightness(int which, int n, int steps) {
    const Straightness s = flowlab::straightness(pair.model(which), std::clamp(n, 2, 2000), std::clamp(steps, 1, 1000));
    return flowlab_bind::object("lengthRatio", s.length_ratio, "pathEnergy", s.path_energy, "w2sq", s.w2sq, "npe",
                                s.npe);
  }
  val quality(int which, int nfe, int n) {
    const Quality q = flowlab::quality(pair.model(which), std::clamp(nfe, 1, 1000), std::clamp(n, 2, 100000));
    return flowlab_bind::object("nfe", q.nfe, "onSquares", q.on_squares, "sw2", q.sw2, "points",
                                flowlab_bind::to_js(q.points));
  }
};

// Optimal assignment of an n × n cost matrix (flat, row-major): {col, cost, u, v}.
val assignment(val cost, int n) {
  const std::vector<double> C = convertJSArrayToNumberVector<double>(cost);
  if (n < 1 || C.size() != size_t(n) * n) return val::null();
  const Assignment a = solve_assignment(C, n);
  return flowlab_bind::object("col", val::array(a.col), "cost", a.cost);
}

// Benchmark (tests/bench): one minibatch-OT pairing of x0 and x1 (n points
// each, flat [x, y] rows) as training does it — cost matrix and assignment —
// with the Hungarian (solver 0) or the fast solver (1); returns the cost.
double ot_pair_cost(val x0s, val x1s, int solver) {
  const std::vector<float> x0 = convertJSArrayToNumberVector<float>(x0s), x1 = convertJSArrayToNumberVector<float>(x1s);
  const int n = int(std::min(x0.size(), x1.size()) / 2);
  if (n < 1) return 0;
  const std::vector<double> C = squared_distances(x0.data(), x1.data(), n);
  return (solver ? solve_assignment_auction(C, n) : solve_assignment(C, n)).cost;
}

}  // namespace

EMSCRIPTEN_BINDINGS(flowlab_fm_ot) {
  FLOWLAB_FUNCTIONS(&assignment, &ot_pair_cost);
  using H = FmOtHandle;
  const auto cls = flowlab_bind::bind_contract<H>("FlowMatchingOt").constructor<std::string>();
  FLOWLAB_METHODS(cls, &H::losses_of, &H::sample, &H::trajectories, &H::sample_begin, &H::sample_steps, &H::sample_end,
                  &H::straightness, &H::quality);
}
