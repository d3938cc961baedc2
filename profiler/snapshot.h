// One sample of the process's memory, fixed-size so that a ring of them can be
// preallocated and filled without touching the heap.

#ifndef CTXMEM_PROFILER_SNAPSHOT_H_
#define CTXMEM_PROFILER_SNAPSHOT_H_

#include <array>
#include <cstdint>

#include "profiler/memory_source.h"
#include "profiler/process_memory.h"

namespace ctxmem::profiler {

// Most sources one profiler samples; bounds the size of a Snapshot.
inline constexpr int kMaxSources = 16;

struct Snapshot {
  int64_t time_ns = 0;  // since the profiler was constructed (steady clock)
  // alloc::GlobalStats(); zeros when //alloc:tracking is not linked.
  int64_t tracked_live_bytes = 0;
  int64_t tracked_peak_bytes = 0;
  uint64_t tracked_allocations = 0;
  // From /proc/self/status; all zero when it could not be read.
  bool process_ok = false;
  ProcessMemory process;
  // components[i] belongs to the profiler's i-th source.
  int num_components = 0;
  std::array<ComponentSample, kMaxSources> components{};
};

}  // namespace ctxmem::profiler

#endif  // CTXMEM_PROFILER_SNAPSHOT_H_
