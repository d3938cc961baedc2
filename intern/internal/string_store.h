// StringStore: where one interner shard keeps the strings too long to live
// inline in the symbol index (symbol_index.h).
//
// Each string is copied behind its 8-byte length into chunks (4 KiB doubling
// to 64 KiB; one too big for a quarter of the largest chunk gets a chunk of
// its own). Chunks never move and are freed only with the store, so a copy
// keeps its address for the store's life.
//
// Thread safety: none; the shard's lock serialises Append(). Copies are
// published to readers by the symbol table's release store.

#ifndef CTXMEM_INTERN_INTERNAL_STRING_STORE_H_
#define CTXMEM_INTERN_INTERNAL_STRING_STORE_H_

#include <cstddef>
#include <string_view>

namespace ctxmem::intern::internal {

class StringStore {
 public:
  static constexpr size_t kFirstChunkBytes = 4 * 1024;
  static constexpr size_t kMaxChunkBytes = 64 * 1024;

  StringStore() = default;
  StringStore(const StringStore&) = delete;
  StringStore& operator=(const StringStore&) = delete;
  ~StringStore();

  // Heap bytes Append() of a `length`-byte string would add to
  // reserved_bytes(): a chunk, or 0.
  size_t GrowthFor(size_t length) const;

  // Copies `text` behind its length and returns the copy's address.
  // Upstream failure throws std::bad_alloc, changing nothing.
  const char* Append(std::string_view text);

  // Chunk bytes, headers included.
  size_t reserved_bytes() const { return reserved_bytes_; }

 private:
  bool FitsCurrent(size_t need) const { return need <= current_end_ - current_used_; }
  size_t NewChunkBytes(size_t need) const;

  char* current_ = nullptr;  // the regular chunk copies go into
  size_t current_used_ = 0;  // offset of its free tail
  size_t current_end_ = 0;   // its size (0: no current chunk)
  char* chunks_ = nullptr;   // every chunk, newest first, linked through their headers
  size_t next_chunk_bytes_ = kFirstChunkBytes;
  size_t reserved_bytes_ = 0;
};

}  // namespace ctxmem::intern::internal

#endif  // CTXMEM_INTERN_INTERNAL_STRING_STORE_H_
