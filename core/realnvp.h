// RealNVP (Dinh et al. 2017) in 2D, seed 003 §1: a stack of affine coupling
// layers x_b ← x_b ⊙ exp(s(x_a)) + b(x_a), x_a unchanged, with the roles of
// the two coordinates swapped between layers (the sheet's permutation) or, by default,
// rotated by the golden angle (a mixing with log det 0), base N(0, I).
//
// f maps z → x (sampling); f⁻¹ maps x → z (density):
//   log p(x) = log p_z(f⁻¹(x)) + log|det ∂f⁻¹/∂x|,  log|det ∂f⁻¹/∂x| = −Σ_k s_k.
// s = m·tanh(raw/m), m = s_max for raw ≥ 0 and s_exp below: every scale within [e^{−s_exp}, e^{s_max}].
// Each layer k owns one Mlp 1 → hidden… → 2 giving (raw_s, b) from x_a.
#pragma once
#include <string>
#include <vector>

#include "config.h"
#include "datasets.h"
#include "mlp.h"
#include "rng.h"
#include "run_file.h"
#include "train_state.h"

namespace flowlab {

class RunFile;

struct RealNvpConfig {
  // Many narrow couplings: in 2D each affine coupling is a shear and scale of x_b along lines
  // x_a = const, so the rings' hard edges (most of the KL gap) sharpen with the number of
  // couplings, hardly with the nets' width. Validation gap over 3–5 seeds (5000 steps): 30 × 32
  // wide 0.21–0.25, 64 × 32 0.17–0.20, 128 × 16 0.15–0.18; 128 × 16 and 8000 steps 0.13–0.15.
  int layers = 128;  // coupling layers
  int hidden = 16;   // width of the s/b nets
  int depth = 2;     // hidden layers of the s/b nets
  // 2e-3: at 3e-3 the 128 couplings spiked by up to +3.4 nats after the warm-up (s_exp 0.25,
  // 5 seeds); at s_exp 0.1 its gaps spread wider (0.12–0.17 against 0.13–0.16).
  float lr = 2e-3f;
  // 384 with the golden-angle mixing: gaps 0.108–0.139 in wasm (seeds 1–5; 256: 0.116–0.157,
  // two seeds above 0.15) for 1.5× the work a step. Natively (AVX-512) with mix 1: 384 gives
  // 0.121–0.142 against 256's 0.137–0.148; 512 for 6000 steps (the same work) 0.136–0.168.
  int batch = 384;
  int steps = 8000;
  int rings_n = 50000;  // data set size (train + validation)
  float thickness = 0.25f;
  float val_fraction = 0.2f;
  // Bound of s, the contraction of x_b on the way x → z (the rings' gaps need it).
  float s_max = 2.0f;  // 3: gaps 0.134–0.172 (5 seeds, native AVX-512) against 0.137–0.148
  // Bound of −s, the expansion of x_b on the way x → z (0: s_max), s = s_exp·tanh(raw/s_exp)
  // for raw < 0. The density needs little expansion (p ≈ p_z on the rings) but strong
  // contraction (the gaps). With e^{s_max} in each of L couplings a point near a gap reached
  // |z| ~ 10³–10⁸: the loss spikes (+3e3 to +1e14 in 5-seed runs; ≤ +2.6 at s_exp = 0.5).
  // The bound adds up over the couplings (e^{L·s_exp} in all), so it shrinks as L grows: at 128
  // couplings, 0.25 still spiked by +2.5 to +6 (1000-step runs, 2 of 3 seeds under SSE4; grad
  // norms 300–9000), 0.1 (12.8 nats in all) by at most +0.21 (grad norms ≤ 89).
  float s_exp = 0.1f;
  // |b| bound, b = b_max·tanh(raw/b_max) (0: unbounded). An unbounded shift lets a
  // point pushed past the data's range by one coupling be pushed further by the next
  // (SiLU extrapolates linearly): |z| runs away, and so does the loss.
  float b_max = 3.0f;
  int schedule = 1;   // learning rate: 0 constant, 1 cosine decay to 0 over `steps`
  int warmup = 100;   // steps of linear learning-rate warm-up from 0 (500: gaps 0.138–0.154, 5 seeds)
  float clip = 5.0f;  // clip the gradient's global norm to this (0: off)
  // The s/b nets see in_scale·x_a: the rings' bands are ~0.15 wide (standardised),
  // so their features need steep slopes, which SiLU nets at unit scale reach slowly.
  // 8 over 4 (rotations, 3 seeds): validation NLL 0.025 lower; 16 is worse again. At the
  // 128 × 16 default (5 seeds, native AVX-512): 12 gives gaps 0.141–0.186 against 0.137–0.148.
  float in_scale = 8.0f;
  // Fourier features of the conditioner input u = in_scale·x_a: the nets also see
  // sin(2^j u), cos(2^j u), j < fourier (0: off). s, b still depend on x_a only.
  // Off by default: at 128 × 16 (5 seeds × 8000 steps, native AVX-512) one octave lowers the
  // validation gap from 0.137–0.148 to 0.113–0.139 (0.103–0.145 with clip 1, 0.121–0.135 with
  // s_exp 0.07), but each step costs ≈ 30 % more (the 3-wide first layer, its backward, sin/cos)
  // and at the same cost (6000 steps) the gap is 0.134–0.162, no better; the batch loss blips
  // by up to +2.4 (+1.0 off); the inliers stay where the edge's ripples put them (−1.66 to −2.83).
  // Two octaves spike by up to +218.
  int fourier = 0;
  // Between couplings: 0 swap the coordinates (the sheet's permutation); a fixed rotation (an
  // orthogonal mixing, log det 0, as Glow's 1×1 convolution), so that the couplings shear along
  // directions spread over the circle, not two axes: 2 by the golden angle before each coupling
  // (coupling k at (k + 1)·137.5°), 1 by k·137.5° before coupling k (the default until
  // 2026-12-03: the other measurements in these comments were made with it and batch 256).
  // At 128 × 16, batch 256 (10 seeds × 8000 steps, native AVX-512) 2 gives gaps 0.117–0.146
  // (mean 0.130) against 0.136–0.162 (mean 0.146) for 1, at the same cost; the inliers move
  // no closer to −2 (3 of 10 seeds with all three ≥ −2, either way).
  int mix = 2;
  int eval_every = 100;  // validation loss every this many steps
  uint64_t seed = 0;
  // Your own points (core/own_data.h link text) in place of the rings; empty: the rings.
  std::string data;
};

// The link's fields (exercise "realnvp") as a RealNvpConfig.
RealNvpConfig realnvp_options(const Config& c);

// Log-likelihood of a batch, split into its two terms (per point).
struct RealNvpLogp {
  std::vector<float> logp, logpz, logdet;  // logp = logpz + logdet (logdet of f⁻¹)
};

class RealNvp : public RunFileModel<RealNvp> {
  friend class RunFileModel<RealNvp>;  // save() and load() read sections()

