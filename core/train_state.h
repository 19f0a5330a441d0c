// What every exercise's training carries from step to step besides its
// parameters and optimiser: the training stream, the step, one loss per step.
// Its run file (core/run_file.h) saves and restores all of it.
#pragma once
#include <vector>

#include "rng.h"

namespace flowlab {

struct TrainState {
  TrainState(uint64_t seed, uint64_t stream) : rng(seed, stream) {}
  Rng rng;  // every random draw of training comes from this stream
  long step = 0;
  std::vector<float> losses;  // losses[i]: the loss of step i + 1
};

}  // namespace flowlab
