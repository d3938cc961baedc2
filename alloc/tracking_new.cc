// Replaces every global operator new and delete (plain, array, sized, aligned,
// nothrow) with malloc-backed versions that count into the calling thread's
// counters. Linked in by depending on //alloc:tracking (alwayslink).
//
// Hot path, per call: malloc/free, malloc_usable_size, a TLS state check, two
// relaxed load+store pairs and a compare on the drift; no locked instruction.

#include <malloc.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "alloc/internal/thread_counters.h"
#include "alloc/stats.h"

namespace ctxmem::alloc::internal {
namespace {

// initial-exec: the hook must not call into the dynamic TLS machinery, which
// may itself allocate.
constinit thread_local ThreadCounters tls_counters __attribute__((tls_model("initial-exec")));

inline void Bump(std::atomic<uint64_t>& counter, uint64_t by) {
  counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

[[gnu::noinline]] void SlowCount(ThreadCounters& c, uint64_t bytes, bool allocation) {
  if (c.state == CounterState::kExited) {
    allocation ? CountRetiredAllocation(bytes) : CountRetiredDeallocation(bytes);
    return;
  }
  if (c.state == CounterState::kUnregistered) RegisterThread(&c);
  if (allocation) {
    Bump(c.allocations, 1);
    Bump(c.allocated_bytes, bytes);
    c.drift += int64_t(bytes);
  } else {
    Bump(c.deallocations, 1);
    Bump(c.freed_bytes, bytes);
    c.drift -= int64_t(bytes);
  }
  if (c.drift > kPeakBatchBytes || c.drift < -kPeakBatchBytes) FoldDrift(&c);
}

inline void CountAllocation(void* p) {
  const uint64_t bytes = malloc_usable_size(p);
  ThreadCounters& c = tls_counters;
  if (__builtin_expect(c.state != CounterState::kRegistered, 0)) return SlowCount(c, bytes, true);
  Bump(c.allocations, 1);
  Bump(c.allocated_bytes, bytes);
  c.drift += int64_t(bytes);
  if (__builtin_expect(c.drift > kPeakBatchBytes, 0)) FoldDrift(&c);
}

inline void CountDeallocation(void* p) {
  const uint64_t bytes = malloc_usable_size(p);
  ThreadCounters& c = tls_counters;
  if (__builtin_expect(c.state != CounterState::kRegistered, 0)) return SlowCount(c, bytes, false);
  Bump(c.deallocations, 1);
  Bump(c.freed_bytes, bytes);
  c.drift -= int64_t(bytes);
  if (__builtin_expect(c.drift < -kPeakBatchBytes, 0)) FoldDrift(&c);
}

// Follows [new.delete.single]: retry through the new-handler, else throw.
void* Allocate(std::size_t size) {
  if (size == 0) size = 1;
  for (;;) {
    if (void* p = std::malloc(size); __builtin_expect(p != nullptr, 1)) {
      CountAllocation(p);
      return p;
    }
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

void* AllocateAligned(std::size_t size, std::align_val_t alignment) {
  const std::size_t align = static_cast<std::size_t>(alignment);
  if (size == 0) size = 1;
  for (;;) {
    void* p = nullptr;
    if (posix_memalign(&p, align < sizeof(void*) ? sizeof(void*) : align, size) == 0) {
      CountAllocation(p);
      return p;
    }
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

void* AllocateNoThrow(std::size_t size) noexcept {
  try {
    return Allocate(size);
  } catch (...) {
    return nullptr;
  }
}

void* AllocateAlignedNoThrow(std::size_t size, std::align_val_t alignment) noexcept {
  try {
    return AllocateAligned(size, alignment);
  } catch (...) {
    return nullptr;
  }
}

inline void Deallocate(void* p) noexcept {
  if (p == nullptr) return;
  CountDeallocation(p);
  std::free(p);
}

}  // namespace
}  // namespace ctxmem::alloc::internal

extern "C" ctxmem::alloc::internal::ThreadCounters* CtxmemAllocCurrentThreadCounters() {
  return &ctxmem::alloc::internal::tls_counters;
}

using ctxmem::alloc::internal::Allocate;
using ctxmem::alloc::internal::AllocateAligned;
using ctxmem::alloc::internal::AllocateAlignedNoThrow;
using ctxmem::alloc::internal::AllocateNoThrow;
using ctxmem::alloc::internal::Deallocate;

void* operator new(std::size_t size) { return Allocate(size); }
void* operator new[](std::size_t size) { return Allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return AllocateNoThrow(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return AllocateNoThrow(size);
}
void* operator new(std::size_t size, std::align_val_t align) {
  return AllocateAligned(size, align);
}
void* operator new[](std::size_t size, std::align_val_t align) {
  return AllocateAligned(size, align);
}
void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  return AllocateAlignedNoThrow(size, align);
}
void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  return AllocateAlignedNoThrow(size, align);
}

void operator delete(void* p) noexcept { Deallocate(p); }
void operator delete[](void* p) noexcept { Deallocate(p); }
void operator delete(void* p, std::size_t) noexcept { Deallocate(p); }
void operator delete[](void* p, std::size_t) noexcept { Deallocate(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { Deallocate(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { Deallocate(p); }
void operator delete(void* p, std::align_val_t) noexcept { Deallocate(p); }
void operator delete[](void* p, std::align_val_t) noexcept { Deallocate(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { Deallocate(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { Deallocate(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { Deallocate(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { Deallocate(p); }
