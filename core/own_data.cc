#include "own_data.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace flowlab {

namespace {

constexpr int kSteps = (1 << 14) - 1;
const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int quantum(float v) { return int(std::lround((double(v) + kOwnRange) / (2.0 * kOwnRange) * kSteps)); }
float coordinate(int q) { return float(-double(kOwnRange) + 2.0 * kOwnRange * q / kSteps); }

int b64_value(char ch) {
  if (ch >= 'A' && ch <= 'Z') return ch - 'A';
  if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
  if (ch >= '0' && ch <= '9') return ch - '0' + 52;
  if (ch == '-') return 62;
  if (ch == '_') return 63;
  return -1;
}

std::string printable(char ch) {
  if (ch > 32 && ch < 127) return std::string("'") + ch + "'";
  char buf[16];
  std::snprintf(buf, sizeof buf, "byte 0x%02x", unsigned(static_cast<unsigned char>(ch)));
  return buf;
}

std::string range_text() { return "[" + std::to_string(int(-kOwnRange)) + ", " + std::to_string(int(kOwnRange)) + "]"; }

bool check_size(int n, std::string* error) {
  if (n < kOwnMinPoints) {
    *error = "has " + std::to_string(n) + " point" + (n == 1 ? "" : "s") + "; at least " +
             std::to_string(kOwnMinPoints) + " are needed";
    return false;
  }
  if (n > kOwnMaxPoints) {
    *error = "has more than " + std::to_string(kOwnMaxPoints) + " points";
    return false;
  }
  return true;
}

// One CSV field as a number; "" on success, else the problem.
std::string read_number(const std::string& field, double* v) {
  size_t b = field.find_first_not_of(" \t"), e = field.find_last_not_of(" \t\r");
  const std::string f = b == std::string::npos ? "" : field.substr(b, e - b + 1);
  if (f.empty()) return "is empty";
  char* end = nullptr;
  *v = std::strtod(f.c_str(), &end);
  if (end != f.c_str() + f.size() || f.find_first_of("xXnNiI") != std::string::npos)
    return "'" + (f.size() > 20 ? f.substr(0, 20) + "…" : f) + "' is not a number";
  return "";
}

}  // namespace

float quantise_coordinate(float v) { return coordinate(quantum(v)); }

std::string encode_own_data(const OwnData& d) {
  std::string bytes;
  for (int i = 0; i < d.size(); ++i) {
    const uint32_t w =
        uint32_t(quantum(d.x[2 * i])) << 18 | uint32_t(quantum(d.x[2 * i + 1])) << 4 | uint32_t(d.label[i] & 15);
    for (int k = 3; k >= 0; --k) bytes.push_back(char((w >> (8 * k)) & 255));
  }
  std::string s = std::to_string(kOwnDataVersion) + ".";
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t m = std::min<size_t>(3, bytes.size() - i);
    uint32_t w = 0;
    for (size_t k = 0; k < 3; ++k) w = w << 8 | (k < m ? uint8_t(bytes[i + k]) : 0);
    for (size_t k = 0; k <= m; ++k) s.push_back(kB64[(w >> (18 - 6 * k)) & 63]);
  }
  return s;
}

bool decode_own_data(const std::string& text, OwnData* out, std::string* error) {
  const size_t dot = text.find('.');
  const std::string version = text.substr(0, dot);
  if (dot == std::string::npos || version != std::to_string(kOwnDataVersion)) {
    *error = "does not start with the version '" + std::to_string(kOwnDataVersion) + ".'" +
             (dot == std::string::npos ? std::string() : " (it says '" + version.substr(0, 8) + "')");
    return false;
  }
  const std::string b64 = text.substr(dot + 1);
  if (b64.size() % 16 != 0 && b64.size() % 16 != 6 && b64.size() % 16 != 11) {
    // 4 bytes a point: n points take 16n/3 characters, rounded up.
    *error = "has " + std::to_string(b64.size()) + " characters after '1.', which is no whole number of points";
    return false;
  }
  const size_t n_chars_max = (size_t(kOwnMaxPoints) * 16 + 2) / 3;
  if (b64.size() > n_chars_max) {
    *error = "has more than " + std::to_string(kOwnMaxPoints) + " points";
    return false;
  }
  std::string bytes;
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < b64.size(); ++i) {
    const int v = b64_value(b64[i]);
    if (v < 0) {
      *error = "has " + printable(b64[i]) + " at character " + std::to_string(dot + 2 + i) +
               ", which is not URL-safe base64";
      return false;
    }
    acc = acc << 6 | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(char((acc >> bits) & 255));
    }
  }
  if (bits && (acc & ((1u << bits) - 1))) {
    *error = "ends in stray bits (not the encoding of a point set)";
    return false;
  }
  OwnData d;
  const int n = int(bytes.size() / 4);
  if (!check_size(n, error)) return false;
  for (int i = 0; i < n; ++i) {
    uint32_t w = 0;
    for (int k = 0; k < 4; ++k) w = w << 8 | uint8_t(bytes[4 * i + k]);
    const int qx = int(w >> 18), qy = int((w >> 4) & 0x3FFF), c = int(w & 15);
    if (qx > kSteps || qy > kSteps) {  // 2^14 − 1 is the largest 14-bit value: cannot happen, kept for clarity
      *error = "point " + std::to_string(i + 1) + " is out of range";
      return false;
    }
    if (c >= kOwnClasses) {
      *error = "point " + std::to_string(i + 1) + " has class " + std::to_string(c) + "; classes are 0.." +
               std::to_string(kOwnClasses - 1);
      return false;
    }
    d.x.push_back(coordinate(qx));
    d.x.push_back(coordinate(qy));
    d.label.push_back(c);
  }
  *out = std::move(d);
  return true;
}

