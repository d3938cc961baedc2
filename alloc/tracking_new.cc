// Replaces every global operator new and delete (plain, array, sized, aligned,
// nothrow) with malloc-backed versions that count into the calling thread's
// counters. Linked in by depending on //alloc:tracking (alwayslink).
//
// Hot path, per call: malloc/free, a TLS state check, the block's size read
// from glibc's chunk header, two single-instruction counter adds and two for
// the drift (one of which also tests it); no locked instruction and no call
// besides malloc/free.

#include <dlfcn.h>
#include <malloc.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <new>

#include <gnu/libc-version.h>

#include "alloc/internal/thread_counters.h"
#include "alloc/stats.h"

namespace ctxmem::alloc::internal {
namespace {

// initial-exec: the hook must not call into the dynamic TLS machinery, which
// may itself allocate.
constinit thread_local ThreadCounters tls_counters __attribute__((tls_model("initial-exec")));

// How block sizes are measured, decided once for the whole process before
// the first block is counted, so that every allocation and its deallocation
// are measured alike.
enum class SizeSource : uint8_t { kGlibcHeader, kMallocUsableSize };

// glibc keeps each chunk's size, with three flag bits, in the word before the
// block. Reading it is what malloc_usable_size() does, minus a call through
// the PLT and its checks; the figure is the whole chunk, malloc's own 8-byte
// header included, which is what the process really pays for the block.
inline uint64_t GlibcChunkHeader(void* p) {
  const char* block = static_cast<const char*>(p);
  asm("" : "+r"(block));  // the header lies before the block the compiler knows of
  uint64_t header;
  std::memcpy(&header, block - sizeof(header), sizeof(header));
  return header;
}

inline uint64_t GlibcChunkSize(void* p) { return GlibcChunkHeader(p) & ~uint64_t{7}; }

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
SizeSource DecideSizeSource() { return SizeSource::kMallocUsableSize; }
#else
// The glibc header is used only when this process's malloc is glibc's and the
// header agrees with malloc_usable_size() for a small and an mmap-sized block.
// Anything else (an LD_PRELOADed allocator, a new glibc layout) is measured
// with malloc_usable_size().
SizeSource DecideSizeSource() {
  Dl_info malloc_info, libc_info;
  if (dladdr(reinterpret_cast<void*>(&malloc), &malloc_info) == 0 ||
      dladdr(reinterpret_cast<void*>(&gnu_get_libc_version), &libc_info) == 0 ||
      malloc_info.dli_fbase != libc_info.dli_fbase) {
    return SizeSource::kMallocUsableSize;
  }
  for (size_t size : {size_t{24}, size_t{1000}, size_t{1} << 20}) {
    void* p = std::malloc(size);
    if (p == nullptr) return SizeSource::kMallocUsableSize;
    const uint64_t overhead = (GlibcChunkHeader(p) & 2) != 0 ? 16 : 8;  // mmapped: 16
    const bool agrees = GlibcChunkSize(p) == malloc_usable_size(p) + overhead;
    std::free(p);
    if (!agrees) return SizeSource::kMallocUsableSize;
  }
  return SizeSource::kGlibcHeader;
}
#endif

SizeSource ProcessSizeSource() {
  static const SizeSource source = DecideSizeSource();
  return source;
}

uint64_t BlockSize(void* p) {
  return ProcessSizeSource() == SizeSource::kGlibcHeader ? GlibcChunkSize(p)
                                                         : malloc_usable_size(p);
}

// `room -= delta`, and whether the result is negative: one instruction on
// x86-64, where the compiler would otherwise load, subtract, store and test.
inline bool TakeRoom(int64_t& room, int64_t delta) {
#if defined(__x86_64__)
  bool negative;
  asm("subq %2, %0" : "+m"(room), "=@ccl"(negative) : "er"(delta));
  return negative;
#else
  room -= delta;
  return room < 0;
#endif
}

inline void Count(ThreadCounters& c, uint64_t bytes, bool allocation) {
  const int64_t delta = int64_t(bytes);
  if (allocation) {
    CounterAdd(c.allocations, 1);
    CounterAdd(c.allocated_bytes, bytes);
    c.room_down += delta;
    if (__builtin_expect(TakeRoom(c.room_up, delta), 0)) FoldDrift(&c);
  } else {
    CounterAdd(c.deallocations, 1);
    CounterAdd(c.freed_bytes, bytes);
    c.room_up += delta;
    if (__builtin_expect(TakeRoom(c.room_down, delta), 0)) FoldDrift(&c);
  }
}

// First use on a thread, a process measured with malloc_usable_size(), or a
// thread whose counters were already retired at thread exit.
[[gnu::noinline]] void SlowCount(ThreadCounters& c, void* p, bool allocation) {
  const uint64_t bytes = BlockSize(p);
  if (c.state == CounterState::kExited) {
    allocation ? CountRetiredAllocation(bytes) : CountRetiredDeallocation(bytes);
    return;
  }
  if (c.state == CounterState::kUnregistered) {
    RegisterThread(&c);
    c.state = ProcessSizeSource() == SizeSource::kGlibcHeader ? CounterState::kRegistered
                                                              : CounterState::kRegisteredPortable;
  }
  Count(c, bytes, allocation);
}

inline void CountAllocation(void* p) {
  ThreadCounters& c = tls_counters;
  if (__builtin_expect(c.state != CounterState::kRegistered, 0)) return SlowCount(c, p, true);
  Count(c, GlibcChunkSize(p), true);
}

inline void CountDeallocation(void* p) {
  ThreadCounters& c = tls_counters;
  if (__builtin_expect(c.state != CounterState::kRegistered, 0)) return SlowCount(c, p, false);
  Count(c, GlibcChunkSize(p), false);
}

// Follows [new.delete.single]: retry through the new-handler, else throw.
// A zero-byte request must still return a unique pointer; glibc's malloc(0)
// does, and for a malloc that returns null instead the retry asks for 1 byte.
void* Allocate(std::size_t size) {
  for (;;) {
    if (void* p = std::malloc(size); __builtin_expect(p != nullptr, 1)) {
      CountAllocation(p);
      return p;
    }
    if (size == 0) {
      size = 1;
      continue;
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
