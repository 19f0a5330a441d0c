// Restricted Boltzmann machine (seed 000 §1). n visible units v ∈ {0,1}^n,
// m hidden units h ∈ {0,1}^m, energy
//   E(v, h) = −a·v − b·h − vᵀWh,   P(v, h) = e^{−E(v,h)} / Z,
// W is n × m row-major (W[i*m + j] = W_ij), a the visible, b the hidden biases.
// Summing out one layer gives the free energies
//   F(v) = −a·v − Σ_j softplus(b_j + (vᵀW)_j),   P(v) = e^{−F(v)} / Z,
//   G(h) = −b·h − Σ_i softplus(a_i + (Wh)_i),    P(h) = e^{−G(h)} / Z,
// so log Z is a log-sum-exp over 2^min(n, m) states of the smaller layer.
// The conditionals factorise: P(h_j = 1 | v) = σ(b_j + (vᵀW)_j) and
// P(v_i = 1 | h) = σ(a_i + (Wh)_i). The log-likelihood gradient is
//   ∂L/∂W_ij = ⟨v_i h_j⟩_data − ⟨v_i h_j⟩_model.
//
// Training (float, Highway kernels): CD-k / PCD minibatch estimates of that
// gradient, momentum, L2 weight decay on W only. Exact evaluation (double,
// enumeration) wherever min(n, m) ≤ kMaxExactBits.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "config.h"
#include "rng.h"
#include "run_file.h"
#include "train_state.h"

namespace flowlab {

class RunFile;

constexpr int kMaxExactBits = 20;  // enumerate at most 2^20 states

// ---------------------------------------------------------------- datasets
// Bars and stripes on a side × side grid: every pattern whose rows are each
// all-on or all-off, or whose columns are: 2·2^side − 2 distinct patterns
// (30 for side 4). Rows of side² pixels, row-major, 0/1.
std::vector<float> bars_and_stripes(int side);
// The project's 5 × 7 bitmap font of the digits 0–9 (35 pixels, row-major).
constexpr int kGlyphW = 5, kGlyphH = 7;
const float* digit_glyph(int digit);  // 35 floats, 0/1
// count noisy digits: digit i mod 10, each pixel flipped with probability flip.
std::vector<float> noisy_digits(Rng& rng, int count, float flip, std::vector<int>* labels = nullptr);

// ------------------------------------------------------------------ model
struct Rbm {
  int n = 0, m = 0;
  std::vector<float> W, a, b;  // n×m, n, m
  Rbm() = default;
  Rbm(int n_visible, int n_hidden) : n(n_visible), m(n_hidden), W(size_t(n) * m), a(n), b(m) {}

  // Hinton's practical guide: W ~ N(0, 0.01²), a_i = log(p_i / (1 − p_i)) with
  // p_i the on-frequency of pixel i in the data (clipped to [0.01, 0.99]), b = 0.
  void init(Rng& rng, const float* data, int N);

