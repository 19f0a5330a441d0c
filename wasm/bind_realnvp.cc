// Thin embind layer over core/realnvp.h. Arrays leave as views into wasm
// memory (copy with .slice() before the next call).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>

#include "quality.h"
#include "realnvp.h"
#include "bind_contract.h"
#include "bind_val.h"

using namespace emscripten;
using namespace flowlab;
using flowlab_bind::get;

namespace {

// Options object: the fields of RealNvpConfig by their C++ names, clamped.
RealNvpConfig make_config(const val& o) {
  RealNvpConfig c;
  c.layers = std::clamp(get<int>(o, "layers", c.layers), 1, 64);
  c.hidden = std::clamp(get<int>(o, "hidden", c.hidden), 2, 512);
  c.depth = std::clamp(get<int>(o, "depth", c.depth), 1, 6);
  c.lr = std::clamp(get<float>(o, "lr", c.lr), 1e-5f, 0.1f);
  c.batch = std::clamp(get<int>(o, "batch", c.batch), 1, 4096);
  c.steps = std::clamp(get<int>(o, "steps", c.steps), 1, 200000);
  c.rings_n = std::clamp(get<int>(o, "rings_n", c.rings_n), 50, 250000);
  c.thickness = std::clamp(get<float>(o, "thickness", c.thickness), 0.01f, 1.0f);
  c.val_fraction = std::clamp(get<float>(o, "val_fraction", c.val_fraction), 0.05f, 0.5f);
  c.s_max = std::clamp(get<float>(o, "s_max", c.s_max), 0.1f, 10.0f);
  // The link's JSON names the schedule ("constant"/"cosine"); a number also works.
  const val sch = o.isUndefined() || o.isNull() ? val::undefined() : o["schedule"];
  if (sch.isString()) c.schedule = sch.as<std::string>() == "cosine" ? 1 : 0;
  else c.schedule = std::clamp(get<int>(o, "schedule", c.schedule), 0, 1);
  c.warmup = std::clamp(get<int>(o, "warmup", c.warmup), 0, 100000);
  c.clip = std::clamp(get<float>(o, "clip", c.clip), 0.0f, 1000.0f);
  c.in_scale = std::clamp(get<float>(o, "in_scale", c.in_scale), 0.1f, 100.0f);
  c.b_max = std::clamp(get<float>(o, "b_max", c.b_max), 0.0f, 100.0f);
  c.eval_every = std::clamp(get<int>(o, "eval_every", c.eval_every), 1, 10000);
  c.seed = uint64_t(get<double>(o, "seed", 0.0));
  // Your own points: the link's canonical set text (the core decodes it).
  const val data = o.isUndefined() || o.isNull() ? val::undefined() : o["data"];
  if (data.isString()) c.data = data.as<std::string>();
  return c;
}

val view(const std::vector<float>& v) { return val(typed_memory_view(v.size(), v.data())); }

struct RealNvpHandle {
  RealNvp model;
  std::vector<float> out;

  explicit RealNvpHandle(val o) : model(make_config(o)) {}

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
  val validation() { return view(model.val_history()); }
  val train_data() {
    out.assign(model.train_x(), model.train_x() + 2 * size_t(model.n_train()));
    return view(out);
  }
  val val_data() {
    out.assign(model.val_x(), model.val_x() + 2 * size_t(model.n_val()));
    return view(out);
  }
  // n samples of seed; with layers: (L + 1) × n × 2, layer 0 = z.
  val sample(int n, double seed, bool layers) {
    std::vector<std::vector<float>> ls;
    out = model.sample(n, uint64_t(seed), layers ? &ls : nullptr);
    if (layers) {
      out.clear();
      for (auto& l : ls) out.insert(out.end(), l.begin(), l.end());
    }
    return view(out);
  }
  // Inverse of n points (flat x, y) through every layer: (L + 1) × n × 2, layer 0 = x.
  val inverse_layers(val pts) {
    const std::vector<float> x = convertJSArrayToNumberVector<float>(pts);
    const int n = int(x.size() / 2);
    std::vector<float> z(x.size()), ld(n);
    std::vector<std::vector<float>> ls;
    model.inverse(x.data(), n, z.data(), ld.data(), &ls);
    out.clear();
    for (auto& l : ls) out.insert(out.end(), l.begin(), l.end());
    return view(out);
  }
  // {logp, logpz, logdet} of n points (flat x, y), copied.
  val log_prob(val pts) {
    const std::vector<float> x = convertJSArrayToNumberVector<float>(pts);
    const RealNvpLogp r = model.log_prob(x.data(), int(x.size() / 2));
    val o = val::object();
    o.set("logp", view(r.logp).call<val>("slice"));
    o.set("logpz", view(r.logpz).call<val>("slice"));
    o.set("logdet", view(r.logdet).call<val>("slice"));
    return o;
  }
  // Your own points: no rings, so no entropy and no exact density; instead the
  // NLL of the first n training points and of the held-out ones (core/quality.h).
  bool own_data() const { return model.own(); }
  val own_quality(int n) {
    const RealNvpOwnNll q = own_nll_quality(model, std::clamp(n, 1, 100000));
    return flowlab_bind::object({{"nll", q.nll}, {"valNll", q.val_nll}, {"n", q.n}, {"nVal", q.n_val}});
  }
  // The data's entropy (the floor of the validation NLL) and the exact ln p of
  // the data's distribution at n points (flat x, y; −inf off the rings).
  double entropy() { return model.data_entropy(); }
  val exact_log_prob(val pts) {
    const std::vector<float> x = convertJSArrayToNumberVector<float>(pts);
    out.resize(x.size() / 2);
    rings_log_density(model.data(), x.data(), int(out.size()), out.data());
    return view(out);
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
    out = model.log_prob(g.data(), m * m).logp;
    return view(out);
  }
};

}  // namespace

// The five points of sheet 003 §1.5 (core/datasets.h), x, y pairs.
val sheet_points() { return val(typed_memory_view(size_t(2 * kSheetPointCount), kSheetPoints)).call<val>("slice"); }

EMSCRIPTEN_BINDINGS(flowlab_realnvp) {
  function("sheetPoints", &sheet_points);
  flowlab_bind::bind_contract<RealNvpHandle>("RealNvp")
      .constructor<val>()
      .function("layers", &RealNvpHandle::layers)
      .function("total", &RealNvpHandle::total)
      .function("validation", &RealNvpHandle::validation)
      .function("trainData", &RealNvpHandle::train_data)
      .function("valData", &RealNvpHandle::val_data)
      .function("sample", &RealNvpHandle::sample)
      .function("inverseLayers", &RealNvpHandle::inverse_layers)
      .function("logProb", &RealNvpHandle::log_prob)
      .function("ownData", &RealNvpHandle::own_data)
      .function("ownQuality", &RealNvpHandle::own_quality)
      .function("entropy", &RealNvpHandle::entropy)
      .function("exactLogProb", &RealNvpHandle::exact_log_prob)
      .function("densityGrid", &RealNvpHandle::density_grid);
}
