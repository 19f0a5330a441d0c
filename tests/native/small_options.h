// The settings the tests vary, set in one call; every other field keeps the
// default of its struct (the link's default for Config).
#pragma once

#include "config.h"
#include "rbm.h"

// A flow-matching net: width, depth, batch and seed.
inline flowlab::Config net_config(double hidden, double depth, double batch = flowlab::Config{}.batch,
                                  double seed = flowlab::Config{}.seed) {
  flowlab::Config c;
  c.hidden = hidden, c.depth = depth, c.batch = batch, c.seed = seed;
  return c;
}

// An RBM lab: m hidden units, k Gibbs sweeps, batch and seed.
inline flowlab::RbmOptions rbm_settings(int n_hidden, int k, int batch = flowlab::RbmOptions{}.batch,
                                        uint64_t seed = flowlab::RbmOptions{}.seed) {
  flowlab::RbmOptions o;
  o.n_hidden = n_hidden, o.k = k, o.batch = batch, o.seed = seed;
  return o;
}
