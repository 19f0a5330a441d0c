#include "config.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace flowlab {

const std::vector<std::string>& exercise_ids() {
  static const std::vector<std::string> ids = {"fm-checkerboard"};
  return ids;
}

const std::vector<FieldSpec>& config_schema() {
  // Flow-matching fields are shared by the flow-matching exercises.
  static const char* kFm = "fm-checkerboard";
  static const std::vector<FieldSpec> s = {
      {"ex", "exercise", "exercise", &Config::ex, 0, 0, true, exercise_ids(), "", ""},
      {"seed", "seed", "random seed of every draw", &Config::seed, 0, 2147483647, true, {}, "training", ""},
      {"hidden", "hidden width", "hidden width of the MLP", &Config::hidden, 4, 1024, true, {}, "model", kFm},
      {"depth", "hidden layers", "number of hidden layers", &Config::depth, 1, 8, true, {}, "model", kFm},
      {"lr", "learning rate", "Adam learning rate", &Config::lr, 1e-6, 0.1, false, {}, "training", kFm},
      {"batch", "batch size", "training batch size", &Config::batch, 1, 8192, true, {}, "training", kFm},
      {"steps", "steps", "training steps of a run", &Config::steps, 1, 1000000, true, {}, "training", kFm},
      {"schedule", "lr schedule", "learning-rate schedule over the run", &Config::schedule, 0, 1, true, {"constant", "cosine"}, "training", kFm},
      {"solver", "ODE solver", "ODE solver", &Config::solver, 0, 1, true, {"euler", "midpoint"}, "sampling", kFm},
      {"ode_steps", "ODE steps", "ODE steps from t=0 to t=1", &Config::ode_steps, 1, 2000, true, {}, "sampling", kFm},
      {"samples", "points", "points drawn for the figures", &Config::samples, 100, 100000, true, {}, "sampling", kFm},
  };
  return s;
}

bool FieldSpec::used_by(const std::string& exercise) const {
  if (!*exercises) return true;
  const std::string list = std::string(" ") + exercises + " ";
  return list.find(" " + exercise + " ") != std::string::npos;
}

namespace {

std::string url_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      char hex[3] = {s[i + 1], s[i + 2], 0};
      char* end = nullptr;
      const long v = std::strtol(hex, &end, 16);
      if (end == hex + 2) {
        out.push_back(char(v));
        i += 2;
        continue;
      }
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
  char buf[32];
  if (f.integer)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

std::string range_text(const FieldSpec& f) {
  if (!f.choices.empty()) {
    std::string s = "one of ";
    for (size_t i = 0; i < f.choices.size(); ++i) s += (i ? ", " : "") + f.choices[i];
    return s;
  }
  return std::string(f.integer ? "an integer" : "a number") + " in [" + format_value(f, f.lo) +
         ", " + format_value(f, f.hi) + "]";
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
  *out = v;
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
  std::set<std::string> seen;
  while (pos < link.size()) {
    size_t amp = link.find('&', pos);
    if (amp == std::string::npos) amp = link.size();
    const std::string part = link.substr(pos, amp - pos);
    pos = amp + 1;
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    const std::string key = url_decode(part.substr(0, eq));
    const std::string val = eq == std::string::npos ? "" : url_decode(part.substr(eq + 1));
    if (!seen.insert(key).second) {
      out.push_back({echo(key), "given twice; the first value is kept"});
      continue;
    }
    if (key == "v") {
      if (val != std::to_string(kLinkVersion))
        out.push_back({"v", "link version '" + echo(val) + "' is not supported (this lab reads v=" +
                                std::to_string(kLinkVersion) + "); fields were read as v=" +
                                std::to_string(kLinkVersion)});
      continue;
    }
    const FieldSpec* spec = nullptr;
    for (const auto& f : config_schema())
      if (key == f.name) spec = &f;
    if (!spec) {
      out.push_back({echo(key), "unknown field, ignored"});
      continue;
    }
    double v = 0;
    const std::string err = parse_value(*spec, val, &v);
    if (err.empty())
      c.*(spec->member) = v;
    else
      out.push_back({spec->name, err + "; using the default " + format_value(*spec, c.*(spec->member))});
  }
  return c;
}

std::vector<ParseIssue> validate(Config& c) {
  std::vector<ParseIssue> out;
  const Config def;
  for (const auto& f : config_schema()) {
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
  return out;
}

namespace {
const std::string& exercise_of(const Config& c) { return exercise_ids()[size_t(c.ex)]; }
}  // namespace

std::string to_link(const Config& c) {
  std::string s = "v=" + std::to_string(kLinkVersion);
  for (const auto& f : config_schema())
    if (f.used_by(exercise_of(c))) s += std::string("&") + f.name + "=" + format_value(f, c.*(f.member));
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
  return s + "}";
}

std::string schema_json() {
  std::string s = "[";
  bool first = true;
  for (const auto& f : config_schema()) {
    s += std::string(first ? "" : ",") + "{\"name\":\"" + f.name + "\",\"label\":\"" + json_escape(f.label) +
         "\",\"help\":\"" + json_escape(f.help) +
         "\",\"group\":\"" + f.group + "\",\"exercises\":\"" + f.exercises +
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
    s += "}";
  }
  return s + "]";
}

std::string json_quote(const std::string& s) { return "\"" + json_escape(s) + "\""; }

std::string issues_json(const std::vector<ParseIssue>& issues) {
  std::string s = "[";
  for (size_t i = 0; i < issues.size(); ++i)
    s += std::string(i ? "," : "") + "{\"field\":\"" + json_escape(issues[i].field) +
         "\",\"message\":\"" + json_escape(issues[i].message) + "\"}";
  return s + "]";
}

}  // namespace flowlab
