// Reading what the tracking allocator counted.
//
// Link `//alloc:tracking` into a binary to replace every global operator new
// and delete; without it the functions here report `TrackingEnabled() == false`
// and zeros. Counting never takes a lock and never does an atomic
// read-modify-write on the allocation path: each thread owns its counters and
// readers sum them.
//
// Bytes are the allocator's own size for each block, so sized and unsized
// deletes balance exactly and the figure is what the process pays, not what
// callers asked for: with glibc's malloc, the chunk size (malloc's header
// included); with another malloc or under a sanitizer, malloc_usable_size().
//
// Accuracy of the peak: a thread folds its net byte change into the process
// total once it has drifted by more than `kPeakBatchBytes`, and the peak is the
// highest folded total (or a higher exact live figure seen by a reader). The
// reported peak is therefore within `threads * kPeakBatchBytes` of the true
// peak, where `threads` is the number of threads alive at the time. Live bytes,
// counts and totals are exact once the counted threads are quiescent.

#ifndef CTXMEM_ALLOC_STATS_H_
#define CTXMEM_ALLOC_STATS_H_

#include <cstddef>
#include <cstdint>

namespace ctxmem::alloc {

// Net bytes a thread may drift before it folds them into the process total.
inline constexpr int64_t kPeakBatchBytes = 256 * 1024;

struct AllocationStats {
  uint64_t allocations = 0;      // operator new calls that returned memory
  uint64_t deallocations = 0;    // operator delete calls with a non-null pointer
  uint64_t allocated_bytes = 0;  // total bytes ever handed out
  uint64_t freed_bytes = 0;      // total bytes ever given back
  int64_t live_bytes = 0;        // allocated_bytes - freed_bytes
  int64_t peak_bytes = 0;        // see the accuracy note above
  uint32_t threads = 0;          // threads whose counters are currently registered
};

// True when `//alloc:tracking` is linked into this binary.
bool TrackingEnabled();

// Sums every thread's counters (and those of threads that have exited).
AllocationStats GlobalStats();

// Starts a new peak measurement at the current live byte count.
void ResetPeak();

// Counts the heap activity of the calling thread between construction and the
// moment of reading. Meant for tests and benchmarks:
//
//   alloc::ThreadAllocationScope scope;
//   history.Append(message);
//   EXPECT_EQ(scope.allocations(), 0);
//
// Memory allocated here and freed on another thread shows up as allocated but
// not freed. Always zero when tracking is not linked.
class ThreadAllocationScope {
 public:
  ThreadAllocationScope();
  ThreadAllocationScope(const ThreadAllocationScope&) = delete;
  ThreadAllocationScope& operator=(const ThreadAllocationScope&) = delete;

  uint64_t allocations() const;
  uint64_t deallocations() const;
  uint64_t allocated_bytes() const;
  uint64_t freed_bytes() const;
  int64_t net_bytes() const { return int64_t(allocated_bytes()) - int64_t(freed_bytes()); }

  // Starts counting afresh from now.
  void Restart();

 private:
  uint64_t allocations_ = 0;
  uint64_t deallocations_ = 0;
  uint64_t allocated_bytes_ = 0;
  uint64_t freed_bytes_ = 0;
};

}  // namespace ctxmem::alloc

#endif  // CTXMEM_ALLOC_STATS_H_
