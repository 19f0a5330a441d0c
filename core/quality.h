// How far a trained model is from the best any model can do on its data,
// against exact references, and what usually closes the gap.
//
// Checkerboard (sheet 000 §3): q = 1/32 on 8 filled 2×2 squares. The model's
// negative log-likelihood (cross-entropy) and its KL divergence from q are
//   NLL = −E_q[ln p] = −(1/32) ∫_squares ln p(x) dx,   KL(q‖p) = NLL − ln 32 ≥ 0,
// with ln p exact by the instantaneous change of variables (core/loglik.h) and
// the integral by the midpoint rule on k × k cells per square (no sampling
// noise: every seed is judged on the same points). on_squares is the fraction
// of the run's samples on the filled squares.
//
// RBM (sheet 000 §1): no model can beat the empirical distribution of its N
// training patterns, so the best average log-likelihood is
//   ll* = Σ_u (N_u/N) ln(N_u/N) = −H(empirical)   (u: distinct patterns),
// −ln 30 on bars and stripes 4×4; gap = ll* − ll ≥ 0.
//
// Rings by class (sheet 003 §2): accuracy = fraction of samples whose nearest
// ring is the ring asked for; rings cross, so even the training data miss
// their own ring sometimes: ceiling = the same fraction over the data with
// their true labels.
#pragma once
#include <string>
#include <vector>

#include "datasets.h"
#include "ode.h"

namespace flowlab {

class FlowMatching;
class RealNvp;
class RbmLab;

// The references a default run must reach (measured for every seed 1..5).
constexpr double kCheckerboardMaxKl = 0.15;  // nats
constexpr double kCheckerboardMinOnSquares = 0.92;
constexpr double kRbmMaxGap = 0.15;            // nats per pattern (−3.55 on bars and stripes 4×4)
constexpr double kRingsMaxAccuracyGap = 0.03;  // below the data's own ceiling
constexpr double kRingsMaxNllGap = 0.15;       // nats above the data's entropy

// Cell centres of k × k cells in each filled square (8k² points, row-major
// per square); each carries the weight (2/k)² / 32 of q.
std::vector<float> checkerboard_quadrature(int k);

struct CheckerboardQuality {
  double nll = 0, optimum = 0, kl_gap = 0;  // optimum = ln 32
  double on_squares = 0;
  int cells = 0, ode_steps = 0;  // quadrature points, midpoint steps of ln p
  bool ok = false;
  std::string advice;  // empty when ok
};
// NLL from ln p at the quadrature points of checkerboard_quadrature(k).
double checkerboard_nll(const std::vector<double>& log_p);
// Exact ln p at the quadrature points (k per side, `ode_steps` midpoint
// steps); on_squares of the given samples (n × 2).
CheckerboardQuality checkerboard_quality(FlowMatching& fm, const float* samples, int n, int k = 16, int ode_steps = 40);

// −H of the empirical distribution of N rows of n binary pixels.
double best_avg_log_likelihood(const float* data, int N, int n);

struct RbmQuality {
  bool exact = false;   // log Z enumerable
  bool judged = false;  // a reference to judge against (bars and stripes)
  double ll = 0, best = 0, gap = 0;
  double peak_ll = 0;  // best exact ll seen in the history
  long peak_step = 0;
  bool ok = false;
  std::string advice;
};
RbmQuality rbm_quality(const RbmLab& lab);

struct RingsClassQuality {
  double accuracy = 0, ceiling = 0, gap = 0;  // gap = ceiling − accuracy
  int n = 0;
  bool ok = false;
  std::string advice;
};
// Fraction of the data set's points whose nearest ring is their label.
double rings_label_ceiling(const Rings& r);
// samples (n × 2) asked for classes c (nullptr: i mod 5).
RingsClassQuality rings_class_quality(const Rings& r, const float* samples, const int* c, int n);

// Rings (sheet 003), unconditional: the model's NLL on n fresh draws of the
// data's own distribution (the first n points of rings_entropy's stream, in the
// data set's standardisation) against the exact −ln p of the same points:
//   gap = mean(ln p_data − ln p_model) ≈ KL(data‖model) ≥ 0,
// paired on the same points, so it carries little Monte Carlo noise.
struct RingsNllQuality {
  double nll = 0, entropy = 0, gap = 0;
  int n = 0, ode_steps = 0;
  bool ok = false;
  std::string advice;
};
RingsNllQuality rings_nll_quality(FlowMatching& fm, int n = 2000, int ode_steps = 40);

// Your own points (core/own_data.h) have no exact density to compare with: the
// honest number is the model's NLL of its training points themselves (the
// first n; conditional: each given its class), in the drawing's coordinates:
// ln p_x(x) = ln p_y(y) − ln(std₀ std₁) for the standardised y. It falls as
// the model fits (and can keep falling as it memorises a small set).
struct OwnNllQuality {
  double nll = 0;
  int n = 0, ode_steps = 0;
};
OwnNllQuality own_nll_quality(FlowMatching& fm, int n = 2000, int ode_steps = 40);
// RealNVP on your own points: the same number by its exact log-density
// (change of variables through the couplings), over the first n training
// points, and over the held-out split (val_nll, n_val points), also in the
// drawing's coordinates.
struct RealNvpOwnNll {
  double nll = 0, val_nll = 0;
  int n = 0, n_val = 0;
};
RealNvpOwnNll own_nll_quality(RealNvp& m, int n = 2000);

}  // namespace flowlab
