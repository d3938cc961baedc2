// Per-thread allocation counters shared by the tracking operator new/delete
// (the only writer of a thread's block) and the readers in stats.cc.
//
// Written by hand because no Debian library offers allocation accounting
// without a contended global atomic (see ../README.md).

#ifndef CTXMEM_ALLOC_INTERNAL_THREAD_COUNTERS_H_
#define CTXMEM_ALLOC_INTERNAL_THREAD_COUNTERS_H_

#include <atomic>
#include <cstdint>

namespace ctxmem::alloc::internal {

enum class CounterState : uint8_t { kUnregistered = 0, kRegistered = 1, kExited = 2 };

// One cache line per thread so that counting never shares a line. The owner
// updates the atomics with a relaxed load and store (no locked instruction);
// readers load them relaxed.
struct alignas(64) ThreadCounters {
  std::atomic<uint64_t> allocations{0};
  std::atomic<uint64_t> deallocations{0};
  std::atomic<uint64_t> allocated_bytes{0};
  std::atomic<uint64_t> freed_bytes{0};
  int64_t drift = 0;  // net bytes not yet folded into the process total; owner only
  CounterState state = CounterState::kUnregistered;
  ThreadCounters* prev = nullptr;  // registry links, guarded by the registry lock
  ThreadCounters* next = nullptr;
};

// Adds `counters` to the registry and arranges for it to be retired when the
// thread exits. Never allocates.
void RegisterThread(ThreadCounters* counters);

// Folds `counters->drift` into the process total and updates the peak.
void FoldDrift(ThreadCounters* counters);

// Counts an operation of a thread whose counters are already retired (late
// thread-exit work): goes straight to the process totals.
void CountRetiredAllocation(uint64_t bytes);
void CountRetiredDeallocation(uint64_t bytes);

}  // namespace ctxmem::alloc::internal

// Defined by //alloc:tracking; weak here so that reading works without it.
extern "C" ctxmem::alloc::internal::ThreadCounters* CtxmemAllocCurrentThreadCounters()
    __attribute__((weak));

#endif  // CTXMEM_ALLOC_INTERNAL_THREAD_COUNTERS_H_
