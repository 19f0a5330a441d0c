#include "config.h"

#include "cost.h"
#include "own_data.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace flowlab {

const std::vector<std::string>& exercise_ids() {
  static const std::vector<std::string> ids = {"fm-checkerboard", "fm-ot", "fm-rings", "fm-rings-cond",
                                               "realnvp",         "rbm",   "cov1d"};
  return ids;
}

const std::vector<FieldSpec>& config_schema() {
  // Flow-matching fields are shared by the flow-matching exercises.
  static const char* kFm = "fm-checkerboard fm-ot fm-rings fm-rings-cond";
  static const char* kFmNoOt = "fm-checkerboard fm-rings fm-rings-cond";
  // The link fields, one row each: a table, left out of clang-format.
  // clang-format off
  static const std::vector<FieldSpec> s = {
      {"ex", "exercise", "exercise", &Config::ex, 0, 0, true, exercise_ids(), "", ""},
      {"seed", "seed", "random seed of every draw", &Config::seed, 0, 2147483647, true, {}, "training", ""},
      {"hidden", "hidden width", "hidden width of the MLP", &Config::hidden, 4, 1024, true, {}, "model", kFm},
      {"depth", "hidden layers", "number of hidden layers", &Config::depth, 1, 8, true, {}, "model", kFm},
      {"lr", "learning rate", "Adam learning rate", &Config::lr, 1e-6, 0.1, false, {}, "training", kFm},
      {"batch", "batch size", "training batch size", &Config::batch, 1, 8192, true, {}, "training", kFmNoOt},
      {"batch", "batch size", "training batch size (also the size of each optimal assignment)", &Config::ot_batch, 2, 1024, true, {}, "training", "fm-ot"},
      {"steps", "steps", "training steps of a run", &Config::steps, 1, 1000000, true, {}, "training", kFmNoOt},
      {"steps", "steps", "training steps of a run (both models)", &Config::ot_steps, 1, 1000000, true, {}, "training", "fm-ot"},
      {"schedule", "lr schedule", "learning-rate schedule over the run", &Config::schedule, 0, 1, true, {"constant", "cosine"}, "training", kFm},
      {"solver", "ODE solver", "ODE solver", &Config::solver, 0, 1, true, {"euler", "midpoint"}, "sampling", kFm},
      {"ode_steps", "ODE steps", "ODE steps from t=0 to t=1", &Config::ode_steps, 1, 2000, true, {}, "sampling", kFm},
      {"samples", "points", "points drawn for the figures", &Config::samples, 100, 100000, true, {}, "sampling", kFm},
      {"rings_n", "ring points", "size of the fixed Olympic-rings data set", &Config::rings_n, 100, 200000, true, {}, "data", "fm-rings fm-rings-cond"},
      {"thickness", "ring thickness", "width of each ring's radius band", &Config::rings_thickness, 0, 1, false, {}, "data", "fm-rings fm-rings-cond"},
      {"embed", "class embedding", "width of the learned class embedding e_c", &Config::rings_embed, 1, 64, true, {}, "model", "fm-rings-cond"},
      {"pairing", "x0–x1 pairing", "how a batch pairs noise x0 with data x1: independently, by minibatch OT across classes, or by OT within each class", &Config::rings_pairing, 0, 2, true, {"independent", "ot", "class-ot"}, "training", "fm-rings-cond"},

      {"dataset", "data", "training patterns", &Config::rbm_dataset, 0, 2, true, {"bars", "digits", "drawn"}, "data", "rbm"},
      {"side", "grid side", "pattern grid side (bars and stripes: 2–5)", &Config::rbm_side, 2, 16, true, {}, "data", "rbm"},
      {"n_train", "train size", "noisy digits in the training set", &Config::rbm_n_train, 10, 5000, true, {}, "data", "rbm"},
      {"n_test", "held-out size", "noisy digits held out", &Config::rbm_n_test, 0, 5000, true, {}, "data", "rbm"},
      {"flip", "pixel flips", "probability of flipping each digit pixel", &Config::rbm_flip, 0, 0.5, false, {}, "data", "rbm"},
      {"m", "hidden units m", "number of hidden units", &Config::rbm_m, 1, 256, true, {}, "model", "rbm"},
      {"sampler", "gradient", "CD-k or persistent CD", &Config::rbm_sampler, 0, 1, true, {"cd", "pcd"}, "training", "rbm"},
      {"k", "Gibbs sweeps k", "Gibbs sweeps per update", &Config::rbm_k, 1, 1000, true, {}, "training", "rbm"},
      {"batch", "batch size", "minibatch size (and PCD chains)", &Config::rbm_batch, 1, 4096, true, {}, "training", "rbm"},
      {"lr", "learning rate", "SGD learning rate", &Config::rbm_lr, 1e-6, 10, false, {}, "training", "rbm"},
      {"momentum", "momentum", "SGD momentum", &Config::rbm_momentum, 0, 0.99, false, {}, "training", "rbm"},
      {"weight_decay", "weight decay", "L2 penalty on W (not on biases)", &Config::rbm_weight_decay, 0, 1, false, {}, "training", "rbm"},
      {"steps", "steps", "training steps of a run", &Config::rbm_steps, 1, 1000000, true, {}, "training", "rbm"},
      {"schedule", "lr schedule", "learning-rate schedule over the run", &Config::rbm_schedule, 0, 1, true, {"constant", "cosine"}, "training", "rbm"},

      {"field", "field f(z)", "velocity field of the 1D flow", &Config::cov_field, 0, 3, true, {"linear", "sine", "split", "learned"}, "model", "cov1d"},
      {"lambda", "λ", "linear field f = −λz", &Config::cov_lambda, -5, 5, false, {}, "model", "cov1d"},
      {"alpha", "α", "sine field f = α sin(ωz)", &Config::cov_alpha, -5, 5, false, {}, "model", "cov1d"},
      {"omega", "ω", "sine field frequency", &Config::cov_omega, 0.1, 10, false, {}, "model", "cov1d"},
      {"beta", "β", "split field f = β(z − z³)", &Config::cov_beta, -5, 5, false, {}, "model", "cov1d"},
      {"mu0", "μ0", "mean of the density at t = 0", &Config::cov_mu0, -5, 5, false, {}, "data", "cov1d"},
      {"sigma0", "σ0", "spread of the density at t = 0", &Config::cov_sigma0, 0.05, 5, false, {}, "data", "cov1d"},
      {"m1", "target m1", "learned field: first mixture mean", &Config::cov_m1, -5, 5, false, {}, "data", "cov1d"},
      {"m2", "target m2", "learned field: second mixture mean", &Config::cov_m2, -5, 5, false, {}, "data", "cov1d"},
      {"s", "target s", "learned field: mixture spread", &Config::cov_s, 0.05, 3, false, {}, "data", "cov1d"},
      {"w1", "target w1", "learned field: weight of the first component", &Config::cov_w1, 0.01, 0.99, false, {}, "data", "cov1d"},
      {"hidden", "hidden width", "learned field: MLP width", &Config::cov_hidden, 4, 512, true, {}, "training", "cov1d"},
      {"depth", "hidden layers", "learned field: MLP hidden layers", &Config::cov_depth, 1, 4, true, {}, "training", "cov1d"},
      {"lr", "learning rate", "learned field: Adam learning rate", &Config::cov_lr, 1e-6, 0.1, false, {}, "training", "cov1d"},
      {"batch", "batch size", "learned field: batch size", &Config::cov_batch, 16, 4096, true, {}, "training", "cov1d"},
      {"steps", "steps", "learned field: training steps", &Config::cov_steps, 1, 1000000, true, {}, "training", "cov1d"},
      {"layers", "coupling layers", "affine coupling layers (coordinates swapped between them)", &Config::nvp_layers, 1, 64, true, {}, "model", "realnvp"},
      {"hidden", "hidden width", "width of the s/b nets", &Config::nvp_hidden, 2, 512, true, {}, "model", "realnvp"},
      {"depth", "hidden layers", "hidden layers of the s/b nets", &Config::nvp_depth, 1, 6, true, {}, "model", "realnvp"},
      {"s_max", "scale bound", "s = s_max·tanh(raw/s_max)", &Config::nvp_s_max, 0.1, 10, false, {}, "model", "realnvp"},
      {"lr", "learning rate", "Adam learning rate", &Config::nvp_lr, 1e-5, 0.1, false, {}, "training", "realnvp"},
      {"schedule", "lr schedule", "learning-rate schedule over the run", &Config::nvp_schedule, 0, 1, true, {"constant", "cosine"}, "training", "realnvp"},
      {"warmup", "lr warm-up", "steps of linear learning-rate warm-up from 0", &Config::nvp_warmup, 0, 100000, true, {}, "training", "realnvp"},
      {"clip", "gradient clip", "clip the gradient's global norm to this (0: off)", &Config::nvp_clip, 0, 1000, false, {}, "training", "realnvp"},
      {"b_max", "shift bound", "b = b_max·tanh(raw/b_max) (0: unbounded): keeps a point past the data from running away", &Config::nvp_b_max, 0, 100, false, {}, "model", "realnvp"},
      {"in_scale", "input gain", "the s/b nets see in_scale·x_a: steep features for thin rings", &Config::nvp_in_scale, 0.1, 100, false, {}, "model", "realnvp"},
      {"batch", "batch size", "minibatch size", &Config::nvp_batch, 1, 4096, true, {}, "training", "realnvp"},
      {"steps", "steps", "training steps of a run", &Config::nvp_steps, 1, 200000, true, {}, "training", "realnvp"},
      {"rings_n", "data size", "Olympic-rings points (train + validation)", &Config::nvp_rings_n, 50, 250000, true, {}, "data", "realnvp"},
      {"thickness", "ring thickness", "radial width of each ring", &Config::nvp_thickness, 0.01, 1, false, {}, "data", "realnvp"},
      {"val_fraction", "validation share", "share of the points held out for the validation loss", &Config::nvp_val_fraction, 0.05, 0.5, false, {}, "data", "realnvp"},
  };
  // clang-format on
  return s;
}

