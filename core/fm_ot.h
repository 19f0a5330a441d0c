// Sheet 000 §3(c): independent CFM and OT-CFM side by side. Two flow-matching
// models from one link (same seed: same initial θ, same batches — the OT one
// pairs each batch's x0 and x1 by an optimal assignment, core/ot.h), trained
// step for step, and the measures that compare them.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "config.h"
#include "flow_matching.h"

namespace flowlab {

// Straightness of the learned flow from fixed x0 (n points, S midpoint steps):
//   length_ratio = mean path length / mean ‖x(1) − x(0)‖ (1 for straight paths),
//   path_energy  = mean ∫₀¹ ‖v(x(t), t)‖² dt,
//   w2sq         = (1/n) min_σ Σ ‖x(1)_σ(i) − x(0)_i‖² (the OT cost of the endpoints),
//   npe          = |path_energy − w2sq| / w2sq (normalized path energy, Tong et al.
//                  2023: 0 when the flow moves every point straight along the OT map).
struct Straightness {
  double length_ratio = 0, path_energy = 0, w2sq = 0, npe = 0;
};
Straightness straightness(FlowMatching& fm, int n, int steps);

// Sample quality at a number of function evaluations (Euler: NFE steps).
struct Quality {
  int nfe = 0;
  double on_squares = 0;  // fraction on the checkerboard's filled squares
  double sw2 = 0;         // sliced 2-Wasserstein distance to fresh data (64 directions)
  std::vector<float> points;
};
Quality quality(FlowMatching& fm, int nfe, int n);

// Class-conditional rings: the exact 2-Wasserstein distance, per class, between
// n samples asked for class k (the fixed noise, `nfe` Euler steps) and n points
// of ring k drawn from the data set (the evaluation stream), and its mean over
// the classes. Few steps show how straight each class's flow is.
struct ClassW2 {
  int nfe = 0;
  double mean = 0;
  std::vector<double> per_class;
  std::vector<int> classes;  // the class of each per_class entry (those with data)
};
ClassW2 class_w2(FlowMatching& fm, int nfe, int n);

class FlowMatchingOt {
 public:
  explicit FlowMatchingOt(const Config& c);
  // One step of each model; returns the OT-CFM loss.
  float train_step();
  long step() const { return ot_.step(); }
  FlowMatching& independent() { return indep_; }
  FlowMatching& ot() { return ot_; }
  FlowMatching& model(int which) { return which ? ot_ : indep_; }
  size_t num_params() { return indep_.net().num_params() + ot_.net().num_params(); }
  float* param(size_t i) {
    const size_t n = indep_.net().num_params();
    return i < n ? indep_.net().params() + i : ot_.net().params() + (i - n);
  }
  // Checkpoint: sections "independent" and "ot" hold each model's own checkpoint.
  std::string save(const std::string& link) const;
  bool load(const std::string& data, std::string* error);

 private:
  FlowMatching indep_, ot_;
};

// The fm-ot config as a flow-matching config (its own batch and steps).
Config fm_ot_config(const Config& c);

}  // namespace flowlab
