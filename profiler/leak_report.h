// What is still held at shutdown: tracked heap bytes live, the heap and mapped
// bytes each component holds, and the live heap bytes no component accounts
// for. Read it after the workload's objects should be gone; a large
// unattributed figure points at heap memory outside the registered
// components. Mapped bytes are listed but not subtracted: the tracker never
// saw them.

#ifndef CTXMEM_PROFILER_LEAK_REPORT_H_
#define CTXMEM_PROFILER_LEAK_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "profiler/profiler.h"

namespace ctxmem::profiler {

struct LeakSummary {
  int64_t tracked_live_bytes = 0;
  struct Component {
    std::string name;
    uint64_t reserved_bytes = 0;  // heap
    uint64_t mapped_bytes = 0;
    uint64_t used_bytes = 0;
  };
  std::vector<Component> components;
  uint64_t attributed_bytes = 0;  // sum of the components' heap bytes
  uint64_t mapped_bytes = 0;      // sum of their mapped bytes
  // tracked_live_bytes - attributed_bytes: heap against heap. Negative only
  // if a component over-reports its heap or tracking is not linked.
  int64_t unattributed_bytes = 0;
};

// From the last snapshot; all zero for an empty profile.
LeakSummary SummarizeLeaks(const Profile& profile);

// Plain text, one figure per line; "not attributed to any component" is the
// heap figure (tracked live minus the components' heap bytes).
std::string LeakReport(const Profile& profile);

}  // namespace ctxmem::profiler

#endif  // CTXMEM_PROFILER_LEAK_REPORT_H_
