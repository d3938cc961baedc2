// The whole profile as JSON, for tools and for diffing runs.
//
//   {"interval_ms": 100, "samples": 42, "dropped": 0,
//    "components": ["arena", ...],
//    "snapshots": [{"time_ms": 0.1,
//                   "tracked": {"live_bytes": ., "peak_bytes": ., "allocations": .},
//                   "process": {"resident_bytes": ., "anonymous_bytes": ., ...} | null,
//                   "components": [{"name": "arena", "reserved_bytes": . (heap),
//                                   "mapped_bytes": ., "used_bytes": .,
//                                   "hit_rate": 0.97 | null}, ...]},
//                  ...]}
//
// Written by hand: the format is small and fixed, and a JSON library would be
// a dependency for one function.

#ifndef CTXMEM_PROFILER_JSON_REPORT_H_
#define CTXMEM_PROFILER_JSON_REPORT_H_

#include <string>
#include "absl/strings/string_view.h"

#include "profiler/profiler.h"

namespace ctxmem::profiler {

// Appends `text` as a quoted JSON string: quotes, backslashes and control
// characters escaped; other bytes (UTF-8 included) kept as they are.
void AppendJsonString(std::string* out, absl::string_view text);

std::string JsonReport(const Profile& profile);

}  // namespace ctxmem::profiler

#endif  // CTXMEM_PROFILER_JSON_REPORT_H_
