// Checkpoints: the whole state of an experiment (its link, parameters,
// optimiser moments, RNG streams, loss history) in one versioned binary file,
// used for browser persistence, export/import, and divergence recovery.
//
// Format (little-endian):
//   "FLOWLAB1"                magic, 8 bytes
//   u32 format version        kCheckpointVersion
//   u32 section count         ≤ 64
//   sections: u32 name length (1..64), name, u32 type (0 bytes, 1 f32, 2 u64),
//             u64 element count, payload (count × element size)
// Every section named once; nothing may follow the last one.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace flowlab {

constexpr uint32_t kCheckpointVersion = 1;

class CheckpointWriter {
 public:
  void bytes(const std::string& name, const std::string& data);
  void f32(const std::string& name, const float* data, size_t n);
  void f32(const std::string& name, const std::vector<float>& v) { f32(name, v.data(), v.size()); }
  void u64(const std::string& name, const uint64_t* data, size_t n);
  std::string finish() const;

 private:
  struct Section {
    uint32_t type;
    uint64_t count;
    std::string payload;
  };
  std::vector<std::pair<std::string, Section>> sections_;
};

class CheckpointReader {
 public:
  // Validates the whole container; on failure returns false with a message.
  bool parse(const std::string& data, std::string* error);
  bool has(const std::string& name) const { return sections_.count(name) != 0; }
  // Typed access; `expected` = required element count (SIZE_MAX: any).
  // f32 data must be finite. Errors name the section.
  bool bytes(const std::string& name, std::string* out, std::string* error) const;
  bool f32(const std::string& name, std::vector<float>* out, size_t expected, std::string* error) const;
  bool u64(const std::string& name, std::vector<uint64_t>* out, size_t expected, std::string* error) const;

 private:
  struct Section {
    uint32_t type;
    uint64_t count;
    std::string payload;
  };
  bool get(const std::string& name, uint32_t type, size_t expected, const Section** s, std::string* error) const;
  std::map<std::string, Section> sections_;
};

// The link stored in a checkpoint (section "link"), or "" with *error set.
std::string checkpoint_link(const std::string& data, std::string* error);

}  // namespace flowlab
