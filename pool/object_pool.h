// A bounded, thread-safe pool of reusable objects.
//
//   ObjectPool<std::string, CapacityLimitedPolicy<std::string>> pool;
//   {
//     auto s = pool.Acquire();     // an empty string, reused when possible
//     s->append("hello");
//   }                              // reset and given back here, exactly once
//
// `Acquire()` returns a move-only `PooledObject` handle. The handle gives its
// object back exactly once: when it is destroyed, when `Release()` is called,
// or when it is move-assigned over. A moved-from handle gives back nothing,
// and `Detach()` takes the object out of the pool for good.
//
// The policy decides how objects are made and recycled:
//   T Create() const;         // a fresh object for a miss
//   bool Reset(T&) const;     // clean a released object; false refuses it
// Both are called concurrently from many threads on a const policy. `Reset`
// runs on the releasing thread before the object becomes visible to any other
// thread. A refused object, and one whose `Reset` throws, is destroyed (and
// counted as refused). `DefaultPolicy` value-initialises and clears;
// `CapacityLimitedPolicy` also refuses strings and containers that grew past a
// capacity (the .NET ObjectPool `MaximumRetainedCapacity` rule), so one huge
// request cannot pin its memory in the pool forever.
//
// At most `max_idle` objects are kept idle; one released beyond that is
// destroyed (counted as dropped).
//
// Speed: each thread has a one-object cache in front of the pool's shared,
// spinlock-protected idle list, as in Tedd.ObjectPool. An acquire that finds
// the calling thread's cached object, and a release into an empty cache, touch
// only that thread's cache line: no lock and no atomic read-modify-write. The
// caches live in a table inside the pool (one 64-byte slot per thread index,
// see thread_slots.h: 8 KiB per pool), so the pool owns every idle object and
// frees them all when it is destroyed; a thread's cached object goes back to
// the shared list when the thread exits.
//
// How the caches honour the cap: a thread's slot may only hold an object while
// it holds a reservation for one unit of `max_idle`, taken under the lock, and
// `shared idle + reservations <= max_idle` always. So `idle() <= max_idle` at
// every instant. The price is that a reservation whose slot happens to be
// empty (the thread's last operation was an acquire) still blocks one unit; a
// thread gives its reservation back when it next acquires through the slow
// path or exits.
//
// Destroying the pool with handles still out is a bug (asserted in debug
// builds); the pool must outlive its handles. Under ASan, idle objects'
// storage is poisoned, so touching an object after giving it back is reported.

#ifndef CTXMEM_POOL_OBJECT_POOL_H_
#define CTXMEM_POOL_OBJECT_POOL_H_

#include <atomic>
#include <cassert>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/thread_annotations.h"
#include "pool/poison.h"
#include "base/spin_lock.h"
#include "pool/thread_slots.h"

namespace ctxmem::pool {

struct ObjectPoolOptions {
  // Most objects kept idle, counting the ones in per-thread caches.
  size_t max_idle = 64;
};

// Counters since construction. Each field is exact once the pool is quiescent;
// read while threads are using the pool, the fields are individually current
// but not a consistent snapshot.
struct ObjectPoolStats {
  uint64_t created = 0;   // objects made by Policy::Create
  uint64_t hits = 0;      // acquires served by an idle object
  uint64_t misses = 0;    // acquires that had to create one
  uint64_t refused = 0;   // released objects destroyed because Reset refused or threw
  uint64_t dropped = 0;   // released objects destroyed because max_idle was reached
  uint64_t detached = 0;  // objects taken out of the pool with Detach()

  uint64_t acquires() const { return hits + misses; }
  // hits / acquires, 0 before the first acquire.
  double hit_rate() const {
    return acquires() == 0 ? 0.0 : static_cast<double>(hits) / static_cast<double>(acquires());
  }
};

// Value-initialises new objects; resets with `clear()` when T has one and by
// assigning `T{}` otherwise. Never refuses.
template <typename T>
struct DefaultPolicy {
  static constexpr bool kNothrowReset = [] {
    if constexpr (requires(T& t) { t.clear(); }) {
      return noexcept(std::declval<T&>().clear());
    } else {
      return std::is_nothrow_assignable_v<T&, T>;
    }
  }();

  T Create() const { return T(); }

