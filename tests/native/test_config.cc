// The share-link schema: round trips, per-field rejection, and robustness.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "config.h"
#include "cost.h"
#include "rng.h"

using namespace flowlab;

TEST_CASE("canonical link round-trips every field") {
  Config c;
  c.seed = 99;
  c.hidden = 48;
  c.lr = 0.00123;
  c.solver = 0;
  std::vector<ParseIssue> issues;
  const std::string link = to_link(c);
  const Config d = parse_link("#" + link, &issues);
  CHECK(issues.empty());
  for (const auto& f : config_schema()) CHECK_MESSAGE(c.*(f.member) == d.*(f.member), f.name);
  CHECK(to_link(d) == link);
  CHECK(link.rfind("v=1&ex=fm-checkerboard&seed=99&", 0) == 0);
}

TEST_CASE("bad fields are named, fall back to defaults, and the rest is kept") {
  std::vector<ParseIssue> issues;
  const Config d = parse_link(
      "v=1&hidden=0x40&depth=2.5&lr=1e9&batch=&solver=rk4&seed=5&wat=1&seed=6&steps=nan&samples=inf", &issues);
  const Config def = default_config(0);  // no ex: the first exercise
  CHECK(d.seed == 5);                    // kept; the repeated seed is reported
  CHECK(d.hidden == def.hidden);
  CHECK(d.depth == def.depth);
  CHECK(d.lr == def.lr);
  CHECK(d.batch == def.batch);
  CHECK(d.solver == def.solver);
  CHECK(d.steps == def.steps);
  CHECK(d.samples == def.samples);
  std::string fields;
  for (const auto& i : issues) fields += i.field + " ";
  CHECK(fields == "hidden depth lr batch solver wat seed steps samples ");
  for (const auto& i : issues) CHECK(!i.message.empty());
}

TEST_CASE("per-exercise defaults: a shared member takes its exercise's own default everywhere") {
  const Config common;
  for (const auto& d : exercise_defaults()) {
    const int ex = int(std::find(exercise_ids().begin(), exercise_ids().end(), d.exercise) - exercise_ids().begin());
    REQUIRE(ex < int(exercise_ids().size()));
    CHECK(default_config(ex).*(d.member) == d.value);
    CHECK(d.value != common.*(d.member));  // else the entry says nothing
    CHECK(parse_link(std::string("v=1&ex=") + d.exercise, nullptr).*(d.member) == d.value);
    Config bad = default_config(ex);
    bad.*(d.member) = NAN;
    validate(bad);
    CHECK(bad.*(d.member) == d.value);  // reset to the exercise's default, not the common one
  }
  // The checkerboard's learning rate and run length; fm-rings shares lr and steps but keeps the common ones.
  const Config cb = parse_link("v=1&ex=fm-checkerboard", nullptr), rings = parse_link("v=1&ex=fm-rings", nullptr);
  CHECK(cb.lr == 0.01);
  CHECK(cb.steps == 8000);
  CHECK(rings.lr == common.lr);
  CHECK(rings.steps == common.steps);
  CHECK(parse_link("v=1&ex=fm-checkerboard&lr=0.002", nullptr).lr == 0.002);  // a link's value wins
  CHECK(schema_json().find("\"defaults\":{\"fm-checkerboard\":0.01}") != std::string::npos);
}

TEST_CASE("link version: a foreign version is reported, fields still read") {
  std::vector<ParseIssue> issues;
  const Config d = parse_link("v=7&seed=3", &issues);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].field == "v");
  CHECK(d.seed == 3);
}

TEST_CASE("percent-escapes are decoded; messages echo input safely") {
  std::vector<ParseIssue> issues;
  const Config d = parse_link("seed=%31%32&solver=%3Cscript%3E", &issues);
  CHECK(d.seed == 12);
  REQUIRE(issues.size() == 1);
  const std::string json = issues_json(issues);
  CHECK(json.find('<') == std::string::npos);  // escaped as \u003c
}

TEST_CASE("parser survives random bytes and random fragments of valid links") {
  Rng r(2024);
  const std::string valid = to_link(Config());
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s;
    const int len = int(r.below(80));
    for (int i = 0; i < len; ++i) {
      if (r.below(3) == 0)
        s.push_back(char(r.below(256)));
      else
        s.push_back(valid[r.below(uint32_t(valid.size()))]);
    }
    std::vector<ParseIssue> issues;
    Config c = parse_link(s, &issues);
    CHECK(validate(c).empty());  // whatever came in, the result is in bounds
    const std::string json = config_json(c) + issues_json(issues);
    CHECK(json.find('<') == std::string::npos);
  }
}

TEST_CASE("validate clamps and resets configs built in code") {
  Config c;
  c.hidden = 1e6;
  c.lr = -1;
  c.batch = 0.5;
  const auto issues = validate(c);
  // hidden, lr, batch; then the wider net's figures are lowered (core/cost.h).
  REQUIRE(issues.size() >= 3);
  CHECK(issues[0].field == "hidden");
  CHECK(issues[1].field == "lr");
  CHECK(issues[2].field == "batch");
  CHECK(c.hidden == 1024);
  CHECK(c.lr == 1e-6);
  CHECK(c.batch == Config().batch);
}

