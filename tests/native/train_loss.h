// Trains a model `steps` steps and returns the mean loss of the first and of
// the last `window` steps (for "the loss went down" checks).
#pragma once

#include <doctest/doctest.h>

#include <string>

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

// n training steps, their losses unused.
template <class Model>
void train_steps(Model& model, int n) {
  for (int i = 0; i < n; ++i) model.train_step();
}

// Trains a `done` steps, loads its run file (saved with `link`) into b, and
// checks that both go on with the same losses for `more` steps. Returns the file.
template <class Model>
std::string check_resume(Model& a, Model& b, const std::string& link, int done, int more) {
  train_steps(a, done);
  const std::string ck = a.save(link);
  std::string err;
  REQUIRE_MESSAGE(b.load(ck, &err), err);
  CHECK(b.step() == done);
  for (int i = 0; i < more; ++i) CHECK(a.train_step() == b.train_step());
  return ck;
}
