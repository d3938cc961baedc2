// Shard: one lock, one SymbolTable, one StringStore (for strings too long to
// live inline in the index) and the count of the shard's strings.
//
// An interner holds kShards of these, picked by the string's hash
// (Key::shard), so threads inserting different strings rarely meet on a
// lock. Lookups of strings already present take no lock at all (see
// symbol_table.h); the lock serialises inserts into one shard. The id index
// is the interner's (symbol_index.h): a string's symbol id is made of the
// shard number and the shard's dense local id.
//
// Thread safety: Find() may be called at any time; NextLocal(), CanInsert(),
// GrowthFor() and Insert() need the shard's lock. size(), heap_bytes() and
// used_bytes() may be read at any time.

#ifndef CTXMEM_INTERN_INTERNAL_SHARD_H_
#define CTXMEM_INTERN_INTERNAL_SHARD_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/spin_lock.h"
#include "intern/internal/hash.h"
#include "intern/internal/string_store.h"
#include "intern/internal/symbol_index.h"
#include "intern/internal/symbol_table.h"

namespace ctxmem::intern::internal {

// Cache-line aligned so two threads on neighbouring shards do not share a
// line; the readers' field (the table) comes first.
class alignas(64) Shard {
 public:
  Shard() = default;
  Shard(const Shard&) = delete;
  Shard& operator=(const Shard&) = delete;

  base::SpinLock& lock() const { return lock_; }

  // The local id of `key`, or 0. `shard` is this shard's number. Lock-free.
  __attribute__((always_inline)) uint32_t Find(const Key& key, uint32_t shard,
                                               const SymbolIndex& index) const {
    return table_.Find(key, shard, index);
  }

  // The local id the next Insert() will use; 0 when the shard is full
  // (kMaxLocalId strings).
  uint32_t NextLocal() const {
    const uint32_t n = size();
    return n < kMaxLocalId ? n + 1 : 0;
  }
  // False if the shard has no room for another id.
  bool CanInsert() const { return NextLocal() != 0; }

  // Heap bytes Insert(key) would add to heap_bytes() (key not present).
  size_t GrowthFor(const Key& key) const;

  // Stores `key` (not present; CanInsert(), and its id committed in
  // `index`) and returns its local id. `shard` is this shard's number. Adds
  // the heap bytes added to `*growth`. Upstream failure throws
  // std::bad_alloc; no string is stored then.
  uint32_t Insert(const Key& key, uint32_t shard, SymbolIndex& index, size_t* growth);

  uint32_t size() const { return count_.load(std::memory_order_relaxed); }
  // Table blocks and chunks of long strings.
  size_t heap_bytes() const { return heap_bytes_.load(std::memory_order_relaxed); }
  size_t used_bytes() const { return used_bytes_.load(std::memory_order_relaxed); }

 private:
  SymbolTable table_;
  StringStore store_;
  std::atomic<uint32_t> count_{0};
  mutable base::SpinLock lock_;
  // Figures readable without the lock.
  std::atomic<size_t> heap_bytes_{0};
  std::atomic<size_t> used_bytes_{0};
};

// Totals over an array of kShards shards (null: an empty, moved-from owner).
// The array itself counts as heap: it is heap memory the owner holds.
size_t TotalSize(const Shard* shards);
size_t TotalHeapBytes(const Shard* shards);
size_t TotalUsedBytes(const Shard* shards);

// Lookup over kShards shards and their index, shared by Interner and
// FrozenInterner. Lock-free.
inline uint32_t FindId(const Shard* shards, const SymbolIndex& index, std::string_view text) {
  const Key key = KeyOf(text);
  const uint32_t local = shards[key.shard].Find(key, key.shard, index);
  return local == 0 ? 0 : EncodeId(key.shard, local);
}

}  // namespace ctxmem::intern::internal

#endif  // CTXMEM_INTERN_INTERNAL_SHARD_H_
