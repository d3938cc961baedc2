// StringStore: where one interner shard keeps its strings, and how a local id
// finds its string again in O(1).
//
// Strings are copied into chunks (1 KiB doubling to 64 KiB; a string too big
// for a quarter of the largest chunk gets a chunk of its own), each behind a
// LEB128 length prefix: one byte for strings under 128 bytes, so a stored
// string costs its length plus one byte. No NUL terminator: strings are bytes.
//
// The local id *is* the string's address: (chunk number << 16) | offset in
// the chunk. Chunks are numbered from 1 (so no id is 0) and no regular chunk
// is bigger than 64 KiB, so every string starts at a 16-bit offset. There is
// no per-string index: the id -> string step is one load from a small chunk
// directory, and memory per string is the string plus its prefix. The
// directory is a segmented array (segment k holds 8 << k chunk pointers;
// segment 0, which covers the first ~190 KiB of strings, lives inside the
// store, so the common case is a single load) whose segments never move, so a reader never touches memory that growth
// freed, the race a std::vector would have. A shard holds at most 4,095
// chunks (at least 256 MiB of strings).
//
// Thread safety: Append() needs external synchronisation (the shard's lock).
// Get() may run concurrently with Append(): everything is written before the
// string count is published with a release store, which Get() loads with
// acquire order.

#ifndef CTXMEM_INTERN_INTERNAL_STRING_STORE_H_
#define CTXMEM_INTERN_INTERNAL_STRING_STORE_H_

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ctxmem::intern::internal {

class StringStore {
 public:
  static constexpr size_t kFirstChunkBytes = 1024;
  static constexpr size_t kMaxChunkBytes = 64 * 1024;
  static constexpr int kOffsetBits = 16;
  // Chunk numbers use the id's other 12 bits (the symbol keeps 4 for the shard).
  static constexpr uint32_t kMaxChunks = (uint32_t{1} << 12) - 1;
  static constexpr uint32_t kFirstSegment = 8;
  static constexpr int kSegments = 10;  // 8 * (2^10 - 1) >= kMaxChunks

  StringStore() = default;
  StringStore(const StringStore&) = delete;
  StringStore& operator=(const StringStore&) = delete;
  ~StringStore();

  // Heap bytes Append(text) would add to reserved_bytes(): a new chunk and
  // perhaps a directory segment, or zero.
  size_t GrowthFor(size_t length) const;
  // False if appending a string of `length` bytes needs a chunk the
  // directory has no number for.
  bool CanAppend(size_t length) const;

  // Copies `text` and returns its local id (never 0). The caller has checked
  // CanAppend(). Upstream failure throws std::bad_alloc, changing nothing.
  uint32_t Append(std::string_view text);

  // The string with local id `local`: an id Append() returned, or 0 (which
  // gives an empty view, as does an id past the last chunk).
  std::string_view Get(uint32_t local) const {
    if (size_.load(std::memory_order_acquire) == 0) return {};
    const uint32_t chunk = local >> kOffsetBits;
    if (chunk - 1 >= chunk_count_.load(std::memory_order_relaxed)) [[unlikely]] return {};
    return GetKnown(local);
  }

  // As Get(), for an id known to be stored (the table's own ids).
  std::string_view GetKnown(uint32_t local) const {
    return Decode(ChunkAt((local >> kOffsetBits) - 1) + (local & 0xffffu));
  }

  uint32_t size() const { return size_.load(std::memory_order_acquire); }
  // Chunk bytes plus directory segment bytes.
  size_t reserved_bytes() const { return reserved_bytes_; }
  // Sum of the stored strings' lengths.
  size_t used_bytes() const { return used_bytes_; }

 private:
  static std::string_view Decode(const char* p) {
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    size_t length = u[0];
    if (length < 0x80) [[likely]] return {p + 1, length};
    length &= 0x7f;
    int shift = 7;
    size_t i = 1;
    for (;; ++i, shift += 7) {
      length |= size_t{u[i] & 0x7fu} << shift;
      if (u[i] < 0x80) break;
    }
    return {p + i + 1, length};
  }

  static int SegmentOf(uint32_t index) {
    return std::bit_width(index + kFirstSegment) - 1 - std::countr_zero(kFirstSegment);
  }
  static size_t SegmentEntries(int segment) { return size_t{kFirstSegment} << segment; }
  char* ChunkAt(uint32_t index) const {
    if (index < kFirstSegment) [[likely]] return first_chunks_[index];
    const int segment = SegmentOf(index);
    return segments_[segment][index + kFirstSegment - SegmentEntries(segment)];
  }
  static size_t PrefixBytes(size_t length) {
    return length < 0x80 ? 1 : (std::bit_width(length) + 6) / 7;
  }
  bool FitsCurrent(size_t need) const;
  size_t NewChunkBytes(size_t need) const;

  char* current_ = nullptr;  // the regular chunk strings go into
  size_t used_in_current_ = 0;
  size_t current_bytes_ = 0;
  uint32_t current_number_ = 0;
  size_t next_chunk_bytes_ = kFirstChunkBytes;
  char* first_chunks_[kFirstSegment] = {};
  char** segments_[kSegments] = {first_chunks_};  // segment 0 is inline
  std::atomic<uint32_t> chunk_count_{0};
  std::atomic<uint32_t> size_{0};
  size_t reserved_bytes_ = 0;
  size_t used_bytes_ = 0;
};

}  // namespace ctxmem::intern::internal

#endif  // CTXMEM_INTERN_INTERNAL_STRING_STORE_H_
