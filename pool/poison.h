// AddressSanitizer poisoning of memory that a pool holds idle.
//
// An idle object or buffer still belongs to the pool, so a use through a
// pointer kept past its release is not a heap-use-after-free that ASan would
// catch by itself. Poisoning the idle storage turns such a use into an ASan
// report. Everything here compiles to nothing outside ASan builds.
//
// The pools unpoison storage before handing it out and before destroying it,
// so destructors and the allocator never see poisoned bytes.

#ifndef CTXMEM_POOL_POISON_H_
#define CTXMEM_POOL_POISON_H_

#include <cstddef>

#if defined(CTXMEM_ASAN) || defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define CTXMEM_POOL_POISONING 1
#else
#define CTXMEM_POOL_POISONING 0
#endif

namespace ctxmem::pool::internal {

// True when this build poisons idle storage.
inline constexpr bool kPoisoning = CTXMEM_POOL_POISONING;

inline void Poison([[maybe_unused]] const void* p, [[maybe_unused]] size_t n) {
#if CTXMEM_POOL_POISONING
  ASAN_POISON_MEMORY_REGION(p, n);
#endif
}

inline void Unpoison([[maybe_unused]] const void* p, [[maybe_unused]] size_t n) {
#if CTXMEM_POOL_POISONING
  ASAN_UNPOISON_MEMORY_REGION(p, n);
#endif
}

// True if any byte of [p, p + n) is poisoned; always false without ASan.
inline bool IsPoisoned([[maybe_unused]] const void* p, [[maybe_unused]] size_t n) {
#if CTXMEM_POOL_POISONING
  return __asan_region_is_poisoned(const_cast<void*>(p), n) != nullptr;
#else
  return false;
#endif
}

}  // namespace ctxmem::pool::internal

#endif  // CTXMEM_POOL_POISON_H_
