// Checkpoints: the whole state of an experiment (its link, parameters,
// optimiser moments, RNG streams, loss history) in one versioned binary file,
// used for browser persistence, export/import, and divergence recovery.
//
// Format (little-endian):
//   "FLOWLAB1"                magic, 8 bytes
//   u32 format version        kCheckpointVersion (2; version 1 files still load)
//   u32 section count         ≤ 64
//   sections: u32 name length (1..64), name, u32 type (0 bytes, 1 f32, 2 u64),
//             u64 element count, payload (count × element size)
//   u32 CRC-32C               of every byte before it (version 2 only)
// Every section named once; nothing may follow the checksum. A loader reads
// the sections its model has, with the sizes that model needs, and refuses
// any other section (CheckpointReader::all_read). Version 1 files have no
// checksum: only the structure and value checks guard them.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace flowlab {

constexpr uint32_t kCheckpointVersion = 2;

// CRC-32C (Castagnoli, reflected 0x82F63B78): crc32c("123456789") = 0xE3069283.
uint32_t crc32c(const void* data, size_t n);

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
  // Checks the whole container (magic, version, checksum, section table); on
  // failure returns false with a message. Sections are views into `data`,
  // which must outlive the reader.
  bool parse(const std::string& data, std::string* error);
  bool parse(std::string&&, std::string*) = delete;  // the views would dangle
  // parse, then the sections every run file has: a non-empty "link" and a
  // "kind" equal to `kind` (`what` names that model in the message).
  bool open(const std::string& data, const std::string& kind, const char* what, std::string* error);
  bool open(std::string&&, const std::string&, const char*, std::string*) = delete;
  uint32_t version() const { return version_; }
  bool has(const std::string& name) const { return sections_.count(name) != 0; }
  // Typed access; `expected` = required element count (SIZE_MAX: any).
  // f32 data must be finite; f32_nonneg also ≥ 0 (Adam's second moments).
  // Errors name the section.
  bool bytes(const std::string& name, std::string* out, std::string* error) const;
  bool f32(const std::string& name, std::vector<float>* out, size_t expected, std::string* error) const;
  bool f32_nonneg(const std::string& name, std::vector<float>* out, size_t expected, std::string* error) const;
  bool u64(const std::string& name, std::vector<uint64_t>* out, size_t expected, std::string* error) const;
  // After a loader has read what its model has: false if any section was not
  // read (a section this model does not have).
  bool all_read(std::string* error) const;

 private:
  struct Section {
    uint32_t type;
    uint64_t count;
    std::string_view payload;
    mutable bool read = false;
  };
  bool get(const std::string& name, uint32_t type, size_t expected, const Section** s, std::string* error) const;
  std::map<std::string, Section> sections_;
  uint32_t version_ = 0;
};

// Value checks shared by the loaders (false with a message on failure).
// An RNG state of Rng::kStateWords words: xoshiro256** words not all zero (that
// state never leaves zero), the cached normal a finite float, its flag 0 or 1.
bool check_rng_state(const uint64_t* words, const char* what, std::string* error);
// The step counter against the loss history (one loss per step).
bool check_step(uint64_t step, size_t losses, std::string* error);

// The link stored in a checkpoint (section "link"), or "" with *error set.
std::string checkpoint_link(const std::string& data, std::string* error);

}  // namespace flowlab
