#include "cost.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace flowlab {
namespace {

struct Net {
  double P = 0, U = 0, cache = 0;  // parameters, hidden units, cached floats per row
};

Net mlp(double in, double hidden, double depth, double out) {
  Net n;
  double prev = in;
  n.cache = in;
  for (int l = 0; l < int(depth); ++l) {
    n.P += (prev + 1) * hidden;
    n.U += hidden;
    n.cache += 2 * hidden;  // layer input and pre-activation
    prev = hidden;
  }
  n.P += (prev + 1) * out;
  n.cache += out;
  return n;
}

Work forward(const Net& net, double rows) { return {(2 * net.P + 20 * net.U) * rows, 4 * net.cache * rows}; }
Work train_rows(const Net& net, double rows) {
  const Work f = forward(net, rows);
  return {3 * f.flops + 12 * net.P, 2 * f.bytes};  // activations and their gradients
}
Work operator*(double k, Work w) { return {k * w.flops, w.bytes}; }
// Two parts run one after the other: their work adds, their memory does not.
Work seq(Work a, Work b) { return {a.flops + b.flops, std::max(a.bytes, b.bytes)}; }

// ODE sampling of n points: e·S forwards (e evaluations per step) and the points.
Work sampling(const Net& net, double n, double steps, double solver, double trajectory_steps = 0) {
  Work w = (solver >= 1 ? 2 : 1) * steps * forward(net, n);
  w.bytes += 4 * 2 * n * (3 + trajectory_steps);
  return w;
}

bool is_fm(const std::string& ex) { return ex.rfind("fm-", 0) == 0; }

Net fm_net(const Config& c) {
  const double in = 3 + 4 * c.fourier + (exercise_of(c) == "fm-rings-cond" ? c.rings_embed : 0);
  return mlp(in, c.hidden, c.depth, 2);
}

double rbm_visible(const Config& c) {
  if (c.rbm_dataset == 1) return 35;  // the 5 × 7 digit glyphs
  const double side = c.rbm_dataset == 0 ? std::min(5.0, c.rbm_side) : c.rbm_side;
  return side * side;
}
double rbm_exact(double n, double m) {
  const double lo = std::min(n, m);
  return lo <= 20 ? std::ldexp(1.0, int(lo)) * (8 * n * m + 400 * std::max(n, m)) : 0;
}

double fm_figure_points(const Config& c) {
  const std::string& ex = exercise_of(c);
  if (ex == "fm-rings") return std::max(1000.0, c.samples);
  if (ex == "fm-rings-cond") return std::max(3000.0, c.samples);
  return c.samples;
}

}  // namespace