bool parse_own_csv(const std::string& text, OwnData* out, std::string* error) {
  OwnData d;
  size_t pos = 0;
  int line = 0, columns = 0;
  bool first_content = true;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string s = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line;
    if (!s.empty() && s.back() == '\r') s.pop_back();
    if (line == 1 && s.compare(0, 3, "\xEF\xBB\xBF") == 0) s.erase(0, 3);  // UTF-8 byte-order mark
    if (s.find_first_not_of(" \t") == std::string::npos || s[s.find_first_not_of(" \t")] == '#') continue;
    std::vector<std::string> f;
    size_t a = 0;
    for (;;) {
      const size_t c = s.find_first_of(",;\t", a);
      f.push_back(s.substr(a, c == std::string::npos ? std::string::npos : c - a));
      if (c == std::string::npos) break;
      a = c + 1;
    }
    const std::string where = "line " + std::to_string(line);
    double v[3] = {0, 0, 0};
    std::string problem;
    int bad = -1, words = 0;
    for (size_t k = 0; k < f.size() && k < 3; ++k) {
      const std::string p = read_number(f[k], &v[k]);
      words += !p.empty();
      if (!p.empty() && problem.empty()) problem = p, bad = int(k);
    }
    // A header ("x,y,class"): the first line, no field a number; "1,abc" is a bad line, not a header.
    if (first_content && words == int(f.size()) && f.size() >= 2 && f.size() <= 3) {
      first_content = false;
      continue;
    }
    first_content = false;
    if (f.size() < 2 || f.size() > 3) {
      *error = where + ": " + std::to_string(f.size()) + " field" + (f.size() == 1 ? "" : "s") +
               "; expected x,y or x,y,class";
      return false;
    }
    static const char* kNames[3] = {"x", "y", "class"};
    if (bad >= 0) {
      *error = where + ", field " + std::to_string(bad + 1) + " (" + kNames[bad] + "): " + problem;
      return false;
    }
    if (columns && int(f.size()) != columns) {
      *error =
          where + ": " + std::to_string(f.size()) + " fields, but the lines before have " + std::to_string(columns);
      return false;
    }
    columns = int(f.size());
    for (int k = 0; k < 2; ++k)
      if (!(std::fabs(v[k]) <= kOwnRange)) {
        *error = where + ", field " + std::to_string(k + 1) + " (" + kNames[k] + "): " + f[k].substr(0, 20) +
                 " is outside " + range_text() + " (scale your data into that square)";
        return false;
      }
    if (columns == 3 && !(v[2] == std::floor(v[2]) && v[2] >= 0 && v[2] < kOwnClasses)) {
      *error =
          where + ", field 3 (class): " + f[2].substr(0, 20) + " is not a class 0.." + std::to_string(kOwnClasses - 1);
      return false;
    }
    if (d.size() >= kOwnMaxPoints) {
      *error = where + ": more than " + std::to_string(kOwnMaxPoints) + " points";
      return false;
    }
    d.x.push_back(quantise_coordinate(float(v[0])));
    d.x.push_back(quantise_coordinate(float(v[1])));
    d.label.push_back(int(v[2]));
  }
  if (!check_size(d.size(), error)) {
    *error = "the file " + *error;
    return false;
  }
  *out = std::move(d);
  return true;
}

Rings own_rings(const OwnData& d) {
  Rings R;
  R.own = true;
  R.x = d.x;
  R.label = d.label;
  // A set on one line has no spread along it: that axis stays unscaled.
  R.fit_standardisation();
  return R;
}

}  // namespace flowlab
