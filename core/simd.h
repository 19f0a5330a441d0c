// Which SIMD target the Highway kernels run on.
// Natively every x86 target is compiled (foreach_target) and the best one the
// CPU supports runs; FLOWLAB_TARGET=scalar|sse4|avx2|avx3 restricts that
// choice (tests run the suite once per target: each rounds sums in another
// order). In wasm there is one static target, HWY_WASM (SIMD128).
#pragma once
#include <string>
#include <vector>

namespace flowlab {

// Highway's name of the target the kernels use now, e.g. "AVX3", "EMU128", "WASM128".
std::string simd_target();

// flowlab names ("scalar", "sse4", "avx2", "avx3") of the targets this binary
// has compiled and this CPU supports, worst first.
std::vector<std::string> simd_targets_available();

// Restricts dispatch to one target by its flowlab name. Returns "" on success,
// else a message saying why not (unknown name, or the CPU lacks it). Call it
// before any kernel runs.
std::string restrict_simd_target(const std::string& name);

// Applies $FLOWLAB_TARGET if set (see restrict_simd_target); "" if fine or unset.
std::string apply_simd_target_env();

}  // namespace flowlab

// For the kernel files (after hwy/highway.h): dynamic dispatch natively, the
// static target in wasm (Debian's libhwy, which holds the dispatch tables'
// run-time part, is x86-only).
#if defined(__EMSCRIPTEN__)
#define FLOWLAB_EXPORT(f) static_assert(true, "")
#define FLOWLAB_DISPATCH(f) HWY_STATIC_DISPATCH(f)
#else
#define FLOWLAB_EXPORT(f) HWY_EXPORT(f)
#define FLOWLAB_DISPATCH(f) HWY_DYNAMIC_DISPATCH(f)
#endif
