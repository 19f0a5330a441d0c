// Thin embind layer over core/realnvp.h. Arrays leave as copies (bind_val.h to_js).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>

#include "bind_contract.h"
#include "bind_val.h"
#include "config.h"
#include "quality.h"
#include "realnvp.h"

using namespace emscripten;
using namespace flowlab;

namespace {

// Layer snapshots (each n × 2) as one flat array, layer after layer.
val flat_layers(const std::vector<std::vector<float>>& ls) {
  std::vector<float> all;
  for (const auto& l : ls) all.insert(all.end(), l.begin(), l.end());
  return flowlab_bind::to_js(all);
}

struct RealNvpHandle {
  RealNvp model;

  // From a link ("v=1&ex=realnvp&layers=15&…", your own points in data=).
  explicit RealNvpHandle(const std::string& link) : model(realnvp_options(parse_link(link, nullptr))) {}

  // The contract (bind_contract.h): θ is every layer's MLP, layer by layer.
  RealNvp& core() { return model; }
  void train_steps(int n) { model.train(n); }
  const std::vector<float>& train_losses() const { return model.losses(); }
  size_t num_params() const { return model.num_params(); }
  void copy_params(float* p) const {
    for (size_t i = 0; i < num_params(); ++i) p[i] = model.get_param(i);
  }
  void set_param(size_t i, float v) { model.set_param(i, v); }

  int layers() const { return model.num_layers(); }
  double total() const { return double(model.config().steps); }
  // Rows of (step, val loss, −log p_z, −log det).
  val validation() { return flowlab_bind::to_js(model.val_history()); }
  val train_data() { return flowlab_bind::to_js(model.train_x(), 2 * size_t(model.n_train())); }
  val val_data() { return flowlab_bind::to_js(model.val_x(), 2 * size_t(model.n_val())); }
  // n samples of seed; with layers: (L + 1) × n × 2, layer 0 = z.
  val sample(int n, double seed, bool layers) {
    std::vector<std::vector<float>> ls;
    const std::vector<float> x = model.sample(n, uint64_t(seed), layers ? &ls : nullptr);
    return layers ? flat_layers(ls) : flowlab_bind::to_js(x);
  }
  // Inverse of n points (flat x, y) through every layer: (L + 1) × n × 2, layer 0 = x.
  val inverse_layers(val pts) {
    const std::vector<float> x = convertJSArrayToNumberVector<float>(pts);
    const int n = int(x.size() / 2);
    std::vector<float> z(x.size()), ld(n);
    std::vector<std::vector<float>> ls;
    model.inverse(x.data(), n, z.data(), ld.data(), &ls);
    return flat_layers(ls);
  }
  // {logp, logpz, logdet} of n points (flat x, y), copied.
  val log_prob(val pts) {
    const std::vector<float> x = convertJSArrayToNumberVector<float>(pts);
    const RealNvpLogp r = model.log_prob(x.data(), int(x.size() / 2));
    return flowlab_bind::object("logp", flowlab_bind::to_js(r.logp), "logpz", flowlab_bind::to_js(r.logpz), "logdet",
                                flowlab_bind::to_js(r.logdet));
  }
  // Your own points: no rings, so no entropy and no exact density; instead the
  // NLL of the first n training points and of the held-out ones (core/quality.h).
  bool own_data() const { return model.own(); }
  val own_quality(int n) {
    const RealNvpOwnNll q = own_nll_quality(model, std::clamp(n, 1, 100000));
    return flowlab_bind::object("nll", q.nll, "valNll", q.val_nll, "n", q.n, "nVal", q.n_val);
  }
  // The data's entropy (the floor of the validation NLL) and the exact ln p of
  // the data's distribution at n points (flat x, y; −inf off the rings).
  double entropy() { return model.data_entropy(); }
  val exact_log_prob(val pts) {
    const std::vector<float> x = convertJSArrayToNumberVector<float>(pts);
    std::vector<float> logp(x.size() / 2);
    rings_log_density(model.data(), x.data(), int(logp.size()), logp.data());
    return flowlab_bind::to_js(logp);
  }
  // log p on an m × m grid over [lo, hi]², row-major, rows = y.
  val density_grid(int m, float lo, float hi) {
    m = std::clamp(m, 2, 400);
    std::vector<float> g(2 * size_t(m) * m);
    const float h = (hi - lo) / (m - 1);
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < m; ++j) {
        g[2 * (size_t(i) * m + j)] = lo + j * h;
        g[2 * (size_t(i) * m + j) + 1] = lo + i * h;
      }
    return flowlab_bind::to_js(model.log_prob(g.data(), m * m).logp);
  }
};

}  // namespace

// The five points of sheet 003 §1.5 (core/datasets.h), x, y pairs.
val sheet_points() { return flowlab_bind::to_js(kSheetPoints, size_t(2 * kSheetPointCount)); }

EMSCRIPTEN_BINDINGS(flowlab_realnvp) {
  FLOWLAB_FUNCTIONS(&sheet_points);
  using H = RealNvpHandle;
  const auto cls = flowlab_bind::bind_contract<H>("RealNvp").constructor<std::string>();
  FLOWLAB_METHODS(cls, &H::layers, &H::total, &H::validation, &H::train_data, &H::val_data, &H::sample,
                  &H::inverse_layers, &H::log_prob, &H::own_data, &H::own_quality, &H::entropy, &H::exact_log_prob,
                  &H::density_grid);
}
