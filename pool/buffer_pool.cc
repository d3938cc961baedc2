#include "pool/buffer_pool.h"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "base/spin_lock.h"
#include "pool/buffer.h"
#include "pool/thread_slots.h"

namespace ctxmem::pool {
namespace {

// Idle-list entries reserved up front, so that the lock is normally never held
// across an allocation; a class may still grow its list beyond this.
constexpr size_t kMaxPreallocatedEntries = 4096;

constexpr uint8_t kNoClass = 0xff;

// The class a given-back buffer of capacity `c` is filed in, or kNoClass.
uint8_t ClassForCapacity(size_t c) {
  if (c > kMaxPooledBufferSize) return kNoClass;
  for (size_t k = kNumBufferClasses; k-- > 0;) {
    if (c >= kBufferClassSizes[k]) return static_cast<uint8_t>(k);
  }
  return kNoClass;
}

}  // namespace

uint64_t BufferPoolStats::acquires() const {
  uint64_t n = oversized_acquires;
  for (const BufferClassStats& c : classes) n += c.acquires;
  return n;
}

uint64_t BufferPoolStats::hits() const {
  uint64_t n = 0;
  for (const BufferClassStats& c : classes) n += c.hits;
  return n;
}

double BufferPoolStats::hit_rate() const {
  const uint64_t n = acquires();
  return n == 0 ? 0.0 : static_cast<double>(hits()) / static_cast<double>(n);
}

Buffer PooledBuffer::Detach() {
  if (pool_ == nullptr) return Buffer();
  std::exchange(pool_, nullptr)->NoteDetached();
  return std::move(buffer_);
}

BufferPool::BufferPool(BufferPoolOptions options)
    : max_idle_bytes_(options.max_idle_bytes), slots_(new Slot[internal::kMaxThreadSlots]) {
  constexpr std::array<size_t, kNumBufferClasses> kDefaultShareQuarters = {1, 1, 2};
  {
    base::SpinLockHolder hold(lock_);
    for (size_t k = 0; k < kNumBufferClasses; ++k) {
      SizeClass& c = classes_[k];
      const size_t derived = max_idle_bytes_ / 4 * kDefaultShareQuarters[k];
      c.max_idle_bytes = options.max_idle_bytes_per_class[k].value_or(derived);
      // Every kept buffer has at least the class size, which bounds the count.
      c.idle.reserve(std::min(kMaxPreallocatedEntries,
                              std::min(c.max_idle_bytes, max_idle_bytes_) / kBufferClassSizes[k]));
    }
  }
  registration_.flush = &BufferPool::FlushSlot;
  registration_.pool = this;
  internal::RegisterPool(&registration_);
}

BufferPool::~BufferPool() {
  // From here on no exiting thread can flush into this pool, and no thread
  // uses it any more: every slot can be emptied.
  internal::UnregisterPool(&registration_);
  [[maybe_unused]] uint64_t idle = 0;
  for (uint32_t i = 0; i < internal::kMaxThreadSlots; ++i) {
    Slot& slot = slots_[i];
    for (size_t k = 0; k < kNumBufferClasses; ++k) {
      char* data = slot.data[k].load(std::memory_order_relaxed);
      if (IsStorage(data)) {
        ++idle;
        // Frees (and unpoisons) the storage as it goes.
        Buffer(Buffer::AdoptTag{}, data, slot.reserved[k].load(std::memory_order_relaxed));
      }
    }
  }
  // The shared lists' buffers free themselves as the lists go.
  base::SpinLockHolder hold(lock_);
  [[maybe_unused]] uint64_t made = oversized_acquires_;
  [[maybe_unused]] uint64_t ended = oversized_released_ + failed_allocations_ + detached_;
  for (const SizeClass& c : classes_) {
    made += c.misses;
    ended += c.dropped;
    idle += c.idle.size();
  }
  assert(made == ended + idle && "BufferPool destroyed while buffers are still out");
}

void BufferPool::Unreserve(Slot& slot, uint8_t k) {
  const size_t r = slot.reserved[k].load(std::memory_order_relaxed);
  classes_[k].reserved_bytes -= r;
  reserved_bytes_ -= r;
  slot.reserved[k].store(0, std::memory_order_relaxed);
  slot.data[k].store(nullptr, std::memory_order_relaxed);
}

PooledBuffer BufferPool::AcquireSlow(size_t size_hint, uint8_t k, uint32_t index) {
  // Before taking the pool lock: the registry lock comes first.
  if (index == internal::kThreadSlotUnassigned) index = internal::AssignThreadSlot();
  {
    base::SpinLockHolder hold(lock_);
    if (k == PooledBuffer::kOversized) {
      ++oversized_acquires_;
    } else {
      SizeClass& c = classes_[k];
      if (index < internal::kMaxThreadSlots) {
        Slot& slot = slots_[index];
        char* data = slot.data[k].load(std::memory_order_relaxed);
        if (data == ReservedEmpty()) {
          // This thread takes more buffers of this class than it gives back:
          // let the shared list use the reserved bytes.
          Unreserve(slot, k);
        } else if (IsStorage(data)) {
          // Not reached in practice (the fast path takes it, and the exit
          // hook empties an index's entries before it is reused); complete
          // for safety.
          slot.data[k].store(ReservedEmpty(), std::memory_order_relaxed);
          ++c.hits;
          return PooledBuffer(
              this, Buffer(Buffer::AdoptTag{}, data, slot.reserved[k].load(std::memory_order_relaxed)),
              k);
        }
      }
      if (!c.idle.empty()) {
        Buffer buffer = std::move(c.idle.back());
        c.idle.pop_back();
        c.idle_bytes -= buffer.capacity();
        idle_bytes_ -= buffer.capacity();
        ++c.hits;
        return PooledBuffer(this, std::move(buffer), k);
      }
      ++c.misses;
    }
  }
  const size_t capacity = k == PooledBuffer::kOversized ? size_hint : kBufferClassSizes[k];
  try {
    return PooledBuffer(this, Buffer(capacity), k);
  } catch (...) {
    base::SpinLockHolder hold(lock_);
    ++failed_allocations_;
    throw;
  }
}

void BufferPool::ReleaseSlow(Buffer& handle_buffer, uint8_t origin, uint32_t index) noexcept {
  if (index == internal::kThreadSlotUnassigned) index = internal::AssignThreadSlot();
  Buffer buffer = std::move(handle_buffer);  // freed at the end unless kept
  const size_t capacity = buffer.capacity();
  const uint8_t target = origin == PooledBuffer::kOversized ? kNoClass : ClassForCapacity(capacity);
  base::SpinLockHolder hold(lock_);
  if (origin == PooledBuffer::kOversized) {
    ++oversized_released_;
    return;  // freed as `buffer` goes, after the lock
  }
  SizeClass& from = classes_[origin];
  Slot* slot = index < internal::kMaxThreadSlots ? &slots_[index] : nullptr;
  if (slot != nullptr && origin != target &&
      slot->data[origin].load(std::memory_order_relaxed) == ReservedEmpty()) {
    // The buffer this thread took from its cache has changed class: the
    // reservation no longer matches anything it will give back soon.
    Unreserve(*slot, origin);
  }
  if (target != kNoClass) {
    SizeClass& to = classes_[target];
    if (slot != nullptr && slot->data[target].load(std::memory_order_relaxed) == ReservedEmpty()) {
      // A reservation of another size (the buffer grew within its class, or
      // came from elsewhere): trade it for one of this buffer's capacity.
      Unreserve(*slot, target);
    }
    const bool fits = to.idle_bytes + to.reserved_bytes + capacity <= to.max_idle_bytes &&
                      idle_bytes_ + reserved_bytes_ + capacity <= max_idle_bytes_;
    bool kept = false;
    // Reservations may take at most half of a class's budget and of the
    // total, so the shared list, which every thread can hit, keeps room.
    const bool cacheable = to.reserved_bytes + capacity <= to.max_idle_bytes / 2 &&
                           reserved_bytes_ + capacity <= max_idle_bytes_ / 2;
    if (fits && cacheable && slot != nullptr &&
        slot->data[target].load(std::memory_order_relaxed) == nullptr) {
      // Into this thread's cache, reserving exactly its capacity.
      to.reserved_bytes += capacity;
      reserved_bytes_ += capacity;
      if (index >= slots_in_use_) slots_in_use_ = index + 1;
      slot->reserved[target].store(static_cast<uint32_t>(capacity), std::memory_order_relaxed);
      slot->data[target].store(buffer.TakeStorage(), std::memory_order_relaxed);
      kept = true;
    } else if (fits) {
      try {
        to.idle.push_back(std::move(buffer));
        kept = true;
      } catch (...) {
      }
      if (kept) {
        to.idle_bytes += capacity;
        idle_bytes_ += capacity;
      }
    }
    if (kept) {
      if (target != origin) ++from.rebinned;
      return;
    }
  }
  ++from.dropped;
  // `buffer` is destroyed after `hold`, so a dropped buffer is freed outside
  // the lock.
}

void BufferPool::FlushSlot(void* self, uint32_t index) {
  auto* pool = static_cast<BufferPool*>(self);
  std::array<Buffer, kNumBufferClasses> dropped;
  {
    base::SpinLockHolder hold(pool->lock_);
    Slot& slot = pool->slots_[index];
    for (uint8_t k = 0; k < kNumBufferClasses; ++k) {
      char* data = slot.data[k].load(std::memory_order_relaxed);
      if (data == nullptr) continue;
      const size_t capacity = slot.reserved[k].load(std::memory_order_relaxed);
      pool->Unreserve(slot, k);
      if (!IsStorage(data)) continue;
      // The buffer takes over its reservation's bytes: the budgets still hold.
      Buffer buffer(Buffer::AdoptTag{}, data, capacity);
      SizeClass& c = pool->classes_[k];
      try {
        c.idle.push_back(std::move(buffer));
      } catch (...) {
        ++c.dropped;
        dropped[k] = std::move(buffer);
        continue;
      }
      c.idle_bytes += capacity;
      pool->idle_bytes_ += capacity;
    }
  }
  // Dropped buffers are freed here, outside the lock.
}

void BufferPool::NoteDetached() {
  base::SpinLockHolder hold(lock_);
  ++detached_;
}

BufferPoolStats BufferPool::stats() const {
  BufferPoolStats s;
  base::SpinLockHolder hold(lock_);
  for (size_t k = 0; k < kNumBufferClasses; ++k) {
    const SizeClass& c = classes_[k];
    BufferClassStats& out = s.classes[k];
    out.class_size = kBufferClassSizes[k];
    out.max_idle_bytes = c.max_idle_bytes;
    out.hits = c.hits;
    out.misses = c.misses;
    out.rebinned = c.rebinned;
    out.dropped = c.dropped;
    out.idle_buffers = c.idle.size();
    out.idle_bytes = c.idle_bytes;
  }
  // Only reserved entries can hold a buffer (or have counted a hit), each
  // within its reservation, and reservations stand still under the lock: the
  // sums stay within budget however the owners move buffers in and out
  // meanwhile. Slots never reserved are skipped.
  for (uint32_t i = 0; i < slots_in_use_; ++i) {
    const Slot& slot = slots_[i];
    for (size_t k = 0; k < kNumBufferClasses; ++k) {
      BufferClassStats& out = s.classes[k];
      out.hits += slot.hits[k].load(std::memory_order_relaxed);
      if (IsStorage(slot.data[k].load(std::memory_order_relaxed))) {
        ++out.cached_buffers;
        out.idle_bytes += slot.reserved[k].load(std::memory_order_relaxed);
      }
    }
  }
  s.idle_bytes = 0;
  for (BufferClassStats& out : s.classes) {
    out.acquires = out.hits + out.misses;
    out.idle_buffers += out.cached_buffers;
    s.idle_bytes += out.idle_bytes;
  }
  s.oversized_acquires = oversized_acquires_;
  s.detached = detached_;
  s.max_idle_bytes = max_idle_bytes_;
  return s;
}

size_t BufferPool::idle_bytes() const {
  base::SpinLockHolder hold(lock_);
  size_t n = idle_bytes_;
  for (uint32_t i = 0; i < slots_in_use_; ++i) {
    const Slot& slot = slots_[i];
    for (size_t k = 0; k < kNumBufferClasses; ++k) {
      if (IsStorage(slot.data[k].load(std::memory_order_relaxed))) {
        n += slot.reserved[k].load(std::memory_order_relaxed);
      }
    }
  }
  return n;
}

}  // namespace ctxmem::pool
