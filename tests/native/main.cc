// doctest main: first says which SIMD target the kernels run on, after
// applying FLOWLAB_TARGET (refused with a message if the CPU lacks it).
//   flowlab_tests --flowlab-targets   lists the targets this CPU can run
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>

#include "simd.h"

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--flowlab-targets") == 0) {
    for (const std::string& t : flowlab::simd_targets_available()) std::printf("%s\n", t.c_str());
    return 0;
  }
  const std::string error = flowlab::apply_simd_target_env();
  if (!error.empty()) {
    std::fprintf(stderr, "flowlab_tests: %s\n", error.c_str());
    return 2;
  }
  std::printf("flowlab_tests: SIMD target %s\n", flowlab::simd_target().c_str());
  std::fflush(stdout);
  doctest::Context context(argc, argv);
  return context.run();
}
