// Shard: one lock, one StringStore and one SymbolTable.
//
// An interner holds kShards of these, picked by the top bits of the string's
// hash (the table uses the low bits), so threads inserting different strings
// rarely meet on a lock. Lookups of strings already present take no lock at
// all (see symbol_table.h); the lock serialises inserts into one shard.
//
// Thread safety: Find() may be called at any time; GrowthFor() and Insert()
// need the shard's lock. reserved_bytes() and used_bytes() may be read at
// any time.

#ifndef CTXMEM_INTERN_INTERNAL_SHARD_H_
#define CTXMEM_INTERN_INTERNAL_SHARD_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/spin_lock.h"
#include "intern/internal/string_store.h"
#include "intern/internal/symbol_table.h"

namespace ctxmem::intern::internal {

inline constexpr int kShardBits = 4;
inline constexpr uint32_t kShards = uint32_t{1} << kShardBits;
static_assert(sizeof(size_t) == 8, "the shard is taken from the top bits of a 64-bit hash");
static_assert(StringStore::kMaxChunks << StringStore::kOffsetBits < (uint32_t{1} << 28),
              "a local id must leave 4 bits for the shard number and the table's hash bits");

inline uint32_t ShardOf(size_t hash) { return static_cast<uint32_t>(hash >> (64 - kShardBits)); }

// A symbol id is (local id << kShardBits) | shard; local ids are never 0
// (see string_store.h), so no id is 0.
inline uint32_t EncodeId(uint32_t shard, uint32_t local) { return (local << kShardBits) | shard; }
inline uint32_t ShardOfId(uint32_t id) { return id & (kShards - 1); }
inline uint32_t LocalOfId(uint32_t id) { return id >> kShardBits; }

// Cache-line aligned so two threads on neighbouring shards do not share a line.
class alignas(64) Shard {
 public:
  Shard() = default;
  Shard(const Shard&) = delete;
  Shard& operator=(const Shard&) = delete;

  base::SpinLock& lock() const { return lock_; }

  // The local id of `key`, or 0. Lock-free.
  __attribute__((always_inline)) uint32_t Find(const Key& key) const { return table_.Find(key); }

  // Bytes Insert(key) would add to reserved_bytes() (key not present).
  size_t GrowthFor(const Key& key) const;

  // Stores `key` (not present, CanInsert(key)) and returns
  // its local id. Returns the change in reserved bytes in `*growth`.
  uint32_t Insert(const Key& key, size_t* growth);

  // False when the shard has used up its chunk numbers.
  bool CanInsert(const Key& key) const { return store_.CanAppend(key.text.size()); }
  const StringStore& store() const { return store_; }
  size_t reserved_bytes() const { return reserved_bytes_.load(std::memory_order_relaxed); }
  size_t used_bytes() const { return used_bytes_.load(std::memory_order_relaxed); }

 private:
  mutable base::SpinLock lock_;
  StringStore store_;
  SymbolTable table_{&store_};
  // Copies of the store's and table's figures, readable without the lock.
  std::atomic<size_t> reserved_bytes_{0};
  std::atomic<size_t> used_bytes_{0};
};

// Totals over an array of kShards shards (null: an empty, moved-from owner).
// The array itself counts as reserved: it is heap memory the owner holds.
size_t TotalSize(const Shard* shards);
size_t TotalReservedBytes(const Shard* shards);
size_t TotalUsedBytes(const Shard* shards);

// Lookup and Resolve over a table of kShards shards, shared by Interner and
// FrozenInterner. Lock-free.
inline uint32_t FindId(const Shard* shards, std::string_view text) {
  const Key key{text, HashOf(text)};
  const uint32_t shard = ShardOf(key.hash);
  const uint32_t local = shards[shard].Find(key);
  return local == 0 ? 0 : EncodeId(shard, local);
}

inline std::string_view ResolveId(const Shard* shards, uint32_t id) {
  return shards[ShardOfId(id)].store().Get(LocalOfId(id));
}

}  // namespace ctxmem::intern::internal

#endif  // CTXMEM_INTERN_INTERNAL_SHARD_H_