const std::vector<ExerciseDefault>& exercise_defaults() {
  // The checkerboard's sharp edges need larger, longer steps than the rings to reach ≥ 92 % on the squares for
  // every seed; other batches, rates, widths, runs: tests/native/test_fm_time_to_quality.cc.
  static const std::vector<ExerciseDefault> d = {
      {"fm-checkerboard", &Config::lr, 0.01},
      {"fm-checkerboard", &Config::steps, 8000},
  };
  return d;
}

Config default_config(int ex) {
  Config c;
  c.ex = ex;
  for (const auto& d : exercise_defaults())
    if (exercise_of(c) == d.exercise) c.*(d.member) = d.value;
  return c;
}

bool FieldSpec::used_by(const std::string& exercise) const {
  if (!*exercises) return true;
  const std::string list = std::string(" ") + exercises + " ";
  return list.find(" " + exercise + " ") != std::string::npos;
}

namespace {

int hex_digit(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

// One pass of percent-decoding (the page hands the hash over undecoded, so
// "%2526" stays "%26" and an escaped '&' stays inside its value). Only "%"
// and two hex digits is an escape; anything else is kept as it is.
std::string url_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const int hi = i + 2 < s.size() && s[i] == '%' ? hex_digit(s[i + 1]) : -1;
    const int lo = hi >= 0 ? hex_digit(s[i + 2]) : -1;
    if (lo >= 0) {
      out.push_back(char(hi * 16 + lo));
      i += 2;
      continue;
    }
    out.push_back(s[i] == '+' ? ' ' : s[i]);
  }
  return out;
}

