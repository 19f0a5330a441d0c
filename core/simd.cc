#include "simd.h"

#include <cstdint>
#include <cstdlib>

#include "hwy/highway.h"

namespace flowlab {
namespace {

struct Named {
  const char* name;
  int64_t target;
};

#if !defined(__EMSCRIPTEN__)
// Worst first. "scalar" is Highway's portable C++ target: HWY_SCALAR (one lane)
// with GCC 12 on x86, HWY_EMU128 where that is the baseline.
constexpr Named kTargets[] = {
    {"scalar", HWY_TARGETS&(HWY_SCALAR | HWY_EMU128)}, {"sse4", HWY_SSE4}, {"avx2", HWY_AVX2}, {"avx3", HWY_AVX3}};

// Targets compiled into this binary that the CPU (or a restriction) allows.
int64_t usable() { return hwy::SupportedTargets() & HWY_TARGETS; }
#endif

}  // namespace

#if defined(__EMSCRIPTEN__)

std::string simd_target() { return hwy::TargetName(HWY_STATIC_TARGET); }
std::vector<std::string> simd_targets_available() { return {"wasm"}; }
std::string restrict_simd_target(const std::string& name) {
  return name == "wasm" ? "" : "wasm has one SIMD target (SIMD128); '" + name + "' is not available";
}
std::string apply_simd_target_env() { return ""; }

#else

std::string simd_target() {
  const int64_t t = usable();
  return t ? hwy::TargetName(t & -t) : "none";  // lowest bit = best target
}

std::vector<std::string> simd_targets_available() {
  std::vector<std::string> out;
  const int64_t cpu = hwy::SupportedTargets() & HWY_TARGETS;
  for (const Named& n : kTargets)
    if (cpu & n.target) out.push_back(n.name);
  return out;
}

std::string restrict_simd_target(const std::string& name) {
  std::string names;
  for (const Named& n : kTargets) {
    names += names.empty() ? n.name : std::string("|") + n.name;
    if (name != n.name) continue;
    if (!n.target) return "SIMD target '" + name + "' is not compiled into this binary";
    hwy::SetSupportedTargetsForTest(0);  // the CPU's own set, not an earlier restriction
    if (!(hwy::SupportedTargets() & n.target))
      return "this CPU lacks the SIMD target '" + name + "' (" + hwy::TargetName(n.target) + ")";
    hwy::SetSupportedTargetsForTest(n.target);
    return "";
  }
  return "unknown SIMD target '" + name + "' (use " + names + ")";
}

std::string apply_simd_target_env() {
  const char* env = std::getenv("FLOWLAB_TARGET");
  if (!env || !*env) return "";
  const std::string error = restrict_simd_target(env);
  return error.empty() ? "" : "FLOWLAB_TARGET=" + std::string(env) + ": " + error;
}

#endif

}  // namespace flowlab
