// The small model of each exercise that the checkpoint fuzzer loads into and
// make_seeds writes seed files of: one per exercise id, from a link, so each
// loader sees the sections and sizes of its own exercise.
#pragma once
#include <string>
#include <vector>

#include "config.h"
#include "cov1d.h"
#include "flow_matching.h"
#include "fm_ot.h"
#include "rbm.h"
#include "realnvp.h"

namespace flowlab {

inline std::string fuzz_link(const std::string& ex) {
  const std::string fm = "&hidden=8&depth=1&batch=4&samples=100&ode_steps=2";
  if (ex == "fm-checkerboard" || ex == "fm-ot") return "v=1&ex=" + ex + fm;
  if (ex == "fm-rings") return "v=1&ex=fm-rings" + fm + "&rings_n=100";
  if (ex == "fm-rings-cond") return "v=1&ex=fm-rings-cond" + fm + "&rings_n=100&embed=2";
  if (ex == "realnvp") return "v=1&ex=realnvp&layers=2&hidden=4&depth=1&batch=8&rings_n=50";
  if (ex == "rbm") return "v=1&ex=rbm&side=2&m=3&k=1&batch=4&sampler=pcd";
  return "v=1&ex=cov1d&field=learned&hidden=4&depth=1&batch=16";
}

// Calls f(model) with a fresh small model of exercise `ex` (its link: fuzz_link).
template <typename F>
void with_fuzz_model(const std::string& ex, F&& f) {
  const Config c = parse_link(fuzz_link(ex), nullptr);
  if (ex == "fm-ot") {
    FlowMatchingOt m(c);
    f(m);
  } else if (ex.rfind("fm-", 0) == 0) {
    FlowMatching m(c);
    f(m);
  } else if (ex == "realnvp") {
    RealNvp m(realnvp_options(c));
    f(m);
  } else if (ex == "rbm") {
    RbmLab m(rbm_options(c));
    f(m);
  } else {
    Cov1d m(cov1d_options(c));
    f(m);
  }
}

// One training step of any of them (the loss, or the RBM's reconstruction error).
inline double fuzz_train(FlowMatching& m) { return m.train_step(); }
inline double fuzz_train(FlowMatchingOt& m) { return m.train_step(); }
inline double fuzz_train(RbmLab& m) { return m.train_step().recon_error; }
template <typename M>
double fuzz_train(M& m) {
  m.train(1);
  return m.losses().empty() ? 0.0 : m.losses().back();
}

}  // namespace flowlab
