// Deterministic random numbers. Every draw in flowlab comes from an Rng that
// was seeded from the experiment's seed; there is no global generator.
// xoshiro256** seeded by SplitMix64, integer-only so native and wasm produce
// the same bits; floats are derived from the top 24 bits.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

namespace flowlab {

inline uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class Rng {
 public:
  // `stream` separates independent uses of one seed (init, data, training…).
  explicit Rng(uint64_t seed = 0, uint64_t stream = 0) {
    uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ull);
    for (auto& s : s_) s = splitmix64(x);
  }

  // xoshiro256** (Blackman & Vigna).
  uint64_t next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1), exactly representable (24-bit mantissa).
  float uniform() { return float(next_u64() >> 40) * (1.0f / 16777216.0f); }
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }

  // Uniform integer in [0, n) by Lemire's multiply-shift (bias < 2^-32, fine here).
  uint32_t below(uint32_t n) { return uint32_t((uint64_t(uint32_t(next_u64() >> 32)) * n) >> 32); }

  // The whole state (for checkpoints): 4 words, the cached normal, its flag.
  static constexpr int kStateWords = 6;
  void get_state(uint64_t out[kStateWords]) const {
    for (int i = 0; i < 4; ++i) out[i] = s_[i];
    uint32_t bits;
    std::memcpy(&bits, &spare_, 4);
    out[4] = bits;
    out[5] = has_spare_;
  }
  void set_state(const uint64_t in[kStateWords]) {
    for (int i = 0; i < 4; ++i) s_[i] = in[i];
    const uint32_t bits = uint32_t(in[4]);
    std::memcpy(&spare_, &bits, 4);
    has_spare_ = in[5] != 0;
  }

  // Standard normal by Box–Muller; the second value is kept for the next call.
  float normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    // u1 in (0, 1] so log(u1) is finite.
    const double u1 = (double(next_u64() >> 11) + 1.0) * (1.0 / 9007199254740992.0);
    const double u2 = double(next_u64() >> 11) * (1.0 / 9007199254740992.0);
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double th = 6.283185307179586 * u2;
    spare_ = float(r * std::sin(th));
    has_spare_ = true;
    return float(r * std::cos(th));
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
  float spare_ = 0.0f;
  bool has_spare_ = false;
};

// Named streams, so adding a new kind of draw never shifts the others.
enum Stream : uint64_t {
  kStreamInit = 1,
  kStreamTrain = 2,
  kStreamSample = 3,
  kStreamData = 4,
  kStreamEval = 5,
};

}  // namespace flowlab
