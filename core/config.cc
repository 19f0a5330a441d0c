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
  static const std::vector<FieldSpec> s = [] {
    std::vector<FieldSpec> all = {
        {"ex", "exercise", "exercise", &Config::ex, 0, 0, true, exercise_ids(), "", ""},
        {"seed", "seed", "random seed of every draw", &Config::seed, 0, 2147483647, true, {}, "training", ""},
    };
    // Each exercise declares its own fields beside its model; the link order is this order.
    for (const auto* part : {&flow_matching_fields(), &rbm_fields(), &cov1d_fields(), &realnvp_fields()})
      all.insert(all.end(), part->begin(), part->end());
    return all;
  }();
  return s;
}

const std::vector<ExerciseDefault>& exercise_defaults() {
  // The checkerboard's sharp edges need larger, longer steps than the rings to reach ≥ 92 % on the squares for
  // every seed, and Fourier features of x to get there in ~half the steps; other batches, rates, widths,
  // octaves, runs: tests/native/test_fm_time_to_quality.cc.
  static const std::vector<ExerciseDefault> d = {
      {"fm-checkerboard", &Config::lr, 0.01},
      {"fm-checkerboard", &Config::steps, 8000},
      {"fm-checkerboard", &Config::fourier, 4},
  };
  return d;
}

const std::vector<AddedField>& added_fields() {
  // Fields added since 2026-12-01 (older links, without warmup or in_scale, take today's defaults).
  static const std::vector<AddedField> a = {
      {"fm-checkerboard", "fourier", 0},  // Fourier features by default since the checkerboard's faster default
      {"realnvp", "mix", 0},              // swap, the sheet's permutation, until rotations
      {"realnvp", "s_exp", 0},            // the symmetric bound s_max until the expansion bound
      {"realnvp", "fourier", 0},          // off, as today; listed so that a link older than mix and s_exp is complete
  };
  return a;
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

// A canonical link written before some of added_fields() existed: it names
// every other field of the exercise. Its missing added fields take their old values.
void apply_added_fields(const std::string& ex, const std::set<std::string>& seen, Config& c) {
  auto added = [&](const char* name) {
    for (const auto& a : added_fields())
      if (ex == a.exercise && std::string(name) == a.name) return true;
    return false;
  };
  for (const auto& f : config_schema())
    if (f.used_by(ex) && !added(f.name) && !seen.count(f.name)) return;
  for (const auto& a : added_fields())
    if (ex == a.exercise && !seen.count(a.name)) c.*(find_field(a.name, ex)->member) = a.before;
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
  apply_added_fields(ex, seen, c);
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