TEST_CASE("one link name, per-exercise meaning: lr of the RBM is not lr of flow matching") {
  std::vector<ParseIssue> issues;
  const Config r = parse_link("v=1&lr=0.5&ex=rbm&m=8&ode_steps=3", &issues);  // ex read first, wherever it stands
  CHECK(exercise_of(r) == "rbm");
  CHECK(r.rbm_lr == 0.5);
  CHECK(r.lr == Config().lr);
  CHECK(r.rbm_m == 8);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].field == "ode_steps");
  CHECK(issues[0].message.find("not a setting of rbm") != std::string::npos);
  // lr 0.5 is fine for the RBM but out of bounds for flow matching.
  issues.clear();
  parse_link("v=1&lr=0.5", &issues);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].field == "lr");
  // Canonical links carry only the exercise's own fields and round-trip.
  const std::string link = to_link(r);
  CHECK(link.find("ode_steps") == std::string::npos);
  CHECK(link.find("&m=8") != std::string::npos);
  issues.clear();
  const Config again = parse_link(link, &issues);
  CHECK(issues.empty());
  CHECK(to_link(again) == link);
}

TEST_CASE("absurd work per step is refused before any work starts") {
  std::vector<ParseIssue> issues;
  const Config c = parse_link("v=1&hidden=1024&depth=8&batch=8192", &issues);
  bool batch = false;
  for (const auto& i : issues) batch = batch || i.field == "batch";
  CHECK(batch);
  CHECK(link_cost(c).step.flops <= kCallFlops);
  CHECK(c.batch >= 1);
  CHECK(c.hidden == 1024);
  issues.clear();
  // The reference network trains as asked; only its figures' points may be lowered.
  const Config ref = parse_link("v=1&hidden=256&depth=3&batch=1024", &issues);
  CHECK(ref.hidden == 256);
  CHECK(ref.batch == 1024);
  for (const auto& i : issues) CHECK(i.field == "samples");
}

TEST_CASE("the link is decoded exactly once: an escaped '&' or '=' stays inside its value") {
  std::vector<ParseIssue> issues;
  // The page hands over the hash undecoded; the core decodes each field once.
  const Config c = parse_link("v=1&seed=1%26hidden%3D32", &issues);
  CHECK(c.hidden == Config().hidden);  // no hidden=32 smuggled in
  CHECK(c.seed == Config().seed);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].field == "seed");
  CHECK(issues[0].message.find("1&hidden=32") != std::string::npos);
  // "%2531" is "%31" after one pass, not "1".
  issues.clear();
  CHECK(parse_link("v=1&seed=%2531", &issues).seed == Config().seed);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].message.find("'%31'") != std::string::npos);
  // Only '%' and two hex digits is an escape (no sign, space or prefix).
  for (const char* s : {"seed=%-1", "seed=%+1", "seed=% 1", "seed=%", "seed=%4", "seed=%G1"}) {
    issues.clear();
    CHECK(parse_link(s, &issues).seed == Config().seed);
    CHECK(issues.size() == 1);
  }
  issues.clear();
  CHECK(parse_link("seed=%34%32&ex=fm%2Dot", &issues).seed == 42);
  CHECK(issues.empty());
}

TEST_CASE("-0 is canonical as 0") {
  std::vector<ParseIssue> issues;
  const Config c = parse_link("v=1&ex=cov1d&seed=-0&lambda=-0&mu0=-1e-400&alpha=-0.0", &issues);
  CHECK(issues.empty());
  CHECK_FALSE(std::signbit(c.seed));
  CHECK_FALSE(std::signbit(c.cov_lambda));
  CHECK_FALSE(std::signbit(c.cov_mu0));
  const std::string link = to_link(c);
  CHECK(link.find("-0") == std::string::npos);
  CHECK(link.find("&seed=0&") != std::string::npos);
  CHECK(link.find("&lambda=0&") != std::string::npos);
  CHECK(link.find("&alpha=0&") != std::string::npos);
  // A config built in code with −0 prints the same link.
  Config d = c;
  d.cov_lambda = -0.0;
  d.seed = -0.0;
  CHECK(validate(d).empty());
  CHECK(to_link(d) == link);
}

// Drops "&name=value" from a canonical link.
static std::string without_field(const std::string& link, const std::string& name) {
  const size_t at = link.find("&" + name + "=");
  REQUIRE(at != std::string::npos);
  const size_t end = link.find('&', at + 1);
  return link.substr(0, at) + (end == std::string::npos ? "" : link.substr(end));
}

TEST_CASE("a canonical link older than a field keeps the model it was written for") {
  REQUIRE(!added_fields().empty());
  for (const auto& a : added_fields()) {
    CAPTURE(a.exercise);
    CAPTURE(a.name);
    const auto& ids = exercise_ids();
    const int ex = int(std::find(ids.begin(), ids.end(), a.exercise) - ids.begin());
    REQUIRE(ex < int(ids.size()));
    const Config now = default_config(ex);
    const FieldSpec* f = find_field(a.name, a.exercise);
    REQUIRE(f);
    // Every field but this one (and the exercise's other added fields): written before it existed.
    std::string old = to_link(now);
    for (const auto& b : added_fields())
      if (std::string(b.exercise) == a.exercise) old = without_field(old, b.name);
    std::vector<ParseIssue> issues;
    const Config then = parse_link(old, &issues);
    CHECK(issues.empty());
    CHECK(then.*(f->member) == a.before);
    for (const auto& g : config_schema())
      if (g.used_by(a.exercise) && g.member != f->member) {
        bool other_added = false;
        for (const auto& b : added_fields())
          other_added |= std::string(b.exercise) == a.exercise && g.name == std::string(b.name);
        if (!other_added) CHECK_MESSAGE(then.*(g.member) == now.*(g.member), g.name);
      }
    // A link naming the field keeps its value; a short link, or one missing another field too, takes today's default.
    CHECK(parse_link(to_link(now), nullptr).*(f->member) == now.*(f->member));
    if (now.*(f->member) == a.before) continue;  // listed only to complete older links
    CHECK(parse_link(std::string("v=1&ex=") + a.exercise + "&seed=3", nullptr).*(f->member) == now.*(f->member));
    CHECK(parse_link(without_field(old, "seed"), nullptr).*(f->member) == now.*(f->member));
  }
}