 public:
  explicit RealNvp(const RealNvpConfig& c);

  int num_layers() const { return cfg_.layers; }
  // Coordinate that layer k leaves unchanged (x_a); the other one is x_b.
  int a_index(int k) const { return cfg_.mix ? 0 : k & 1; }

  // z → x for n points (n × 2). If layers != nullptr it receives L + 1 arrays:
  // layers[0] = z, layers[k + 1] = output of coupling k.
  void forward(const float* z, int n, float* x, std::vector<std::vector<float>>* layers = nullptr);
  // x → z, with log|det ∂f⁻¹/∂x| per point. layers[0] = x, layers[j] = after
  // undoing couplings L−1 … L−j, layers[L] = z.
  void inverse(const float* x, int n, float* z, float* logdet, std::vector<std::vector<float>>* layers = nullptr);
  RealNvpLogp log_prob(const float* x, int n);
  // Samples of the model: z ~ N(0, I) from Rng(seed, kStreamSample), pushed through f.
  std::vector<float> sample(int n, uint64_t seed, std::vector<std::vector<float>>* layers = nullptr);

  // Mean −log p(x) of a batch; if grad != nullptr its gradient w.r.t. all
  // parameters (flat, layer by layer) is *written* there. Terms out optional.
  double loss(const float* x, int n, std::vector<float>* grad, double* nlogpz = nullptr, double* nlogdet = nullptr);

