#include "checkpoint.h"

#include <cmath>
#include <cstring>

#include "rng.h"

namespace flowlab {

namespace {
constexpr char kMagic[8] = {'F', 'L', 'O', 'W', 'L', 'A', 'B', '1'};
constexpr uint32_t kMaxSections = 64, kMaxName = 64;
constexpr size_t kHeader = 16, kTrailer = 4;
const uint32_t kElemSize[3] = {1, 4, 8};
const char* kTypeName[3] = {"bytes", "32-bit floats", "64-bit integers"};

template <typename T>
void put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));  // wasm and x86-64 are both little-endian
  out.append(b, sizeof(T));
}

// A section's payload as count little-endian numbers.
template <typename T>
void copy_numbers(uint64_t count, std::string_view payload, std::vector<T>* out) {
  out->resize(size_t(count));
  if (count) std::memcpy(out->data(), payload.data(), size_t(count) * sizeof(T));
}

struct Cursor {
  std::string_view d;
  size_t pos = 0;
  template <typename T>
  bool take(T* v) {
    if (d.size() - pos < sizeof(T)) return false;
    std::memcpy(v, d.data() + pos, sizeof(T));
    pos += sizeof(T);
    return true;
  }
  bool take_view(size_t n, std::string_view* s) {
    if (d.size() - pos < n) return false;
    *s = d.substr(pos, n);
    pos += n;
    return true;
  }
};

// A section name from the file, printable ASCII only, for messages.
std::string quoted(const std::string& name) {
  std::string s = "'";
  for (unsigned char ch : name) s.push_back(ch >= 0x20 && ch < 0x7f ? char(ch) : '?');
  return s + "'";
}

// True when every value passes ok; else *error names the section and the first
// value that does not (counting from 1): "holds <what> (value i)<why>".
template <typename Ok>
bool every_value(const std::string& section, const std::vector<float>& v, Ok ok, const char* what, const char* why,
                 std::string* error) {
  for (size_t i = 0; i < v.size(); ++i)
    if (!ok(v[i])) {
      *error = "section " + quoted(section) + " holds " + what + " (value " + std::to_string(i + 1) + ")" + why;
      return false;
    }
  return true;
}
}  // namespace