  bool Reset(T& object) const noexcept(kNothrowReset) {
    if constexpr (requires { object.clear(); }) {
      object.clear();
    } else {
      object = T{};
    }
    return true;
  }
};

// For strings and containers: like DefaultPolicy, but refuses an object whose
// `capacity()` grew beyond `max_retained_capacity` (in T's own units: bytes for
// std::string, elements for std::vector), so that it is freed rather than kept.
template <typename T>
  requires requires(T& t) {
    t.clear();
    { t.capacity() } -> std::convertible_to<size_t>;
  }
class CapacityLimitedPolicy {
 public:
  static constexpr size_t kDefaultMaxRetainedCapacity = 4096;

  CapacityLimitedPolicy() = default;
  explicit CapacityLimitedPolicy(size_t max_retained_capacity)
      : max_retained_capacity_(max_retained_capacity) {}

  T Create() const { return T(); }

  bool Reset(T& object) const noexcept(noexcept(object.clear())) {
    if (object.capacity() > max_retained_capacity_) return false;
    object.clear();
    return true;
  }

  size_t max_retained_capacity() const { return max_retained_capacity_; }

 private:
  size_t max_retained_capacity_ = kDefaultMaxRetainedCapacity;
};

template <typename T, typename Policy = DefaultPolicy<T>>
class ObjectPool;

// Owns one object on loan from an ObjectPool. Move-only; may be empty (default
// constructed, moved from, released or detached).
template <typename T, typename Policy = DefaultPolicy<T>>
class PooledObject {
 public:
  PooledObject() = default;
  PooledObject(PooledObject&& other) noexcept
      : pool_(Scalar(std::exchange(other.pool_, nullptr))),
        object_(Scalar(std::exchange(other.object_, nullptr))) {}
  // Gives back the object this handle holds, then takes over `other`'s.
  PooledObject& operator=(PooledObject&& other) noexcept {
    if (this != &other) {
      Release();
      pool_ = Scalar(std::exchange(other.pool_, nullptr));
      object_ = Scalar(std::exchange(other.object_, nullptr));
    }
    return *this;
  }
  PooledObject(const PooledObject&) = delete;
  PooledObject& operator=(const PooledObject&) = delete;
  ~PooledObject() { Release(); }

  T* get() const { return object_; }
  T& operator*() const {
    assert(object_ != nullptr);
    return *object_;
  }
  T* operator->() const {
    assert(object_ != nullptr);
    return object_;
  }
  explicit operator bool() const { return object_ != nullptr; }

  // Gives the object back now; the handle becomes empty. No-op when empty.
  void Release() noexcept {
    if (object_ != nullptr) pool_->Release(std::exchange(object_, nullptr));
  }

  // Takes the object out of the pool: the caller owns it from now on and the
  // pool will never see it again. Null when empty.
  std::unique_ptr<T> Detach() {
    if (object_ == nullptr) return nullptr;
    pool_->detached_.fetch_add(1, std::memory_order_relaxed);
    return std::unique_ptr<T>(std::exchange(object_, nullptr));
  }

 private:
  friend class ObjectPool<T, Policy>;
  PooledObject(ObjectPool<T, Policy>* pool, T* object) : pool_(pool), object_(object) {}

  // Keeps a moved pointer in a general register. Without it, g++ 12 at -O2
  // copies both fields of a handle just returned by Acquire() with one 16-byte
  // vector load, which cannot be forwarded from the two 8-byte stores that
  // built it: a store-forwarding stall that made `h = pool.Acquire()` take
  // 13 ns instead of 3.
  template <typename P>
  static P* Scalar(P* p) {
    asm("" : "+r"(p));
    return p;
  }

  ObjectPool<T, Policy>* pool_ = nullptr;
  T* object_ = nullptr;
};

template <typename T, typename Policy>
class ObjectPool {
  static_assert(requires(const Policy& p, T& t) {
    { p.Create() } -> std::same_as<T>;
    { p.Reset(t) } -> std::convertible_to<bool>;
  }, "Policy needs `T Create() const` and `bool Reset(T&) const`");

 public:
  using Handle = PooledObject<T, Policy>;

  explicit ObjectPool(ObjectPoolOptions options = {}, Policy policy = {})
      : policy_(std::move(policy)),
        max_idle_(options.max_idle),
        slots_(new Slot[internal::kMaxThreadSlots]) {
    // Room for the common case up front, so that the lock is rarely held
    // across an allocation.
    idle_.reserve(options.max_idle < kPreallocatedIdle ? options.max_idle : kPreallocatedIdle);
    registration_.flush = &ObjectPool::FlushSlot;
    registration_.pool = this;
    internal::RegisterPool(&registration_);
  }

