// The contract every exercise's handle offers JS, bound once:
//   train(n)           → Float32Array, the losses of those n steps
//   losses(from)       → Float32Array, the losses of steps [from, step())
//   step()             → steps done
//   numParams()        → the size of the flat parameter vector θ
//   parameters()       → Float32Array, θ (flat, in one call)
//   setParameter(i, v) → θ_i ← v (out-of-range i ignored)
//   save(link)         → Uint8Array, the run file (core/run_file.h)
//   load(bytes)        → "" if restored, else why not (nothing changed)
// Every array leaves as a copy owned by JS, safe to keep and to postMessage
// whatever the wasm memory does next (a view would go stale when it grows).
// A handle H provides: core() (the model: step(), save(link), load(data,
// error)), train_steps(n), train_losses() (one loss per step), num_params(),
// copy_params(out), set_param(i, v). The exercise's binding adds its analyses.
#pragma once
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <string>
#include <vector>

#include "bind_val.h"

namespace flowlab_bind {

// A copied Float32Array of v[from, size).
inline emscripten::val copy_from(const std::vector<float>& v, size_t from) {
  from = std::min(from, v.size());
  return to_js(v.data() + from, v.size() - from);
}

template <class H>
struct Contract {
  static emscripten::val train(H& h, int n) {
    const size_t from = h.train_losses().size();
    h.train_steps(std::max(0, n));
    return copy_from(h.train_losses(), from);
  }
  static emscripten::val losses(H& h, int from) { return copy_from(h.train_losses(), size_t(std::max(0, from))); }
  static double step(H& h) { return double(h.core().step()); }
  static double num_params(H& h) { return double(h.num_params()); }
  static emscripten::val parameters(H& h) {
    std::vector<float> p(h.num_params());
    h.copy_params(p.data());
    return to_js(p);
  }
  static void set_parameter(H& h, int i, float v) {
    if (i >= 0 && size_t(i) < h.num_params()) h.set_param(size_t(i), v);
  }
  static emscripten::val save(H& h, const std::string& link) {
    const std::string bytes = h.core().save(link);
    return to_js(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  }
  static std::string load(H& h, const std::string& data) {
    std::string error;
    return h.core().load(data, &error) ? "" : error;
  }
};

// class_<H>(name) with the contract's functions; add the exercise's own with FLOWLAB_METHODS.
template <class H>
emscripten::class_<H> bind_contract(const char* name) {
  using C = Contract<H>;
  emscripten::class_<H> cls(name);
  FLOWLAB_METHODS(cls, &C::train, &C::losses, &C::step, &C::num_params, &C::parameters, &C::set_parameter, &C::save,
                  &C::load);
  return cls;
}

}  // namespace flowlab_bind