uint32_t crc32c(const void* data, size_t n) {
  static const auto table = [] {
    std::vector<uint32_t> t(256);
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1u)));
      t[i] = c;
    }
    return t;
  }();
  const auto* p = static_cast<const unsigned char*>(data);
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) crc = table[(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

void CheckpointWriter::bytes(const std::string& name, const std::string& data) {
  sections_.push_back({name, {0, data.size(), data}});
}
void CheckpointWriter::f32(const std::string& name, const float* data, size_t n) {
  sections_.push_back({name, {1, n, std::string(reinterpret_cast<const char*>(data), n * 4)}});
}
void CheckpointWriter::u64(const std::string& name, const uint64_t* data, size_t n) {
  sections_.push_back({name, {2, n, std::string(reinterpret_cast<const char*>(data), n * 8)}});
}

std::string CheckpointWriter::finish() const {
  std::string out(kMagic, 8);
  put<uint32_t>(out, kCheckpointVersion);
  put<uint32_t>(out, uint32_t(sections_.size()));
  for (const auto& [name, s] : sections_) {
    put<uint32_t>(out, uint32_t(name.size()));
    out += name;
    put<uint32_t>(out, s.type);
    put<uint64_t>(out, s.count);
    out += s.payload;
  }
  put<uint32_t>(out, crc32c(out.data(), out.size()));
  return out;
}

bool CheckpointReader::parse(const std::string& data, std::string* error) {
  sections_.clear();
  version_ = 0;
  if (data.size() < 8 || std::memcmp(data.data(), kMagic, 8) != 0) {
    *error = "this is not a flowlab run file (it does not begin with FLOWLAB1)";
    return false;
  }
  if (data.size() < kHeader) {
    *error = "the file is cut short (truncated inside its header)";
    return false;
  }
  uint32_t version = 0, count = 0;
  std::memcpy(&version, data.data() + 8, 4);
  std::memcpy(&count, data.data() + 12, 4);
  if (version != 1 && version != kCheckpointVersion) {
    *error = "the file has format version " + std::to_string(version) +
             ", which this lab cannot read (it reads versions 1 and " + std::to_string(kCheckpointVersion) + ")";
    return false;
  }
  // The section table is walked first (bounds-checked), so that a file cut
  // short can be told as such; a checksum mismatch wins over anything it says.
  const size_t trailer = version >= 2 ? kTrailer : 0;
  std::string table_error;
  if (data.size() < kHeader + trailer) {
    table_error = "the file is cut short (truncated before its checksum)";
  } else if (count > kMaxSections) {
    table_error = "the file lists " + std::to_string(count) + " sections (at most " + std::to_string(kMaxSections) +
                  " are allowed)";
  } else {
    Cursor c{std::string_view(data).substr(0, data.size() - trailer), kHeader};
    for (uint32_t i = 0; i < count && table_error.empty(); ++i) {
      uint32_t len = 0, type = 0;
      uint64_t n = 0;
      std::string_view name;
      if (!c.take(&len) || len == 0 || len > kMaxName || !c.take_view(len, &name) || !c.take(&type) || !c.take(&n)) {
        table_error = "the header of section " + std::to_string(i + 1) + " is unreadable or truncated";
        break;
      }
      const std::string key(name);
      if (type > 2) {
        table_error = "section " + quoted(key) + " has an unknown type (" + std::to_string(type) + ")";
        break;
      }
      if (n > (c.d.size() - c.pos) / kElemSize[type]) {
        table_error = "section " + quoted(key) + " is truncated (it claims more data than the file holds)";
        break;
      }
      Section s{type, n, {}};
      c.take_view(size_t(n * kElemSize[type]), &s.payload);
      if (!sections_.emplace(key, s).second) table_error = "section " + quoted(key) + " appears twice";
    }
    if (table_error.empty() && c.pos != c.d.size())
      table_error = "the file has " + std::to_string(c.d.size() - c.pos) + " unexpected bytes after its last section";
  }
  if (trailer && data.size() >= kHeader + trailer) {
    uint32_t stored = 0;
    std::memcpy(&stored, data.data() + data.size() - trailer, 4);
    if (crc32c(data.data(), data.size() - trailer) != stored) {
      *error =
          "the file is damaged: its checksum does not match its contents (it was changed or cut short after "
          "it was saved)";
      if (!table_error.empty()) *error += "; also, " + table_error;
      sections_.clear();
      return false;
    }
  }
  if (!table_error.empty()) {
    *error = table_error;
    sections_.clear();
    return false;
  }
  version_ = version;
  return true;
}

bool CheckpointReader::open(const std::string& data, const std::string& kind, const char* what, std::string* error) {
  std::string link, k;
  if (!parse(data, error) || !bytes("link", &link, error) || !bytes("kind", &k, error)) return false;
  if (link.empty()) {
    *error = "the file's link is empty";
    return false;
  }
  if (k != kind) {
    *error = "the file holds a " + quoted(k) + " model, not " + what;
    return false;
  }
  return true;
}

bool CheckpointReader::get(const std::string& name, uint32_t type, size_t expected, const Section** s,
                           std::string* error) const {
  auto it = sections_.find(name);
  if (it == sections_.end()) {
    *error = "the file lacks section " + quoted(name);
    return false;
  }
  if (it->second.type != type) {
    *error = "section " + quoted(name) + " should hold " + kTypeName[type];
    return false;
  }
  if (expected != SIZE_MAX && it->second.count != expected) {
    *error = "section " + quoted(name) + " has " + std::to_string(it->second.count) +
             " values, but the model of the file's link has " + std::to_string(expected);
    return false;
  }
  it->second.read = true;
  *s = &it->second;
  return true;
}

bool CheckpointReader::bytes(const std::string& name, std::string* out, std::string* error) const {
  const Section* s;
  if (!get(name, 0, SIZE_MAX, &s, error)) return false;
  *out = std::string(s->payload);
  return true;
}

bool CheckpointReader::f32(const std::string& name, std::vector<float>* out, size_t expected,
                           std::string* error) const {
  const Section* s;
  if (!get(name, 1, expected, &s, error)) return false;
  copy_numbers(s->count, s->payload, out);
  return every_value(
      name, *out, [](float x) { return std::isfinite(x); }, "NaN or Inf", "", error);
}

bool CheckpointReader::f32_nonneg(const std::string& name, std::vector<float>* out, size_t expected,
                                  std::string* error) const {
  return f32(name, out, expected, error) && every_value(
                                                name, *out, [](float x) { return !(x < 0); }, "a negative value",
                                                "; these are squared gradients and must be ≥ 0", error);
}

bool CheckpointReader::u64(const std::string& name, std::vector<uint64_t>* out, size_t expected,
                           std::string* error) const {
  const Section* s;
  if (!get(name, 2, expected, &s, error)) return false;
  copy_numbers(s->count, s->payload, out);
  return true;
}

bool CheckpointReader::all_read(std::string* error) const {
  for (const auto& [name, s] : sections_)
    if (!s.read) {
      *error = "the file has a section " + quoted(name) + " that this model does not have";
      return false;
    }
  return true;
}

bool check_rng_state(const uint64_t* w, const char* what, std::string* error) {
  float spare;
  const uint32_t bits = uint32_t(w[4]);
  std::memcpy(&spare, &bits, 4);
  const char* why = (w[0] | w[1] | w[2] | w[3]) == 0      ? "all zero, a state the generator never leaves"
                    : w[4] >> 32 || !std::isfinite(spare) ? "its cached normal draw is not a finite number"
                    : w[5] > 1                            ? "its cached-draw flag is neither 0 nor 1"
                                                          : nullptr;
  if (why) *error = std::string("the random-number state of the ") + what + " is invalid (" + why + ")";
  return !why;
}

bool check_step(uint64_t step, size_t losses, std::string* error) {
  if (step != losses) {
    *error = "the step count (" + std::to_string(step) + ") does not match the loss history (" +
             std::to_string(losses) + " values, one per step)";
    return false;
  }
  return true;
}

std::string checkpoint_link(const std::string& data, std::string* error) {
  CheckpointReader r;
  std::string link;
  if (!r.parse(data, error) || !r.bytes("link", &link, error)) return "";
  if (link.empty()) *error = "the file's link is empty";
  return link;
}

}  // namespace flowlab