// Shortened, printable echo of user input for messages.
std::string echo(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (out.size() >= 32) {
      out += "…";
      break;
    }
    out.push_back((unsigned char)ch < 0x20 || (unsigned char)ch == 0x7f ? '?' : ch);
  }
  return out;
}

std::string format_value(const FieldSpec& f, double v) {
  if (!f.choices.empty()) return f.choices[size_t(v)];
  if (v == 0) v = 0;  // −0 prints as 0: one canonical link per config
  char buf[32];
  std::snprintf(buf, sizeof buf, f.integer ? "%.0f" : "%.9g", v);
  return buf;
}

std::string range_text(const FieldSpec& f) {
  if (!f.choices.empty()) {
    std::string s = "one of ";
    for (size_t i = 0; i < f.choices.size(); ++i) s += (i ? ", " : "") + f.choices[i];
    return s;
  }
  return std::string(f.integer ? "an integer" : "a number") + " in [" + format_value(f, f.lo) + ", " +
         format_value(f, f.hi) + "]";
}

// Parses one value for field f; returns an error message or "" on success.
std::string parse_value(const FieldSpec& f, const std::string& text, double* out) {
  if (!f.choices.empty()) {
    for (size_t i = 0; i < f.choices.size(); ++i)
      if (f.choices[i] == text) {
        *out = double(i);
        return "";
      }
    return "'" + echo(text) + "' is not " + range_text(f);
  }
  const char* b = text.c_str();
  char* end = nullptr;
  const double v = text.empty() ? NAN : std::strtod(b, &end);
  if (text.empty() || end != b + text.size() || !std::isfinite(v) ||
      text.find_first_of("xXnN") != std::string::npos)  // no hex, inf, nan
    return "'" + echo(text) + "' is not a number";
  if (f.integer && v != std::floor(v)) return "'" + echo(text) + "' is not an integer";
  if (v < f.lo || v > f.hi) return "'" + echo(text) + "' is out of range: " + range_text(f);
  *out = v == 0 ? 0.0 : v;  // −0 (or an underflow like −1e-400) is 0
  return "";
}

