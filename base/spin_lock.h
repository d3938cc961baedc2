// A test-and-test-and-set spinlock for short critical sections.
//
// Its users (the pools, the allocation-counter registry) hold it for a handful of pointer moves and never allocate,
// call user code or block under it, so a spinlock is both cheaper than a
// futex-backed mutex (unlock is a plain release store) and safe. A waiter
// spins with `pause` for a short while and then yields its core, so a holder
// that was preempted gets to run even on an oversubscribed machine.
//
// Not absl::Mutex on purpose: Debian's abseil is not built with TSan, so TSan
// would not see its happens-before edges; std::atomic is always visible to it.

#ifndef CTXMEM_BASE_SPIN_LOCK_H_
#define CTXMEM_BASE_SPIN_LOCK_H_

#include <atomic>
#include <thread>

#include "absl/base/thread_annotations.h"

namespace ctxmem::base {

class ABSL_LOCKABLE SpinLock {
 public:
  // Constant-initialised: usable from static constructors and inside
  // operator new, before anything else is set up.
  constexpr SpinLock() = default;
  SpinLock(const SpinLock&) = delete;
  SpinLock& operator=(const SpinLock&) = delete;

  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    if (locked_.exchange(true, std::memory_order_acquire)) [[unlikely]] {
      LockSlow();
    }
  }

  void Unlock() ABSL_UNLOCK_FUNCTION() { locked_.store(false, std::memory_order_release); }

 private:
  void LockSlow() {
    for (int spins = 0;; ++spins) {
      if (!locked_.load(std::memory_order_relaxed) &&
          !locked_.exchange(true, std::memory_order_acquire)) {
        return;
      }
      if (spins < 64) {
        __builtin_ia32_pause();
      } else {
        std::this_thread::yield();
      }
    }
  }

  std::atomic<bool> locked_{false};
};

// Holds a SpinLock for the lifetime of a scope.
class ABSL_SCOPED_LOCKABLE SpinLockHolder {
 public:
  explicit SpinLockHolder(SpinLock& lock) ABSL_EXCLUSIVE_LOCK_FUNCTION(lock) : lock_(lock) {
    lock_.Lock();
  }
  ~SpinLockHolder() ABSL_UNLOCK_FUNCTION() { lock_.Unlock(); }
  SpinLockHolder(const SpinLockHolder&) = delete;
  SpinLockHolder& operator=(const SpinLockHolder&) = delete;

 private:
  SpinLock& lock_;
};

}  // namespace ctxmem::base

#endif  // CTXMEM_BASE_SPIN_LOCK_H_
