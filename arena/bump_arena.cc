#include "arena/bump_arena.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ctxmem::arena {

// Chunk header at the low end; allocations grow down from the high end.
struct BumpArena::Chunk {
  Chunk* next;
  size_t size;  // bytes taken from upstream, header included
  char* usable() { return reinterpret_cast<char*>(this) + sizeof(Chunk); }
  char* end() { return reinterpret_cast<char*>(this) + size; }
  size_t capacity() const { return size - sizeof(Chunk); }
};

namespace {

constexpr size_t kChunkAlignment = alignof(std::max_align_t);

bool IsPowerOfTwo(size_t n) { return n != 0 && (n & (n - 1)) == 0; }

size_t RoundUp(size_t n, size_t to) { return (n + to - 1) & ~(to - 1); }

[[noreturn, maybe_unused]] void DieMisuse(const char* what) {
  std::fprintf(stderr, "ctxmem::arena::BumpArena: %s\n", what);
  std::abort();
}

}  // namespace

BumpArena::BumpArena(const BumpArenaOptions& options)
    : options_(options),
      upstream_(options.upstream != nullptr ? options.upstream : std::pmr::new_delete_resource()) {
  options_.initial_chunk_bytes =
      std::max(options_.initial_chunk_bytes, sizeof(Chunk) + kChunkAlignment);
  options_.max_chunk_bytes = std::max(options_.max_chunk_bytes, options_.initial_chunk_bytes);
  next_chunk_bytes_ = options_.initial_chunk_bytes;
}

BumpArena::~BumpArena() { Release(); }

void* BumpArena::AllocateSlow(size_t bytes, size_t alignment) {
  if (!IsPowerOfTwo(alignment)) return nullptr;
  // Distinct, valid pointers even for empty requests, which the fast path
  // sends here.
  if (bytes == 0) return Allocate(1, alignment);
  if (bytes > SIZE_MAX / 2 || alignment > SIZE_MAX / 4) return nullptr;
  // Room for the worst-case padding, and for the chunk end's own alignment.
  const size_t needed = bytes + std::max(alignment, kChunkAlignment);
  Chunk* chunk = AcquireChunk(needed);
  if (chunk == nullptr) return nullptr;
  // Bump on in whichever chunk has more room left after this allocation: a
  // chunk sized for one large allocation must not strand the current one.
  if (current_ == nullptr || chunk->capacity() - needed >= static_cast<size_t>(cur_ - limit_)) {
    MakeCurrent(chunk);
    return Allocate(bytes, alignment);
  }
  chunk->next = used_;
  used_ = chunk;
  char* p = reinterpret_cast<char*>(
      (reinterpret_cast<uintptr_t>(chunk->end()) - bytes) & ~(alignment - 1));
  retired_used_ += static_cast<size_t>(chunk->end() - p);
  CTXMEM_ARENA_UNPOISON(p, bytes);
  return p;
}

BumpArena::Chunk* BumpArena::AcquireChunk(size_t needed) {
  // Best fit among the spare chunks (sorted largest first, and few): the
  // smallest that holds the request, so that ordinary growth does not take
  // the big chunk that a large allocation of the same request will need.
  Chunk** fit = nullptr;
  for (Chunk** link = &spare_; *link != nullptr && (*link)->capacity() >= needed;
       link = &(*link)->next) {
    fit = link;
  }
  if (fit != nullptr) {
    Chunk* chunk = *fit;
    *fit = chunk->next;
    spare_bytes_ -= chunk->size;
    return chunk;
  }
  size_t size = next_chunk_bytes_;
  const bool dedicated = needed + sizeof(Chunk) > size;
  if (dedicated) size = RoundUp(needed + sizeof(Chunk), 4096);
  if (options_.byte_limit != 0 && reserved_bytes_ + size > options_.byte_limit) {
    // Within the limit a smaller chunk may still hold this allocation.
    const size_t room = options_.byte_limit - std::min(options_.byte_limit, reserved_bytes_);
    size = room & ~(kChunkAlignment - 1);
    if (needed + sizeof(Chunk) > size) return nullptr;
  }
  void* memory = upstream_->allocate(size, kChunkAlignment);
  ++upstream_allocations_;
  reserved_bytes_ += size;
  if (!dedicated && next_chunk_bytes_ < options_.max_chunk_bytes) {
    next_chunk_bytes_ = std::min(next_chunk_bytes_ * 2, options_.max_chunk_bytes);
  }
  auto* chunk = static_cast<Chunk*>(memory);
  chunk->next = nullptr;
  chunk->size = size;
  CTXMEM_ARENA_POISON(chunk->usable(), chunk->capacity());
  return chunk;
}

