// SymbolTable: the string -> local id table of one shard, readable without a
// lock.
//
// Open addressing over one array of 4-byte slots. Local ids fit in 28 bits
// (string_store.h), so a slot holds the id in its low 28 bits and 4 bits of
// the string's hash above them; 0 is empty. Keys are not stored: a slot whose
// hash bits match is confirmed by comparing with the string the id points to
// (lasso's keys-only trick), so a slot costs 4 bytes and a probe touches one
// array (tag and id in the same word). Probing is triangular (i, i+1, i+3,
// i+6, ...), which visits every slot of a power-of-two table; the table
// doubles when it would pass 7/8 full.
//
// Concurrency: one writer at a time (the shard's lock), any number of readers
// with no lock. The writer stores a slot with release order and a reader
// loads it with acquire order, so the reader sees the string the StringStore
// wrote before. Growth builds a new table and publishes it with one release
// store; the old one is kept (and counted in reserved_bytes()) until the
// table dies, because a reader may still be probing it. A reader of an old
// table can miss a string added since; the interner's insert path re-probes
// the current table under the lock, so a miss only ever costs a slow path,
// never a duplicate. Retired tables add at most the current table's size
// again (geometric growth).

#ifndef CTXMEM_INTERN_INTERNAL_SYMBOL_TABLE_H_
#define CTXMEM_INTERN_INTERNAL_SYMBOL_TABLE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "intern/internal/string_store.h"

namespace ctxmem::intern::internal {

// absl's string hash. Debian's abseil has its own absl::string_view, and
// absl::Hash<std::string_view> would silently fall back to std::hash.
inline size_t HashOf(std::string_view text) {
  return absl::Hash<absl::string_view>{}(absl::string_view(text.data(), text.size()));
}

// What the table is probed with: the string and its hash, computed once by
// the caller and also used to pick the shard (from the top bits; the table
// uses the low bits for the position and bits 52..55 for the tag).
struct Key {
  std::string_view text;
  size_t hash;
};

class SymbolTable {
 public:
  static constexpr size_t kInitialCapacity = 16;

  explicit SymbolTable(const StringStore* store) : store_(store) {}
  SymbolTable(const SymbolTable&) = delete;
  SymbolTable& operator=(const SymbolTable&) = delete;
  ~SymbolTable();

  // The local id of `key`, or 0. Lock-free; may run concurrently with Insert().
  __attribute__((always_inline)) uint32_t Find(const Key& key) const {
    const Block* block = current_.load(std::memory_order_acquire);
    if (block == nullptr) return 0;
    const uint32_t want = TagOf(key.hash);
    size_t i = key.hash & block->mask;
    for (size_t step = 1;; ++step) {
      const uint32_t slot = block->slots()[i].load(std::memory_order_acquire);
      if (slot == 0) return 0;
      if ((slot & kTagMask) == want) {
        const uint32_t local = slot & ~kTagMask;
        if (Equal(store_->GetKnown(local), key.text)) [[likely]] return local;
      }
      i = (i + step) & block->mask;
    }
  }

  // Bytes Insert() would allocate now: a new table when this one is full.
  size_t GrowthFor() const;

  // Adds `local` (< 2^28, its string is `key.text`, not yet present). Writer only.
  // Upstream failure throws std::bad_alloc and leaves the table unchanged.
  void Insert(const Key& key, uint32_t local);

  // Every table block held, retired ones included.
  size_t reserved_bytes() const { return reserved_bytes_; }
  size_t size() const { return size_; }

 private:
  static constexpr int kIdBits = 28;
  static constexpr uint32_t kTagMask = ~((uint32_t{1} << kIdBits) - 1);

  struct Block {
    Block* retired_next;
    size_t mask;  // capacity - 1
    // Followed by capacity slots.
    std::atomic<uint32_t>* slots() const {
      return reinterpret_cast<std::atomic<uint32_t>*>(const_cast<Block*>(this) + 1);
    }
  };
  static_assert(sizeof(std::atomic<uint32_t>) == 4 && std::atomic<uint32_t>::is_always_lock_free);

  // Byte equality without a memcmp call for the short strings that dominate
  // interning (identifiers, roles, keys): overlapping word loads that stay
  // inside both strings.
  static bool Equal(std::string_view a, std::string_view b) {
    const size_t n = a.size();
    if (n != b.size()) return false;
    const char* p = a.data();
    const char* q = b.data();
    if (n >= 8 && n <= 16) {
      return (Load<uint64_t>(p) ^ Load<uint64_t>(q)) == 0 &&
             (Load<uint64_t>(p + n - 8) ^ Load<uint64_t>(q + n - 8)) == 0;
    }
    if (n >= 4 && n < 8) {
      return Load<uint32_t>(p) == Load<uint32_t>(q) &&
             Load<uint32_t>(p + n - 4) == Load<uint32_t>(q + n - 4);
    }
    return n == 0 || std::memcmp(p, q, n) == 0;
  }
  template <typename T>
  static T Load(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
  }

  static uint32_t TagOf(size_t hash) { return static_cast<uint32_t>((hash >> 52) & 0xf) << kIdBits; }
  static size_t BlockBytes(size_t capacity) { return sizeof(Block) + capacity * sizeof(uint32_t); }
  static Block* NewBlock(size_t capacity);
  // Writer only: places an id known to be absent into `block`.
  static void Place(Block* block, size_t hash, uint32_t local);

  const StringStore* store_;
  std::atomic<Block*> current_{nullptr};
  Block* retired_ = nullptr;  // older blocks, newest first
  size_t size_ = 0;
  size_t reserved_bytes_ = 0;
};

}  // namespace ctxmem::intern::internal

#endif  // CTXMEM_INTERN_INTERNAL_SYMBOL_TABLE_H_
