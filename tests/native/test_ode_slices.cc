// integrate_steps: an integration run in slices gives the bits of the whole.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "ode.h"

using namespace flowlab;

TEST_CASE("ode: slices of an integration give the same bits as one call") {
  // A nonlinear, time-dependent field: v = (sin(3y + t), −x·cos t).
  const VelocityFn v = [](const float* x, float t, int n, float* out) {
    for (int i = 0; i < n; ++i) {
      out[2 * i] = std::sin(3 * x[2 * i + 1] + t);
      out[2 * i + 1] = -x[2 * i] * std::cos(t);
    }
  };
  for (Solver s : {Solver::Euler, Solver::Midpoint}) {
    for (int steps : {1, 7, 100}) {
      std::vector<float> whole(6), sliced(6);
      for (int i = 0; i < 6; ++i) whole[i] = sliced[i] = 0.3f * float(i) - 0.7f;
      integrate(v, whole.data(), 3, 2, 0.0f, 1.0f, steps, s);
      for (int from = 0; from < steps; from += 3)
        integrate_steps(v, sliced.data(), 3, 2, 0.0f, 1.0f, steps, from, from + 3, s);
      CHECK(whole == sliced);
      // An empty or out-of-range slice changes nothing.
      const std::vector<float> before = sliced;
      integrate_steps(v, sliced.data(), 3, 2, 0.0f, 1.0f, steps, steps, steps + 5, s);
      CHECK(sliced == before);
    }
  }
}