  // ph = σ(b + V·W) for B rows of V (B × n → B × m).
  void prob_h(const float* V, int B, float* ph) const;
  // pv = σ(a + H·Wᵀ) for B rows of H (B × m → B × n).
  void prob_v(const float* H, int B, float* pv) const;
  // One block-Gibbs sweep v → h → v' on B chains (V in place), h sampled
  // into H (B × m) if given; pv receives P(v' | h) if given.
  void gibbs(float* V, int B, Rng& rng, float* H = nullptr, float* pv = nullptr) const;
  // F(v) in double (for monitoring; exact routines below use RbmD).
  double free_energy(const float* v) const;
};

// A double copy of the parameters: every exact quantity is computed from it.
struct RbmD {
  int n = 0, m = 0;
  std::vector<double> W, a, b;
  RbmD() = default;
  explicit RbmD(const Rbm& r);
};

inline bool exact_available(int n, int m) { return std::min(n, m) <= kMaxExactBits; }

// log Z by enumerating all 2^n visible states (Σ_v e^{−F(v)}) or all 2^m
// hidden states (Σ_h e^{−G(h)}); log_Z picks the smaller layer. Log-sum-exp
// in double, fields updated along a Gray code (one row added per state).
double log_Z_enumerate_v(const RbmD& r);
double log_Z_enumerate_h(const RbmD& r);
double log_Z(const RbmD& r);
double free_energy(const RbmD& r, const float* v);
// (1/N) Σ ln P(v_n) = −mean F − log Z.
double avg_log_likelihood(const RbmD& r, const float* data, int N, double logZ);

// Model moments by enumeration of the smaller layer: E[v] (n), E[h] (m),
// E[v hᵀ] (n × m).
struct Moments {
  std::vector<double> v, h, vh;
};
Moments model_moments(const RbmD& r, double logZ);
// Data moments with h summed out: mean v, mean σ(b + vW), mean v σ(b + vW)ᵀ.
Moments data_moments(const RbmD& r, const float* data, int N);
// Exact ∇ of the average log-likelihood: dW = ⟨vhᵀ⟩_data − ⟨vhᵀ⟩_model etc.
void exact_gradient(const RbmD& r, const float* data, int N, double* dW, double* da, double* db);

// ------------------------------------------------- the three sheet views
// (a) Sampled moments of B chains run `sweeps` block-Gibbs sweeps (after
// `burn_in`), one sample per chain per sweep, against σ(a), σ(b) (exact for
// W = 0) and against the exact moments when min(n, m) ≤ 20.
struct CouplingStats {
  std::vector<double> mean_v, mean_h;                          // sampled marginals
  std::vector<double> sigma_a, sigma_b;                        // σ(a_i), σ(b_j)
  std::vector<double> corr;                                    // sampled corr(v_i, h_j), n × m
  std::vector<double> exact_mean_v, exact_mean_h, exact_corr;  // empty if not exact
  double max_err_v = 0, max_err_h = 0;                         // max |sampled − σ(bias)|
  double max_err_exact = 0;  // max |sampled − exact| over marginals, NaN if not exact
  double mean_abs_corr = 0, exact_mean_abs_corr = 0;
  long samples = 0;
};
CouplingStats coupling_stats(const Rbm& r, int chains, int burn_in, int sweeps, Rng& rng);

// (b) P(h | v) for one v over all 2^m h (m ≤ kMaxConditionalBits, so that the
// page gets at most 2^16 probabilities of each kind): by enumeration
// (normalising e^{b·h + vᵀWh}) against Π_j σ(x_j)^{h_j}(1 − σ(x_j))^{1−h_j},
// x = b + vᵀW. Arrays are indexed by the integer whose bit j is h_j.
constexpr int kMaxConditionalBits = 16;
struct ConditionalCheck {
  std::vector<double> p_enum, p_product, p_hidden;  // 2^m, 2^m, m (σ(x_j))
  double max_abs_diff = 0;
  double sum_enum = 0;  // Σ p_enum (= 1)
};
ConditionalCheck conditional_check(const Rbm& r, const float* v);

// (c) Gradient estimates of ∂L/∂W (n × m), all against the exact one.
// CD-k: `samples` chains started at the data (row i mod N), k sweeps; the
// model term is the mean of v_k σ(b + v_kW)ᵀ. `chains` (B × n, in/out) makes
// it PCD: the chains start where they were left.
void cd_gradient(const Rbm& r, const float* data, int N, int k, int samples, Rng& rng, float* dW, float* da, float* db,
                 std::vector<float>* chains = nullptr);

struct GradientCheck {
  std::vector<double> exact;  // n × m
  std::vector<double> fd;     // at the flat indices fd_index (all n × m unless capped)
  std::vector<int> fd_index;
  std::vector<int> ks;
  std::vector<std::vector<double>> cd;  // per k, n × m
  std::vector<double> cd_max_err, cd_rms_err;
  std::vector<double> pcd;  // n × m
  double pcd_max_err = 0, pcd_rms_err = 0;
  double fd_max_err = 0;  // max |fd − exact|
  double grad_max = 0;    // max |exact|
};
// FD: central differences of the exact average log-likelihood with step eps
// in double. PCD: `samples` chains, `pcd_burn_in` sweeps from the data, then
// `pcd_sweeps` further sweeps, averaging the model term over all of them.
GradientCheck gradient_check(const Rbm& r, const float* data, int N, const std::vector<int>& ks, int samples,
                             int pcd_burn_in, int pcd_sweeps, double eps, Rng& rng,
                             int max_fd = 1 << 30);  // FD on at most max_fd evenly spaced entries (each costs 2 log Z)

// ------------------------------------------------------------- the lab
struct RbmOptions {
  int dataset = 0;             // 0 bars-and-stripes, 1 noisy digits, 2 user patterns
  int side = 4;                // bars-and-stripes grid side, [2, 5] (n = side²)
  int n_train = 100;           // digits: training set size, [10, 5000]
  int n_test = 100;            // digits: held-out set size, [0, 5000]
  float flip = 0.05f;          // digits: pixel-flip probability, [0, 0.5]
  int n_hidden = 16;           // m, [1, 256]
  int k = 20;                  // Gibbs sweeps per update, [1, 1000]
  bool persistent = false;     // PCD instead of CD-k
  int batch = 30;              // minibatch (and PCD chains), [1, 4096]
  float lr = 0.05f;            // learning rate, (0, 10]
  float momentum = 0.5f;       // [0, 0.99]
  float weight_decay = 1e-3f;  // L2 on W only, [0, 1]
  long steps = 0;              // > 0: the learning rate decays to 0 over this many steps (cosine);
                               // the late small steps stop the CD noise from undoing the fit
  uint64_t seed = 0;
};

// The RBM fields of a link's config (rbm_fields() in rbm_lab.cc; the parser keeps each in range).
RbmOptions rbm_options(const Config& c);

struct RbmStats {
  long step = 0;
  double recon_error = 0;  // mean squared pixel error of the minibatch's v0 vs σ(a + W h0)
};

struct RbmEval {
  bool exact = false;                            // log Z and the likelihoods are exact
  double log_Z = 0, ll_train = 0, ll_test = 0;   // NaN when !exact (ll_test NaN if no test set)
  double recon_train = 0, recon_test = 0;        // mean-field reconstruction MSE per pixel
  double fe_train = 0, fe_test = 0, fe_gap = 0;  // mean F, gap = fe_test − fe_train
};

class RbmLab : public RunFileModel<RbmLab> {
  friend class RunFileModel<RbmLab>;  // save() and load() read sections()

