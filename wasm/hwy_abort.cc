// Debian's libhwy is x86-64 only, so the one symbol the Highway headers need
// at link time (hwy::Abort, reached by HWY_ASSERT) is defined here for the wasm build.
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include "hwy/base.h"

namespace hwy {
HWY_NORETURN void HWY_FORMAT(3, 4) Abort(const char* file, int line, const char* format, ...) {
  char buf[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  std::fprintf(stderr, "Abort at %s:%d: %s\n", file, line, buf);
  std::abort();
}
}  // namespace hwy
