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

// Every field of every exercise. A link names fields by their link name; one
// link name (lr, batch, …) may belong to several exercises with their own
// members, defaults and bounds (see config_schema()).
struct Config {
  // Which exercise view; index into exercise_ids().
  double ex = 0;
  double seed = 1;
  // Flow matching: model and optimiser.
  double hidden = 64;
  double depth = 4;
  double fourier = 0;  // Fourier octaves of x beside [x, t] in the MLP's input (0: the sheet's MLP)
  double lr = 5e-3;
  double batch = 1024;
  double steps = 6000;  // training steps of a full run
  double schedule = 1;  // learning rate: 0 constant, 1 cosine decay to 0 over `steps`
  // Sampling: ODE solver (0 Euler, 1 midpoint) and its number of steps.
  double solver = 1;
  double ode_steps = 20;
  double samples = 10000;  // points drawn for the sample view
  // Olympic rings (seed 003 §2): data-set size, ring thickness, class-embedding width.
  // fm-ot: an exact optimal assignment per batch (core/ot.h), so its own batch and run length.
  double ot_batch = 512;
  double ot_steps = 3000;
  double rings_n = 5000;
  double rings_thickness = 0.2;
  double rings_embed = 8;
  // fm-rings-cond: how a batch pairs x0 with x1 — 0 independent (CFM), 1 minibatch
  // OT across classes, 2 minibatch OT within each class (condition-aware).
  double rings_pairing = 0;

  // RBM (sheet 000 §1).
  double rbm_dataset = 0;  // 0 bars and stripes, 1 noisy digits, 2 drawn patterns
  double rbm_side = 4;
  double rbm_n_train = 100, rbm_n_test = 100;
  double rbm_flip = 0.05;
  double rbm_m = 16;       // hidden units
  double rbm_k = 20;       // Gibbs sweeps per update
  double rbm_sampler = 0;  // 0 CD-k, 1 persistent CD
  double rbm_batch = 30;
  double rbm_lr = 0.3, rbm_momentum = 0.5, rbm_weight_decay = 1e-3;
  double rbm_steps = 15000;
  double rbm_schedule = 1;  // learning rate: 0 constant, 1 cosine decay to 0 over rbm_steps

  // 1D instantaneous change of variables (sheet 000 §2).
  double cov_field = 0;  // 0 linear, 1 sine, 2 split, 3 learned by flow matching
  double cov_lambda = 1, cov_alpha = 1, cov_omega = 1, cov_beta = 1;
  double cov_mu0 = 0, cov_sigma0 = 1;
  double cov_m1 = -2, cov_m2 = 2, cov_s = 0.5, cov_w1 = 0.5;
  double cov_hidden = 64, cov_depth = 2, cov_lr = 2e-3, cov_batch = 256, cov_steps = 3000;

  // RealNVP on the Olympic rings (sheet 003 §1); defaults of core/realnvp.h.
  double nvp_layers = 128, nvp_hidden = 16, nvp_depth = 2, nvp_lr = 2e-3, nvp_batch = 384, nvp_steps = 8000;
  double nvp_rings_n = 50000, nvp_thickness = 0.25, nvp_val_fraction = 0.2, nvp_s_max = 2;
  double nvp_schedule = 1, nvp_warmup = 100, nvp_clip = 5, nvp_in_scale = 8, nvp_b_max = 3;
  double nvp_mix = 2, nvp_s_exp = 0.1, nvp_fourier = 0;

  // Your own points (core/own_data.h): the link text of the set ("1.…"), or
  // empty for the exercise's built-in data. 2D exercises only (own_data_exercise).
  std::string data;

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
  const char* group;                 // where the page shows it: model, training, sampling, data
  const char* exercises;             // space-separated exercise ids using it; "" = all
  bool used_by(const std::string& exercise) const;
};

const std::vector<FieldSpec>& config_schema();
// Each exercise's fields, declared beside its model (core/flow_matching.cc, rbm_lab.cc,
// cov1d.cc, realnvp.cc); config_schema() = ex, seed, then these in this order.
const std::vector<FieldSpec>& flow_matching_fields();
const std::vector<FieldSpec>& rbm_fields();
const std::vector<FieldSpec>& cov1d_fields();
const std::vector<FieldSpec>& realnvp_fields();
const std::vector<std::string>& exercise_ids();

// A default that one exercise sets differently for a member it shares with
// others (the checkerboard's learning rate, say): Config{} holds the common one.
struct ExerciseDefault {
  const char* exercise;
  double Config::*member;
  double value;
};
const std::vector<ExerciseDefault>& exercise_defaults();
// A field added after links of its exercise were shared, with the value that
// older links meant: a link that names every other field of its exercise (a
// canonical link, as the page writes and stores them) but not this one was
// written before it existed and keeps its old model. Short hand-written links
// take today's defaults.
struct AddedField {
  const char* exercise;
  const char* name;
  double before;  // the value links meant before the field existed
};
const std::vector<AddedField>& added_fields();
// The defaults of exercise `ex` (an index into exercise_ids()).
Config default_config(int ex);

struct ParseIssue {
  std::string field;
  std::string message;
};

// Parses a link (with or without a leading '#' or '?'). Never throws: every
// rejected field is listed in *issues and keeps its default. Fields are read
// for the link's exercise (ex, default the first); a field of another
// exercise is reported and ignored.
Config parse_link(const std::string& link, std::vector<ParseIssue>* issues);
// Lowers fields whose work exceeds the budgets of core/cost.h, naming each.
void limit_cost(Config& c, std::vector<ParseIssue>* issues);

// The schema entry for link name `name` in exercise `ex`, or nullptr.
const FieldSpec* find_field(const std::string& name, const std::string& ex);
const std::string& exercise_of(const Config& c);
// Whether exercise ex can train on your own points (the `data` field).
bool own_data_exercise(const std::string& ex);
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