  ObjectPool(const ObjectPool&) = delete;
  ObjectPool& operator=(const ObjectPool&) = delete;

  ~ObjectPool() {
    // From here on no exiting thread can flush into this pool.
    internal::UnregisterPool(&registration_);
    size_t idle = idle_.size();
    for (T* object : idle_) Destroy(object);
    for (uint32_t i = 0; i < internal::kMaxThreadSlots; ++i) {
      T* object = slots_[i].object.load(std::memory_order_relaxed);
      if (IsObject(object)) {
        ++idle;
        Destroy(object);
      }
    }
    [[maybe_unused]] const ObjectPoolStats s = stats();
    assert(s.created == s.refused + s.dropped + s.detached + idle &&
           "ObjectPool destroyed while handles are still out");
  }

  // An object from the calling thread's cache, else from the shared idle list,
  // else a new one from Policy::Create (whose exceptions propagate; nothing is
  // leaked or counted as created then). Never returns an empty handle.
  Handle Acquire() {
    const uint32_t index = internal::tls_thread_slot;
    if (index < internal::kMaxThreadSlots) [[likely]] {
      Slot& slot = slots_[index];
      T* object = slot.object.load(std::memory_order_relaxed);
      if (IsObject(object)) [[likely]] {
        slot.object.store(ReservedEmpty(), std::memory_order_relaxed);
        // Only this thread writes the slot's counter: no read-modify-write.
        slot.hits.store(slot.hits.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        internal::Unpoison(object, sizeof(T));
        return Handle(this, object);
      }
    }
    return AcquireSlow(index);
  }

  ObjectPoolStats stats() const {
    ObjectPoolStats s;
    s.created = created_.load(std::memory_order_relaxed);
    s.hits = shared_hits_.load(std::memory_order_relaxed);
    for (uint32_t i = 0; i < internal::kMaxThreadSlots; ++i) {
      s.hits += slots_[i].hits.load(std::memory_order_relaxed);
    }
    s.misses = misses_.load(std::memory_order_relaxed);
    s.refused = refused_.load(std::memory_order_relaxed);
    s.dropped = dropped_.load(std::memory_order_relaxed);
    s.detached = detached_.load(std::memory_order_relaxed);
    return s;
  }

  // Objects idle right now: in the shared list plus in thread caches. Exact
  // when the pool is quiescent; never more than max_idle().
  size_t idle() const {
    // Under the lock the shared list and the set of reserved slots stand
    // still; only reserved slots can hold an object, one each, so the sum
    // cannot pass the cap even while fast paths move objects in and out of
    // slots during the scan (a scan without the lock could count an object
    // twice: once in a slot, again in the shared list).
    base::SpinLockHolder hold(lock_);
    size_t n = idle_.size();
    for (uint32_t i = 0; i < internal::kMaxThreadSlots; ++i) {
      n += IsObject(slots_[i].object.load(std::memory_order_relaxed)) ? 1 : 0;
    }
    return n;
  }

  size_t max_idle() const { return max_idle_; }
  const Policy& policy() const { return policy_; }

 private:
  friend class PooledObject<T, Policy>;

  static constexpr size_t kPreallocatedIdle = 1024;

  // A thread's cache. `object` is nullptr (no reservation), ReservedEmpty()
  // (reservation, no object) or a cached object. Only the owning thread
  // writes it, except the exit hook and the destructor, which run when the
  // owner can no longer use it. It is atomic so that idle() may read it.
  struct alignas(64) Slot {
    std::atomic<T*> object{nullptr};
    std::atomic<uint64_t> hits{0};
  };

  static T* ReservedEmpty() { return reinterpret_cast<T*>(uintptr_t{1}); }
  static bool IsObject(T* p) { return reinterpret_cast<uintptr_t>(p) > uintptr_t{1}; }

  static void Destroy(T* object) {
    internal::Unpoison(object, sizeof(T));
    delete object;
  }

  // Out of line so that the fast paths stay small enough to inline.
  ABSL_ATTRIBUTE_NOINLINE Handle AcquireSlow(uint32_t index) {
    // Before taking the pool lock: the registry lock comes first.
    if (index == internal::kThreadSlotUnassigned) index = internal::AssignThreadSlot();
    T* object = nullptr;
    {
      base::SpinLockHolder hold(lock_);
      if (index < internal::kMaxThreadSlots) {
        Slot& slot = slots_[index];
        T* cached = slot.object.load(std::memory_order_relaxed);
        if (cached == ReservedEmpty()) {
          // This thread is taking more than it gives back: let the shared
          // list use its unit of the cap.
          slot.object.store(nullptr, std::memory_order_relaxed);
          --reserved_;
        } else if (IsObject(cached)) {
          // Only after a thread inherited this index's slot; take it.
          slot.object.store(ReservedEmpty(), std::memory_order_relaxed);
          object = cached;
        }
      }
      if (object == nullptr && !idle_.empty()) {
        object = idle_.back();
        idle_.pop_back();
      }
    }
    if (object != nullptr) {
      shared_hits_.fetch_add(1, std::memory_order_relaxed);
      internal::Unpoison(object, sizeof(T));
      return Handle(this, object);
    }
    misses_.fetch_add(1, std::memory_order_relaxed);
    object = new T(policy_.Create());
    created_.fetch_add(1, std::memory_order_relaxed);
    return Handle(this, object);
  }

  // Resets `object`; destroys it and returns false if Reset refuses or throws.
  bool ResetOrDestroy(T* object) noexcept {
    bool keep = false;
    if constexpr (noexcept(policy_.Reset(*object))) {
      keep = policy_.Reset(*object);
    } else {
      try {
        keep = policy_.Reset(*object);
      } catch (...) {
        keep = false;
      }
    }
    if (!keep) [[unlikely]] {
      refused_.fetch_add(1, std::memory_order_relaxed);
      delete object;
    }
    return keep;
  }

  void Release(T* object) noexcept {
    if (!ResetOrDestroy(object)) return;
    const uint32_t index = internal::tls_thread_slot;
    if (index < internal::kMaxThreadSlots) [[likely]] {
      Slot& slot = slots_[index];
      if (slot.object.load(std::memory_order_relaxed) == ReservedEmpty()) [[likely]] {
        internal::Poison(object, sizeof(T));
        slot.object.store(object, std::memory_order_relaxed);
        return;
      }
    }
    ReleaseSlow(object, index);
  }

  ABSL_ATTRIBUTE_NOINLINE void ReleaseSlow(T* object, uint32_t index) noexcept {
    if (index == internal::kThreadSlotUnassigned) index = internal::AssignThreadSlot();
    internal::Poison(object, sizeof(T));
    bool kept = false;
    {
      base::SpinLockHolder hold(lock_);
      if (idle_.size() + reserved_ < max_idle_) {
        if (index < internal::kMaxThreadSlots &&
            slots_[index].object.load(std::memory_order_relaxed) == nullptr) {
          ++reserved_;
          slots_[index].object.store(object, std::memory_order_relaxed);
          kept = true;
        } else {
          try {
            idle_.push_back(object);  // allocates only beyond kPreallocatedIdle
            kept = true;
          } catch (...) {
          }
        }
      }
    }
    if (!kept) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      Destroy(object);
    }
  }

