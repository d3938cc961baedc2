// BumpArena: a region allocator for request-scoped data.
//
// Allocation bumps a pointer downwards inside the current chunk (one compare
// and one mask on the fast path). Chunks come from an upstream
// `std::pmr::memory_resource` and grow geometrically up to a cap. An
// allocation that would not fit even in the next regular chunk gets a chunk of
// its own, so one 1 MB request never inflates the size of the chunks after it.
//
// Memory is given back only in bulk:
//  * `Rewind(checkpoint)` returns to a point taken with `Mark()`; checkpoints
//    nest and must be rewound in LIFO order (checked in debug builds).
//  * `Reset()` empties the arena but keeps chunks for the next request, so a
//    request loop reaches zero upstream allocations once warm. While chunks
//    are below the size cap only the largest is kept: the next request that
//    outgrows it gets a bigger one, so requests soon fit in a single chunk.
//    At the cap, the largest chunks up to `max_retained_bytes` are kept.
// Objects made with `New<T>()` whose destructors are non-trivial are destroyed,
// newest first, when the memory they live in is rewound or reset.
//
// Under AddressSanitizer free and rewound memory is poisoned, so a read of
// rewound data is reported as a use-after-poison.
//
// A BumpArena is not thread-safe: use one per thread or per request (see
// request_scope.h). It is neither copyable nor movable.
//
// Example:
//   ctxmem::arena::BumpArena arena;
//   auto* msg = arena.New<Message>(role, text);          // freed by Reset()
//   std::pmr::vector<int> ids(arena.AsMemoryResource());  // lives in the arena
//   arena.Reset();

#ifndef CTXMEM_ARENA_BUMP_ARENA_H_
#define CTXMEM_ARENA_BUMP_ARENA_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory_resource>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>

#include "absl/status/statusor.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define CTXMEM_ARENA_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define CTXMEM_ARENA_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define CTXMEM_ARENA_POISON(p, n) ((void)(p), (void)(n))
#define CTXMEM_ARENA_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace ctxmem::arena {

struct BumpArenaOptions {
  // Size of the first chunk taken from upstream, header included.
  size_t initial_chunk_bytes = 4096;
  // Regular chunks double up to this size.
  size_t max_chunk_bytes = size_t{1} << 20;
  // Bytes of idle chunks that Reset() and Rewind() keep for reuse (largest
  // chunks first); the rest go back upstream.
  size_t max_retained_bytes = size_t{1} << 20;
  // Upper bound on the bytes held from upstream; 0 means no limit.
  size_t byte_limit = 0;
  // Where chunks come from; null means std::pmr::new_delete_resource().
  std::pmr::memory_resource* upstream = nullptr;
};

class BumpArena;

// A position in a BumpArena, taken with Mark() and consumed by Rewind().
class ArenaCheckpoint {
 private:
  friend class BumpArena;
  const BumpArena* arena = nullptr;
  void* used_head = nullptr;
  void* current = nullptr;
  char* cur = nullptr;
  char* limit = nullptr;
  char* end = nullptr;
  size_t retired_used = 0;
  void* destructors = nullptr;
  uint32_t depth = 0;
};

class BumpArena {
 public:
  // Alignment when none is given: enough for any scalar type.
  static constexpr size_t kDefaultAlignment = alignof(std::max_align_t);

  BumpArena() : BumpArena(BumpArenaOptions{}) {}
  explicit BumpArena(const BumpArenaOptions& options);
  BumpArena(const BumpArena&) = delete;
  BumpArena& operator=(const BumpArena&) = delete;
  ~BumpArena();

  // Returns `bytes` of storage aligned to `alignment` (a power of two), or
  // nullptr if the byte limit does not allow it or the alignment is invalid.
  // An upstream failure propagates as std::bad_alloc.
  void* Allocate(size_t bytes, size_t alignment = kDefaultAlignment) {
    if (__builtin_expect((alignment & (alignment - 1)) != 0 || alignment == 0, 0)) return nullptr;
    if (alignment < kMinAlignment) alignment = kMinAlignment;
    // One subtraction whose borrow covers "no chunk yet" (cur_ is null) and
    // "too big", then one bound: p >= limit_ implies bytes <= cur_ - limit_.
    uintptr_t p;
    if (__builtin_expect(
            !__builtin_sub_overflow(reinterpret_cast<uintptr_t>(cur_), bytes, &p) & (bytes != 0),
            1)) {
      p &= ~(alignment - 1);
      if (__builtin_expect(p >= reinterpret_cast<uintptr_t>(limit_), 1)) {
        cur_ = reinterpret_cast<char*>(p);
        CTXMEM_ARENA_UNPOISON(cur_, bytes);
        return cur_;
      }
    }
    return AllocateSlow(bytes, alignment);
  }

  // As Allocate(), but explains a failure: InvalidArgument for an alignment
  // that is not a power of two, ResourceExhausted when the byte limit is hit.
  absl::StatusOr<void*> TryAllocate(size_t bytes, size_t alignment = kDefaultAlignment);

  // Constructs a T in the arena; nullptr if the byte limit does not allow it.
  // A non-trivial destructor runs when the object's memory is rewound or reset.
  template <typename T, typename... Args>
  T* New(Args&&... args) {
    void* storage = Allocate(sizeof(T), alignof(T));
    if (storage == nullptr) return nullptr;
    if constexpr (std::is_trivially_destructible_v<T>) {
      return ::new (storage) T(std::forward<Args>(args)...);
    } else {
      DestructorNode* node = NewDestructorNode();
      if (node == nullptr) return nullptr;
      T* object = ::new (storage) T(std::forward<Args>(args)...);
      PushDestructor(node, object, 1, [](void* p, size_t n) {
        for (size_t i = n; i > 0; --i) static_cast<T*>(p)[i - 1].~T();
      });
      return object;
    }
  }

