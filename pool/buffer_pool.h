// A thread-safe pool of byte buffers in three size classes, with byte budgets.
//
//   BufferPool pool;
//   PooledBuffer buf = pool.Acquire(10'000);   // from the 64 KiB class
//   buf->append(bytes);
//   ...                                        // given back, emptied, on destruction
//
// Size classes: 4 KiB, 64 KiB and 1 MiB. `Acquire(size_hint)` serves a hint
// from the smallest class that holds it (0..4 KiB -> 4 KiB, ..64 KiB -> 64 KiB,
// ..1 MiB -> 1 MiB): an idle buffer of that class if there is one (a hit),
// else a fresh buffer of exactly the class size (a miss). A hint above 1 MiB
// is served by a fresh buffer of exactly that capacity, counted as an
// oversized acquire (and as a miss in the overall hit rate), and is freed,
// never retained, when given back.
//
// The buffer always comes out empty (size 0) with capacity >= the hint, and
// Buffer's API never exposes bytes past its size, so nothing of a previous
// user can be read.
//
// What happens to a buffer given back, by its capacity C then (the user may
// have grown it):
//   C > 1 MiB                 dropped (freed): no class holds it.
//   C < 4 KiB                 dropped. Only possible if the user moved the
//                             storage out or swapped in a small Buffer.
//   4 KiB <= C <= 1 MiB       filed in the largest class whose size <= C
//                             (a 4 KiB buffer grown to 64 KiB becomes a 64 KiB
//                             buffer, one grown to 16 KiB stays a 4 KiB one);
//                             counted as re-binned when that is not the class it
//                             came from. It is kept only if that class's idle
//                             bytes + C stay within the class budget AND the
//                             pool's idle bytes + C stay within the total
//                             budget; otherwise it is dropped.
// Idle bytes are capacities, so the budgets bound the memory really held, and
// they hold at every instant, not just on average.
//
// Budgets: `max_idle_bytes` (default 2 MiB) for the whole pool; per class,
// unless set explicitly, 1/4 of it for 4 KiB (512 KiB: 128 buffers), 1/4 for
// 64 KiB (512 KiB: 8 buffers) and 1/2 for 1 MiB (1 MiB: 1 buffer). Small
// buffers are the most frequent but cheap to malloc; the split keeps at least
// one buffer of the largest class, whose malloc costs page faults.
//
// Idle buffers keep their pages (nothing is madvise'd away), so a steady
// state served from the pool takes no page faults. Under ASan, idle storage
// (indeed all storage past a buffer's size) is poisoned.
//
// The pool must outlive its PooledBuffers (asserted in debug builds). One
// spinlock guards the idle lists and the counters; it is held for a few moves,
// never across an allocation, a free or user code.

#ifndef CTXMEM_POOL_BUFFER_POOL_H_
#define CTXMEM_POOL_BUFFER_POOL_H_

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "pool/buffer.h"
#include "base/spin_lock.h"

namespace ctxmem::pool {

inline constexpr size_t kNumBufferClasses = 3;
inline constexpr std::array<size_t, kNumBufferClasses> kBufferClassSizes = {
    size_t{4} << 10, size_t{64} << 10, size_t{1} << 20};
// The largest pooled capacity; bigger requests and buffers are never kept.
inline constexpr size_t kMaxPooledBufferSize = kBufferClassSizes[kNumBufferClasses - 1];

struct BufferPoolOptions {
  // Most idle bytes (capacities) the whole pool keeps.
  size_t max_idle_bytes = size_t{2} << 20;
  // Most idle bytes per class, indexed like kBufferClassSizes. Unset entries
  // are derived from max_idle_bytes: 1/4, 1/4 and 1/2.
  std::array<std::optional<size_t>, kNumBufferClasses> max_idle_bytes_per_class;
};

struct BufferClassStats {
  size_t class_size = 0;
  size_t max_idle_bytes = 0;  // this class's budget
  uint64_t acquires = 0;      // Acquire calls served by this class
  uint64_t hits = 0;          // ... with an idle buffer
  uint64_t misses = 0;        // ... with a fresh allocation
  // Buffers acquired from this class that came back and were kept in another
  // class because their capacity had grown into it.
  uint64_t rebinned = 0;
  // Buffers acquired from this class that came back and were freed: grown
  // past 1 MiB, shrunk below 4 KiB, or over a budget.
  uint64_t dropped = 0;
  size_t idle_buffers = 0;  // kept in this class now
  size_t idle_bytes = 0;    // their total capacity
};

// A consistent snapshot (taken under the pool's lock).
struct BufferPoolStats {
  std::array<BufferClassStats, kNumBufferClasses> classes;
  uint64_t oversized_acquires = 0;  // hints above 1 MiB: fresh, never kept
  uint64_t detached = 0;            // buffers taken out with Detach()
  size_t max_idle_bytes = 0;
  size_t idle_bytes = 0;  // all classes

