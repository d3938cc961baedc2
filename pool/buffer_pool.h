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
// Speed: each thread has a cache of one buffer per size class in front of the
// shared, spinlock-protected idle lists, built like ObjectPool's (see
// object_pool.h and thread_slots.h): one 64-byte slot per thread index in a
// table inside the pool (8 KiB per pool). An acquire that finds the calling
// thread's cached buffer of its class, and a release of a buffer whose
// capacity is unchanged into its class's empty cache entry, touch only that
// thread's cache line: no lock, no atomic read-modify-write. Everything else
// (misses, oversized buffers, re-binning, drops, a second buffer of a class)
// takes the lock. One entry per class rather than one per thread: the mixed
// trace alternates classes, and a single entry would be evicted by every
// class change; three entries still fit one cache line.
//
// How the caches honour the budgets: a thread's entry for class k may only
// hold a buffer while it holds a reservation of exactly that buffer's
// capacity, taken under the lock, and for every class
// `shared idle bytes + reservations <= class budget`, and likewise in total.
// So idle bytes (shared + cached) stay within every budget at every instant.
// The price: a reservation whose entry is momentarily empty (the thread's last
// operation on that class was an acquire) still blocks its bytes; the thread
// gives it back when it next acquires of that class through the slow path,
// releases a buffer of another capacity into it, or exits. Reservations may
// take at most half of a class's budget and half of the total, so that one
// thread's cache cannot hold a small budget (the default single 1 MiB
// buffer, say) while other threads' buffers are dropped: with the defaults,
// up to 64 threads cache a 4 KiB buffer, 4 threads a 64 KiB one, and 1 MiB
// buffers always go through the shared list.
//
// The pool owns cached buffers: its destructor frees those cached by threads
// still running, and a thread's cached buffers go to the shared lists when
// it exits. The pool must outlive its PooledBuffers (asserted in debug
// builds). The spinlock is held for a few moves, never across an allocation,
// a free or user code.

#ifndef CTXMEM_POOL_BUFFER_POOL_H_
#define CTXMEM_POOL_BUFFER_POOL_H_

#include <array>
#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/thread_annotations.h"
#include "base/spin_lock.h"
#include "pool/buffer.h"
#include "pool/thread_slots.h"

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
  uint64_t acquires = 0;      // Acquire calls served by this class (hits + misses)
  uint64_t hits = 0;          // ... with an idle buffer (shared or thread-cached)
  uint64_t misses = 0;        // ... with a fresh allocation
  // Buffers acquired from this class that came back and were kept in another
  // class because their capacity had grown into it.
  uint64_t rebinned = 0;
  // Buffers acquired from this class that came back and were freed: grown
  // past 1 MiB, shrunk below 4 KiB, or over a budget.
  uint64_t dropped = 0;
  size_t idle_buffers = 0;    // kept in this class now, thread caches included
  size_t idle_bytes = 0;      // their total capacity
  size_t cached_buffers = 0;  // ... of which in thread caches
};

