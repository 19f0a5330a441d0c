// The .flowlab container: CRC-32C, structure checks, value checks, version 1.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>

#include "checkpoint.h"
#include "config.h"
#include "flow_matching.h"
#include "rng.h"
#include "small_options.h"
#include "train_loss.h"

using namespace flowlab;

namespace {
std::string small_file() {
  CheckpointWriter w;
  w.bytes("link", "v=1&seed=3");
  w.bytes("kind", "test");
  const float p[3] = {1.5f, -2.0f, 0.0f};
  w.f32("params", p, 3);
  const uint64_t st[2] = {7, 9};
  w.u64("state", st, 2);
  return w.finish();
}

// The same sections as a version-1 file: version field 1, no checksum.
std::string as_version1(std::string v2) {
  const uint32_t one = 1;
  std::memcpy(&v2[8], &one, 4);
  return v2.substr(0, v2.size() - 4);
}

uint32_t stored_crc(const std::string& f) {
  uint32_t c;
  std::memcpy(&c, f.data() + f.size() - 4, 4);
  return c;
}
}  // namespace

TEST_CASE("crc32c: the published check values") {
  CHECK(crc32c("123456789", 9) == 0xE3069283u);
  CHECK(crc32c("", 0) == 0u);
  // RFC 3720 (iSCSI) appendix B.4.
  std::string zeros(32, '\0'), ones(32, '\xff'), inc(32, '\0');
  for (int i = 0; i < 32; ++i) inc[i] = char(i);
  CHECK(crc32c(zeros.data(), 32) == 0x8A9136AAu);
  CHECK(crc32c(ones.data(), 32) == 0x62A8AB43u);
  CHECK(crc32c(inc.data(), 32) == 0x46DD794Eu);
}

TEST_CASE("checkpoint container: version 2 layout, round trip, checksum over every byte before it") {
  const std::string f = small_file();
  uint32_t version;
  std::memcpy(&version, f.data() + 8, 4);
  CHECK(f.compare(0, 8, "FLOWLAB1") == 0);
  CHECK(version == kCheckpointVersion);
  CHECK(version == 2);
  CHECK(stored_crc(f) == crc32c(f.data(), f.size() - 4));
  CheckpointReader r;
  std::string err, s;
  std::vector<float> p;
  std::vector<uint64_t> st;
  REQUIRE(r.parse(f, &err));
  CHECK(r.version() == 2);
  CHECK_FALSE(r.all_read(&err));  // nothing read yet
  CHECK(r.bytes("link", &s, &err));
  CHECK(s == "v=1&seed=3");
  CHECK(r.bytes("kind", &s, &err));
  CHECK(r.f32("params", &p, 3, &err));
  CHECK(p == std::vector<float>{1.5f, -2.0f, 0.0f});
  CHECK(r.u64("state", &st, 2, &err));
  CHECK(r.all_read(&err));
  CHECK(checkpoint_link(f, &err) == "v=1&seed=3");
}

TEST_CASE("checkpoint container: every single-bit flip and every truncation is refused") {
  const std::string f = small_file();
  int refused = 0, total = 0;
  for (size_t i = 0; i < f.size(); ++i)
    for (int b = 0; b < 8; ++b) {
      std::string g = f;
      g[i] = char(g[i] ^ (1 << b));
      CheckpointReader r;
      std::string err;
      ++total;
      if (!r.parse(g, &err) && !err.empty()) ++refused;
    }
  CHECK(refused == total);
  CHECK(total == int(f.size()) * 8);
  for (size_t cut = 0; cut < f.size(); ++cut) {
    CheckpointReader r;
    std::string err;
    const std::string g = f.substr(0, cut);
    CHECK_FALSE(r.parse(g, &err));
    CHECK(!err.empty());
  }
  CheckpointReader r;
  std::string err;
  const std::string cut5 = f.substr(0, f.size() - 5), longer = f + "x", gif = "GIF89a";
  CHECK_FALSE(r.parse(cut5, &err));
  CHECK(err.find("checksum") != std::string::npos);
  CHECK(err.find("truncated") != std::string::npos);  // the table says why
  CHECK_FALSE(r.parse(longer, &err));
  CHECK_FALSE(r.parse(gif, &err));
  CHECK(err.find("not a flowlab run file") != std::string::npos);
}