  // Acquire calls, oversized ones included.
  uint64_t acquires() const;
  uint64_t hits() const;
  // hits / acquires (oversized acquires count as misses); 0 before the first.
  double hit_rate() const;
};

class BufferPool;

// One buffer on loan from a BufferPool. Move-only; may be empty (default
// constructed, moved from, released or detached). Gives the buffer back
// exactly once, on destruction, Release() or move-assignment over it.
class PooledBuffer {
 public:
  PooledBuffer() = default;
  PooledBuffer(PooledBuffer&& other) noexcept
      : pool_(std::exchange(other.pool_, nullptr)),
        buffer_(std::move(other.buffer_)),
        origin_(other.origin_) {}
  PooledBuffer& operator=(PooledBuffer&& other) noexcept {
    if (this != &other) {
      Release();
      pool_ = std::exchange(other.pool_, nullptr);
      buffer_ = std::move(other.buffer_);
      origin_ = other.origin_;
    }
    return *this;
  }
  PooledBuffer(const PooledBuffer&) = delete;
  PooledBuffer& operator=(const PooledBuffer&) = delete;
  ~PooledBuffer() { Release(); }

  Buffer& operator*() {
    assert(pool_ != nullptr);
    return buffer_;
  }
  const Buffer& operator*() const {
    assert(pool_ != nullptr);
    return buffer_;
  }
  Buffer* operator->() { return &**this; }
  const Buffer* operator->() const { return &**this; }
  Buffer* get() { return pool_ != nullptr ? &buffer_ : nullptr; }
  explicit operator bool() const { return pool_ != nullptr; }

  // The class index (into kBufferClassSizes) this buffer was acquired from,
  // or kOversized.
  static constexpr uint8_t kOversized = kNumBufferClasses;
  uint8_t origin_class() const { return origin_; }

  // Gives the buffer back now; the handle becomes empty. No-op when empty.
  void Release() noexcept;

  // Takes the buffer out of the pool for good. Empty Buffer when empty.
  Buffer Detach();

 private:
  friend class BufferPool;
  PooledBuffer(BufferPool* pool, Buffer buffer, uint8_t origin)
      : pool_(pool), buffer_(std::move(buffer)), origin_(origin) {}

  BufferPool* pool_ = nullptr;
  Buffer buffer_;
  uint8_t origin_ = 0;
};

class BufferPool {
 public:
  explicit BufferPool(BufferPoolOptions options = {});
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;
  ~BufferPool();

  // An empty buffer with capacity() >= size_hint; see the file comment for
  // where it comes from. Throws std::bad_alloc if a fresh one cannot be made.
  PooledBuffer Acquire(size_t size_hint);

  BufferPoolStats stats() const;
  // Total capacity of the buffers kept idle, never above max_idle_bytes.
  size_t idle_bytes() const;

  // The class index serving `size_hint`, or PooledBuffer::kOversized.
  static uint8_t ClassForHint(size_t size_hint);

 private:
  friend class PooledBuffer;

  struct SizeClass {
    size_t max_idle_bytes = 0;
    std::vector<Buffer> idle;  // LIFO: the most recently used is the warmest
    size_t idle_bytes = 0;
    uint64_t acquires = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t rebinned = 0;
    uint64_t dropped = 0;
  };

  void Release(Buffer buffer, uint8_t origin) noexcept;
  void NoteDetached();

  const size_t max_idle_bytes_;
  mutable base::SpinLock lock_;
  std::array<SizeClass, kNumBufferClasses> classes_ ABSL_GUARDED_BY(lock_);
  size_t idle_bytes_ ABSL_GUARDED_BY(lock_) = 0;
  uint64_t oversized_acquires_ ABSL_GUARDED_BY(lock_) = 0;
  uint64_t detached_ ABSL_GUARDED_BY(lock_) = 0;
  uint64_t outstanding_ ABSL_GUARDED_BY(lock_) = 0;  // handles not yet given back
};

}  // namespace ctxmem::pool

#endif  // CTXMEM_POOL_BUFFER_POOL_H_
