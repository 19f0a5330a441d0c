// Thin embind layer over core/rbm.h. Arrays leave as copies (bind_val.h to_js);
// the numbers of the sheet views as plain objects holding them.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>

#include "bind_contract.h"
#include "bind_val.h"
#include "config.h"
#include "quality.h"
#include "rbm.h"

using namespace emscripten;
using namespace flowlab;

namespace {

struct RbmHandle {
  std::string error_;  // declared (so constructed) before lab, which sets it
  RbmLab lab;

  // From a link (core/config.h); `patterns` (flat 0/1, side² each) are the
  // training data of dataset 'drawn' — without them two placeholder patterns
  // (left half, top half) stand in until patterns are drawn, and error() says so.
  RbmHandle(const std::string& link, val patterns) : lab(from_link(link, patterns, &error_)) {}

  // The contract (bind_contract.h): losses are reconstruction errors; θ is
  // W (n×m row-major), then a, then b.
  RbmLab& core() { return lab; }
  void train_steps(int n) {
    for (int i = 0; i < n; ++i) lab.train_step();
  }
  const std::vector<float>& train_losses() const { return lab.losses(); }
  size_t num_params() const { return lab.model().W.size() + lab.model().a.size() + lab.model().b.size(); }
  void copy_params(float* p) const {
    const Rbm& r = lab.model();
    p = std::copy(r.W.begin(), r.W.end(), p);
    p = std::copy(r.a.begin(), r.a.end(), p);
    std::copy(r.b.begin(), r.b.end(), p);
  }
  void set_param(size_t i, float v) {
    Rbm& r = lab.model();
    const size_t nw = r.W.size(), na = r.a.size();
    if (i < nw)
      r.W[i] = v;
    else if (i < nw + na)
      r.a[i - nw] = v;
    else
      r.b[i - nw - na] = v;
  }

  static RbmLab from_link(const std::string& link, const val& patterns, std::string* error) {
    const RbmOptions r = rbm_options(parse_link(link, nullptr));
    std::vector<float> p;
    if (r.dataset == 2) {
      const size_t n = size_t(r.side) * r.side;
      if (!patterns.isUndefined() && !patterns.isNull()) p = convertJSArrayToNumberVector<float>(patterns);
      if (p.empty() || p.size() % n != 0) {
        *error = "patterns must be a non-empty flat array of side*side pixels per pattern: two placeholders stand in";
        p.assign(2 * n, 0.0f);
        for (int y = 0; y < r.side; ++y)
          for (int x = 0; x < r.side; ++x) {
            p[size_t(y) * r.side + x] = 2 * x < r.side;
            p[n + size_t(y) * r.side + x] = 2 * y < r.side;
          }
      }
    }
    return RbmLab(r, p);
  }
  // Exact log-likelihood history: (step, train, test) triples (test NaN without held-out data).
  val ll_history() { return flowlab_bind::to_js(lab.ll_history()); }
  int ll_every() const { return lab.ll_every(); }

  std::string error() const { return error_; }
  int n() const { return lab.model().n; }
  int m() const { return lab.model().m; }
  int width() const { return lab.width(); }
  int height() const { return lab.height(); }
  int n_train() const { return lab.n_train(); }
  int n_test() const { return lab.n_test(); }
  bool exact_available_() const { return exact_available(n(), m()); }