// Taken under the pool's lock, so the shared lists and the thread caches'
// reservations are a consistent snapshot, and `idle_bytes` fields never
// exceed their budgets. Thread-cache hits and the cached buffers themselves
// move without the lock: read while threads use the pool, those parts are
// individually current but not mutually consistent. Every field is exact
// once the pool is quiescent, and `acquires == hits + misses` always.
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
  inline void Release() noexcept;

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
  PooledBuffer Acquire(size_t size_hint) {
    const uint8_t k = ClassForHint(size_hint);
    const uint32_t index = internal::tls_thread_slot;
    if (k < kNumBufferClasses && index < internal::kMaxThreadSlots) [[likely]] {
      Slot& slot = slots_[index];
      char* data = slot.data[k].load(std::memory_order_relaxed);
      if (IsStorage(data)) [[likely]] {
        slot.data[k].store(ReservedEmpty(), std::memory_order_relaxed);
        // Only this thread writes its counters: no read-modify-write.
        slot.hits[k].store(slot.hits[k].load(std::memory_order_relaxed) + 1,
                           std::memory_order_relaxed);
        return PooledBuffer(
            this, Buffer(Buffer::AdoptTag{}, data, slot.reserved[k].load(std::memory_order_relaxed)),
            k);
      }
    }
    return AcquireSlow(size_hint, k, index);
  }

  BufferPoolStats stats() const;
  // Total capacity of the buffers kept idle (thread caches included), never
  // above max_idle_bytes.
  size_t idle_bytes() const;

  // The class index serving `size_hint`, or PooledBuffer::kOversized.
  static constexpr uint8_t ClassForHint(size_t size_hint) {
    return size_hint <= kBufferClassSizes[0]   ? 0
           : size_hint <= kBufferClassSizes[1] ? 1
           : size_hint <= kBufferClassSizes[2] ? 2
                                               : PooledBuffer::kOversized;
  }

 private:
  friend class PooledBuffer;
  static_assert(kNumBufferClasses == 3);
  static_assert(kMaxPooledBufferSize <= UINT32_MAX);

  struct SizeClass {
    size_t max_idle_bytes = 0;
    std::vector<Buffer> idle;  // LIFO: the most recently used is the warmest
    size_t idle_bytes = 0;     // of `idle`
    size_t reserved_bytes = 0;  // thread-cache reservations for this class
    uint64_t hits = 0;          // from `idle` (thread-cache hits are in the slots)
    uint64_t misses = 0;
    uint64_t rebinned = 0;
    uint64_t dropped = 0;
  };

  // A thread's cache: per class, `data[k]` is nullptr (no reservation),
  // ReservedEmpty() (a reservation of `reserved[k]` bytes, no buffer) or the
  // storage of an empty, fully poisoned buffer of capacity exactly
  // `reserved[k]`, whose class is k. Only the owning thread writes `data` and
  // `hits`; `reserved` is written only by the owner under the lock. The exit
  // hook (on the owner, as it exits) and the destructor write them when the
  // owner can no longer use the pool. They are atomic so that stats() and
  // idle_bytes() may read them.
  struct alignas(64) Slot {
    std::atomic<char*> data[kNumBufferClasses] = {};
    std::atomic<uint64_t> hits[kNumBufferClasses] = {};
    std::atomic<uint32_t> reserved[kNumBufferClasses] = {};
  };
  static_assert(sizeof(Slot) == 64);

  static char* ReservedEmpty() { return reinterpret_cast<char*>(uintptr_t{1}); }
  static bool IsStorage(char* p) { return reinterpret_cast<uintptr_t>(p) > uintptr_t{1}; }

  // `buffer` is the handle's; it is left without storage.
  void Release(Buffer& buffer, uint8_t origin) noexcept {
    buffer.clear();  // the next user sees an empty buffer; under ASan, all poisoned
    const uint32_t index = internal::tls_thread_slot;
    if (origin < kNumBufferClasses && index < internal::kMaxThreadSlots) [[likely]] {
      Slot& slot = slots_[index];
      // A capacity equal to the reservation also means the buffer is still of
      // its origin class: not re-binned.
      if (slot.data[origin].load(std::memory_order_relaxed) == ReservedEmpty() &&
          buffer.capacity() == slot.reserved[origin].load(std::memory_order_relaxed)) [[likely]] {
        slot.data[origin].store(buffer.TakeStorage(), std::memory_order_relaxed);
        return;
      }
    }
    ReleaseSlow(buffer, origin, index);
  }

  // Out of line so that the fast paths stay small enough to inline.
  ABSL_ATTRIBUTE_NOINLINE PooledBuffer AcquireSlow(size_t size_hint, uint8_t k, uint32_t index);
  ABSL_ATTRIBUTE_NOINLINE void ReleaseSlow(Buffer& buffer, uint8_t origin, uint32_t index) noexcept;
  void NoteDetached();
  // Drops slot `index`'s reservation for class k (its entry must not hold a
  // buffer).
  void Unreserve(Slot& slot, uint8_t k) ABSL_EXCLUSIVE_LOCKS_REQUIRED(lock_);
  // Exit hook (see thread_slots.h).
  static void FlushSlot(void* self, uint32_t index);

  const size_t max_idle_bytes_;
  const std::unique_ptr<Slot[]> slots_;
  mutable base::SpinLock lock_;
  std::array<SizeClass, kNumBufferClasses> classes_ ABSL_GUARDED_BY(lock_);
  size_t idle_bytes_ ABSL_GUARDED_BY(lock_) = 0;      // in the shared lists
  size_t reserved_bytes_ ABSL_GUARDED_BY(lock_) = 0;  // all thread-cache reservations
  // 1 + the highest slot index that ever held a reservation: stats() and
  // idle_bytes() scan only these (indices are handed out lowest first).
  uint32_t slots_in_use_ ABSL_GUARDED_BY(lock_) = 0;
  uint64_t oversized_acquires_ ABSL_GUARDED_BY(lock_) = 0;
  uint64_t detached_ ABSL_GUARDED_BY(lock_) = 0;
  // For the destructor's check that no buffer is still out: buffers that
  // ended without being dropped or detached, and misses whose allocation threw.
  uint64_t oversized_released_ ABSL_GUARDED_BY(lock_) = 0;
  uint64_t failed_allocations_ ABSL_GUARDED_BY(lock_) = 0;

  internal::PoolRegistration registration_;
};

void PooledBuffer::Release() noexcept {
  if (pool_ == nullptr) return;
  std::exchange(pool_, nullptr)->Release(buffer_, origin_);
}

}  // namespace ctxmem::pool

#endif  // CTXMEM_POOL_BUFFER_POOL_H_