  // One Adam step per call on a random train batch; records train loss and,
  // every eval_every steps (and at the last), the validation loss and terms.
  void train(int n_steps);
  long step() const { return ts_.step; }
  // Learning rate of the next step (warm-up, then the schedule).
  float current_lr() const;
  // Global gradient norm of the last training step, before clipping.
  double last_grad_norm() const { return grad_norm_; }
  const std::vector<float>& losses() const { return ts_.losses; }
  // Validation history: rows of (step, loss, −log p_z, −log det).
  const std::vector<float>& val_history() const { return val_; }
  void validate();

  const Rings& data() const { return rings_; }
  // Training on your own points (no ring geometry: no entropy, no exact density).
  bool own() const { return rings_.own; }
  // The data's own entropy (nats, standardised; see rings_entropy): no model's
  // expected validation NLL can go below it. Computed once.
  double data_entropy();
  int n_train() const { return n_train_; }
  const float* train_x() const { return rings_.x.data(); }
  const float* val_x() const { return rings_.x.data() + 2 * size_t(n_train_); }
  int n_val() const { return rings_.size() - n_train_; }
  const RealNvpConfig& config() const { return cfg_; }

  size_t num_params() const { return offs_.back(); }
  float get_param(size_t i) const;
  void set_param(size_t i, float v);

  // save(link) and load(data, error): RunFileModel (core/run_file.h), a file of
  // this kind (kRunWhat names the model in messages).
  static constexpr const char* kRunKind = "realnvp";
  static constexpr const char* kRunWhat = "RealNVP";

 private:
  // Buffers of one pass through the couplings: ws_ (its nets are nets_) and, for training,
  // one per chunk of the batch, with copies of the nets whose activations are that chunk's.
  struct Work {
    std::vector<Mlp> own;  // copies of nets_ (chunks 1…); empty: nets_ itself
    std::vector<float> abuf, raw, s, b, e, grad;
    std::vector<std::vector<float>> s_cache, b_cache, e_cache, layers;  // per layer, for backprop
  };
  Mlp& net(Work& w, int k) { return w.own.empty() ? nets_[k] : w.own[k]; }
  // w.s, w.b, w.e = exp(−s) of layer k for the n points h (n × 2; the net sees coordinate
  // a_index(k)). cache: through Mlp::forward, which keeps what backward needs.
  void coupling_sb(Work& w, int k, const float* h, int n, bool cache);
  // inverse() in w; cache: keep what backprop needs (nets' activations, s, b, e per layer).
  void undo(Work& w, const float* x, int n, float* z, float* logdet, std::vector<std::vector<float>>* layers,
            bool cache);
  // Adds to grad the gradient of Σ_i inv_n·ℓ_i over the n points of w's last undo (cache on), z its output.
  void backprop(Work& w, const float* z, int n, float inv_n, float* grad);
  // The bound m of s = m·tanh(raw/m) on raw's side of 0: s_exp below (if set), s_max above.
  float s_bound(float raw) const { return raw < 0 && cfg_.s_exp > 0 ? cfg_.s_exp : cfg_.s_max; }
  // h ← R_k h (transpose: R_kᵀ h) for n points, R_k the mixing rotation before coupling k (mix = 1).
  void rotate(int k, float* h, int n, bool transpose) const;

  // The training state, section by section (core/run_file.h).
  void sections(RunFile& f);
  RealNvpConfig cfg_;
  std::vector<Mlp> nets_;
  std::vector<Adam> adam_;
  std::vector<size_t> offs_;  // offs_[k] = first flat index of net k; back() = total
  Rings rings_;
  int n_train_ = 0;
  TrainState ts_;  // training stream, step, one loss per step
  std::vector<float> val_;
  Work ws_;
  std::vector<Work> chunks_;   // chunks_[0] unused: chunk 0 is ws_
  std::vector<Work> eval_ws_;  // loss() without gradient: one per chunk, nets_ shared
  double grad_norm_ = 0;       // global gradient norm of the last step, before clipping
  double entropy_ = -1;
};

}  // namespace flowlab