TEST_CASE("checkpoint container: version 1 (no checksum) still reads; other versions do not") {
  const std::string v1 = as_version1(small_file());
  CheckpointReader r;
  std::string err, s;
  REQUIRE(r.parse(v1, &err));
  CHECK(r.version() == 1);
  CHECK(r.bytes("link", &s, &err));
  CHECK(s == "v=1&seed=3");
  // A version-2 file relabelled 1 keeps its 4 checksum bytes: trailing bytes.
  std::string relabelled = small_file();
  relabelled[8] = 1;
  CHECK_FALSE(r.parse(relabelled, &err));
  std::string v3 = small_file();
  v3[8] = 3;
  CHECK_FALSE(r.parse(v3, &err));
  CHECK(err.find("version 3") != std::string::npos);
}

TEST_CASE("checkpoint container: duplicate and unknown sections, wrong sizes and types, bad values") {
  std::string err;
  {
    CheckpointWriter w;
    w.bytes("link", "a");
    w.bytes("link", "b");
    CheckpointReader r;
    const std::string f = w.finish();
    CHECK_FALSE(r.parse(f, &err));
    CHECK(err.find("appears twice") != std::string::npos);
  }
  {
    CheckpointWriter w;
    w.bytes("link", "a");
    w.bytes("pad", std::string(1000, 'x'));
    CheckpointReader r;
    std::string s;
    const std::string f = w.finish();
    REQUIRE(r.parse(f, &err));
    CHECK(r.bytes("link", &s, &err));
    CHECK_FALSE(r.all_read(&err));
    CHECK(err.find("'pad'") != std::string::npos);
  }
  {
    CheckpointWriter w;
    const float v[3] = {1, -0.5f, 2};
    const float nan[1] = {std::nanf("")};
    w.f32("adam.v", v, 3);
    w.f32("x", nan, 1);
    CheckpointReader r;
    std::vector<float> out;
    std::vector<uint64_t> u;
    const std::string f = w.finish();
    REQUIRE(r.parse(f, &err));
    CHECK(r.f32("adam.v", &out, 3, &err));
    CHECK_FALSE(r.f32_nonneg("adam.v", &out, 3, &err));
    CHECK(err.find("negative") != std::string::npos);
    CHECK_FALSE(r.f32("adam.v", &out, 4, &err));  // size from the model
    CHECK(err.find("has 3 values") != std::string::npos);
    CHECK_FALSE(r.u64("adam.v", &u, 3, &err));  // type
    CHECK_FALSE(r.f32("x", &out, 1, &err));
    CHECK(err.find("NaN") != std::string::npos);
    CHECK_FALSE(r.f32("missing", &out, 1, &err));
  }
}

TEST_CASE("checkpoint values: RNG state and step counter") {
  std::string err;
  uint64_t st[Rng::kStateWords];
  Rng(5, 1).get_state(st);
  CHECK(check_rng_state(st, "test", &err));
  Rng g(5, 1);
  g.normal();  // a cached normal draw is part of a valid state
  g.get_state(st);
  CHECK(st[5] == 1);
  CHECK(check_rng_state(st, "test", &err));
  uint64_t zero[Rng::kStateWords] = {0, 0, 0, 0, 0, 0};
  CHECK_FALSE(check_rng_state(zero, "test", &err));
  CHECK(err.find("all zero") != std::string::npos);
  uint64_t bad[Rng::kStateWords] = {1, 0, 0, 0, 0x7fc00000u, 1};  // cached NaN
  CHECK_FALSE(check_rng_state(bad, "test", &err));
  bad[4] = 0;
  bad[5] = 2;
  CHECK_FALSE(check_rng_state(bad, "test", &err));
  bad[5] = 1;
  CHECK(check_rng_state(bad, "test", &err));
  CHECK(check_step(4, 4, &err));
  CHECK_FALSE(check_step(5, 4, &err));
}

TEST_CASE("a version-1 run file of a real model loads, with the value checks") {
  const Config c = net_config(8, 1, 8);
  FlowMatching a(c), b(c);
  train_steps(a, 3);
  std::string err;
  const std::string v1 = as_version1(a.save(to_link(c)));
  REQUIRE(b.load(v1, &err));
  CHECK(b.step() == 3);
  CHECK(a.train_step() == b.train_step());
  // Without a checksum, a negative second moment is still caught by value.
  std::string bad = v1;
  const size_t at = bad.find("adam.v");
  REQUIRE(at != std::string::npos);
  const float neg = -1.0f;
  std::memcpy(&bad[at + 6 + 4 + 8], &neg, 4);
  FlowMatching d(c);
  CHECK_FALSE(d.load(bad, &err));
  CHECK(err.find("negative") != std::string::npos);
  CHECK(d.step() == 0);
}
