// SymbolTable: the string -> local id table of one shard, readable without a
// lock.
//
// Open addressing over one array of 4-byte slots. A slot holds the string's
// local id (24 bits) and an 8-bit tag from the string's hash above it; 0 is
// empty. Keys are not stored: a slot whose tag matches is confirmed against
// the string in the symbol index, where the id leads straight to the
// string's length and (up to 39 bytes) its bytes (lasso's keys-only trick),
// so a slot costs 4 bytes, a hit reads one index entry after the table, and
// only 1 in 256 non-matching slots costs a look at an entry. The table
// doubles when it would pass 7/8 full.
//
// Slots come in aligned groups of four, read as two 8-byte atomic words and
// compared all at once (SSE2 where available): a string's home group is
// picked by its hash, it goes into the group's first empty slot, and a full
// group sends it on to the next group in triangular order (g, g+1, g+3, ...,
// which visits every group of a power-of-two table). A lookup is done once a
// group has an empty slot, so nearly every lookup reads one group, with no
// branch per slot: probing slot by slot cost a hard-to-predict branch at each
// slot, and those mispredictions were most of a lookup's time on a hot set
// of short words.
//
// Concurrency: one writer at a time (the shard's lock), any number of readers
// with no lock. The writer stores a slot's word with release order (the only
// writer, it needs no read-modify-write) and a reader loads it with acquire
// order, so the reader sees the record, written before.
// Growth builds a new table and publishes it with one release store; the old
// one is kept (and counted in reserved_bytes()) until the table dies,
// because a reader may still be probing it. A reader of an old table can miss
// a string added since; the interner's insert path re-probes the current
// table under the lock, so a miss only ever costs a slow path, never a
// duplicate. Retired tables add at most the current table's size again
// (geometric growth).

#ifndef CTXMEM_INTERN_INTERNAL_SYMBOL_TABLE_H_
#define CTXMEM_INTERN_INTERNAL_SYMBOL_TABLE_H_

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "intern/internal/hash.h"
#include "intern/internal/symbol_index.h"

namespace ctxmem::intern::internal {

class SymbolTable {
 public:
  static constexpr size_t kInitialCapacity = 16;  // slots

  SymbolTable() = default;
  SymbolTable(const SymbolTable&) = delete;
  SymbolTable& operator=(const SymbolTable&) = delete;
  ~SymbolTable();

  // The local id of `key`, or 0. `shard` is this table's shard number and
  // `index` the interner's symbol index. Lock-free; may run concurrently
  // with Insert().
  __attribute__((always_inline)) uint32_t Find(const Key& key, uint32_t shard,
                                               const SymbolIndex& index) const {
    // Straight-line code for the common cases, a hit on the first tag match
    // of the home group or a miss there; everything else (a tag collision, a
    // full home group, a long string) goes out of line, which keeps the
    // inlined part small enough to live in registers.
    const uint64_t current = current_.load(std::memory_order_acquire);
    const std::atomic<uint64_t>* words = WordsOf(current) + 2 * (key.hash & GroupMaskOf(current));
    const uint64_t w0 = words[0].load(std::memory_order_acquire);
    const uint64_t w1 = words[1].load(std::memory_order_acquire);
    uint32_t empty;
    if (const uint32_t match = Scan(w0, w1, TagOf(key.hash), &empty); match != 0) [[likely]] {
      const uint32_t local = SlotOf(w0, w1, std::countr_zero(match)) & kLocalMask;
      const char* entry = index.EntryAt(EncodeId(shard, local));
      const size_t n = key.text.size();
      if (static_cast<unsigned char>(entry[0]) == n && n <= SymbolIndex::kInlineBytes &&
          Equal(entry + 1, key.text.data(), n)) [[likely]] {
        return local;
      }
    } else if (empty != 0) {
      return 0;  // no tag match and the probe sequence ends here
    }
    return FindSlow(current, key.text, key.hash, shard, index);
  }

  // Bytes Insert() would allocate now: a new table when this one is full.
  size_t GrowthFor() const;
  // Makes room for one more id, allocating a bigger table if needed, so that
  // a following Insert() allocates nothing. Writer only. Upstream failure
  // throws std::bad_alloc and leaves the table unchanged. Returns the bytes
  // added to reserved_bytes().
  size_t Reserve(uint32_t shard, const SymbolIndex& index);

  // Adds `local` (its string is `key.text`, not yet present) after
  // Reserve(). Writer only; never allocates.
  void Insert(const Key& key, uint32_t local);

  // Every table block held, retired ones included.
  size_t reserved_bytes() const { return reserved_bytes_; }
  size_t size() const { return size_; }

 private:
  static constexpr uint64_t kAddressMask = (uint64_t{1} << 48) - 1;
  static constexpr int kLocalBits = 24;
  static constexpr uint32_t kLocalMask = (uint32_t{1} << kLocalBits) - 1;
  static constexpr uint32_t kTagMask = ~kLocalMask;

  // A table block: this header, then capacity / 2 words of two slots each
  // (slot 2k in the low half of word k).
  struct Block {
    Block* retired_next;
    size_t capacity;
  };
  static_assert(std::atomic<uint64_t>::is_always_lock_free);