 public:
  // patterns: user rows (n_user × side²) used when dataset == 2.
  explicit RbmLab(const RbmOptions& o, const std::vector<float>& patterns = {});

  RbmStats train_step();
  const RbmOptions& options() const { return o_; }
  Rbm& model() { return rbm_; }
  const Rbm& model() const { return rbm_; }
  const std::vector<float>& train_data() const { return train_; }
  const std::vector<float>& test_data() const { return test_; }
  int n_train() const { return rbm_.n ? int(train_.size() / rbm_.n) : 0; }
  int n_test() const { return rbm_.n ? int(test_.size() / rbm_.n) : 0; }
  int width() const { return width_; }  // image width of a visible vector
  int height() const { return height_; }
  long step() const { return ts_.step; }
  float current_lr() const;
  RbmEval evaluate() const;

  // Histories: the reconstruction error of every step, and (when exact) the
  // exact average log-likelihood every ll_every() steps as (step, train, test).
  const std::vector<float>& losses() const { return ts_.losses; }
  const std::vector<double>& ll_history() const { return ll_hist_; }
  int ll_every() const { return ll_every_; }

  // Full checkpoint (core/checkpoint.h): W, a, b, momentum buffers, PCD and
  // display chains, both RNGs, step, histories and the training data (so
  // drawn patterns survive). load() refuses a checkpoint of another shape.
  // save(link) and load(data, error): RunFileModel (core/run_file.h), a file of
  // this kind (kRunWhat names the model in messages).
  static constexpr const char* kRunKind = "rbm";
  static constexpr const char* kRunWhat = "an RBM";

  // Display chains (their own RNG stream): reset B chains at the data
  // (from_data) or at uniform noise, then advance; visible() is B × n.
  void chains_reset(int B, bool from_data);
  void chains_step(int sweeps);
  const std::vector<float>& chains() const { return vis_chains_; }
  // Denoising: `sweeps` mean-field passes v ← σ(a + W σ(b + vW)) (sweeps ≥ 1).
  std::vector<float> reconstruct(const float* v, int sweeps) const;

 private:
  // The training state, section by section (core/run_file.h).
  void sections(RunFile& f);
  RbmOptions o_;
  Rbm rbm_;
  std::vector<float> train_, test_;
  int width_ = 0, height_ = 0;
  TrainState ts_;
  Rng chain_rng_;
  int ll_every_ = 10;
  std::vector<double> ll_hist_;
  std::vector<float> vW_, va_, vb_, dW_, da_, db_, pcd_, batch_, vis_chains_;
};

}  // namespace flowlab
