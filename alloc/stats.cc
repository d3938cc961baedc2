#include "alloc/stats.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "alloc/internal/thread_counters.h"
#include "base/spin_lock.h"

namespace ctxmem::alloc {
namespace internal {
namespace {

// The registry must work before main() and inside operator new, so it is a
// constant-initialised intrusive list under a spinlock: nothing here allocates.
using base::SpinLock;
using base::SpinLockHolder;

// Constant-initialised so that it is usable from the first static constructor.
struct Registry {
  SpinLock lock;
  ThreadCounters* head = nullptr;
  uint32_t threads = 0;
  bool key_created = false;
  pthread_key_t exit_key = 0;
  // Totals of threads that have exited.
  std::atomic<uint64_t> retired_allocations{0};
  std::atomic<uint64_t> retired_deallocations{0};
  std::atomic<uint64_t> retired_allocated_bytes{0};
  std::atomic<uint64_t> retired_freed_bytes{0};
  // Folded live total and its highest value.
  std::atomic<int64_t> folded_live{0};
  std::atomic<int64_t> peak{0};
};

constinit Registry registry;

void RaisePeak(int64_t value) {
  int64_t seen = registry.peak.load(std::memory_order_relaxed);
  while (value > seen &&
         !registry.peak.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
}

void RetireThread(void* arg) {
  auto* counters = static_cast<ThreadCounters*>(arg);
  SpinLockHolder hold(registry.lock);
  registry.retired_allocations.fetch_add(CounterLoad(counters->allocations),
                                         std::memory_order_relaxed);
  registry.retired_deallocations.fetch_add(CounterLoad(counters->deallocations),
                                           std::memory_order_relaxed);
  registry.retired_allocated_bytes.fetch_add(CounterLoad(counters->allocated_bytes),
                                             std::memory_order_relaxed);
  registry.retired_freed_bytes.fetch_add(CounterLoad(counters->freed_bytes),
                                         std::memory_order_relaxed);
  FoldDrift(counters);
  if (counters->prev != nullptr) counters->prev->next = counters->next;
  if (counters->next != nullptr) counters->next->prev = counters->prev;
  if (registry.head == counters) registry.head = counters->next;
  counters->prev = counters->next = nullptr;
  --registry.threads;
  counters->state = CounterState::kExited;
}

}  // namespace

void RegisterThread(ThreadCounters* counters) {
  SpinLockHolder hold(registry.lock);
  if (!registry.key_created) {
    // glibc keeps key slots in a static table: this does not allocate.
    registry.key_created = pthread_key_create(&registry.exit_key, &RetireThread) == 0;
  }
  counters->next = registry.head;
  counters->prev = nullptr;
  if (registry.head != nullptr) registry.head->prev = counters;
  registry.head = counters;
  ++registry.threads;
  counters->state = CounterState::kRegisteredPortable;  // the caller may upgrade it
  // The first 32 keys live inside the thread descriptor: no allocation either.
  if (registry.key_created) pthread_setspecific(registry.exit_key, counters);
}

void FoldDrift(ThreadCounters* counters) {
  const int64_t drift = counters->drift();
  counters->room_up = counters->room_down = kPeakBatchBytes;
  RaisePeak(registry.folded_live.fetch_add(drift, std::memory_order_relaxed) + drift);
}

void CountRetiredAllocation(uint64_t bytes) {
  registry.retired_allocations.fetch_add(1, std::memory_order_relaxed);
  registry.retired_allocated_bytes.fetch_add(bytes, std::memory_order_relaxed);
  RaisePeak(registry.folded_live.fetch_add(int64_t(bytes), std::memory_order_relaxed) +
            int64_t(bytes));
}

void CountRetiredDeallocation(uint64_t bytes) {
  registry.retired_deallocations.fetch_add(1, std::memory_order_relaxed);
  registry.retired_freed_bytes.fetch_add(bytes, std::memory_order_relaxed);
  registry.folded_live.fetch_sub(int64_t(bytes), std::memory_order_relaxed);
}

}  // namespace internal

bool TrackingEnabled() { return CtxmemAllocCurrentThreadCounters != nullptr; }

AllocationStats GlobalStats() {
  using internal::registry;
  AllocationStats stats;
  if (!TrackingEnabled()) return stats;
  {
    internal::SpinLockHolder hold(registry.lock);
    for (auto* c = registry.head; c != nullptr; c = c->next) {
      stats.allocations += internal::CounterLoad(c->allocations);
      stats.deallocations += internal::CounterLoad(c->deallocations);
      stats.allocated_bytes += internal::CounterLoad(c->allocated_bytes);
      stats.freed_bytes += internal::CounterLoad(c->freed_bytes);
    }
    stats.threads = registry.threads;
    stats.allocations += registry.retired_allocations.load(std::memory_order_relaxed);
    stats.deallocations += registry.retired_deallocations.load(std::memory_order_relaxed);
    stats.allocated_bytes += registry.retired_allocated_bytes.load(std::memory_order_relaxed);
    stats.freed_bytes += registry.retired_freed_bytes.load(std::memory_order_relaxed);
  }
  stats.live_bytes = int64_t(stats.allocated_bytes - stats.freed_bytes);
  internal::RaisePeak(stats.live_bytes);
  stats.peak_bytes = registry.peak.load(std::memory_order_relaxed);
  return stats;
}

void ResetPeak() {
  const AllocationStats now = GlobalStats();
  internal::registry.peak.store(now.live_bytes, std::memory_order_relaxed);
}

namespace {
internal::ThreadCounters* CurrentCounters() {
  return TrackingEnabled() ? CtxmemAllocCurrentThreadCounters() : nullptr;
}
}  // namespace

ThreadAllocationScope::ThreadAllocationScope() { Restart(); }

void ThreadAllocationScope::Restart() {
  internal::ThreadCounters* c = CurrentCounters();
  if (c == nullptr) return;
  allocations_ = internal::CounterLoad(c->allocations);
  deallocations_ = internal::CounterLoad(c->deallocations);
  allocated_bytes_ = internal::CounterLoad(c->allocated_bytes);
  freed_bytes_ = internal::CounterLoad(c->freed_bytes);
}

uint64_t ThreadAllocationScope::allocations() const {
  internal::ThreadCounters* c = CurrentCounters();
  return c == nullptr ? 0 : internal::CounterLoad(c->allocations) - allocations_;
}

uint64_t ThreadAllocationScope::deallocations() const {
  internal::ThreadCounters* c = CurrentCounters();
  return c == nullptr ? 0 : internal::CounterLoad(c->deallocations) - deallocations_;
}

uint64_t ThreadAllocationScope::allocated_bytes() const {
  internal::ThreadCounters* c = CurrentCounters();
  return c == nullptr ? 0 : internal::CounterLoad(c->allocated_bytes) - allocated_bytes_;
}

uint64_t ThreadAllocationScope::freed_bytes() const {
  internal::ThreadCounters* c = CurrentCounters();
  return c == nullptr ? 0 : internal::CounterLoad(c->freed_bytes) - freed_bytes_;
}

}  // namespace ctxmem::alloc
