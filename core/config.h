// The experiment configuration and its share-link form. One schema for every
// exercise: each field has bounds and a default, the link carries a version,
// and parsing never fails as a whole — a bad field is reported by name and
// falls back to its default while the rest is kept.
//
// Link form (the URL hash, without '#'): "v=1&ex=fm-checkerboard&seed=1&…"
#pragma once
#include <string>
#include <vector>

namespace flowlab {

constexpr int kLinkVersion = 1;

struct Config {
  // Which exercise view; index into exercise_ids().
  double ex = 0;
  double seed = 1;
  // Model and optimiser.
  double hidden = 64;
  double depth = 4;
  double lr = 5e-3;
  double batch = 1024;
  double steps = 6000;  // training steps of a full run
  double schedule = 1;  // learning rate: 0 constant, 1 cosine decay to 0 over `steps`
  // Sampling: ODE solver (0 Euler, 1 midpoint) and its number of steps.
  double solver = 1;
  double ode_steps = 20;
  double samples = 10000;  // points drawn for the sample view

  int i(double Config::*f) const { return int(this->*f); }
};

struct FieldSpec {
  const char* name;
  const char* label;  // short, for the form
  const char* help;
  double Config::*member;
  double lo, hi;
  bool integer;
  std::vector<std::string> choices;  // non-empty for enumerations
  const char* group;      // where the page shows it: model, training, sampling, data
  const char* exercises;  // space-separated exercise ids using it; "" = all
  bool used_by(const std::string& exercise) const;
};

const std::vector<FieldSpec>& config_schema();
const std::vector<std::string>& exercise_ids();

struct ParseIssue {
  std::string field;
  std::string message;
};

// Parses a link (with or without a leading '#' or '?'). Never throws: every
// rejected field is listed in *issues and keeps its default.
Config parse_link(const std::string& link, std::vector<ParseIssue>* issues);
// The canonical link of a config: the version, then every field its exercise
// uses, in schema order; parse_link(to_link(c)) == c on those fields.
std::string to_link(const Config& c);
// Checks every field of a config against the schema (for configs built in
// code); returns the issues and clamps/resets the offending fields.
std::vector<ParseIssue> validate(Config& c);
// JSON of the config's fields for its exercise ({"ex":"fm-checkerboard","seed":1,…})
// and of the whole schema (with each field's group and exercises).
std::string config_json(const Config& c);
std::string schema_json();
std::string issues_json(const std::vector<ParseIssue>& issues);
// A JSON string literal of s (quotes included; '<' and '>' escaped too).
std::string json_quote(const std::string& s);

}  // namespace flowlab
