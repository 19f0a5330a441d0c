#include "fm_ot.h"

#include <algorithm>
#include <cmath>

#include "checkpoint.h"
#include "datasets.h"
#include "ot.h"

namespace flowlab {

Config fm_ot_config(const Config& c) {
  Config f = c;
  f.batch = c.ot_batch;
  f.steps = c.ot_steps;
  return f;
}

FlowMatchingOt::FlowMatchingOt(const Config& c) : indep_(fm_ot_config(c)), ot_(fm_ot_config(c)) {
  ot_.set_ot_pairing(true);
}

float FlowMatchingOt::train_step() {
  indep_.train_step();
  return ot_.train_step();
}

std::string FlowMatchingOt::save(const std::string& link) const {
  CheckpointWriter w;
  w.bytes("link", link);
  w.bytes("kind", "flow-matching-ot-pair");
  w.bytes("independent", indep_.save(link));
  w.bytes("ot", ot_.save(link));
  return w.finish();
}

bool FlowMatchingOt::load(const std::string& data, std::string* error) {
  CheckpointReader r;
  std::string a, b;
  if (!r.open(data, "flow-matching-ot-pair", "a CFM / OT-CFM pair", error)) return false;
  if (!r.bytes("independent", &a, error) || !r.bytes("ot", &b, error) || !r.all_read(error)) return false;
  // Load into copies first: on any error nothing changes.
  FlowMatching ia = indep_, ob = ot_;
  if (!ia.load(a, error)) {
    *error = "the CFM model inside the file: " + *error;
    return false;
  }
  if (!ob.load(b, error)) {
    *error = "the OT-CFM model inside the file: " + *error;
    return false;
  }
  if (ia.step() != ob.step()) {
    *error = "the two models of the checkpoint are at different steps";
    return false;
  }
  indep_ = std::move(ia);
  ot_ = std::move(ob);
  ot_.set_ot_pairing(true);
  return true;
}

Straightness straightness(FlowMatching& fm, int n, int steps) {
  std::vector<float> traj;
  const std::vector<float> x = fm.sample(n, steps, Solver::Midpoint, &traj);
  Straightness s;
  double length = 0, disp = 0, energy = 0;
  const double dt = 1.0 / steps;
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < steps; ++k) {
      const float* a = &traj[2 * (size_t(k) * n + i)];
      const float* b = &traj[2 * (size_t(k + 1) * n + i)];
      const double dx = double(b[0]) - a[0], dy = double(b[1]) - a[1];
      length += std::hypot(dx, dy);
      energy += (dx * dx + dy * dy) / dt;  // ∫‖v‖² dt ≈ Σ ‖Δx‖² / Δt
    }
    const float* a = &traj[2 * size_t(i)];
    disp += std::hypot(double(x[2 * i]) - a[0], double(x[2 * i + 1]) - a[1]);
  }
  s.length_ratio = length / disp;
  s.path_energy = energy / n;
  s.w2sq = solve_assignment_auction(squared_distances(traj.data(), x.data(), n), n).cost / n;
  s.npe = std::abs(s.path_energy - s.w2sq) / s.w2sq;
  return s;
}

Quality quality(FlowMatching& fm, int nfe, int n) {
  Quality q;
  q.nfe = nfe;
  q.points = fm.sample(n, nfe, Solver::Euler);
  int on = 0;
  for (int i = 0; i < n; ++i) on += on_checkerboard(q.points[2 * i], q.points[2 * i + 1]);
  q.on_squares = double(on) / n;
  // Sliced W2 against n fresh data points; directions and data from the
  // evaluation stream, so every model and NFE meets the same ones.
  Rng r(fm.seed(), kStreamEval);
  std::vector<float> data(2 * size_t(n));
  sample_checkerboard(r, n, data.data());
  const int dirs = 64;
  std::vector<double> a(n), b(n);
  double sum = 0;
  for (int d = 0; d < dirs; ++d) {
    const double th = 3.14159265358979323846 * (d + 0.5) / dirs, c = std::cos(th), s = std::sin(th);
    for (int i = 0; i < n; ++i) {
      a[i] = c * q.points[2 * i] + s * q.points[2 * i + 1];
      b[i] = c * data[2 * i] + s * data[2 * i + 1];
    }
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    double m = 0;
    for (int i = 0; i < n; ++i) m += (a[i] - b[i]) * (a[i] - b[i]);
    sum += m / n;
  }
  q.sw2 = std::sqrt(sum / dirs);
  return q;
}

ClassW2 class_w2(FlowMatching& fm, int nfe, int n) {
  ClassW2 w;
  w.nfe = nfe;
  const Rings& data = fm.rings();
  Rng r(fm.seed(), kStreamEval);
  // Your own points may leave classes out: the classes present, the mean over them.
  int present = 0;
  for (int k = 0; k < Rings::kClasses; ++k)
    present += std::find(data.label.begin(), data.label.end(), k) != data.label.end();
  for (int k = 0; k < Rings::kClasses; ++k) {
    std::vector<int> of_k;
    for (int j = 0; j < data.size(); ++j)
      if (data.label[j] == k) of_k.push_back(j);
    if (of_k.empty()) continue;
    std::vector<float> ring(2 * size_t(n));
    for (int i = 0; i < n; ++i) {
      const int j = of_k[r.below(uint32_t(of_k.size()))];
      ring[2 * i] = data.x[2 * j], ring[2 * i + 1] = data.x[2 * j + 1];
    }
    const std::vector<int> c(n, k);
    const std::vector<float> x = fm.sample(n, nfe, Solver::Euler, nullptr, c.data());
    const double w2 = std::sqrt(solve_assignment_auction(squared_distances(x.data(), ring.data(), n), n).cost / n);
    w.per_class.push_back(w2);
    w.classes.push_back(k);
    w.mean += w2 / present;
  }
  return w;
}

}  // namespace flowlab