void BumpArena::MakeCurrent(Chunk* chunk) {
  if (current_ != nullptr) retired_used_ += static_cast<size_t>(end_ - cur_);
  chunk->next = used_;
  used_ = chunk;
  current_ = chunk;
  limit_ = chunk->usable();
  end_ = chunk->end();
  cur_ = end_;
}

absl::StatusOr<void*> BumpArena::TryAllocate(size_t bytes, size_t alignment) {
  if (!IsPowerOfTwo(alignment)) {
    return absl::InvalidArgumentError(
        absl::StrCat("arena allocation alignment ", alignment, " is not a power of two"));
  }
  if (void* p = Allocate(bytes, alignment); p != nullptr) return p;
  if (bytes > SIZE_MAX / 2 || alignment > SIZE_MAX / 4) {
    return absl::ResourceExhaustedError(
        absl::StrCat("arena allocation of ", bytes, " bytes is too large"));
  }
  return absl::ResourceExhaustedError(absl::StrCat(
      "arena byte limit of ", options_.byte_limit, " bytes reached: allocating ", bytes,
      " bytes needs a new chunk while ", reserved_bytes_, " bytes are already reserved"));
}

std::string_view BumpArena::CopyString(std::string_view text) {
  auto* copy = static_cast<char*>(Allocate(text.size() + 1, 1));
  if (copy == nullptr) return {};
  if (!text.empty()) std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  return std::string_view(copy, text.size());
}

ArenaCheckpoint BumpArena::Mark() {
  ArenaCheckpoint checkpoint;
  checkpoint.arena = this;
  checkpoint.used_head = used_;
  checkpoint.current = current_;
  checkpoint.cur = cur_;
  checkpoint.limit = limit_;
  checkpoint.end = end_;
  checkpoint.retired_used = retired_used_;
  checkpoint.destructors = destructors_;
  checkpoint.depth = ++depth_;
  return checkpoint;
}

void BumpArena::Rewind(const ArenaCheckpoint& checkpoint) {
#ifndef NDEBUG
  if (checkpoint.arena != this) DieMisuse("Rewind() with a checkpoint of another arena");
  if (checkpoint.depth > depth_) {
    DieMisuse("Rewind() of a checkpoint that was already rewound (or voided by Reset())");
  }
  if (checkpoint.depth < depth_) {
    DieMisuse("Rewind() out of order: an inner checkpoint is still open");
  }
#endif
  if (checkpoint.arena != this || checkpoint.depth > depth_) return;
  RunDestructorsUntil(static_cast<DestructorNode*>(checkpoint.destructors));
  depth_ = checkpoint.depth - 1;
  if (used_ == checkpoint.used_head) {
    // The scope stayed in the chunk it started in: move the pointer back.
    cur_ = checkpoint.cur;
    retired_used_ = checkpoint.retired_used;
    CTXMEM_ARENA_POISON(limit_, static_cast<size_t>(cur_ - limit_));
    return;
  }
  if (checkpoint.retired_used == 0 && checkpoint.cur == checkpoint.end &&
      checkpoint.destructors == nullptr) {
    // The scope began on an empty arena, so closing it ends a request.
    EndRequest();
    return;
  }
  while (used_ != checkpoint.used_head) {
    Chunk* chunk = used_;
    used_ = chunk->next;
    AddSpare(chunk);
  }
  current_ = static_cast<Chunk*>(checkpoint.current);
  cur_ = checkpoint.cur;
  limit_ = checkpoint.limit;
  end_ = checkpoint.end;
  retired_used_ = checkpoint.retired_used;
  CTXMEM_ARENA_POISON(limit_, static_cast<size_t>(cur_ - limit_));
  TrimSpare();
}

