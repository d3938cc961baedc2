// What is still held at shutdown: tracked heap bytes live, the bytes each
// component holds, and the live bytes no component accounts for. Read it
// after the workload's objects should be gone; a large unattributed figure
// points at memory outside the registered components.

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
    uint64_t reserved_bytes = 0;
    uint64_t used_bytes = 0;
  };
  std::vector<Component> components;
  uint64_t attributed_bytes = 0;  // sum of the components' reserved bytes
  // tracked_live_bytes - attributed_bytes; negative when components report
  // memory the tracker does not see (e.g. tracking not linked).
  int64_t unattributed_bytes = 0;
};

// From the last snapshot; all zero for an empty profile.
LeakSummary SummarizeLeaks(const Profile& profile);

// Plain text, one figure per line.
std::string LeakReport(const Profile& profile);

}  // namespace ctxmem::profiler

#endif  // CTXMEM_PROFILER_LEAK_REPORT_H_
