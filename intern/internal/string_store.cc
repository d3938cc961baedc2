#include "intern/internal/string_store.h"

#include <algorithm>
#include <cstring>
#include <new>

namespace ctxmem::intern::internal {
namespace {

// Strings bigger than this get a chunk of their own, so one huge string
// neither wastes the rest of a regular chunk nor inflates the next ones.
constexpr size_t kDedicatedThreshold = StringStore::kMaxChunkBytes / 4;

// Every chunk starts with its size, for operator delete; strings follow.
constexpr size_t kChunkHeader = sizeof(size_t);

}  // namespace

StringStore::~StringStore() {
  const uint32_t chunks = chunk_count_.load(std::memory_order_relaxed);
  for (uint32_t i = 0; i < chunks; ++i) {
    char* chunk = ChunkAt(i);
    size_t bytes;
    std::memcpy(&bytes, chunk, sizeof(bytes));
    ::operator delete(chunk, bytes);
  }
  for (int s = 1; s < kSegments && segments_[s] != nullptr; ++s) {
    ::operator delete(segments_[s], SegmentEntries(s) * sizeof(char*));
  }
}

bool StringStore::FitsCurrent(size_t need) const {
  return current_ != nullptr && need <= current_bytes_ - used_in_current_;
}

size_t StringStore::NewChunkBytes(size_t need) const {
  if (need > kDedicatedThreshold) return kChunkHeader + need;
  return std::max(next_chunk_bytes_, kChunkHeader + need);
}

bool StringStore::CanAppend(size_t length) const {
  return FitsCurrent(PrefixBytes(length) + length) ||
         chunk_count_.load(std::memory_order_relaxed) < kMaxChunks;
}

size_t StringStore::GrowthFor(size_t length) const {
  const size_t need = PrefixBytes(length) + length;
  if (FitsCurrent(need)) return 0;
  size_t growth = NewChunkBytes(need);
  const int segment = SegmentOf(chunk_count_.load(std::memory_order_relaxed));
  if (segments_[segment] == nullptr) growth += SegmentEntries(segment) * sizeof(char*);
  return growth;
}

uint32_t StringStore::Append(std::string_view text) {
  const size_t length = text.size();
  const size_t need = PrefixBytes(length) + length;
  char* chunk;
  uint32_t number;
  size_t offset;
  if (FitsCurrent(need)) {
    chunk = current_;
    number = current_number_;
    offset = used_in_current_;
    used_in_current_ += need;
  } else {
    // Allocate everything before changing any state, so a bad_alloc leaves
    // the store as it was.
    const uint32_t index = chunk_count_.load(std::memory_order_relaxed);
    const int segment = SegmentOf(index);
    const size_t bytes = NewChunkBytes(need);
    if (segments_[segment] == nullptr) {
      const size_t segment_bytes = SegmentEntries(segment) * sizeof(char*);
      segments_[segment] = static_cast<char**>(::operator new(segment_bytes));
      reserved_bytes_ += segment_bytes;
    }
    chunk = static_cast<char*>(::operator new(bytes));
    std::memcpy(chunk, &bytes, sizeof(bytes));
    reserved_bytes_ += bytes;
    segments_[segment][index + kFirstSegment - SegmentEntries(segment)] = chunk;
    chunk_count_.store(index + 1, std::memory_order_relaxed);
    number = index + 1;
    offset = kChunkHeader;
    if (need <= kDedicatedThreshold) {
      // A regular chunk becomes the current one; the old one's tail is lost.
      current_ = chunk;
      current_bytes_ = bytes;
      current_number_ = number;
      used_in_current_ = kChunkHeader + need;
      next_chunk_bytes_ = std::min(next_chunk_bytes_ * 2, kMaxChunkBytes);
    }
  }
  char* p = chunk + offset;
  size_t n = length;
  while (n >= 0x80) {
    *p++ = static_cast<char>(0x80 | (n & 0x7f));
    n >>= 7;
  }
  *p++ = static_cast<char>(n);
  if (length != 0) std::memcpy(p, text.data(), length);
  used_bytes_ += length;
  // Publishes the bytes, the chunk pointer and chunk_count_ to Get().
  size_.store(size_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
  return (number << kOffsetBits) | static_cast<uint32_t>(offset);
}

}  // namespace ctxmem::intern::internal