void BumpArena::EmptyIntoSpare() {
  while (used_ != nullptr) {
    Chunk* chunk = used_;
    used_ = chunk->next;
    AddSpare(chunk);
  }
  current_ = nullptr;
  cur_ = limit_ = end_ = nullptr;
  retired_used_ = 0;
}

void BumpArena::Reset() {
  RunDestructorsUntil(nullptr);
  depth_ = 0;
  EndRequest();
}

void BumpArena::EndRequest() {
  if (used_ == current_ && (used_ == nullptr || used_->next == nullptr) && spare_ == nullptr &&
      (current_ == nullptr || current_->size <= options_.max_retained_bytes)) {
    // A warm request loop: everything fitted in the one chunk the retention
    // rule keeps anyway. Bump in it again.
    cur_ = end_;
    retired_used_ = 0;
    CTXMEM_ARENA_POISON(limit_, static_cast<size_t>(cur_ - limit_));
    return;
  }
  EmptyIntoSpare();
  RecycleEmpty();
}

void BumpArena::RecycleEmpty() {
  // Below the cap, keep only the largest chunk: a request that outgrows it
  // takes a bigger one, and the next Reset() gives the smaller back. Keeping
  // every small chunk instead would make each request cross chunk boundaries
  // forever.
  if (spare_ != nullptr && spare_->size < options_.max_chunk_bytes) {
    Chunk** link = &spare_->next;
    while (*link != nullptr) {
      Chunk* chunk = *link;
      if (chunk->size < spare_->size) {
        *link = chunk->next;
        spare_bytes_ -= chunk->size;
        FreeChunk(chunk);
      } else {
        link = &chunk->next;
      }
    }
  }
  TrimSpare();
  // Bump in the largest kept chunk straight away.
  if (spare_ != nullptr) {
    Chunk* chunk = spare_;
    spare_ = chunk->next;
    spare_bytes_ -= chunk->size;
    MakeCurrent(chunk);
  }
}

void BumpArena::Release() {
  Reset();
  while (used_ != nullptr) {
    Chunk* chunk = used_;
    used_ = chunk->next;
    FreeChunk(chunk);
  }
  while (spare_ != nullptr) {
    Chunk* chunk = spare_;
    spare_ = chunk->next;
    FreeChunk(chunk);
  }
  spare_bytes_ = 0;
  current_ = nullptr;
  cur_ = limit_ = end_ = nullptr;
  retired_used_ = 0;
}

void BumpArena::AddSpare(Chunk* chunk) {
  CTXMEM_ARENA_POISON(chunk->usable(), chunk->capacity());
  Chunk** link = &spare_;
  while (*link != nullptr && (*link)->size > chunk->size) link = &(*link)->next;
  chunk->next = *link;
  *link = chunk;
  spare_bytes_ += chunk->size;
}

void BumpArena::TrimSpare() {
  // Keep the largest spare chunks that fit the retention budget; give the
  // rest back. Chunks in use do not count: an inner scope that rewinds in a
  // loop inside a big request must not give back what its next turn needs.
  size_t kept = 0;
  Chunk** link = &spare_;
  while (*link != nullptr) {
    Chunk* chunk = *link;
    if (kept + chunk->size <= options_.max_retained_bytes) {
      kept += chunk->size;
      link = &chunk->next;
    } else {
      *link = chunk->next;
      spare_bytes_ -= chunk->size;
      FreeChunk(chunk);
    }
  }
}

void BumpArena::FreeChunk(Chunk* chunk) {
  const size_t size = chunk->size;
  CTXMEM_ARENA_UNPOISON(chunk, size);
  reserved_bytes_ -= size;
  upstream_->deallocate(chunk, size, kChunkAlignment);
}

void BumpArena::RunDestructorsUntil(DestructorNode* stop) {
  while (destructors_ != stop && destructors_ != nullptr) {
    DestructorNode* node = destructors_;
    destructors_ = node->next;
    node->destroy(node->object, node->count);
  }
}

void* BumpArena::Resource::do_allocate(size_t bytes, size_t alignment) {
  void* p = arena_->Allocate(bytes, alignment);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace ctxmem::arena