  // Exit hook (see thread_slots.h): moves slot `index`'s object, if any, to
  // the shared list and gives back its reservation. The object keeps its unit
  // of the cap, so the cap still holds.
  static void FlushSlot(void* self, uint32_t index) {
    auto* pool = static_cast<ObjectPool*>(self);
    T* dropped = nullptr;
    {
      base::SpinLockHolder hold(pool->lock_);
      Slot& slot = pool->slots_[index];
      T* cached = slot.object.load(std::memory_order_relaxed);
      if (cached == nullptr) return;
      slot.object.store(nullptr, std::memory_order_relaxed);
      --pool->reserved_;
      if (IsObject(cached)) {
        try {
          pool->idle_.push_back(cached);
        } catch (...) {
          dropped = cached;
        }
      }
    }
    if (dropped != nullptr) {
      pool->dropped_.fetch_add(1, std::memory_order_relaxed);
      Destroy(dropped);
    }
  }

  [[no_unique_address]] const Policy policy_;
  const size_t max_idle_;
  const std::unique_ptr<Slot[]> slots_;

  mutable base::SpinLock lock_;
  std::vector<T*> idle_ ABSL_GUARDED_BY(lock_);
  size_t reserved_ ABSL_GUARDED_BY(lock_) = 0;  // slots allowed to hold an object

  std::atomic<uint64_t> created_{0};
  std::atomic<uint64_t> shared_hits_{0};
  std::atomic<uint64_t> misses_{0};
  std::atomic<uint64_t> refused_{0};
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> detached_{0};

  internal::PoolRegistration registration_;
};

}  // namespace ctxmem::pool

#endif  // CTXMEM_POOL_OBJECT_POOL_H_
