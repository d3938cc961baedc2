// SmallFileSlabs: where a FileCache keeps files below its small-file
// threshold, packed into 64 KiB buffers recycled through a pool::BufferPool.
//
// A slab is one buffer of the pool's 64 KiB class. Files are appended to the
// current slab until one does not fit; then a new slab is acquired (the old
// one keeps its files, and its tail stays unused). Each slab counts its live
// files; when the last one is freed, the buffer goes back to the pool, which
// keeps it (within its idle budget) for the next slab: after warm-up a cache
// that churns through small files allocates nothing. A file larger than a
// slab (only if the cache's threshold is raised past 64 KiB) gets a pooled
// buffer of its own.
//
// Why pack rather than give each file a pooled buffer of its class: the
// pool's classes are 4 KiB, 64 KiB and 1 MiB, so a 5 KiB source file would
// hold a 64 KiB buffer, 13 times its size. Packed, a slab's bytes are files
// except for its tail and the gaps of files already gone (held_bytes() says
// how many bytes the slabs hold, next to the content they carry).
//
// Thread safety: none; the FileCache calls it under its lock. The BufferPool
// is thread-safe on its own.

#ifndef CTXMEM_MMAPCACHE_INTERNAL_SMALL_FILE_SLABS_H_
#define CTXMEM_MMAPCACHE_INTERNAL_SMALL_FILE_SLABS_H_

#include <cstddef>
#include <cstdint>

#include "pool/buffer_pool.h"

namespace ctxmem::mmapcache::internal {

class SmallFileSlabs {
 public:
  static constexpr size_t kSlabBytes = pool::kBufferClassSizes[1];

  // `idle_bytes`: the most the pool keeps of freed slabs (and of dedicated
  // buffers, if any).
  explicit SmallFileSlabs(size_t idle_bytes);
  SmallFileSlabs(const SmallFileSlabs&) = delete;
  SmallFileSlabs& operator=(const SmallFileSlabs&) = delete;
  // Every slice must have been freed.
  ~SmallFileSlabs();

  struct Slab;
  struct Slice {
    Slab* slab = nullptr;
    char* data = nullptr;  // `size` writable bytes, zero until written
  };

  // Room for `size` (> 0) bytes. Throws std::bad_alloc if a new buffer
  // cannot be made.
  Slice Allocate(size_t size);
  // The file in a slice of `slab` is gone.
  void Free(Slab* slab);

  // Capacity of the buffers held for live slices (and the current slab).
  size_t held_bytes() const { return held_bytes_; }
  size_t slabs() const { return slabs_; }
  pool::BufferPoolStats pool_stats() const { return pool_.stats(); }

 private:
  Slab* NewSlab(size_t capacity);
  void Drop(Slab* slab);

  pool::BufferPool pool_;
  Slab* current_ = nullptr;  // the slab small files are appended to
  size_t held_bytes_ = 0;
  size_t slabs_ = 0;
};

}  // namespace ctxmem::mmapcache::internal

#endif  // CTXMEM_MMAPCACHE_INTERNAL_SMALL_FILE_SLABS_H_
