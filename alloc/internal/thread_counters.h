// Per-thread allocation counters shared by the tracking operator new/delete
// (the only writer of a thread's block) and the readers in stats.cc.
//
// Written by hand because no Debian library offers allocation accounting
// without a contended global atomic (see ../README.md).

#ifndef CTXMEM_ALLOC_INTERNAL_THREAD_COUNTERS_H_
#define CTXMEM_ALLOC_INTERNAL_THREAD_COUNTERS_H_

#include <cstdint>

#include "alloc/stats.h"

namespace ctxmem::alloc::internal {

// kRegistered takes the inline fast path; kRegisteredPortable counts the same
// way but asks malloc_usable_size() for every block's size.
enum class CounterState : uint8_t {
  kUnregistered = 0,
  kRegistered = 1,
  kRegisteredPortable = 2,
  kExited = 3,
};

// One cache line per thread so that counting never shares a line. Only the
// owning thread writes the counters, with CounterAdd(); other threads read
// them with CounterLoad(). Neither takes a lock or a locked instruction.
struct alignas(64) ThreadCounters {
  uint64_t allocations = 0;
  uint64_t deallocations = 0;
  uint64_t allocated_bytes = 0;
  uint64_t freed_bytes = 0;
  // Net bytes not yet folded into the process total, kept as the room left
  // before the drift leaves (-kPeakBatchBytes, kPeakBatchBytes) upwards and
  // downwards, so that one subtract both updates and tests it. Owner only.
  int64_t room_up = kPeakBatchBytes;
  int64_t room_down = kPeakBatchBytes;
  int64_t drift() const { return kPeakBatchBytes - room_up; }
  CounterState state = CounterState::kUnregistered;
  ThreadCounters* prev = nullptr;  // registry links, guarded by the registry lock
  ThreadCounters* next = nullptr;
};

inline uint64_t CounterLoad(const uint64_t& counter) {
  return __atomic_load_n(&counter, __ATOMIC_RELAXED);
}

// Adds to a counter that only the calling thread writes. On x86-64 that is
// one `add` to memory, like the kernel's this_cpu_add(): an aligned 8-byte
// store is seen whole by readers, and with a single writer no update can be
// lost. ThreadSanitizer builds use atomic builtins so that it can see them.
inline void CounterAdd(uint64_t& counter, uint64_t delta) {
#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__)
  asm volatile("addq %1, %0" : "+m"(counter) : "er"(delta));
#else
  __atomic_store_n(&counter, __atomic_load_n(&counter, __ATOMIC_RELAXED) + delta,
                   __ATOMIC_RELAXED);
#endif
}

// Adds `counters` to the registry and arranges for it to be retired when the
// thread exits. Never allocates.
void RegisterThread(ThreadCounters* counters);

// Folds the thread's drift into the process total and updates the peak.
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
