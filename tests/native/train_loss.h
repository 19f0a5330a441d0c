// Trains a model `steps` steps and returns the mean loss of the first and of
// the last `window` steps (for "the loss went down" checks).
#pragma once

struct FirstLast {
  float first = 0, last = 0;
};

template <class Model>
FirstLast train_first_last(Model& model, int steps, int window = 50) {
  FirstLast r;
  for (int i = 0; i < steps; ++i) {
    const float l = model.train_step();
    if (i < window) r.first += l / window;
    if (i >= steps - window) r.last += l / window;
  }
  return r;
}
