// Threads inside a training step (core/parallel.h): only the pthreads build
// (flowlab_mt, benchmark) can start them; elsewhere setThreads keeps 1.
#include <emscripten/bind.h>

#include "parallel.h"

EMSCRIPTEN_BINDINGS(flowlab_threads) {
  emscripten::function("setThreads", &flowlab::set_threads);
  emscripten::function("threads", &flowlab::threads);
}
