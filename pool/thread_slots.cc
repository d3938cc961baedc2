#include "pool/thread_slots.h"

#include <bitset>
#include <mutex>

namespace ctxmem::pool::internal {

constinit thread_local uint32_t tls_thread_slot = kThreadSlotUnassigned;

namespace {

struct Registry {
  std::mutex mu;
  std::bitset<kMaxThreadSlots> used;  // guarded by mu
  PoolRegistration* pools = nullptr;  // guarded by mu
};

// Never destroyed: threads may exit (and run the hook) during static
// destruction, after a function-local static would already be gone.
Registry& GetRegistry() {
  static Registry* registry = new Registry;
  return *registry;
}

// Runs at thread exit for every thread that was given an index.
struct SlotReleaser {
  bool armed = false;
  ~SlotReleaser() {
    const uint32_t index = tls_thread_slot;
    // Whatever this thread does from now on (say, another thread_local's
    // destructor releasing a pooled object) goes to the shared lists.
    tls_thread_slot = kNoThreadSlot;
    if (!armed || index >= kMaxThreadSlots) return;
    Registry& registry = GetRegistry();
    std::lock_guard<std::mutex> hold(registry.mu);
    for (PoolRegistration* p = registry.pools; p != nullptr; p = p->next) p->flush(p->pool, index);
    registry.used.reset(index);
  }
};

thread_local SlotReleaser slot_releaser;

}  // namespace

uint32_t AssignThreadSlot() {
  if (tls_thread_slot != kThreadSlotUnassigned) return tls_thread_slot;
  Registry& registry = GetRegistry();
  uint32_t index = kNoThreadSlot;
  {
    std::lock_guard<std::mutex> hold(registry.mu);
    for (uint32_t i = 0; i < kMaxThreadSlots; ++i) {
      if (!registry.used.test(i)) {
        registry.used.set(i);
        index = i;
        break;
      }
    }
  }
  tls_thread_slot = index;
  if (index < kMaxThreadSlots) slot_releaser.armed = true;  // registers the destructor
  return index;
}

size_t ThreadSlotsInUse() {
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> hold(registry.mu);
  return registry.used.count();
}

void RegisterPool(PoolRegistration* registration) {
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> hold(registry.mu);
  registration->prev = nullptr;
  registration->next = registry.pools;
  if (registry.pools != nullptr) registry.pools->prev = registration;
  registry.pools = registration;
}

void UnregisterPool(PoolRegistration* registration) {
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> hold(registry.mu);
  if (registration->prev != nullptr) registration->prev->next = registration->next;
  if (registration->next != nullptr) registration->next->prev = registration->prev;
  if (registry.pools == registration) registry.pools = registration->next;
  registration->prev = registration->next = nullptr;
}

}  // namespace ctxmem::pool::internal