std::string json_escape(const std::string& s) {
  std::string out;
  for (unsigned char ch : s) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '<': out += "\\u003c"; break;  // harmless even if misused as HTML
      case '>': out += "\\u003e"; break;
      default:
        if (ch < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", ch);
          out += buf;
        } else {
          out.push_back(char(ch));
        }
    }
  }
  return out;
}

}  // namespace

Config parse_link(const std::string& link, std::vector<ParseIssue>* issues) {
  Config c;
  std::vector<ParseIssue> local;
  std::vector<ParseIssue>& out = issues ? *issues : local;
  size_t pos = 0;
  while (pos < link.size() && (link[pos] == '#' || link[pos] == '?')) ++pos;
  std::vector<std::pair<std::string, std::string>> fields;
  while (pos < link.size()) {
    size_t amp = link.find('&', pos);
    if (amp == std::string::npos) amp = link.size();
    const std::string part = link.substr(pos, amp - pos);
    pos = amp + 1;
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    fields.emplace_back(url_decode(part.substr(0, eq)), eq == std::string::npos ? "" : url_decode(part.substr(eq + 1)));
  }
  // The exercise decides which fields exist, so it is read first.
  for (const auto& [key, val] : fields)
    if (key == "ex") {
      const FieldSpec& f = config_schema().front();
      double v = 0;
      const std::string err = parse_value(f, val, &v);
      if (err.empty())
        c.ex = v;
      else
        out.push_back({"ex", err + "; using the default " + format_value(f, c.ex)});
      break;
    }
  c = default_config(c.i(&Config::ex));
  const std::string& ex = exercise_of(c);
  std::set<std::string> seen;
  for (const auto& [key, val] : fields) {
    if (!seen.insert(key).second) {
      out.push_back({echo(key), "given twice; the first value is kept"});
      continue;
    }
    if (key == "v") {
      if (val != std::to_string(kLinkVersion))
        out.push_back({"v", "link version '" + echo(val) +
                                "' is not supported (this lab reads v=" + std::to_string(kLinkVersion) +
                                "); fields were read as v=" + std::to_string(kLinkVersion)});
      continue;
    }
    if (key == "ex") continue;
    if (key == "data") {  // your own points: parsed by core/own_data.h, kept in its canonical text
      OwnData d;
      std::string err;
      if (!own_data_exercise(ex))
        out.push_back({"data", "is not a setting of " + ex + ", ignored"});
      else if (!decode_own_data(val, &d, &err))
        out.push_back({"data", "the point set " + err + "; using the built-in data"});
      else
        c.data = encode_own_data(d);
      continue;
    }
    const FieldSpec* spec = find_field(key, ex);
    if (!spec) {
      bool elsewhere = false;
      for (const auto& f : config_schema()) elsewhere |= key == f.name;
      out.push_back({echo(key), elsewhere ? "is not a setting of " + ex + ", ignored" : "unknown field, ignored"});
      continue;
    }
    double v = 0;
    const std::string err = parse_value(*spec, val, &v);
    if (err.empty())
      c.*(spec->member) = v;
    else
      out.push_back({spec->name, err + "; using the default " + format_value(*spec, c.*(spec->member))});
  }
  limit_cost(c, &out);
  return c;
}

void limit_cost(Config& c, std::vector<ParseIssue>* issues) { limit_work(c, issues); }

const FieldSpec* find_field(const std::string& name, const std::string& ex) {
  for (const auto& f : config_schema())
    if (name == f.name && f.used_by(ex)) return &f;
  return nullptr;
}