namespace {

double arg(const AnalysisArgs& a, const char* name, double fallback) {
  const auto it = a.find(name);
  return it == a.end() ? fallback : std::max(0.0, it->second);
}

// Each analysis of the config's exercise at the arguments `a` (the API's
// defaults where absent): the work of its calls, in the order they run.
std::vector<std::pair<std::string, Work>> analyses_of(const Config& c, const AnalysisArgs& a) {
  std::vector<std::pair<std::string, Work>> out;
  const std::string& ex = exercise_of(c);
  auto add = [&](const char* name, Work w) { out.push_back({name, w}); };
  if (is_fm(ex)) {
    const Net net = fm_net(c);
    auto jvp_grid = [&](double m, double steps) { return 2 * 2 * steps * (2 * forward(net, m * m)); };
    if (ex == "fm-checkerboard") {
      const double n = arg(a, "n", c.samples);
      add("fig4", seq(sampling(net, n, 15, 1, 15), sampling(net, n, 21, 1)));
      // RK4: 4 evaluations a step, twice the midpoint's that jvp_grid counts.
      add("density", jvp_grid(arg(a, "m", 81), 2 * arg(a, "steps", 10)));
      add("field0", forward(net, arg(a, "m", 11) * arg(a, "m", 11)));
      const double k = arg(a, "k", 16);
      add("quality",
          seq(sampling(net, c.samples, c.ode_steps, c.solver), jvp_grid(std::sqrt(32) * k, arg(a, "steps", 40))));
    } else if (ex == "fm-ot") {
      add("compare", 2 * seq(seq(sampling(net, arg(a, "nTraj", 200), 20, 1, 20), sampling(net, 500, 100, 1)),
                             sampling(net, arg(a, "nQuality", 3000), 15, 0)));
    } else {
      const double n = arg(a, "n", 1000);
      add("progression", sampling(net, n, 50, c.solver, 50));
      add("trajectories", sampling(net, arg(a, "n", 10), 50, c.solver, 50));
      add("quantization", sampling(net, n, 500 + 100 + 50 + 20 + 10 + 5, 0));
      add("reverse", sampling(net, 5, 2 * 685, 0, 500));
      // Both rings exercises have every analysis (the conditional ones answer either model).
      add("density", seq(jvp_grid(arg(a, "m", 81), 2 * arg(a, "steps", 10)), 2 * 2 * 200 * (2 * forward(net, 5))));
      // Exact ln p of n fresh data points (`steps` midpoint steps of the divergence ODE).
      add("quality", 2 * 2 * arg(a, "steps", 40) * (2 * forward(net, arg(a, "n", 2000))));
      add("data", {0, 4 * 3 * c.rings_n});
      add("classTrajectories", 5 * sampling(net, 1, 50, c.solver, 50));
      add("classSamples", sampling(net, arg(a, "n", std::max(3000.0, c.samples)), c.ode_steps, c.solver));
      // Per class: n samples at NFE 1 + 2 + 4 + 8 and an n × n assignment (≈ 4·n³).
      const double n_w2 = std::min(2000.0, arg(a, "n", 500));
      add("w2", {5 * (15 * forward(net, n_w2).flops + 4 * 4 * n_w2 * n_w2 * n_w2), 5 * 8.0 * n_w2 * n_w2});
    }
  } else if (ex == "realnvp") {
    const Net net = mlp(1, c.nvp_hidden, c.nvp_depth, 2);
    const double L = c.nvp_layers;
    auto pass = [&](double rows) {  // every coupling on `rows`, each layer's output kept
      Work w = L * forward(net, rows);
      w.bytes *= L;
      return w;
    };
    const double n = arg(a, "n", 1000);
    add("seeds", arg(a, "seeds", 3) * pass(n));
    add("layers", pass(n));
    add("points", pass(std::ceil(arg(a, "points", 10) / 2)));
    add("density", pass(arg(a, "m", 120) * arg(a, "m", 120)));
  } else if (ex == "rbm") {
    const double n = rbm_visible(c), m = c.rbm_m, sweep = 4 * n * m + 60 * (n + m);
    add("chains", {arg(a, "B", 16) * std::max(10.0, arg(a, "sweeps", 1)) * sweep, 4 * arg(a, "B", 16) * (n + m)});
    add("reconstruct", {std::ceil(arg(a, "v", n) / std::max(n, 1.0)) * arg(a, "sweeps", 1) * sweep, 0});
    add("coupling", {arg(a, "chains", 200) * (arg(a, "burnIn", 20) + arg(a, "sweeps", 50)) * sweep,
                     4 * arg(a, "chains", 200) * (n + m)});
    // Exact moments by enumeration, finite differences capped at ~6e7·8, CD/PCD chains.
    const double states_nm = std::ldexp(1.0, int(std::min(std::min(n, m), 60.0))) * n * m;
    const double chain_sweeps = arg(a, "ksSum", 26) + arg(a, "pcdBurnIn", 100) + arg(a, "pcdSweeps", 20);
    add("gradient", {4 * states_nm + 5e8 + arg(a, "samples", 2000) * chain_sweeps * sweep, 8 * n * m * 3});
    add("conditional", {std::ldexp(1.0, int(std::min(m, 60.0))) * 4 * n * m, 0});  // P(h | v) by enumeration
    add("patterns",
        {rbm_exact(n, m) + arg(a, "rows", n) * 2 * m, 4 * arg(a, "rows", n)});  // rows: flat 0/1, n a pattern
  } else if (ex == "cov1d") {
    const Net net = mlp(2, c.cov_hidden, c.cov_depth, 1);
    const bool learned = c.cov_field == 3;
    const double n = arg(a, "n", 4000), steps = arg(a, "steps", 100);
    add("particles",
        learned ? 16 * steps * forward(net, n) : Work{n * steps * 40, 8 * n * (arg(a, "snapshots", 4) + 2)});
    // ln q on m grid points (the learned field: each integrated back to t = 0, ~100 steps).
    const double m = arg(a, "m", learned ? 81 : 241);
    add("derivation", learned ? 2 * 16 * 100 * forward(net, m) : Work{2 * m * 100, 8 * m});
    add("sweep", learned ? arg(a, "count", 12) * 16 * 100 * forward(net, 4) : Work{arg(a, "count", 12) * 400, 0});
  }
  return out;
}

}  // namespace

