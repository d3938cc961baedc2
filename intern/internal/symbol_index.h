// SymbolIndex: the interner's symbol id -> string array, indexed by the id
// itself, holding short strings inline.
//
// Each id has a 40-byte entry. Byte 0 is the string's length; a string of up
// to kInlineBytes (39) bytes follows in place. A longer string is stored out
// of line (string_store.h) and its entry holds kOutOfLine in byte 0 and the
// address of the out-of-line copy at byte 8. An entry never written is all
// zero, the empty string.
//
// Why this layout: a lookup (table slot -> entry -> compare) and a resolve
// (id -> entry) each touch one cache line or two adjacent ones after the
// table, for any string up to 39 bytes, which covers the roles, keys, tool
// and model names and most paths an agent interns. Measured on 1M random
// resolves over 100k strings of ~29 bytes: an index of 8-byte string
// addresses (two dependent misses: entry, then string) ran at 1.4x the time
// of a std::vector of llvm::StringRef; a segmented index at 2x. The price is
// memory for short strings: a 4-byte string costs the full 40-byte entry.
// At ~29-byte strings it is ~42 bytes per string with the commit slack,
// against ~43 for a record in a chunk plus an 8-byte address.
//
// The array must not move (readers hold no lock), so it lives in a
// ReservedRegion sized for the interner's largest id count and commits pages
// as ids arrive, in steps of a sixteenth of its size. Committed pages are
// mapped memory, not heap: mapped_bytes().
//
// Ids are (local id << 4) | shard with dense local ids per shard, so the 16
// shards fill the array interleaved and nearly densely (they grow at the same
// rate: the hash spreads strings evenly).
//
// Thread safety: Get() may run at any time for an id the caller received
// from this interner (or for any id when no insert runs concurrently). An
// entry is written by its shard's writer before the id is published by the
// symbol table's release store; Commit() may be called by any writer
// (serialised inside) and publishes the bound with release order after
// mprotect.

#ifndef CTXMEM_INTERN_INTERNAL_SYMBOL_INDEX_H_
#define CTXMEM_INTERN_INTERNAL_SYMBOL_INDEX_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "base/spin_lock.h"
#include "intern/internal/hash.h"
#include "intern/internal/reserved_region.h"

namespace ctxmem::intern::internal {

// A symbol id is (local id << kShardBits) | shard. Local ids are dense per
// shard and start at 1, so no id is 0; they have 24 bits, so ids have 28.
inline constexpr uint32_t kShards = uint32_t{1} << kShardBits;
inline constexpr uint32_t kMaxLocalId = (uint32_t{1} << 24) - 1;
inline uint32_t EncodeId(uint32_t shard, uint32_t local) { return (local << kShardBits) | shard; }

class SymbolIndex {
 public:
  static constexpr size_t kEntryBytes = 40;
  static constexpr size_t kInlineBytes = kEntryBytes - 1;
  static constexpr unsigned char kOutOfLine = 0xff;

  // Reserves address space for ids below `max_ids` (at most 2^28).
  explicit SymbolIndex(size_t max_ids);
  SymbolIndex(SymbolIndex&& other) noexcept;
  SymbolIndex& operator=(SymbolIndex&& other) noexcept;
  ~SymbolIndex() = default;

  // The string of `id`: empty if no string has that id.
  std::string_view Get(uint32_t id) const {
    if (id >= committed_ids_.load(std::memory_order_acquire)) [[unlikely]] return {};
    return Decode(EntryAt(id));
  }

  // The entry of `id` (committed).
  const char* EntryAt(uint32_t id) const { return base_ + size_t{id} * kEntryBytes; }

  // The string an entry holds.
  static std::string_view Decode(const char* entry) {
    const auto length = static_cast<unsigned char>(entry[0]);
    if (length == kOutOfLine) [[unlikely]] return DecodeOutOfLine(entry);
    return {entry + 1, length};
  }

  // Whether `id` is below the reservation.
  bool CanHold(uint32_t id) const { return size_t{id} < region_.size() / kEntryBytes; }
  // Bytes Commit(id) would add to mapped_bytes() now (0 if committed).
  size_t GrowthFor(uint32_t id) const;
  // Makes `id`'s entry writable, adding the bytes committed to `*added`.
  // False if the system refused the memory; nothing changes then.
  bool Commit(uint32_t id, size_t* added);
  // Writes the entry of `id` (committed, never written): `text` inline, or
  // the address of its out-of-line copy `stored` (whose first 8 bytes are
  // the length, then the bytes) when it is longer than kInlineBytes.
  void Set(uint32_t id, std::string_view text, const char* stored);

  // Committed bytes (whole pages).
  size_t mapped_bytes() const { return committed_bytes_.load(std::memory_order_relaxed); }

 private:
  static std::string_view DecodeOutOfLine(const char* entry) {
    const char* stored;
    std::memcpy(&stored, entry + 8, sizeof(stored));
    uint64_t length;
    std::memcpy(&length, stored, sizeof(length));
    return {stored + sizeof(length), length};
  }
  // Bytes that must be committed for `id` to be writable: a function of `id`
  // alone (see the .cc).
  size_t Target(uint32_t id) const;

  ReservedRegion region_;
  char* base_ = nullptr;
  std::atomic<uint32_t> committed_ids_{0};  // whole entries in committed_bytes_
  std::atomic<size_t> committed_bytes_{0};
  base::SpinLock commit_lock_;
};

}  // namespace ctxmem::intern::internal

#endif  // CTXMEM_INTERN_INTERNAL_SYMBOL_INDEX_H_