std::vector<ParseIssue> validate(Config& c) {
  std::vector<ParseIssue> out;
  if (!(c.ex >= 0 && c.ex < double(exercise_ids().size())) || c.ex != std::floor(c.ex)) {
    out.push_back({"ex", "is not an exercise; using the default"});
    c.ex = Config().ex;
  }
  const Config def = default_config(c.i(&Config::ex));
  for (const auto& f : config_schema()) {
    if (!f.used_by(exercise_of(c))) continue;
    double& v = c.*(f.member);
    const double lo = f.lo, hi = f.choices.empty() ? f.hi : double(f.choices.size() - 1);
    if (!std::isfinite(v) || (f.integer && v != std::floor(v))) {
      out.push_back({f.name, "is not " + range_text(f) + "; using the default"});
      v = def.*(f.member);
    } else if (v < lo || v > hi) {
      out.push_back({f.name, "is out of range: " + range_text(f) + "; clamped"});
      v = v < lo ? lo : hi;
    }
  }
  if (!c.data.empty()) {
    OwnData d;
    std::string err;
    if (!own_data_exercise(exercise_of(c)))
      out.push_back({"data", "is not a setting of " + exercise_of(c) + "; using the built-in data"}), c.data.clear();
    else if (!decode_own_data(c.data, &d, &err))
      out.push_back({"data", "the point set " + err + "; using the built-in data"}), c.data.clear();
  }
  limit_cost(c, &out);
  return out;
}

const std::string& exercise_of(const Config& c) { return exercise_ids()[size_t(c.ex)]; }

bool own_data_exercise(const std::string& ex) {
  return ex == "fm-checkerboard" || ex == "fm-ot" || ex == "fm-rings" || ex == "fm-rings-cond" || ex == "realnvp";
}

std::string to_link(const Config& c) {
  std::string s = "v=" + std::to_string(kLinkVersion);
  for (const auto& f : config_schema())
    if (f.used_by(exercise_of(c))) s += std::string("&") + f.name + "=" + format_value(f, c.*(f.member));
  if (!c.data.empty() && own_data_exercise(exercise_of(c))) s += "&data=" + c.data;  // URL-safe as it is
  return s;
}

std::string config_json(const Config& c) {
  std::string s = "{";
  bool first = true;
  for (const auto& f : config_schema()) {
    if (!f.used_by(exercise_of(c))) continue;
    s += std::string(first ? "" : ",") + "\"" + f.name + "\":";
    first = false;
    const std::string v = format_value(f, c.*(f.member));
    s += f.choices.empty() ? v : "\"" + json_escape(v) + "\"";
  }
  if (!c.data.empty() && own_data_exercise(exercise_of(c))) s += ",\"data\":\"" + c.data + "\"";
  return s + "}";
}

std::string schema_json() {
  std::string s = "[";
  bool first = true;
  for (const auto& f : config_schema()) {
    s += std::string(first ? "" : ",") + "{\"name\":\"" + f.name + "\",\"label\":\"" + json_escape(f.label) +
         "\",\"help\":\"" + json_escape(f.help) + "\",\"group\":\"" + f.group + "\",\"exercises\":\"" + f.exercises +
         "\",\"integer\":" + (f.integer ? "true" : "false");
    first = false;
    if (f.choices.empty()) {
      s += ",\"min\":" + format_value(f, f.lo) + ",\"max\":" + format_value(f, f.hi);
    } else {
      s += ",\"choices\":[";
      for (size_t i = 0; i < f.choices.size(); ++i)
        s += std::string(i ? "," : "") + "\"" + json_escape(f.choices[i]) + "\"";
      s += "]";
    }
    s += ",\"default\":" + (f.choices.empty() ? format_value(f, Config().*(f.member))
                                              : "\"" + format_value(f, Config().*(f.member)) + "\"");
    std::string own;  // exercises that set this member's default their own way
    for (const auto& d : exercise_defaults())
      if (d.member == f.member && f.used_by(d.exercise))
        own += std::string(own.empty() ? "" : ",") + "\"" + d.exercise + "\":" + format_value(f, d.value);
    if (!own.empty()) s += ",\"defaults\":{" + own + "}";
    s += "}";
  }
  return s + "]";
}

std::string json_quote(const std::string& s) { return "\"" + json_escape(s) + "\""; }

std::string issues_json(const std::vector<ParseIssue>& issues) {
  std::string s = "[";
  for (size_t i = 0; i < issues.size(); ++i)
    s += std::string(i ? "," : "") + "{\"field\":\"" + json_escape(issues[i].field) + "\",\"message\":\"" +
         json_escape(issues[i].message) + "\"}";
  return s + "]";
}

}  // namespace flowlab
