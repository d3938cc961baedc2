// MappingRecycler: keeps a few anonymous mappings of evicted large files for
// the next large load, so that a miss does not pay for fresh pages.
//
// A large file is copied into a private anonymous mapping (file_cache.h
// explains why it is never mapped from the file). A fresh mapping costs a
// page fault and a zero-fill per page, which dominated a 1 MiB miss on the
// measuring VM (~5 us a page, 1.2-1.6 ms for 1 MiB against ~40 us of
// pread). When an entry goes, its mapping is kept here instead of unmapped,
// up to `max_idle_bytes`; a later load takes the smallest kept mapping that
// is big enough and at most twice its size, trims it to whole pages of the
// new size (munmap of the tail), makes it writable again and reads into it:
// its pages are already faulted in.
//
// Recycled bytes are never shown: the load overwrites every byte of the new
// file's size and zeroes the rest of its last page.
//
// Why not the BufferPool, as small files use: its largest class is 1 MiB
// (a 100 KiB file would hold a 1 MiB buffer while cached) and buffers above
// it are never kept; a mapping can be trimmed to the file, a pooled buffer
// cannot.
//
// Thread-safe: a mutex guards the idle list; system calls are made outside
// it.

#ifndef CTXMEM_MMAPCACHE_INTERNAL_MAPPING_RECYCLER_H_
#define CTXMEM_MMAPCACHE_INTERNAL_MAPPING_RECYCLER_H_

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace ctxmem::mmapcache::internal {

class MappingRecycler {
 public:
  explicit MappingRecycler(size_t max_idle_bytes) : max_idle_bytes_(max_idle_bytes) {}
  MappingRecycler(const MappingRecycler&) = delete;
  MappingRecycler& operator=(const MappingRecycler&) = delete;
  ~MappingRecycler();

  // A readable and writable private anonymous mapping of at least `bytes`
  // (> 0): a kept one if one fits, else a fresh, populated one. Its length is
  // MappedBytes(bytes). Null on failure, with errno set.
  char* Take(size_t bytes);
  // Takes back a mapping Take() returned for `bytes`; keeps it if the idle
  // total stays within the cap, else unmaps it.
  void Give(char* data, size_t bytes);

  static size_t MappedBytes(size_t bytes);

  size_t idle_bytes() const;
  uint64_t reused() const;  // Take() calls served by a kept mapping
  uint64_t fresh() const;   // Take() calls that mapped fresh pages

 private:
  struct Idle {
    char* data;
    size_t bytes;  // whole pages
  };

  const size_t max_idle_bytes_;
  mutable std::mutex mu_;
  std::vector<Idle> idle_;
  size_t idle_bytes_ = 0;
  uint64_t reused_ = 0;
  uint64_t fresh_ = 0;
};

}  // namespace ctxmem::mmapcache::internal

#endif  // CTXMEM_MMAPCACHE_INTERNAL_MAPPING_RECYCLER_H_