  // Default-constructs `count` Ts; nullptr if the byte limit does not allow it.
  template <typename T>
  T* NewArray(size_t count) {
    if (count > SIZE_MAX / sizeof(T)) return nullptr;
    void* storage = Allocate(sizeof(T) * count, alignof(T));
    if (storage == nullptr) return nullptr;
    if constexpr (std::is_trivially_destructible_v<T>) {
      return ::new (storage) T[count]();
    } else {
      DestructorNode* node = NewDestructorNode();
      if (node == nullptr) return nullptr;
      T* first = static_cast<T*>(storage);
      for (size_t i = 0; i < count; ++i) ::new (first + i) T();
      PushDestructor(node, first, count, [](void* p, size_t n) {
        for (size_t i = n; i > 0; --i) static_cast<T*>(p)[i - 1].~T();
      });
      return first;
    }
  }

  // Copies `text` into the arena (NUL-terminated); empty view on failure.
  std::string_view CopyString(std::string_view text);

  // Nested rewind points. Every Mark() must be matched by one Rewind(), in
  // LIFO order; a debug build aborts on an out-of-order or repeated Rewind().
  // In a release build, rewinding an outer checkpoint also closes the inner
  // ones, whose later Rewind() does nothing.
  ArenaCheckpoint Mark();
  void Rewind(const ArenaCheckpoint& checkpoint);

  // Destroys every object and empties the arena, keeping the largest chunks
  // up to `max_retained_bytes` for reuse. Open checkpoints become void.
  void Reset();

  // Returns every chunk to upstream.
  void Release();

  // A view for std::pmr containers. Deallocation is a no-op: the memory comes
  // back with Rewind()/Reset(). Allocation throws std::bad_alloc past the limit.
  std::pmr::memory_resource* AsMemoryResource() { return &resource_; }

  // Bytes handed out (alignment padding included) since the last Reset.
  size_t used_bytes() const {
    return retired_used_ + static_cast<size_t>(end_ - cur_);
  }
  // Bytes held from upstream, spare chunks included.
  size_t reserved_bytes() const { return reserved_bytes_; }
  // Bytes held in chunks kept for reuse.
  size_t spare_bytes() const { return spare_bytes_; }
  // Number of chunks ever requested from upstream.
  uint64_t upstream_allocations() const { return upstream_allocations_; }
  // Open checkpoints.
  uint32_t depth() const { return depth_; }
  const BumpArenaOptions& options() const { return options_; }

 private:
  struct Chunk;
  struct DestructorNode {
    void (*destroy)(void*, size_t);
    void* object;
    size_t count;
    DestructorNode* next;
  };

  class Resource final : public std::pmr::memory_resource {
   public:
    explicit Resource(BumpArena* arena) : arena_(arena) {}

   private:
    void* do_allocate(size_t bytes, size_t alignment) override;
    void do_deallocate(void*, size_t, size_t) override {}
    bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
      return this == &other;
    }
    BumpArena* arena_;
  };

  // AddressSanitizer tracks 8-byte granules; keeping allocations granule
  // aligned lets poisoning follow them exactly.
#if defined(__SANITIZE_ADDRESS__)
  static constexpr size_t kMinAlignment = 8;
#else
  static constexpr size_t kMinAlignment = 1;
#endif

  void* AllocateSlow(size_t bytes, size_t alignment);
  // Finds or makes a chunk with at least `needed` usable bytes; nullptr when
  // the byte limit forbids it. Upstream failures propagate (std::bad_alloc).
  Chunk* AcquireChunk(size_t needed);
  void MakeCurrent(Chunk* chunk);
  void AddSpare(Chunk* chunk);
  void TrimSpare();
  // Empties the arena (destructors already run) and keeps chunks for the
  // next request by the Reset() rule. Shared by Reset() and the Rewind() of
  // a scope that began on an empty arena.
  void EndRequest();
  // Moves every chunk in use to the spare list: the arena holds nothing.
  void EmptyIntoSpare();
  // For an arena with nothing in use: applies the Reset() retention rule and
  // resumes bumping in the largest kept chunk.
  void RecycleEmpty();
  void FreeChunk(Chunk* chunk);
  void RunDestructorsUntil(DestructorNode* stop);
  DestructorNode* NewDestructorNode() {
    return static_cast<DestructorNode*>(Allocate(sizeof(DestructorNode), alignof(DestructorNode)));
  }
  void PushDestructor(DestructorNode* node, void* object, size_t count,
                      void (*destroy)(void*, size_t)) {
    *node = DestructorNode{destroy, object, count, destructors_};
    destructors_ = node;
  }

  BumpArenaOptions options_;
  std::pmr::memory_resource* upstream_;
  // Bump state of the current chunk: allocations move `cur_` down to `limit_`.
  char* cur_ = nullptr;
  char* limit_ = nullptr;
  char* end_ = nullptr;
  Chunk* current_ = nullptr;
  Chunk* used_ = nullptr;   // chunks in use, newest first (current and dedicated)
  Chunk* spare_ = nullptr;  // chunks kept for reuse, largest first
  DestructorNode* destructors_ = nullptr;
  size_t next_chunk_bytes_;
  size_t retired_used_ = 0;  // bytes used in chunks left behind
  size_t reserved_bytes_ = 0;
  size_t spare_bytes_ = 0;
  uint64_t upstream_allocations_ = 0;
  uint32_t depth_ = 0;
  Resource resource_{this};
};

}  // namespace ctxmem::arena

#endif  // CTXMEM_ARENA_BUMP_ARENA_H_