  // Runs `steps` updates; returns {step, recon (mean over these steps), last}.
  val train_stats(int steps) {
    double s = 0, last = NAN;
    for (int i = 0; i < steps; ++i) s += (last = lab.train_step().recon_error);
    return flowlab_bind::object("step", double(lab.step()), "recon", steps > 0 ? s / steps : NAN, "last", last);
  }
  // {exact, logZ, llTrain, llTest, reconTrain, reconTest, feTrain, feTest, feGap};
  // NaN where a number does not exist (not exact, or no held-out set).
  val evaluate() {
    const RbmEval e = lab.evaluate();
    return flowlab_bind::object("exact", e.exact, "logZ", e.log_Z, "llTrain", e.ll_train, "llTest", e.ll_test,
                                "reconTrain", e.recon_train, "reconTest", e.recon_test, "feTrain", e.fe_train, "feTest",
                                e.fe_test, "feGap", e.fe_gap);
  }
  // Quality against −H(empirical) of the training patterns (core/quality.h).
  val quality() {
    const RbmQuality q = rbm_quality(lab);
    return flowlab_bind::object("exact", q.exact, "judged", q.judged, "ll", q.exact ? q.ll : NAN, "best", q.best, "gap",
                                q.exact ? q.gap : NAN, "maxGap", kRbmMaxGap, "peakLl", q.exact ? q.peak_ll : NAN,
                                "peakStep", double(q.peak_step), "weightDecay", lab.options().weight_decay, "ok", q.ok,
                                "advice", q.advice);
  }
  // Exact average log-likelihood of given rows (flat, n per row), NaN if not exact.
  double log_likelihood(val rows) {
    const std::vector<float> x = convertJSArrayToNumberVector<float>(rows);
    const int N = int(x.size() / n());
    if (!exact_available(n(), m()) || N == 0) return NAN;
    const RbmD d(lab.model());
    return avg_log_likelihood(d, x.data(), N, log_Z(d));
  }

  val W() { return flowlab_bind::to_js(lab.model().W); }
  val a() { return flowlab_bind::to_js(lab.model().a); }
  val b() { return flowlab_bind::to_js(lab.model().b); }
  // Explicit parameters (W n×m row-major, a n, b m); false if a size is wrong.
  bool set_params(val Wv, val av, val bv) {
    const auto w = convertJSArrayToNumberVector<float>(Wv), x = convertJSArrayToNumberVector<float>(av),
               y = convertJSArrayToNumberVector<float>(bv);
    Rbm& r = lab.model();
    if (w.size() != r.W.size() || x.size() != r.a.size() || y.size() != r.b.size()) return false;
    r.W = w;
    r.a = x;
    r.b = y;
    return true;
  }
  val train_data() { return flowlab_bind::to_js(lab.train_data()); }
  val test_data() { return flowlab_bind::to_js(lab.test_data()); }

  // Display chains: B × n visible states after each call.
  val chains_reset(int B, bool from_data) {
    lab.chains_reset(B, from_data);
    return flowlab_bind::to_js(lab.chains());
  }
  val chains_step(int sweeps) {
    lab.chains_step(sweeps);
    return flowlab_bind::to_js(lab.chains());
  }
  // Mean-field denoising of one drawn pattern (n pixels).
  val reconstruct(val v, int sweeps) {
    std::vector<float> x = convertJSArrayToNumberVector<float>(v);
    x.resize(n(), 0.0f);
    return flowlab_bind::to_js(lab.reconstruct(x.data(), sweeps));
  }

