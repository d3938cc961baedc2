#include "intern/internal/string_store.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>

namespace ctxmem::intern::internal {
namespace {

// Copies bigger than this get a chunk of their own, so one huge string
// neither wastes the rest of a regular chunk nor inflates the next ones.
constexpr size_t kDedicatedThreshold = StringStore::kMaxChunkBytes / 4;

// Every chunk starts with its size (for operator delete) and the next-older
// chunk (for the destructor); copies follow.
struct ChunkHeader {
  size_t bytes;
  char* next;
};
constexpr size_t kChunkHeader = sizeof(ChunkHeader);

}  // namespace

StringStore::~StringStore() {
  for (char* chunk = chunks_; chunk != nullptr;) {
    ChunkHeader header;
    std::memcpy(&header, chunk, sizeof(header));
    ::operator delete(chunk, header.bytes);
    chunk = header.next;
  }
}

size_t StringStore::NewChunkBytes(size_t need) const {
  if (need > kDedicatedThreshold) return kChunkHeader + need;
  return std::max(next_chunk_bytes_, kChunkHeader + need);
}

size_t StringStore::GrowthFor(size_t length) const {
  const size_t need = sizeof(uint64_t) + length;
  return FitsCurrent(need) ? 0 : NewChunkBytes(need);
}

const char* StringStore::Append(std::string_view text) {
  const size_t need = sizeof(uint64_t) + text.size();
  char* dest;
  if (FitsCurrent(need)) {
    dest = current_ + current_used_;
    current_used_ += need;
  } else {
    const size_t bytes = NewChunkBytes(need);
    char* chunk = static_cast<char*>(::operator new(bytes));
    const ChunkHeader header{bytes, chunks_};
    std::memcpy(chunk, &header, sizeof(header));
    chunks_ = chunk;
    reserved_bytes_ += bytes;
    dest = chunk + kChunkHeader;
    if (need <= kDedicatedThreshold) {
      // A regular chunk becomes the current one; the old one's tail is lost.
      current_ = chunk;
      current_end_ = bytes;
      current_used_ = kChunkHeader + need;
      next_chunk_bytes_ = std::min(next_chunk_bytes_ * 2, kMaxChunkBytes);
    }
  }
  const uint64_t length = text.size();
  std::memcpy(dest, &length, sizeof(length));
  std::memcpy(dest + sizeof(length), text.data(), text.size());
  return dest;
}

}  // namespace ctxmem::intern::internal