LinkCost link_cost(const Config& c) {
  LinkCost k;
  const std::string& ex = exercise_of(c);
  if (is_fm(ex)) {
    const Net net = fm_net(c);
    const bool ot = ex == "fm-ot";
    const double models = ot ? 2 : 1, batch = ot ? c.ot_batch : c.batch;
    double data = 0;
    if (ex == "fm-rings" || ex == "fm-rings-cond") data = 4 * 3 * c.rings_n;
    k.model_bytes = models * 16 * net.P + data;
    k.step = models * train_rows(net, batch);
    if (ot) k.step.flops += 4 * batch * batch * batch;
    k.figures = models * sampling(net, fm_figure_points(c), c.ode_steps, c.solver);
  } else if (ex == "realnvp") {
    const Net net = mlp(1, c.nvp_hidden, c.nvp_depth, 2);
    const double L = c.nvp_layers, val = std::ceil(c.nvp_val_fraction * c.nvp_rings_n);
    k.model_bytes = L * 16 * net.P + 4 * 2 * c.nvp_rings_n;
    k.step = seq(L * train_rows(net, c.nvp_batch), L * forward(net, val));
    // Training keeps every coupling's activations; validation (forward only, in chunks) keeps
    // none from one coupling to the next: one forward's bytes bound it.
    k.step.bytes = std::max(L * 2 * forward(net, c.nvp_batch).bytes, forward(net, val).bytes);
    k.figures = L * forward(net, 1000);
    k.figures.bytes *= L;
  } else if (ex == "rbm") {
    const double n = rbm_visible(c), m = c.rbm_m, sweep = 4 * n * m + 60 * (n + m);
    k.model_bytes = 4 * (3 * n * m + 2 * (n + m) + c.rbm_batch * (n + m) + (c.rbm_n_train + c.rbm_n_test) * n);
    k.step = {c.rbm_batch * (c.rbm_k * sweep + 2 * n * m) + rbm_exact(n, m) + 2 * n * m, 4 * c.rbm_batch * 3 * (n + m)};
    k.figures = {rbm_exact(n, m) + (c.rbm_n_train + c.rbm_n_test) * 2 * n * m, 4 * n * m};
  } else if (ex == "cov1d") {
    const Net net = mlp(2, c.cov_hidden, c.cov_depth, 1);
    const bool learned = c.cov_field == 3;
    k.model_bytes = learned ? 16 * net.P : 0;
    k.step = learned ? train_rows(net, c.cov_batch) : Work{};
    k.figures = learned ? 3 * (2 * forward(net, 201)) : Work{};
  }
  k.analyses = analyses_of(c, {});
  return k;
}

Work analysis_cost(const Config& c, const std::string& name, const AnalysisArgs& args) {
  for (const auto& a : analyses_of(c, args))
    if (a.first == name) return a.second;
  return {};
}

namespace {

using Member = double Config::*;
struct Lower {
  Member field;
  double floor;  // never lowered below this (the schema's minimum at most)
};

const char* link_name(const Config& c, Member m) {
  for (const auto& f : config_schema())
    if (f.member == m && f.used_by(exercise_of(c))) return f.name;
  return "?";
}

std::string gflop(double flops) {
  char s[96];
  const double g = flops / 1e9, sec = flops / kFlopsPerSecond;
  std::snprintf(s, sizeof s,
                g >= 10 ? "%.0f GFLOP (≈ %.0f s at %.3g GFLOP/s)" : "%.2g GFLOP (≈ %.2g s at %.3g GFLOP/s)", g, sec,
                kFlopsPerSecond / 1e9);
  return s;
}
std::string budget(double flops) { return std::to_string(int(std::lround(flops / 1e9))) + " GFLOP"; }
std::string megabytes(double bytes) {
  char s[64];
  std::snprintf(s, sizeof s, "%.0f MB", bytes / (1024 * 1024));
  return s;
}

// What was lowered and why: one issue per field, however many budgets lowered it.
struct Lowered {
  Member field;
  double was;
  std::string why;
};

// Lowers `plan`'s fields in order, each to the largest value with fits(c).
// The model is monotone in each field, so bisection finds it.
template <class Fits>
void lower(Config& c, const std::vector<Lower>& plan, Fits fits, const std::string& why, std::vector<Lowered>* out) {
  if (fits(c)) return;
  for (const Lower& step : plan) {
    double& v = c.*(step.field);
    const double was = v;
    if (was <= step.floor) continue;
    double lo = step.floor, hi = was;
    v = lo;
    const bool floor_fits = fits(c);
    if (floor_fits) {
      while (hi - lo > 1) {  // every lowered field is an integer
        const double mid = std::floor(0.5 * (lo + hi));
        v = mid;
        (fits(c) ? lo : hi) = mid;
      }
      v = lo;
    }
    auto it = std::find_if(out->begin(), out->end(), [&](const Lowered& l) { return l.field == step.field; });
    if (it == out->end())
      out->push_back({step.field, was, why});
    else if (it->why.find(why) == std::string::npos)
      it->why += "; " + why;
    if (floor_fits) return;
  }
}

}  // namespace