  // current_ holds the block's address in its low 48 bits (user-space
  // addresses on x86-64 and AArch64 Linux; NewBlock() checks) and log2 of its group count above, so a
  // lookup gets both from one load.
  static const std::atomic<uint64_t>* WordsOf(uint64_t current) {
    return reinterpret_cast<const std::atomic<uint64_t>*>(
        (current & kAddressMask) + sizeof(Block));
  }
  static size_t GroupMaskOf(uint64_t current) { return (size_t{1} << (current >> 48)) - 1; }
  static Block* BlockOf(uint64_t current) {
    return reinterpret_cast<Block*>(current & kAddressMask);
  }
  // current_ for the shared empty block (group count 1: log2 is 0).
  static uint64_t EmptyBlock();
  bool HasOwnBlock(uint64_t current) const { return current != EmptyBlock(); }

  // Bit k of the result: slot k of the group (w0, w1) has tag `want`; bit k
  // of `*empty`: slot k is empty. An empty slot never matches.
  static uint32_t Scan(uint64_t w0, uint64_t w1, uint32_t want, uint32_t* empty) {
#if defined(__SSE2__)
    const __m128i v = _mm_set_epi64x(static_cast<int64_t>(w1), static_cast<int64_t>(w0));
    const __m128i zero = _mm_cmpeq_epi32(v, _mm_setzero_si128());
    const __m128i tags = _mm_and_si128(v, _mm_set1_epi32(static_cast<int>(kTagMask)));
    const __m128i same = _mm_cmpeq_epi32(tags, _mm_set1_epi32(static_cast<int>(want)));
    *empty = static_cast<uint32_t>(_mm_movemask_ps(_mm_castsi128_ps(zero)));
    return static_cast<uint32_t>(_mm_movemask_ps(_mm_castsi128_ps(_mm_andnot_si128(zero, same))));
#else
    uint32_t e = 0;
    uint32_t m = 0;
    for (int k = 0; k < 4; ++k) {
      const uint32_t slot = SlotOf(w0, w1, k);
      e |= uint32_t{slot == 0} << k;
      m |= uint32_t{slot != 0 && (slot & kTagMask) == want} << k;
    }
    *empty = e;
    return m;
#endif
  }
  // Slot k (0..3) of the group (w0, w1), without a branch: two stores and an
  // indexed load, which the CPU forwards from the stores.
  static uint32_t SlotOf(uint64_t w0, uint64_t w1, int k) {
    const uint64_t words[2] = {w0, w1};
    uint32_t slot;
    std::memcpy(&slot, reinterpret_cast<const char*>(words) + 4 * k, sizeof(slot));
    return slot;
  }

  // Byte equality without a memcmp call for the strings that live inline
  // (identifiers, roles, keys, paths): for 4..16 bytes, the four
  // overlapping 4-byte loads HashOf() uses; for 17..48 bytes, three
  // overlapping 16-byte loads. No branch on the length inside either range:
  // lengths spread over them, and a branch per size class mispredicted on a
  // third of the lookups of ~29-byte strings.
  __attribute__((always_inline)) static bool Equal(const char* p, const char* q, size_t n) {
    if (n - 4 <= 12) [[likely]] {
      const size_t o = (n >> 3) << 2;
      return (Diff32(p, q) | Diff32(p + o, q + o) | Diff32(p + n - 4, q + n - 4) |
              Diff32(p + n - 4 - o, q + n - 4 - o)) == 0;
    }
    if (n - 17 <= 31) {
      const size_t middle = n - 16 < 16 ? n - 16 : 16;
      return Same16(p, q) && Same16(p + middle, q + middle) && Same16(p + n - 16, q + n - 16);
    }
    if (n < 4) {
      // 0..3 bytes: first, middle and last cover them all.
      return n == 0 || (p[0] == q[0] && p[n >> 1] == q[n >> 1] && p[n - 1] == q[n - 1]);
    }
    return std::memcmp(p, q, n) == 0;
  }
  __attribute__((always_inline)) static bool Same16(const char* p, const char* q) {
#if defined(__SSE2__)
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
    return _mm_movemask_epi8(_mm_cmpeq_epi8(a, b)) == 0xffff;
#else
    return ((LoadUnaligned<uint64_t>(p) ^ LoadUnaligned<uint64_t>(q)) |
            (LoadUnaligned<uint64_t>(p + 8) ^ LoadUnaligned<uint64_t>(q + 8))) == 0;
#endif
  }
  static uint32_t Diff32(const char* p, const char* q) {
    return LoadUnaligned<uint32_t>(p) ^ LoadUnaligned<uint32_t>(q);
  }

  // Hash bits 52..59: the group comes from the low bits and, for long
  // strings, the shard from bits 60..63 (hash.h).
  static uint32_t TagOf(size_t hash) {
    return static_cast<uint32_t>((hash >> 52) & 0xff) << kLocalBits;
  }
  static size_t BlockBytes(size_t capacity) {
    return sizeof(Block) + capacity / 2 * sizeof(uint64_t);
  }
  // Find() from the start, every candidate of every group.
  // Takes the key by value: by reference, the fast path would spill it.
  __attribute__((noinline)) static uint32_t FindSlow(uint64_t current, std::string_view text,
                                                     size_t hash, uint32_t shard,
                                                     const SymbolIndex& index);
  // A zeroed block and its current_ value.
  static uint64_t NewBlock(size_t capacity);
  // Writer only: places a local id known to be absent into the block.
  static void Place(uint64_t current, size_t hash, uint32_t local);

  // Before the first insert: a static one-group block with no slots filled,
  // so Find() needs no null check.
  std::atomic<uint64_t> current_{EmptyBlock()};
  Block* retired_ = nullptr;  // older blocks, newest first
  size_t size_ = 0;
  size_t reserved_bytes_ = 0;
};

}  // namespace ctxmem::intern::internal

#endif  // CTXMEM_INTERN_INTERNAL_SYMBOL_TABLE_H_
