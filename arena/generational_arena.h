// GenerationalArena<T>: long-lived objects addressed by 8-byte handles.
//
// A handle is (slot index, generation). Insert, Remove and Get are O(1); a
// handle whose object was removed finds nothing, even after its slot has been
// reused, because every reuse bumps the slot's generation. Generations are odd
// while a slot is occupied and even while it is free. A slot whose generation
// would wrap around is retired for good instead of being reused, so a very old
// handle can never come back to life (slotmap#86). Free slots are reused in
// FIFO order, which spreads reuse over all free slots rather than wearing out
// one hot slot's generations.
//
// Compact() moves objects into the lowest free slots, shrinks the storage and
// returns how each moved object's handle changed.
//
// Not thread-safe.

#ifndef CTXMEM_ARENA_GENERATIONAL_ARENA_H_
#define CTXMEM_ARENA_GENERATIONAL_ARENA_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace ctxmem::arena {

struct Handle {
  uint32_t index = 0;
  uint32_t generation = 0;  // 0 never names a live object: the null handle

  bool is_null() const { return generation == 0; }
  friend bool operator==(Handle a, Handle b) {
    return a.index == b.index && a.generation == b.generation;
  }
  friend bool operator!=(Handle a, Handle b) { return !(a == b); }
  template <typename H>
  friend H AbslHashValue(H h, Handle handle) {
    return H::combine(std::move(h), handle.index, handle.generation);
  }
};
static_assert(sizeof(Handle) == 8);

// How one object's handle changed in Compact().
struct HandleRemap {
  Handle from;
  Handle to;
};

class GenerationalArenaTestPeer;

template <typename T>
class GenerationalArena {
 public:
  GenerationalArena() = default;
  GenerationalArena(const GenerationalArena&) = delete;
  GenerationalArena& operator=(const GenerationalArena&) = delete;
  GenerationalArena(GenerationalArena&&) noexcept = default;
  GenerationalArena& operator=(GenerationalArena&&) noexcept = default;
  ~GenerationalArena() = default;

  template <typename... Args>
  Handle Insert(Args&&... args) {
    uint32_t index;
    if (free_head_ != kNone) {
      index = free_head_;
      Slot& slot = slots_[index];
      free_head_ = slot.next_free;
      if (free_head_ == kNone) free_tail_ = kNone;
      slot.Emplace(std::forward<Args>(args)...);
    } else {
      index = static_cast<uint32_t>(slots_.size());
      slots_.emplace_back(first_generation_ - 1);  // Emplace() makes it odd
      slots_.back().Emplace(std::forward<Args>(args)...);
    }
    ++size_;
    return Handle{index, slots_[index].generation};
  }

  // The object, or nullptr for a stale or null handle.
  T* Get(Handle h) {
    if (h.index >= slots_.size()) return nullptr;
    Slot& slot = slots_[h.index];
    return slot.generation == h.generation && h.generation != 0 ? slot.object() : nullptr;
  }
  const T* Get(Handle h) const { return const_cast<GenerationalArena*>(this)->Get(h); }

  bool Contains(Handle h) const { return Get(h) != nullptr; }

  // Destroys the object; false for a stale or null handle.
  bool Remove(Handle h) {
    if (Get(h) == nullptr) return false;
    Slot& slot = slots_[h.index];
    slot.Destroy();
    --size_;
    if (slot.generation == kMaxGeneration) {
      slot.generation = kRetired;  // never reused: its next generation would wrap
      ++retired_;
      return true;
    }
    ++slot.generation;  // even: free
    PushFree(h.index);
    return true;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return slots_.size(); }
  size_t retired_slots() const { return retired_; }

  // Calls f(handle, object) for every live object, in slot order.
  template <typename F>
  void ForEach(F&& f) {
    for (uint32_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i].occupied()) f(Handle{i, slots_[i].generation}, *slots_[i].object());
    }
  }

  // Moves objects from the highest occupied slots into the lowest free ones,
  // then drops the empty tail. Handles of moved objects change (the returned
  // list maps each old handle to its new one); all other handles stay valid.
  // Retired slots stay retired. Old handles never alias a different object:
  // a slot that receives an object gets a generation above any it has had,
  // and slots created later start above any generation the dropped tail had.
  std::vector<HandleRemap> Compact() {
    std::vector<HandleRemap> moved;
    uint32_t low = 0;
    uint32_t high = static_cast<uint32_t>(slots_.size());
    for (;;) {
      while (low < high && (slots_[low].occupied() || slots_[low].generation == kRetired)) ++low;
      while (high > low && !slots_[high - 1].occupied()) --high;
      if (low + 1 >= high) break;
      Slot& from = slots_[high - 1];
      Slot& to = slots_[low];
      const Handle old{high - 1, from.generation};
      to.EmplaceMoved(std::move(*from.object()));
      from.Destroy();
      ++from.generation;
      moved.push_back({old, Handle{low, to.generation}});
    }
    // Drop the free tail, remembering the generations it had reached. A
    // retired slot stays: no generation is left above its last one.
    while (!slots_.empty() && !slots_.back().occupied() && slots_.back().generation != kRetired) {
      const uint32_t next_occupied = slots_.back().generation + 1;  // odd, no wrap: free is even
      if (next_occupied > first_generation_) first_generation_ = next_occupied;
      slots_.pop_back();
    }
    RebuildFreeList();
    return moved;
  }

 private:
  friend class GenerationalArenaTestPeer;
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  static constexpr uint32_t kMaxGeneration = std::numeric_limits<uint32_t>::max();  // odd
  static constexpr uint32_t kRetired = 0;  // even, and never handed out

  class Slot {
   public:
    explicit Slot(uint32_t free_generation) : generation(free_generation) {}
    Slot(Slot&& other) noexcept(std::is_nothrow_move_constructible_v<T>)
        : generation(other.generation), next_free(other.next_free) {
      if (other.occupied()) ::new (storage_) T(std::move(*other.object()));
    }
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (occupied()) object()->~T();
    }

    bool occupied() const { return (generation & 1) != 0; }
    T* object() { return std::launder(reinterpret_cast<T*>(storage_)); }

    template <typename... Args>
    void Emplace(Args&&... args) {
      ::new (storage_) T(std::forward<Args>(args)...);
      ++generation;  // odd: occupied
    }
    void EmplaceMoved(T&& value) {
      ::new (storage_) T(std::move(value));
      ++generation;
    }
    void Destroy() { object()->~T(); }

    uint32_t generation;
    uint32_t next_free = kNone;

   private:
    alignas(T) unsigned char storage_[sizeof(T)];
  };

  void PushFree(uint32_t index) {
    slots_[index].next_free = kNone;
    if (free_tail_ == kNone) {
      free_head_ = index;
    } else {
      slots_[free_tail_].next_free = index;
    }
    free_tail_ = index;
  }

  void RebuildFreeList() {
    free_head_ = free_tail_ = kNone;
    for (uint32_t i = 0; i < slots_.size(); ++i) {
      const Slot& slot = slots_[i];
      if (!slot.occupied() && slot.generation != kRetired) PushFree(i);
    }
  }

  std::vector<Slot> slots_;
  uint32_t free_head_ = kNone;
  uint32_t free_tail_ = kNone;
  size_t size_ = 0;
  size_t retired_ = 0;
  // Generation of the next new slot's first object (odd).
  uint32_t first_generation_ = 1;
};

}  // namespace ctxmem::arena

#endif  // CTXMEM_ARENA_GENERATIONAL_ARENA_H_
