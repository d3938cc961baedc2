#include "profiler/snapshot_ring.h"

#include <cassert>

namespace ctxmem::profiler {

SnapshotRing::SnapshotRing(size_t capacity) : slots_(capacity < 1 ? 1 : capacity) {}

void SnapshotRing::Push(const Snapshot& snapshot) {
  slots_[pushed_ % slots_.size()] = snapshot;
  ++pushed_;
}

const Snapshot& SnapshotRing::at(size_t i) const {
  assert(i < size());
  const uint64_t oldest = pushed_ - size();
  return slots_[(oldest + i) % slots_.size()];
}

std::vector<Snapshot> SnapshotRing::ToVector() const {
  std::vector<Snapshot> out;
  out.reserve(size());
  for (size_t i = 0; i < size(); ++i) out.push_back(at(i));
  return out;
}

}  // namespace ctxmem::profiler
