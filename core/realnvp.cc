// RealNVP affine coupling flow in 2D (seed 003 §1). See realnvp.h.
#include "realnvp.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "fourier.h"
#include "kernels.h"
#include "own_data.h"
#include "parallel.h"
#include "run_file.h"

namespace flowlab {

static constexpr double kLog2Pi = 1.8378770664093453;
// Rows of a training batch in this many fixed chunks (core/parallel.h parallel_tasks); the
// Adam steps use as many groups of nets (elementwise: their bits do not depend on it).
static constexpr int kChunks = 4;
// Rows of an inference pass (validation) in at most this many chunks of multiples of 96 rows.
static constexpr int kEvalChunks = 8, kEvalChunkRows = 96;

RealNvpConfig realnvp_options(const Config& c) {
  RealNvpConfig r;
  r.layers = c.i(&Config::nvp_layers);
  r.hidden = c.i(&Config::nvp_hidden);
  r.depth = c.i(&Config::nvp_depth);
  r.lr = float(c.nvp_lr);
  r.batch = c.i(&Config::nvp_batch);
  r.steps = c.i(&Config::nvp_steps);
  r.rings_n = c.i(&Config::nvp_rings_n);
  r.thickness = float(c.nvp_thickness);
  r.val_fraction = float(c.nvp_val_fraction);
  r.s_max = float(c.nvp_s_max);
  r.s_exp = float(c.nvp_s_exp);
  r.fourier = c.i(&Config::nvp_fourier);
  r.mix = c.i(&Config::nvp_mix);
  r.b_max = float(c.nvp_b_max);
  r.schedule = c.i(&Config::nvp_schedule);
  r.warmup = c.i(&Config::nvp_warmup);
  r.clip = float(c.nvp_clip);
  r.in_scale = float(c.nvp_in_scale);
  r.seed = uint64_t(c.seed);
  r.data = c.data;
  return r;
}

// The link fields of this exercise (core/config.h), in link order: a table, one row each.
const std::vector<FieldSpec>& realnvp_fields() {
  // clang-format off
  static const std::vector<FieldSpec> f = {
    {"layers", "coupling layers", "affine coupling layers (a swap or a rotation between them: see mix)", &Config::nvp_layers, 1, 256, true, {}, "model", "realnvp"},
    {"hidden", "hidden width", "width of the s/b nets", &Config::nvp_hidden, 2, 512, true, {}, "model", "realnvp"},
    {"depth", "hidden layers", "hidden layers of the s/b nets", &Config::nvp_depth, 1, 6, true, {}, "model", "realnvp"},
    {"mix", "between couplings", "swap the coordinates (the sheet's permutation), rotate by k × the golden angle before coupling k, or by the golden angle before each (successive couplings' axes 137.5° apart)", &Config::nvp_mix, 0, 2, true, {"swap", "rotate", "golden"}, "model", "realnvp"},
    {"s_max", "scale bound", "s = s_max·tanh(raw/s_max)", &Config::nvp_s_max, 0.1, 10, false, {}, "model", "realnvp"},
    {"s_exp", "expansion bound", "bound of −s, the expansion x → z per coupling (0: s_max); it adds up over the couplings: 0.1 × 128 ≈ 13 nats in all keeps points near the gaps from running away (with few couplings, raise it)", &Config::nvp_s_exp, 0, 10, false, {}, "model", "realnvp"},
    {"lr", "learning rate", "Adam learning rate", &Config::nvp_lr, 1e-5, 0.1, false, {}, "training", "realnvp"},
    {"schedule", "lr schedule", "learning-rate schedule over the run", &Config::nvp_schedule, 0, 1, true, {"constant", "cosine"}, "training", "realnvp"},
    {"warmup", "lr warm-up", "steps of linear learning-rate warm-up from 0", &Config::nvp_warmup, 0, 100000, true, {}, "training", "realnvp"},
    {"clip", "gradient clip", "clip the gradient's global norm to this (0: off)", &Config::nvp_clip, 0, 1000, false, {}, "training", "realnvp"},
    {"fourier", "Fourier octaves", "the s/b nets also see sin(2^j u), cos(2^j u), j < this, u = input gain·x_a (0: off)", &Config::nvp_fourier, 0, 6, true, {}, "model", "realnvp"},
    {"b_max", "shift bound", "b = b_max·tanh(raw/b_max) (0: unbounded): keeps a point past the data from running away", &Config::nvp_b_max, 0, 100, false, {}, "model", "realnvp"},
    {"in_scale", "input gain", "the s/b nets see in_scale·x_a: steep features for thin rings", &Config::nvp_in_scale, 0.1, 100, false, {}, "model", "realnvp"},
    {"batch", "batch size", "minibatch size", &Config::nvp_batch, 1, 4096, true, {}, "training", "realnvp"},
    {"steps", "steps", "training steps of a run", &Config::nvp_steps, 1, 200000, true, {}, "training", "realnvp"},
    {"rings_n", "data size", "Olympic-rings points (train + validation)", &Config::nvp_rings_n, 50, 250000, true, {}, "data", "realnvp"},
    {"thickness", "ring thickness", "radial width of each ring", &Config::nvp_thickness, 0.01, 1, false, {}, "data", "realnvp"},
    {"val_fraction", "validation share", "share of the points held out for the validation loss", &Config::nvp_val_fraction, 0.05, 0.5, false, {}, "data", "realnvp"},
  };
  // clang-format on
  return f;
}

RealNvp::RealNvp(const RealNvpConfig& c) : cfg_(c), ts_(c.seed, kStreamTrain) {
  cfg_.fourier = std::clamp(cfg_.fourier, 0, kMaxFourier);
  std::vector<int> dims = {1 + 2 * cfg_.fourier};
  for (int d = 0; d < cfg_.depth; ++d) dims.push_back(cfg_.hidden);
  dims.push_back(2);
  Rng init(cfg_.seed, kStreamInit);
  offs_.push_back(0);
  for (int k = 0; k < cfg_.layers; ++k) {
    nets_.emplace_back(dims);
    nets_.back().init(init);
    // The last layer starts at zero: every coupling starts as the identity.
    const int L = nets_.back().num_layers() - 1;
    const int fan = dims[L] * dims[L + 1];
    std::fill(nets_.back().W(L), nets_.back().W(L) + fan, 0.0f);
    std::fill(nets_.back().b(L), nets_.back().b(L) + 2, 0.0f);
    adam_.emplace_back();
    adam_.back().reset(nets_.back().num_params());
    offs_.push_back(offs_.back() + nets_.back().num_params());
  }
  Rng data(cfg_.seed, kStreamData);
  OwnData own;
  std::string err;
  if (!cfg_.data.empty() && decode_own_data(cfg_.data, &own, &err)) {
    // Your own points, standardised as the flow-matching exercises do; drawn points
    // come stroke by stroke, so they are shuffled (data stream) before the split.
    rings_ = own_rings(own);
    shuffle_points(data, &rings_);
  } else {
    rings_ = make_rings(data, cfg_.rings_n, cfg_.thickness);
  }
  // Points are i.i.d. (rings: labels i mod 5): the last val_fraction is the held-out split.
  const int n_val = std::max(1, int(std::lround(cfg_.val_fraction * rings_.size())));
  n_train_ = std::max(1, rings_.size() - n_val);
}

void RealNvp::coupling_sb(Work& w, int k, const float* h, int n, bool cache) {
  const int ia = a_index(k);
  const int F = cfg_.fourier, width = 1 + 2 * F;
  w.abuf.resize(size_t(n) * width);
  for (int i = 0; i < n; ++i) {
    const float u = cfg_.in_scale * h[2 * i + ia];
    float* r = w.abuf.data() + size_t(i) * width;
    r[0] = u;
    fourier_features(u, F, r + 1);
  }
  // forward keeps the activations for loss()'s backward; eval (same bits) keeps none.
  const float* raw;
  if (cache) {
    raw = net(w, k).forward(w.abuf.data(), n);
  } else {
    w.raw.resize(2 * size_t(n));
    net(w, k).eval(w.abuf.data(), n, w.raw.data());
    raw = w.raw.data();
  }
  w.s.resize(n);
  w.b.resize(n);
  w.e.resize(n);
  coupling_bound(raw, n, cfg_.s_max, s_bound(-1.0f), cfg_.b_max, w.s.data(), w.b.data(), w.e.data());
}

void RealNvp::rotate(int k, float* h, int n, bool transpose) const {
  if (!cfg_.mix) return;
  const double golden = 3.141592653589793 * (3.0 - std::sqrt(5.0));  // ≈ 137.5°
  // mix 2: the same step before every coupling, so coupling k shears at (k + 1)·137.5°, the
  // sunflower's spread; mix 1 (links that say rotate) turns by k·137.5° before coupling k.
  const double angle = cfg_.mix == 2 ? golden : golden * k;
  const float c = float(std::cos(angle)), s = float(transpose ? -std::sin(angle) : std::sin(angle));
  for (int i = 0; i < n; ++i) {
    const float u = h[2 * i], v = h[2 * i + 1];
    h[2 * i] = c * u - s * v;
    h[2 * i + 1] = s * u + c * v;
  }
}

void RealNvp::forward(const float* z, int n, float* x, std::vector<std::vector<float>>* layers) {
  std::vector<float> h(z, z + 2 * size_t(n));
  if (layers) layers->assign(1, h);
  for (int k = 0; k < cfg_.layers; ++k) {
    rotate(k, h.data(), n, false);
    coupling_sb(ws_, k, h.data(), n, false);
    const int ib = 1 - a_index(k);
    for (int i = 0; i < n; ++i) h[2 * i + ib] = h[2 * i + ib] / ws_.e[i] + ws_.b[i];  // x_b·e^{s} + b
    if (layers) layers->push_back(h);
  }
  std::copy(h.begin(), h.end(), x);
}

void RealNvp::inverse(const float* x, int n, float* z, float* logdet, std::vector<std::vector<float>>* layers) {
  undo(ws_, x, n, z, logdet, layers, false);
}

void RealNvp::undo(Work& w, const float* x, int n, float* z, float* logdet, std::vector<std::vector<float>>* layers,
                   bool cache) {
  std::vector<float> h(x, x + 2 * size_t(n));
  // Arrays reused (assign keeps their storage): training calls this every step.
  if (layers) layers->resize(size_t(cfg_.layers) + 1), (*layers)[0].assign(h.begin(), h.end());
  if (logdet) std::fill(logdet, logdet + n, 0.0f);
  if (cache) w.s_cache.resize(cfg_.layers), w.b_cache.resize(cfg_.layers), w.e_cache.resize(cfg_.layers);
  for (int k = cfg_.layers - 1; k >= 0; --k) {
    coupling_sb(w, k, h.data(), n, cache);
    const int ib = 1 - a_index(k);
    for (int i = 0; i < n; ++i) {
      h[2 * i + ib] = (h[2 * i + ib] - w.b[i]) * w.e[i];
      if (logdet) logdet[i] -= w.s[i];
    }
    rotate(k, h.data(), n, true);
    if (cache) w.s_cache[k] = w.s, w.b_cache[k] = w.b, w.e_cache[k] = w.e;
    if (layers) (*layers)[size_t(cfg_.layers - k)].assign(h.begin(), h.end());
  }
  std::copy(h.begin(), h.end(), z);
}

RealNvpLogp RealNvp::log_prob(const float* x, int n) {
  RealNvpLogp r;
  std::vector<float> z(2 * size_t(n));
  r.logdet.resize(n);
  inverse(x, n, z.data(), r.logdet.data());
  r.logpz.resize(n);
  r.logp.resize(n);
  for (int i = 0; i < n; ++i) {
    r.logpz[i] = float(-0.5 * (double(z[2 * i]) * z[2 * i] + double(z[2 * i + 1]) * z[2 * i + 1]) - kLog2Pi);
    r.logp[i] = r.logpz[i] + r.logdet[i];
  }
  return r;
}

std::vector<float> RealNvp::sample(int n, uint64_t seed, std::vector<std::vector<float>>* layers) {
  Rng rng(seed, kStreamSample);
  std::vector<float> z(2 * size_t(n)), x(2 * size_t(n));
  sample_normal(rng, n, z.data());
  forward(z.data(), n, x.data(), layers);
  return x;
}

double RealNvp::loss(const float* x, int n, std::vector<float>* grad, double* nlogpz, double* nlogdet) {
  std::vector<float> z(2 * size_t(n)), ld(n);
  if (!grad) {
    // Inference only reads nets_: fixed chunks of kEvalChunkRows-aligned rows (each row's
    // result does not depend on the rows beside it), each in its own buffers, so that threads
    // share a validation pass in one region instead of one per product.
    const int blocks = (n + kEvalChunkRows - 1) / kEvalChunkRows, C = std::min(kEvalChunks, blocks);
    if (int(eval_ws_.size()) < C) eval_ws_.resize(C);
    parallel_tasks(C, [&](int c) {
      // C ≤ blocks: every boundary but the last lies below (blocks − 1)·kEvalChunkRows < n.
      const int r0 = int(long(blocks) * c / C) * kEvalChunkRows;
      const int r1 = c + 1 == C ? n : int(long(blocks) * (c + 1) / C) * kEvalChunkRows;
      undo(eval_ws_[c], x + 2 * size_t(r0), r1 - r0, z.data() + 2 * size_t(r0), ld.data() + r0, nullptr, false);
    });
  } else {
    // Fixed chunks of rows, each through its own copy of the nets' activations, so that
    // threads share them; the gradient is their sum in chunk order: the same bits for
    // any number of threads.
    const int C = std::min(kChunks, n);
    if (int(chunks_.size()) < C) chunks_.resize(C);
    // The chunks' own nets are made here, not in the tasks: chunk 0's forward writes the
    // activation caches of nets_ while the others run (copying them then was a data race).
    for (int c = 1; c < C; ++c)
      if (chunks_[c].own.size() != nets_.size()) chunks_[c].own = nets_;
    parallel_tasks(C, [&](int c) {
      Work& w = c == 0 ? ws_ : chunks_[c];
      if (c > 0) {
        for (int k = 0; k < cfg_.layers; ++k)
          std::copy(nets_[k].params(), nets_[k].params() + nets_[k].num_params(), w.own[k].params());
      }
      const int r0 = int(long(n) * c / C), r1 = int(long(n) * (c + 1) / C);
      undo(w, x + 2 * size_t(r0), r1 - r0, z.data() + 2 * size_t(r0), ld.data() + r0, &w.layers, true);
      w.grad.assign(num_params(), 0.0f);
      backprop(w, z.data() + 2 * size_t(r0), r1 - r0, 1.0f / float(n), w.grad.data());
    });
    grad->assign(ws_.grad.begin(), ws_.grad.end());
    for (int c = 1; c < C; ++c) axpy(1.0f, chunks_[c].grad.data(), grad->data(), grad->size());
  }
  double a = 0, d = 0;
  for (int i = 0; i < n; ++i) {
    a += 0.5 * (double(z[2 * i]) * z[2 * i] + double(z[2 * i + 1]) * z[2 * i + 1]) + kLog2Pi;
    d -= ld[i];
  }
  a /= n;
  d /= n;
  if (nlogpz) *nlogpz = a;
  if (nlogdet) *nlogdet = d;
  return a + d;
}

void RealNvp::backprop(Work& w, const float* z, int n, float inv_n, float* grad) {
  // Backward through the inverse pass: coupling 0 was undone last, so it comes first.
  // Per point ℓ = ½|z|² + log 2π + Σ_k s_k, averaged over the batch (inv_n = 1 / its size).
  const int F = cfg_.fourier, width = 1 + 2 * F;
  std::vector<float> g(2 * size_t(n)), dy(2 * size_t(n)), dx(size_t(n) * width);
  for (size_t i = 0; i < g.size(); ++i) g[i] = z[i] * inv_n;
  const float mb = cfg_.b_max;
  for (int k = 0; k < cfg_.layers; ++k) {
    const int ia = a_index(k), ib = 1 - ia;
    // Output of undoing coupling k, before the rotation R_kᵀ that follows it: R_k·layers[L − k].
    std::vector<float>& out = w.layers[cfg_.layers - k];
    rotate(k, out.data(), n, false);
    rotate(k, g.data(), n, false);  // gradient through out = R_kᵀ·u: g_u = R_k·g
    const std::vector<float>& s = w.s_cache[k];
    const std::vector<float>& bk = w.b_cache[k];
    const std::vector<float>& ek = w.e_cache[k];
    for (int i = 0; i < n; ++i) {
      const float gb = g[2 * i + ib], e = ek[i];
      const float ds = -gb * out[2 * i + ib] + inv_n;                                  // out_b = (in_b − b)·e^{−s}
      const float m = s_bound(s[i]);                                                   // s and raw share their sign
      dy[2 * i] = ds * (1.0f - (s[i] / m) * (s[i] / m));                               // through s = m·tanh(raw/m)
      dy[2 * i + 1] = -gb * e * (mb > 0 ? 1.0f - (bk[i] / mb) * (bk[i] / mb) : 1.0f);  // through b = mb·tanh(raw/mb)
      g[2 * i + ib] = gb * e;
    }
    // The net's cache still holds its (only) forward of this pass.
    net(w, k).backward(dy.data(), grad + offs_[k], dx.data());
    for (int i = 0; i < n; ++i) {
      // du/dx_a = in_scale; d sin(f u)/du = f cos(f u), d cos(f u)/du = −f sin(f u).
      const float* d = dx.data() + size_t(i) * width;
      float du = d[0];
      const float u = cfg_.in_scale * out[2 * i + ia];  // x_a passes a coupling unchanged
      float sc[2 * kMaxFourier];
      fourier_features(u, F, sc);
      for (int j = 0; j < F; ++j) du += float(1 << j) * (sc[2 * j + 1] * d[1 + 2 * j] - sc[2 * j] * d[2 + 2 * j]);
      g[2 * i + ia] += cfg_.in_scale * du;
    }
  }
}

void RealNvp::validate() {
  double a = 0, d = 0;
  loss(val_x(), n_val(), nullptr, &a, &d);
  val_.insert(val_.end(), {float(ts_.step), float(a + d), float(a), float(d)});
}

float RealNvp::current_lr() const {
  double lr = cfg_.lr;
  if (cfg_.warmup > 0 && ts_.step < cfg_.warmup) lr *= double(ts_.step + 1) / cfg_.warmup;
  if (cfg_.schedule == 1) {
    const double f = std::min(1.0, double(ts_.step) / std::max(1, cfg_.steps));
    lr *= 0.5 * (1.0 + std::cos(3.141592653589793 * f));
  }
  return float(lr);
}

void RealNvp::train(int n_steps) {
  const int B = std::min(cfg_.batch, n_train_);
  std::vector<float> xb(2 * size_t(B)), grad;
  for (int it = 0; it < n_steps; ++it) {
    if (ts_.step == 0 && val_.empty()) validate();
    for (int i = 0; i < B; ++i) {
      const int j = int(ts_.rng.below(uint32_t(n_train_)));
      xb[2 * i] = rings_.x[2 * j];
      xb[2 * i + 1] = rings_.x[2 * j + 1];
    }
    const double L = loss(xb.data(), B, &grad);
    double nn = 0;
    for (float g : grad) nn += double(g) * g;
    const double norm = std::sqrt(nn);
    grad_norm_ = norm;
    if (cfg_.clip > 0) {
      if (norm > cfg_.clip) {
        const float f = float(cfg_.clip / norm);
        for (float& g : grad) g *= f;
      }
    }
    const float lr = current_lr();
    // The nets' Adam steps in one parallel region (fixed groups of nets; elementwise: the same bits
    // however split), not one region per net: in wasm a region's fork and join cost more than a
    // 338-parameter update, 128 times a step.
    parallel_tasks(kChunks, [&](int c) {
      for (int k = cfg_.layers * c / kChunks; k < cfg_.layers * (c + 1) / kChunks; ++k)
        adam_[k].step(nets_[k].params(), grad.data() + offs_[k], lr);
    });
    ts_.losses.push_back(float(L));
    ++ts_.step;
    if (ts_.step % cfg_.eval_every == 0 || ts_.step == cfg_.steps) validate();
  }
}

double RealNvp::data_entropy() {
  if (entropy_ < 0) entropy_ = rings_entropy(rings_);
  return entropy_;
}

float RealNvp::get_param(size_t i) const {
  const int k = int(std::upper_bound(offs_.begin(), offs_.end(), i) - offs_.begin()) - 1;
  return nets_[k].params()[i - offs_[k]];
}

void RealNvp::set_param(size_t i, float v) {
  const int k = int(std::upper_bound(offs_.begin(), offs_.end(), i) - offs_.begin()) - 1;
  nets_[k].params()[i - offs_[k]] = v;
}

void RealNvp::sections(RunFile& f) {
  std::vector<RunFile::Span> params;
  std::vector<RunFile::Word> ts;
  for (int k = 0; k < cfg_.layers; ++k) {
    params.push_back({nets_[k].params(), nets_[k].num_params()});
    ts.push_back(RunFile::adam_t(adam_[k]));
  }
  f.f32("params", params);
  f.adams("adam", adam_);
  f.words("adam.t", ts);
  f.words("state", {RunFile::step(ts_.step), RunFile::stream(ts_.rng, "training stream")});
  f.losses(ts_.losses);
  f.f32("val", val_);
  // Validation history: rows (step, loss, two parts), steps in order, none past the run's step.
  f.check([this]() -> const char* {
    for (size_t i = 0; i < val_.size(); i += 4)
      if (val_.size() % 4 || val_[i] != std::floor(val_[i]) || val_[i] < (i ? val_[i - 4] : 0.0f) ||
          double(val_[i]) > double(ts_.step))
        return "the validation-loss history is malformed";
    return nullptr;
  });
}

}  // namespace flowlab
