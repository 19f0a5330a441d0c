// The cost model (core/cost.h): defaults fit, work grows with every field,
// and the links that hung or exhausted the wasm heap are lowered, by name.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "config.h"
#include "cost.h"

using namespace flowlab;

namespace {
std::string fields_of(const std::vector<ParseIssue>& issues) {
  std::string s;
  for (const auto& i : issues) s += i.field + " ";
  return s;
}
double peak(const LinkCost& k) { return k.model_bytes + std::max(k.step.bytes, k.figures.bytes); }
bool fits(const Config& c) {
  const LinkCost k = link_cost(c);
  return k.step.flops <= kCallFlops && k.figures.flops <= kCallFlops && peak(k) <= kMemoryBytes;
}
}  // namespace

TEST_CASE("cost: every exercise's defaults fit, analyses included, with no message") {
  for (const auto& ex : exercise_ids()) {
    CAPTURE(ex);
    std::vector<ParseIssue> issues;
    const Config c = parse_link("v=1&ex=" + ex, &issues);
    CHECK(issues.empty());
    CHECK(fits(c));
    for (const auto& a : link_cost(c).analyses) {
      CAPTURE(a.first);
      CHECK(analysis_refusal(c, a.first).empty());
    }
  }
}

TEST_CASE("cost: monotone in every numeric field of every exercise") {
  for (const auto& ex : exercise_ids()) {
    std::vector<ParseIssue> issues;
    const Config base = parse_link("v=1&ex=" + ex, &issues);
    for (const auto& f : config_schema()) {
      if (!f.used_by(ex) || !f.choices.empty()) continue;
      CAPTURE(ex);
      CAPTURE(f.name);
      Config c = base;
      LinkCost prev;
      for (int i = 0; i <= 16; ++i) {
        double v = f.lo + (f.hi - f.lo) * i / 16.0;
        if (f.integer) v = std::floor(v);
        c.*(f.member) = v;
        const LinkCost k = link_cost(c);
        if (i > 0) {
          CHECK(k.model_bytes >= prev.model_bytes);
          CHECK(k.step.flops >= prev.step.flops);
          CHECK(k.step.bytes >= prev.step.bytes);
          CHECK(k.figures.flops >= prev.figures.flops);
          CHECK(k.figures.bytes >= prev.figures.bytes);
          for (size_t a = 0; a < k.analyses.size(); ++a)
            CHECK(k.analyses[a].second.flops >= prev.analyses[a].second.flops);
        }
        prev = k;
      }
    }
  }
}

TEST_CASE("cost: the links that hung or exhausted memory are lowered, naming the fields") {
  struct Case {
    const char* link;
    const char* fields;  // each must be named
  } cases[] = {
      {"v=1&ode_steps=2000", "samples"},
      {"v=1&samples=100000&ode_steps=2000&solver=midpoint", "samples"},
      {"v=1&ex=fm-rings&samples=100000&ode_steps=2000&solver=midpoint", "samples"},
      {"v=1&ex=fm-rings-cond&samples=100000&ode_steps=2000&solver=midpoint", "samples"},
      {"v=1&ex=fm-ot&samples=100000&ode_steps=2000&solver=midpoint", "samples"},
      {"v=1&ex=fm-ot&hidden=1024&depth=8&samples=100000", "samples"},
      {"v=1&ex=realnvp&layers=64&hidden=512&depth=6&batch=4096", "batch"},
      {"v=1&hidden=512&depth=5", "samples"},
      {"v=1&ex=rbm&dataset=digits&side=16&m=256&k=1000&batch=4096", "batch"},
  };
  for (const auto& t : cases) {
    CAPTURE(t.link);
    std::vector<ParseIssue> issues;
    const Config c = parse_link(t.link, &issues);
    CAPTURE(fields_of(issues));
    CHECK(fields_of(issues).find(t.fields) != std::string::npos);
    CHECK(fits(c));
    for (const auto& i : issues) CHECK(i.message.find("lowered from") != std::string::npos);
    // The lowered link is canonical: parsing it again asks for nothing more.
    std::vector<ParseIssue> again;
    parse_link(to_link(c), &again);
    CHECK(again.empty());
  }
  // The largest model that fits is kept: the paper's network keeps its size.
  std::vector<ParseIssue> issues;
  const Config paper = parse_link("v=1&hidden=512&depth=5", &issues);
  CHECK(paper.hidden == 512);
  CHECK(paper.depth == 5);
  CHECK(paper.samples >= 1000);
}

TEST_CASE("cost: an analysis beyond the budget is refused with the fields to lower") {
  std::vector<ParseIssue> issues;
  const Config c = parse_link("v=1&hidden=256&depth=3", &issues);
  const std::string why = analysis_refusal(c, "density");
  CHECK(why.find("hidden or depth") != std::string::npos);
  CHECK(analysis_refusal(c, "field0").empty());
}

TEST_CASE("cost: an analysis's arguments go through the model; the refusal names them") {
  std::vector<ParseIssue> issues;
  const Config rings = parse_link("v=1&ex=fm-rings", &issues);
  CHECK(analysis_refusal(rings, "progression", {{"n", 1000}}).empty());
  CHECK(analysis_cost(rings, "progression", {{"n", 2000}}).flops ==
        doctest::Approx(2 * analysis_cost(rings, "progression").flops).epsilon(0.01));
  // A million trajectories of 50 steps: 2 GB of positions alone.
  const std::string why = analysis_refusal(rings, "progression", {{"n", 1e6}});
  CHECK(why.find("with n = 1e+06") != std::string::npos);
  CHECK(why.find("lower its argument n or the link's hidden or depth") != std::string::npos);
  // Arguments that do not raise the work are not blamed.
  const Config cb = parse_link("v=1", &issues);
  const std::string grid = analysis_refusal(cb, "density", {{"m", 300}, {"steps", 1000}, {"extent", 2}});
  CHECK(grid.find("its arguments m, steps or") != std::string::npos);
  CHECK(grid.find("extent") == std::string::npos);
  CHECK(analysis_refusal(cb, "density", {{"m", 11}}).empty());
  // Every exercise: each analysis grows with each of its size arguments.
  const Config rbm = parse_link("v=1&ex=rbm", &issues);
  CHECK(analysis_cost(rbm, "coupling", {{"sweeps", 5000}}).flops > analysis_cost(rbm, "coupling").flops);
  CHECK(!analysis_refusal(rbm, "chains", {{"B", 256}, {"sweeps", 1e9}}).empty());
  const Config nvp = parse_link("v=1&ex=realnvp", &issues);
  CHECK(!analysis_refusal(nvp, "seeds", {{"n", 1e6}, {"seeds", 100}}).empty());
  const Config cov = parse_link("v=1&ex=cov1d", &issues);
  CHECK(!analysis_refusal(cov, "particles", {{"n", 1e7}, {"steps", 1e5}}).empty());
}
