// A bounded ring of snapshots: fixed capacity, allocated once, oldest
// overwritten first. Not thread-safe; the Profiler guards its ring.

#ifndef CTXMEM_PROFILER_SNAPSHOT_RING_H_
#define CTXMEM_PROFILER_SNAPSHOT_RING_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "profiler/snapshot.h"

namespace ctxmem::profiler {

class SnapshotRing {
 public:
  // `capacity` must be at least 1.
  explicit SnapshotRing(size_t capacity);

  // Never allocates: overwrites the oldest snapshot once full.
  void Push(const Snapshot& snapshot);

  size_t capacity() const { return slots_.size(); }
  size_t size() const { return pushed_ < slots_.size() ? pushed_ : slots_.size(); }
  uint64_t pushed() const { return pushed_; }
  // Snapshots overwritten so far.
  uint64_t dropped() const { return pushed_ - size(); }
  // The i-th oldest kept snapshot, i < size().
  const Snapshot& at(size_t i) const;

  // The kept snapshots, oldest first (allocates: for reports, not sampling).
  std::vector<Snapshot> ToVector() const;

  // Heap bytes the ring holds; fixed at construction.
  size_t reserved_bytes() const { return slots_.capacity() * sizeof(Snapshot); }

 private:
  std::vector<Snapshot> slots_;
  uint64_t pushed_ = 0;
};

}  // namespace ctxmem::profiler

#endif  // CTXMEM_PROFILER_SNAPSHOT_RING_H_
