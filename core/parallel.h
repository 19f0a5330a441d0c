// Optional threads inside one training step.
// The MLP's matrix products split their *output* across threads — rows of
// X·W and dY·Wᵀ, rows of Xᵀ·dY (W's fan-in) — in blocks aligned to the
// kernels' register tiles, so every output element is summed in the same
// order as on one thread: results are bit-identical for any thread count.
// Off (1 thread) unless set_threads is called (the page: one per core when
// it is cross-origin isolated, web/js/worker.js).
#pragma once
#include <type_traits>
#include <utility>

namespace flowlab {

// A non-owning reference to a callable, valid while the call that takes it runs. Not
// std::function: a lambda whose captures outgrow std::function's small buffer is copied to
// the heap, a malloc and free per call; every product of RealNVP's 128 couplings took them,
// and with threads in wasm both threads queued on the allocator's one lock.
template <class Sig>
class FnRef;
template <class R, class... A>
class FnRef<R(A...)> {
 public:
  template <class F, class = std::enable_if_t<!std::is_same<std::decay_t<F>, FnRef>::value>>
  FnRef(F&& f)  // NOLINT(google-explicit-constructor): lambdas convert where a callable is taken
      : obj_(const_cast<void*>(static_cast<const void*>(&f))), call_([](void* o, A... a) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(o))(std::forward<A>(a)...);
        }) {}
  R operator()(A... a) const { return call_(obj_, std::forward<A>(a)...); }

 private:
  void* obj_;
  R (*call_)(void*, A...);
};

void set_threads(int n);  // 1 = off; the pool starts on first use
int threads();

// fn(r0, r1) over [0, m) in `threads()` parts whose boundaries are multiples
// of `align` (the last part takes the remainder); inline when off or small.
void parallel_ranges(int m, int align, FnRef<void(int r0, int r1)> fn);

// fn(i) for i in [0, n): independent tasks shared by the threads, each run whole
// by one thread; inside a task parallel_ranges runs inline. Inline when off.
void parallel_tasks(int n, FnRef<void(int i)> fn);

// For benchmarks (tests/bench/bench_native.cc --profile): the caller's CPU
// time spent inside parallel_ranges (on one thread: the part that threads
// can share), the sum over calls of the CPU time of each call's slowest part
// (with threads: the regions' time if each thread had a core to itself), and
// the number of calls. Off unless switched on; on() resets.
struct ParallelProfile {
  double inside_s = 0, slowest_part_s = 0;
  long calls = 0;
};
void parallel_profile(bool on);
double parallel_profile_clock();  // the calling thread's CPU seconds
ParallelProfile parallel_profile_read();

}  // namespace flowlab
