#include "checkpoint.h"

#include <cmath>
#include <cstring>

namespace flowlab {

namespace {
constexpr char kMagic[8] = {'F', 'L', 'O', 'W', 'L', 'A', 'B', '1'};
constexpr uint32_t kMaxSections = 64, kMaxName = 64;
const uint32_t kElemSize[3] = {1, 4, 8};
const char* kTypeName[3] = {"bytes", "f32", "u64"};

template <typename T>
void put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));  // wasm and x86-64 are both little-endian
  out.append(b, sizeof(T));
}

struct Cursor {
  const std::string& d;
  size_t pos = 0;
  template <typename T>
  bool take(T* v) {
    if (d.size() - pos < sizeof(T)) return false;
    std::memcpy(v, d.data() + pos, sizeof(T));
    pos += sizeof(T);
    return true;
  }
  bool take_str(size_t n, std::string* s) {
    if (d.size() - pos < n) return false;
    s->assign(d, pos, n);
    pos += n;
    return true;
  }
};
}  // namespace

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
  return out;
}

bool CheckpointReader::parse(const std::string& data, std::string* error) {
  sections_.clear();
  Cursor c{data};
  std::string magic;
  if (!c.take_str(8, &magic) || std::memcmp(magic.data(), kMagic, 8) != 0) {
    *error = "not a flowlab checkpoint (bad magic bytes)";
    return false;
  }
  uint32_t version = 0, count = 0;
  if (!c.take(&version) || !c.take(&count)) {
    *error = "checkpoint header is truncated";
    return false;
  }
  if (version != kCheckpointVersion) {
    *error = "checkpoint format version " + std::to_string(version) + " is not supported (this lab reads version " +
             std::to_string(kCheckpointVersion) + ")";
    return false;
  }
  if (count > kMaxSections) {
    *error = "checkpoint has too many sections (" + std::to_string(count) + ")";
    return false;
  }
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t len = 0, type = 0;
    uint64_t n = 0;
    std::string name;
    if (!c.take(&len) || len == 0 || len > kMaxName || !c.take_str(len, &name) || !c.take(&type) || !c.take(&n)) {
      *error = "checkpoint section " + std::to_string(i) + " has a bad header";
      return false;
    }
    if (type > 2) {
      *error = "checkpoint section '" + name + "' has an unknown type";
      return false;
    }
    const uint64_t left = data.size() - c.pos;
    if (n > left / kElemSize[type]) {
      *error = "checkpoint section '" + name + "' is truncated";
      return false;
    }
    Section s{type, n, {}};
    c.take_str(size_t(n * kElemSize[type]), &s.payload);
    if (!sections_.emplace(name, std::move(s)).second) {
      *error = "checkpoint section '" + name + "' appears twice";
      return false;
    }
  }
  if (c.pos != data.size()) {
    *error = "checkpoint has trailing bytes";
    return false;
  }
  return true;
}

bool CheckpointReader::get(const std::string& name, uint32_t type, size_t expected, const Section** s,
                           std::string* error) const {
  auto it = sections_.find(name);
  if (it == sections_.end()) {
    *error = "checkpoint lacks section '" + name + "'";
    return false;
  }
  if (it->second.type != type) {
    *error = "checkpoint section '" + name + "' should hold " + kTypeName[type];
    return false;
  }
  if (expected != SIZE_MAX && it->second.count != expected) {
    *error = "checkpoint section '" + name + "' has " + std::to_string(it->second.count) + " values, expected " +
             std::to_string(expected);
    return false;
  }
  *s = &it->second;
  return true;
}

bool CheckpointReader::bytes(const std::string& name, std::string* out, std::string* error) const {
  const Section* s;
  if (!get(name, 0, SIZE_MAX, &s, error)) return false;
  *out = s->payload;
  return true;
}

bool CheckpointReader::f32(const std::string& name, std::vector<float>* out, size_t expected,
                           std::string* error) const {
  const Section* s;
  if (!get(name, 1, expected, &s, error)) return false;
  out->resize(size_t(s->count));
  if (s->count) std::memcpy(out->data(), s->payload.data(), size_t(s->count) * 4);
  for (float v : *out)
    if (!std::isfinite(v)) {
      *error = "checkpoint section '" + name + "' holds NaN or Inf";
      return false;
    }
  return true;
}

bool CheckpointReader::u64(const std::string& name, std::vector<uint64_t>* out, size_t expected,
                           std::string* error) const {
  const Section* s;
  if (!get(name, 2, expected, &s, error)) return false;
  out->resize(size_t(s->count));
  if (s->count) std::memcpy(out->data(), s->payload.data(), size_t(s->count) * 8);
  return true;
}

std::string checkpoint_link(const std::string& data, std::string* error) {
  CheckpointReader r;
  std::string link;
  if (!r.parse(data, error) || !r.bytes("link", &link, error)) return "";
  return link;
}

}  // namespace flowlab