void limit_work(Config& c, std::vector<ParseIssue>* issues) {
  const std::string& ex = exercise_of(c);
  std::vector<Lower> memory, step, figures;
  if (is_fm(ex)) {
    const Member batch = ex == "fm-ot" ? &Config::ot_batch : &Config::batch;
    memory = {{&Config::samples, 1000}, {batch, 64}, {&Config::hidden, 64}, {&Config::samples, 100}};
    step = {{batch, 64}, {&Config::hidden, 64}, {batch, 2}};
    figures = {{&Config::samples, 1000}, {&Config::ode_steps, 4}, {&Config::samples, 100}, {&Config::ode_steps, 1}};
  } else if (ex == "realnvp") {
    memory = {
        {&Config::nvp_batch, 64}, {&Config::nvp_hidden, 32}, {&Config::nvp_layers, 4}, {&Config::nvp_rings_n, 1000}};
    step = {
        {&Config::nvp_batch, 64}, {&Config::nvp_hidden, 32}, {&Config::nvp_layers, 4}, {&Config::nvp_rings_n, 1000}};
  } else if (ex == "rbm") {
    step = {{&Config::rbm_batch, 16}, {&Config::rbm_k, 1}, {&Config::rbm_m, 16}, {&Config::rbm_batch, 1}};
    figures = {{&Config::rbm_n_test, 0}, {&Config::rbm_n_train, 10}};
  } else if (ex == "cov1d") {
    step = {{&Config::cov_batch, 16}, {&Config::cov_hidden, 4}};
  }
  auto peak = [](const LinkCost& k) {
    double w = std::max(k.step.bytes, k.figures.bytes);
    return k.model_bytes + w;
  };
  std::vector<Lowered> lowered;
  lower(
      c, memory, [&](const Config& x) { return peak(link_cost(x)) <= kMemoryBytes; },
      "the model and its workspace would need " + megabytes(peak(link_cost(c))) + " (budget " +
          megabytes(kMemoryBytes) + ")",
      &lowered);
  lower(
      c, step, [](const Config& x) { return link_cost(x).step.flops <= kCallFlops; },
      "one training step would take " + gflop(link_cost(c).step.flops) + " (budget " + budget(kCallFlops) + ")",
      &lowered);
  lower(
      c, figures, [](const Config& x) { return link_cost(x).figures.flops <= kCallFlops; },
      "the figures would take " + gflop(link_cost(c).figures.flops) + " (budget " + budget(kCallFlops) + ")", &lowered);
  for (const Lowered& l : lowered) {
    char change[80];
    std::snprintf(change, sizeof change, "; lowered from %g to %g", l.was, c.*(l.field));
    issues->push_back({link_name(c, l.field), l.why + change});
  }
}

std::string analysis_refusal(const Config& c, const std::string& name, const AnalysisArgs& args) {
  const LinkCost k = link_cost(c);
  const Work w = analysis_cost(c, name, args);
  if (w.flops <= kAnalysisFlops && k.model_bytes + w.bytes <= kMemoryBytes) return "";
  const std::string& ex = exercise_of(c);
  std::string fields;
  if (is_fm(ex))
    fields = name == "fig4" || name == "classSamples" ? "samples, hidden or depth" : "hidden or depth";
  else if (ex == "realnvp")
    fields = "layers, hidden or depth";
  else if (ex == "rbm")
    fields = "m (hidden units)";
  else
    fields = "hidden or depth";
  // The arguments that were given and raise the work above the defaults' are named first.
  const Work plain = analysis_cost(c, name, {});
  std::string given, names;
  int count = 0;
  for (const auto& [arg, value] : args) {
    const Work alone = analysis_cost(c, name, {{arg, value}});
    if (alone.flops > plain.flops || alone.bytes > plain.bytes) {
      // An array argument's sum (e.g. RBM ks) is named by the array.
      const bool sum = arg.size() > 3 && arg.compare(arg.size() - 3, 3, "Sum") == 0;
      const std::string base = sum ? arg.substr(0, arg.size() - 3) : arg;
      char v[64];
      std::snprintf(v, sizeof v, sum ? " summing to %g" : " = %g", value);
      given += (given.empty() ? "" : ", ") + base + v;
      names += (names.empty() ? "" : ", ") + base;
      ++count;
    }
  }
  std::string what = "the analysis '" + name + "'";
  if (count) what += " with " + given;
  const std::string lower =
      count ? (count > 1 ? "its arguments " : "its argument ") + names + " or the link's " + fields : fields;
  return what + " would take " + gflop(w.flops) + " and " + megabytes(k.model_bytes + w.bytes) + " (budget " +
         budget(kAnalysisFlops) + ", " + megabytes(kMemoryBytes) + "): lower " + lower + " to run it";
}

}  // namespace flowlab
