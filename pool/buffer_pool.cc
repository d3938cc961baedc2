#include "pool/buffer_pool.h"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "pool/buffer.h"
#include "base/spin_lock.h"

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

void PooledBuffer::Release() noexcept {
  if (pool_ == nullptr) return;
  std::exchange(pool_, nullptr)->Release(std::move(buffer_), origin_);
}

Buffer PooledBuffer::Detach() {
  if (pool_ == nullptr) return Buffer();
  std::exchange(pool_, nullptr)->NoteDetached();
  return std::move(buffer_);
}

BufferPool::BufferPool(BufferPoolOptions options) : max_idle_bytes_(options.max_idle_bytes) {
  constexpr std::array<size_t, kNumBufferClasses> kDefaultShareQuarters = {1, 1, 2};
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

BufferPool::~BufferPool() {
  // Buffers free themselves (and unpoison first) as the lists go.
  base::SpinLockHolder hold(lock_);
  assert(outstanding_ == 0 && "BufferPool destroyed while buffers are still out");
}

uint8_t BufferPool::ClassForHint(size_t size_hint) {
  for (size_t k = 0; k < kNumBufferClasses; ++k) {
    if (size_hint <= kBufferClassSizes[k]) return static_cast<uint8_t>(k);
  }
  return PooledBuffer::kOversized;
}

PooledBuffer BufferPool::Acquire(size_t size_hint) {
  const uint8_t k = ClassForHint(size_hint);
  {
    base::SpinLockHolder hold(lock_);
    ++outstanding_;
    if (k == PooledBuffer::kOversized) {
      ++oversized_acquires_;
    } else {
      SizeClass& c = classes_[k];
      ++c.acquires;
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
    --outstanding_;
    throw;
  }
}

void BufferPool::Release(Buffer buffer, uint8_t origin) noexcept {
  buffer.clear();  // the next user sees an empty buffer; under ASan, all poisoned
  const size_t capacity = buffer.capacity();
  const uint8_t target = origin == PooledBuffer::kOversized ? kNoClass : ClassForCapacity(capacity);
  {
    base::SpinLockHolder hold(lock_);
    --outstanding_;
    if (origin == PooledBuffer::kOversized) return;  // freed as `buffer` goes
    SizeClass& from = classes_[origin];
    if (target != kNoClass) {
      SizeClass& to = classes_[target];
      if (to.idle_bytes + capacity <= to.max_idle_bytes &&
          idle_bytes_ + capacity <= max_idle_bytes_) {
        bool kept = false;
        try {
          to.idle.push_back(std::move(buffer));
          kept = true;
        } catch (...) {
        }
        if (kept) {
          to.idle_bytes += capacity;
          idle_bytes_ += capacity;
          if (target != origin) ++from.rebinned;
          return;
        }
      }
    }
    ++from.dropped;
  }
  // A dropped `buffer` is freed here, outside the lock.
}

void BufferPool::NoteDetached() {
  base::SpinLockHolder hold(lock_);
  --outstanding_;
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
    out.acquires = c.acquires;
    out.hits = c.hits;
    out.misses = c.misses;
    out.rebinned = c.rebinned;
    out.dropped = c.dropped;
    out.idle_buffers = c.idle.size();
    out.idle_bytes = c.idle_bytes;
  }
  s.oversized_acquires = oversized_acquires_;
  s.detached = detached_;
  s.max_idle_bytes = max_idle_bytes_;
  s.idle_bytes = idle_bytes_;
  return s;
}

size_t BufferPool::idle_bytes() const {
  base::SpinLockHolder hold(lock_);
  return idle_bytes_;
}

}  // namespace ctxmem::pool
