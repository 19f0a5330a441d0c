// libFuzzer target: checkpoint import of every exercise (core/checkpoint.cc
// and each model's load). The first byte picks the exercise id, the rest is
// the file. A refused file must come with a message and leave the model
// exactly as it was; an accepted one must give a model that can train on.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "checkpoint.h"
#include "models.h"

using namespace flowlab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto& ids = exercise_ids();
  const std::string ex = ids[data[0] % ids.size()];
  const std::string file(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string error;
  checkpoint_link(file, &error);
  with_fuzz_model(ex, [&](auto& m) {
    const std::string link = fuzz_link(ex), before = m.save(link);
    error.clear();
    if (!m.load(file, &error)) {
      if (error.empty() || m.save(link) != before) std::abort();
      return;
    }
    // Accepted: the step counter is the loss history's length (bounded by
    // the input), and training goes on. Finite θ can still overflow in a
    // step: that is the page's divergence check, not a crash.
    if (m.step() < 0) std::abort();
    (void)fuzz_train(m);
  });
  return 0;
}
