#include "quality.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "flow_matching.h"
#include "rbm.h"
#include "realnvp.h"

namespace flowlab {

std::vector<float> checkerboard_quadrature(int k) {
  std::vector<float> x;
  x.reserve(size_t(16) * k * k);
  const float h = 2.0f / float(k);
  // Lower-left corners of the 2 × 2 cells on the grid [−4, 4)²; keep the filled ones.
  for (int u = -2; u <= 1; ++u)
    for (int w = -2; w <= 1; ++w) {
      if (!on_checkerboard(2.0f * u + 1.0f, 2.0f * w + 1.0f)) continue;
      for (int i = 0; i < k; ++i)
        for (int j = 0; j < k; ++j) {
          x.push_back(2.0f * u + (j + 0.5f) * h);
          x.push_back(2.0f * w + (i + 0.5f) * h);
        }
    }
  return x;
}

double checkerboard_nll(const std::vector<double>& log_p) {
  double s = 0;
  for (double l : log_p) s += l;
  // −(1/32) Σ ln p · (2/k)² over 8k² cells = minus the mean of ln p.
  return log_p.empty() ? 0.0 : -s / double(log_p.size());
}

CheckerboardQuality checkerboard_quality(FlowMatching& fm, const float* samples, int n, int k, int ode_steps) {
  CheckerboardQuality q;
  const std::vector<float> x = checkerboard_quadrature(k);
  q.cells = int(x.size() / 2);
  q.ode_steps = ode_steps;
  q.nll = checkerboard_nll(fm.log_density(x.data(), q.cells, ode_steps, Solver::Midpoint));
  q.optimum = std::log(32.0);
  q.kl_gap = q.nll - q.optimum;
  int on = 0;
  for (int i = 0; i < n; ++i) on += on_checkerboard(samples[2 * i], samples[2 * i + 1]);
  q.on_squares = n ? double(on) / n : 0.0;
  const bool kl_ok = q.kl_gap <= kCheckerboardMaxKl, sq_ok = q.on_squares >= kCheckerboardMinOnSquares;
  q.ok = kl_ok && sq_ok;
  if (!kl_ok)
    q.advice =
        "the density is still blurred at the square edges: train longer (more steps; the cosine schedule's "
        "late small steps sharpen the edges) or use a wider network";
  else if (!sq_ok)
    q.advice =
        "the density is good but the samples miss: raise the ODE steps (midpoint) so the sampler follows the field";
  return q;
}

double best_avg_log_likelihood(const float* data, int N, int n) {
  std::map<std::vector<bool>, int> count;
  for (int r = 0; r < N; ++r) {
    std::vector<bool> key(static_cast<size_t>(n), false);
    for (int i = 0; i < n; ++i) key[i] = data[size_t(r) * n + i] > 0.5f;
    ++count[key];
  }
  double s = 0;
  for (const auto& kv : count) {
    const double p = double(kv.second) / N;
    s += p * std::log(p);
  }
  return s;
}

RbmQuality rbm_quality(const RbmLab& lab) {
  RbmQuality q;
  const RbmOptions& o = lab.options();
  const RbmEval e = lab.evaluate();
  q.exact = e.exact;
  q.best = best_avg_log_likelihood(lab.train_data().data(), lab.n_train(), lab.model().n);
  if (!q.exact) return q;
  q.ll = e.ll_train;
  q.gap = q.best - q.ll;
  q.peak_ll = q.ll;
  q.peak_step = lab.step();
  const auto& h = lab.ll_history();
  for (size_t i = 0; i + 2 < h.size(); i += 3)
    if (h[i + 1] > q.peak_ll) q.peak_ll = h[i + 1], q.peak_step = long(h[i]);
  // Only bars and stripes has a reachable optimum; on noisy digits or drawn
  // patterns −H(empirical) is the ceiling of memorising the training set.
  q.judged = o.dataset == 0;
  q.ok = !q.judged || q.gap <= kRbmMaxGap;
  if (q.ok) return q;
  std::vector<std::string> fix;
  if (q.peak_ll - q.ll > 0.05)
    fix.push_back(o.weight_decay <= 0
                      ? "add weight decay (e.g. 0.001): the likelihood peaked and fell, as CD does late in training"
                      : "raise the weight decay or lower the learning rate: the likelihood peaked and fell");
  else if (o.weight_decay <= 0)
    fix.push_back("add weight decay (e.g. 0.001)");
  if (!o.persistent && o.k < 10)
    fix.push_back("raise k (CD-" + std::to_string(o.k) + " is biased; try k ≥ 10) or use PCD");
  fix.push_back("train longer");
  if (o.n_hidden < 16) fix.push_back("use more hidden units (≥ 16)");
  for (size_t i = 0; i < fix.size(); ++i) q.advice += (i ? "; " : "") + fix[i];
  return q;
}

double rings_label_ceiling(const Rings& r) {
  int own = 0;
  for (int i = 0; i < r.size(); ++i) own += r.nearest_ring(&r.x[2 * size_t(i)]) == r.label[i];
  return r.size() ? double(own) / r.size() : 0.0;
}

namespace {
// q.gap = gap; q.ok when it is at most max_gap, else advice says what usually closes it.
template <class Q>
Q judged_by_gap(Q q, double gap, double max_gap, const char* advice) {
  q.gap = gap;
  q.ok = gap <= max_gap;
  if (!q.ok) q.advice = advice;
  return q;
}
}  // namespace

RingsClassQuality rings_class_quality(const Rings& r, const float* samples, const int* c, int n) {
  RingsClassQuality q;
  q.n = n;
  int hit = 0;
  for (int i = 0; i < n; ++i) hit += r.nearest_ring(samples + 2 * size_t(i)) == (c ? c[i] : i % Rings::kClasses);
  q.accuracy = n ? double(hit) / n : 0.0;
  q.ceiling = rings_label_ceiling(r);
  return judged_by_gap(q, q.ceiling - q.accuracy, kRingsMaxAccuracyGap,
                       "samples still fall between the rings or on the wrong one: train longer, or widen the class "
                       "embedding or the network");
}

OwnNllQuality own_nll_quality(FlowMatching& fm, int n, int ode_steps) {
  OwnNllQuality q;
  const Rings& R = fm.rings();
  q.n = std::min(n, R.size());
  q.ode_steps = ode_steps;
  const std::vector<double> lp =
      fm.log_density(R.x.data(), q.n, ode_steps, Solver::Midpoint, fm.conditional() ? R.label.data() : nullptr);
  for (int i = 0; i < q.n; ++i) q.nll -= lp[i];
  q.nll = q.nll / std::max(1, q.n) + std::log(double(R.std[0])) + std::log(double(R.std[1]));
  return q;
}

RealNvpOwnNll own_nll_quality(RealNvp& m, int n) {
  RealNvpOwnNll q;
  const Rings& R = m.data();
  const double log_std = std::log(double(R.std[0])) + std::log(double(R.std[1]));
  q.n = std::min(n, m.n_train());
  q.n_val = m.n_val();
  q.nll = m.loss(m.train_x(), q.n, nullptr) + log_std;
  q.val_nll = m.loss(m.val_x(), q.n_val, nullptr) + log_std;
  return q;
}

RingsNllQuality rings_nll_quality(FlowMatching& fm, int n, int ode_steps) {
  RingsNllQuality q;
  q.n = n;
  q.ode_steps = ode_steps;
  const Rings& R = fm.rings();
  std::vector<float> x = fresh_ring_points(R, n, 1), lp(n);
  for (int i = 0; i < n; ++i) R.standardise(&x[2 * size_t(i)]);
  rings_log_density(R, x.data(), n, lp.data());
  const std::vector<double> model = fm.log_density(x.data(), n, ode_steps, Solver::Midpoint);
  for (int i = 0; i < n; ++i) {
    q.entropy -= lp[i];
    q.nll -= model[i];
  }
  q.entropy /= std::max(1, n);
  q.nll /= std::max(1, n);
  return judged_by_gap(q, q.nll - q.entropy, kRingsMaxNllGap,
                       "the density is still blurred across the rings' edges: train longer (more steps, cosine "
                       "schedule), with more data points or a wider network");
}

}  // namespace flowlab
