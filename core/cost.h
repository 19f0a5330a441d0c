// What a link asks the lab to compute, estimated from the Config alone —
// before any experiment exists — so that a link cannot ask a browser tab for
// more than it can do: no call longer than a few seconds, no heap near the
// 2 GB a wasm module can have.
//
// Model (FLOP = one multiply or add; bytes = floats × 4, the live peak):
//   MLP dims d_0 … d_L:  P = Σ (d_l + 1)·d_{l+1} parameters, U = Σ_{l≥1} d_l units.
//     forward of n rows   2·P·n + 20·U·n FLOP (SiLU ≈ 20 FLOP-equivalents),
//                         bytes 4·n·(Σ_l d_l + U) (inputs and pre-activations cached);
//     forward + backward  3× the forward; Adam 12·P FLOP, bytes 16·P (θ, ∇, m, v).
//     JVP (one direction) 2× the forward.
//   Flow matching (in = 3 + embed, out = 2):
//     step      fwd+bwd on `batch` rows (+ fm-ot: both models and an assignment, ≈ 4·batch³)
//     sampling  n points, S ODE steps: e·S forwards of n rows (e = 1 Euler, 2 midpoint)
//     figures   sampling of `samples` points (fm-ot: both models; rings: ≥ 1000,
//               conditional ≥ 3000), the config's solver and ODE steps
//     analyses  fig4: 72 forwards of `samples` rows (+ a 16-step trajectory);
//               density: 81² points × 40 midpoint steps × 2 JVPs (2 directions);
//               rings: progression 50 steps × 1000; quantization 500+100+… Euler steps × 1000
//   RealNVP (L couplings, each an MLP 1 → hidden^depth → 2):
//     step      fwd+bwd of every coupling on `batch` rows (bytes: every coupling's activations),
//               plus, in a step that validates (every 100th), a forward of the validation set
//               (val_fraction · rings_n rows; bytes: one coupling's, none are kept)
//     figures   1000 samples; density analysis 120² points
//   RBM (n visible, m hidden, chains = batch, k sweeps): a sweep is 2 matrix
//     products (4·n·m FLOP) and n + m sigmoid+uniform draws (≈ 60 FLOP-equivalents
//     each); step = batch·k sweeps; exact log Z (min(n, m) ≤ 20): 2^min·(8·n·m + 400·max).
//   1D change of variables: the learned field's MLP (in 2, out 1); analytic fields ≈ 0;
//     particles (4000, 100 steps, with ln q): 16 forwards a step (measured 7× the plain count).
//
// Budgets (calibrated in wasm on node 20, 2-core AMD EPYC, one thread:
// tests/bench/cost_calibrate.mjs prints the measured rates):
//   kFlopsPerSecond  the slowest measured rate of the model's FLOP count
//   kCallSeconds     one uninterrupted call (a training step, the figures, one
//                    analysis) on this machine; a laptop 3–4× slower still answers
//                    within the watchdog's patience
//   kMemoryBytes     model + the largest workspace; the module may grow to 2 GB
//                    but a vector's reallocation needs old + new at once
#pragma once
#include <map>
#include <string>
#include <vector>

#include "config.h"

namespace flowlab {

constexpr double kFlopsPerSecond = 2.5e9;  // measured 2.5–4.3 GFLOP/s of this count (load 18 on 2 cores)
constexpr double kCallSeconds = 12.0;      // the largest default figures (fm-ot, 24.7 GFLOP) fit
constexpr double kCallFlops = kFlopsPerSecond * kCallSeconds;
constexpr double kAnalysisSeconds = 40.0;  // an analysis the user asked for (default density: 65 GFLOP)
constexpr double kAnalysisFlops = kFlopsPerSecond * kAnalysisSeconds;
constexpr double kMemoryBytes = 768.0 * 1024 * 1024;

struct Work {
  double flops = 0;
  double bytes = 0;
  double seconds() const { return flops / kFlopsPerSecond; }
};

struct LinkCost {
  double model_bytes = 0;                              // parameters, optimiser state, data sets, chains
  Work step;                                           // one training step
  Work figures;                                        // the full figures drawn after every change
  std::vector<std::pair<std::string, Work>> analyses;  // each analysis with its default arguments
};

// An analysis's arguments (what the API's analyze(name, args) was given): a
// number by name; an array argument `a` as a = its length and aSum = the sum of
// its entries. Absent arguments take the API's defaults.
using AnalysisArgs = std::map<std::string, double>;

LinkCost link_cost(const Config& c);
// The work of one analysis of the config's exercise with these arguments;
// {0, 0} if unknown (then it is cheap: a few rows).
Work analysis_cost(const Config& c, const std::string& name, const AnalysisArgs& args = {});

// Lowers the fields whose work exceeds a budget (memory, one training step,
// the figures), each to the largest value that fits, and reports each one by
// name with the work it would have asked for. Analyses are not lowered here:
// the page refuses one that does not fit (see analysis_refusal).
void limit_work(Config& c, std::vector<ParseIssue>* issues);
// "" if the analysis fits the budget, otherwise why not (naming the link's
// fields and the arguments that would make it fit).
std::string analysis_refusal(const Config& c, const std::string& name, const AnalysisArgs& args = {});

}  // namespace flowlab
