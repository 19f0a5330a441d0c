// Threads inside a training step (core/parallel.h): only the pthreads build
// (web/gen/mt) can start them; elsewhere setThreads keeps 1.
#include <emscripten/bind.h>
#include <emscripten/em_asm.h>

#include <algorithm>

#include "parallel.h"

namespace {

// At most one thread per preloaded worker (Module.threadPool) plus the
// caller: the caller never yields to the event loop, so a thread without a
// preloaded worker would never start and the step would wait forever.
void set_threads(int n) {
#ifdef __EMSCRIPTEN_PTHREADS__
  const int workers = EM_ASM_INT({ return PThread.unusedWorkers.length + PThread.runningWorkers.length; });
  n = std::min(n, 1 + workers);
#endif
  flowlab::set_threads(n);
}

}  // namespace

EMSCRIPTEN_BINDINGS(flowlab_threads) {
  emscripten::function("setThreads", &set_threads);
  emscripten::function("threads", &flowlab::threads);
}
