// Small per-thread indices that let each pool keep a private table of
// per-thread caches, and the hook that empties those caches when a thread
// exits.
//
// A thread that uses any pool gets the lowest free index below
// `kMaxThreadSlots` on its first slow-path operation; every pool indexes its
// own slot table with it. Indices are process-wide and reused after a thread
// exits. When all of them are taken, later threads get `kNoThreadSlot` and
// always use the pools' shared lists: correct, just slower.
//
// Why this shape: a `thread_local` cache keyed by pool would hold objects that
// outlive their pool, and a pool could not reach another thread's
// `thread_local` to free them. With the table inside the pool, the pool owns
// every object it caches and frees them all in its destructor. The exit hook
// gives a dead thread's cached objects back to each live pool's shared list
// (and frees its index), so nothing stays stranded in a slot nobody uses.
//
// Lock order: the registry lock is taken before any pool's lock, never after.

#ifndef CTXMEM_POOL_THREAD_SLOTS_H_
#define CTXMEM_POOL_THREAD_SLOTS_H_

#include <cstddef>
#include <cstdint>

namespace ctxmem::pool::internal {

// Slots in every pool's per-thread table.
inline constexpr uint32_t kMaxThreadSlots = 128;

// Values of `tls_thread_slot` that are not an index.
inline constexpr uint32_t kThreadSlotUnassigned = UINT32_MAX;  // not asked for yet
inline constexpr uint32_t kNoThreadSlot = UINT32_MAX - 1;      // none free, or exiting

// The calling thread's index, `kThreadSlotUnassigned` or `kNoThreadSlot`.
// Constant-initialised and trivially destructible, so reading it is a single
// %fs-relative load with no TLS wrapper call.
extern thread_local constinit uint32_t tls_thread_slot __attribute__((tls_model("initial-exec")));

// Gives the calling thread an index if it has none yet and returns
// `tls_thread_slot`. Takes the registry lock: never call it under a pool lock.
uint32_t AssignThreadSlot();

// Number of indices currently held by live threads (for tests).
size_t ThreadSlotsInUse();

// A pool that wants the exit hook. `flush(pool, index)` runs on the exiting
// thread, under the registry lock, and must give back whatever the pool keeps
// in slot `index`.
struct PoolRegistration {
  void (*flush)(void* pool, uint32_t index) = nullptr;
  void* pool = nullptr;
  PoolRegistration* prev = nullptr;
  PoolRegistration* next = nullptr;
};

// Called by a pool's constructor and destructor. After `UnregisterPool`
// returns, no exit hook is running or will run on that pool.
void RegisterPool(PoolRegistration* registration);
void UnregisterPool(PoolRegistration* registration);

}  // namespace ctxmem::pool::internal

#endif  // CTXMEM_POOL_THREAD_SLOTS_H_
