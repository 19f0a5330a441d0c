#include "parallel.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <ctime>
#include <mutex>
#include <thread>
#include <vector>

namespace flowlab {
namespace {

// A persistent pool. Parts are claimed, not assigned: the caller runs part 0,
// then caller and workers claim the rest one by one, so a worker the OS has
// not scheduled (a busy machine) leaves its share to the others instead of
// stalling the step. Part p always covers the same range: the same bits
// whoever runs it. Waking a sleeping thread costs up to a millisecond in a
// VM, a dozen times a step, so workers spin for a while (2 ms) on the
// generation counter before they sleep, and the caller spins for the parts
// to finish. The pool only grows (a run may use fewer parts than it has
// threads): in wasm a new thread needs a preloaded worker, and a joined
// thread's worker returns to emscripten's pool only once the caller yields
// to the event loop.
class Pool {
 public:
  void grow(int n) {
    for (int i = size(); i < n; ++i) {
      const long g = gen_.load();
      workers_.emplace_back([this, g] { loop(g); });
    }
  }
  ~Pool() {
    stop_.store(true);
    {
      std::lock_guard<std::mutex> l(m_);
      gen_.fetch_add(1);
    }
    go_.notify_all();
    for (auto& w : workers_) w.join();
  }
  int size() const { return int(workers_.size()) + 1; }
  void run(int parts, FnRef<void(int)> fn) {
    fn_ = &fn;
    done_.store(0, std::memory_order_relaxed);
    // (run, parts, next part) in one word: a claim succeeds only within its run.
    const uint64_t run = ((claim_.load(std::memory_order_relaxed) >> 40) + 1) & 0xFFFFFF;
    claim_.store(run << 40 | uint64_t(parts) << 20 | 1, std::memory_order_release);
    {
      std::lock_guard<std::mutex> l(m_);
      gen_.fetch_add(1, std::memory_order_release);
    }
    go_.notify_all();
    fn(0);
    done_.fetch_add(1, std::memory_order_release);
    while (work()) {
    }
    while (done_.load(std::memory_order_acquire) != parts) std::this_thread::yield();
  }

 private:
  // Claims and runs one part of the current run; false when none is left.
  bool work() {
    uint64_t v = claim_.load(std::memory_order_acquire);
    for (;;) {
      const int next = int(v & 0xFFFFF), parts = int(v >> 20 & 0xFFFFF);
      if (next >= parts) return false;
      if (claim_.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
        (*fn_)(next);  // fn_ stays until every part of this run is done
        done_.fetch_add(1, std::memory_order_release);
        return true;
      }
    }
  }
  void loop(long seen) {
    for (;;) {
      const auto t0 = std::chrono::steady_clock::now();
      while (gen_.load(std::memory_order_acquire) == seen &&
             std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(2)) {
      }
      if (gen_.load(std::memory_order_acquire) == seen) {
        std::unique_lock<std::mutex> l(m_);
        go_.wait(l, [&] { return gen_.load() != seen; });
      }
      seen = gen_.load(std::memory_order_acquire);
      if (stop_.load()) return;
      while (work()) {
      }
    }
  }
  std::vector<std::thread> workers_;
  std::mutex m_;
  std::condition_variable go_;
  const FnRef<void(int)>* fn_ = nullptr;
  std::atomic<long> gen_{0};
  std::atomic<uint64_t> claim_{0};
  std::atomic<int> done_{0};
  std::atomic<bool> stop_{false};
};

int g_threads = 1;
bool g_profile = false;
ParallelProfile g_prof;
Pool* pool() {
  static Pool* p = new Pool;
  p->grow(g_threads);
  return p;
}

}  // namespace

void set_threads(int n) {
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
  n = 1;  // a wasm module built without -pthread cannot start threads
#endif
  g_threads = std::max(1, std::min(n, 64));
}
int threads() { return g_threads; }

// CPU time of the calling thread: on one thread it is the work itself,
// whatever else the machine runs.
double parallel_profile_clock() {
#ifdef __EMSCRIPTEN__
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
#else
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
#endif
}

void parallel_profile(bool on) {
  g_profile = on;
  g_prof = ParallelProfile();
}
ParallelProfile parallel_profile_read() { return g_prof; }

static void parallel_ranges_impl(int m, int align, FnRef<void(int, int)> fn);

void parallel_ranges(int m, int align, FnRef<void(int, int)> fn) {
  if (!g_profile) return parallel_ranges_impl(m, align, fn);
  // Each part's CPU time on the thread that runs it: the slowest part is
  // what the region would take with every thread on a core of its own.
  double part_s[64] = {};
  std::atomic<int> slot{0};
  const double t0 = parallel_profile_clock();
  parallel_ranges_impl(m, align, [&](int r0, int r1) {
    const double c0 = parallel_profile_clock();
    fn(r0, r1);
    part_s[slot.fetch_add(1)] = parallel_profile_clock() - c0;
  });
  g_prof.inside_s += parallel_profile_clock() - t0;
  g_prof.slowest_part_s += *std::max_element(part_s, part_s + slot.load());
  ++g_prof.calls;
}

thread_local bool t_in_task = false;  // inside a parallel_tasks task: no nested regions

void parallel_tasks(int n, FnRef<void(int)> fn) {
  if (g_threads == 1 || n < 2 || t_in_task) {
    for (int i = 0; i < n; ++i) fn(i);
    return;
  }
  pool()->run(n, [&](int i) {
    t_in_task = true;
    fn(i);
    t_in_task = false;
  });
}

static void parallel_ranges_impl(int m, int align, FnRef<void(int, int)> fn) {
  const int T = g_threads;
  const int blocks = m / align;
  if (T == 1 || blocks < 2 * T || t_in_task) return fn(0, m);
  pool()->run(T, [&](int p) {
    const int r0 = int(long(blocks) * p / T) * align;
    const int r1 = p + 1 == T ? m : int(long(blocks) * (p + 1) / T) * align;
    fn(r0, r1);
  });
}

}  // namespace flowlab
