// ReservedRegion: address space reserved up front and made usable in steps.
//
// The interner's readers take no locks, so what they read must never move:
// a region is reserved once at its largest size (PROT_NONE, MAP_NORESERVE:
// no memory and no commit charge) and its prefix is made readable and
// writable as it fills (mprotect), the new pages faulted in at once
// (MADV_POPULATE_WRITE). The owner counts what it committed as mapped
// memory (not heap); the region is unmapped when it dies.
//
// If the system refuses the whole reservation (RLIMIT_AS, for one), the
// region takes what it can get, halving down to one page (or nothing), and
// commits past that fail.
//
// Thread safety: Commit() of disjoint ranges may run concurrently (the
// caller owns each range); base() and size() never change after
// construction.

#ifndef CTXMEM_INTERN_INTERNAL_RESERVED_REGION_H_
#define CTXMEM_INTERN_INTERNAL_RESERVED_REGION_H_

#include <cstddef>

namespace ctxmem::intern::internal {

class ReservedRegion {
 public:
  ReservedRegion() = default;
  // Reserves `bytes` (rounded up to pages), or less as explained above.
  explicit ReservedRegion(size_t bytes);
  ReservedRegion(ReservedRegion&& other) noexcept;
  ReservedRegion& operator=(ReservedRegion&& other) noexcept;
  ~ReservedRegion();

  char* base() const { return base_; }
  size_t size() const { return size_; }

  // Makes [offset, offset + bytes) readable and writable. False if the range
  // is past size() or the system refused the memory.
  bool Commit(size_t offset, size_t bytes);

  static size_t PageBytes();

 private:
  char* base_ = nullptr;
  size_t size_ = 0;
};

}  // namespace ctxmem::intern::internal

#endif  // CTXMEM_INTERN_INTERNAL_RESERVED_REGION_H_