  // (a) Couplings W' = coupling · D on the model's biases, D the model's W
  // (useModelW) or a fixed N(0, 1) matrix from `seed`.
  val coupling_stats(double coupling, bool use_model_w, int chains, int burn_in, int sweeps, double seed) {
    Rbm r = lab.model();
    Rng dir(uint64_t(seed), kStreamEval), rng(uint64_t(seed), kStreamSample);
    for (auto& w : r.W) w = float(coupling * (use_model_w ? double(w) : double(dir.normal())));
    const CouplingStats c = flowlab::coupling_stats(r, chains, burn_in, sweeps, rng);
    return flowlab_bind::object("meanV", flowlab_bind::to_js(c.mean_v), "meanH", flowlab_bind::to_js(c.mean_h),
                                "sigmaA", flowlab_bind::to_js(c.sigma_a), "sigmaB", flowlab_bind::to_js(c.sigma_b),
                                "corr", flowlab_bind::to_js(c.corr), "exactMeanV", flowlab_bind::to_js(c.exact_mean_v),
                                "exactMeanH", flowlab_bind::to_js(c.exact_mean_h), "exactCorr",
                                flowlab_bind::to_js(c.exact_corr), "maxErrV", c.max_err_v, "maxErrH", c.max_err_h,
                                "maxErrExact", c.max_err_exact, "meanAbsCorr", c.mean_abs_corr, "exactMeanAbsCorr",
                                c.exact_mean_abs_corr, "samples", double(c.samples));
  }
  // (b) P(h | v) by enumeration vs the product of σ(b_j + (vᵀW)_j); arrays
  // indexed by the integer with bit j = h_j (empty when m > 20).
  val conditional_check(val v) {
    std::vector<float> x = convertJSArrayToNumberVector<float>(v);
    x.resize(n(), 0.0f);
    const ConditionalCheck c = flowlab::conditional_check(lab.model(), x.data());
    return flowlab_bind::object("pEnum", flowlab_bind::to_js(c.p_enum), "pProduct", flowlab_bind::to_js(c.p_product),
                                "pHidden", flowlab_bind::to_js(c.p_hidden), "maxAbsDiff", c.max_abs_diff, "sumEnum",
                                c.sum_enum);
  }
  // (c) ∂L/∂W over the training data: exact, finite differences (step eps),
  // CD-k for each k in ks, PCD; arrays n × m. Refused (null) unless
  // min(n, m) ≤ 20; the FD part costs 2·n·m exact log-likelihoods, so keep
  // n·m·2^min(n, m) small (≤ ~1e7).
  val gradient_check(val ks_js, int samples, int pcd_burn_in, int pcd_sweeps, double eps, double seed) {
    return gradient_check_fd(ks_js, samples, pcd_burn_in, pcd_sweeps, eps, seed, 1 << 30);
  }
  // The same with finite differences on at most max_fd evenly spaced entries
  // (fd[t] belongs to the flat index fdIndex[t]).
  val gradient_check_fd(val ks_js, int samples, int pcd_burn_in, int pcd_sweeps, double eps, double seed, int max_fd) {
    if (!exact_available(n(), m())) return val::null();
    std::vector<int> ks = convertJSArrayToNumberVector<int>(ks_js);
    Rng rng(uint64_t(seed), kStreamEval);
    const GradientCheck g = flowlab::gradient_check(lab.model(), lab.train_data().data(), lab.n_train(), ks,
                                                    std::max(1, samples), pcd_burn_in, pcd_sweeps, eps, rng, max_fd);
    val o = val::object();
    o.set("exact", flowlab_bind::to_js(g.exact));
    o.set("fd", flowlab_bind::to_js(g.fd));
    o.set("fdIndex", flowlab_bind::to_js(std::vector<double>(g.fd_index.begin(), g.fd_index.end())));
    o.set("fdMaxErr", g.fd_max_err);
    o.set("gradMax", g.grad_max);
    val cd = val::array();
    for (size_t i = 0; i < g.ks.size(); ++i) {
      val e = val::object();
      e.set("k", g.ks[i]);
      e.set("grad", flowlab_bind::to_js(g.cd[i]));
      e.set("maxErr", g.cd_max_err[i]);
      e.set("rmsErr", g.cd_rms_err[i]);
      cd.call<void>("push", e);
    }
    o.set("cd", cd);
    o.set("pcd", flowlab_bind::to_js(g.pcd));
    o.set("pcdMaxErr", g.pcd_max_err);
    o.set("pcdRmsErr", g.pcd_rms_err);
    return o;
  }
};

val rbm_bars_and_stripes(int side) {
  const std::vector<float> d = bars_and_stripes(std::min(5, std::max(2, side)));
  return flowlab_bind::to_js(d);
}
val rbm_digit_glyph(int digit) { return flowlab_bind::to_js(digit_glyph(digit), size_t(kGlyphW * kGlyphH)); }

}  // namespace

EMSCRIPTEN_BINDINGS(flowlab_rbm) {
  FLOWLAB_FUNCTIONS(&rbm_bars_and_stripes, &rbm_digit_glyph);
  constant("rbmMaxConditionalBits", kMaxConditionalBits);
  using H = RbmHandle;
  const auto cls = flowlab_bind::bind_contract<H>("Rbm").constructor<std::string, val>();
  FLOWLAB_METHODS(cls, &H::ll_history, &H::ll_every, &H::error, &H::n, &H::m, &H::width, &H::height, &H::n_train,
                  &H::n_test, &H::exact_available_, &H::train_stats, &H::evaluate, &H::quality, &H::log_likelihood,
                  &H::W, &H::a, &H::b, &H::set_params, &H::train_data, &H::test_data, &H::chains_reset, &H::chains_step,
                  &H::reconstruct, &H::coupling_stats, &H::conditional_check, &H::gradient_check,
                  &H::gradient_check_fd);
}
