// The latest snapshot in Prometheus' text exposition format (version 0.0.4),
// for a scrape endpoint or node_exporter's textfile collector:
//
//   # HELP ctxmem_tracked_live_bytes Heap bytes live in the tracking allocator.
//   # TYPE ctxmem_tracked_live_bytes gauge
//   ctxmem_tracked_live_bytes 1048576
//   ...
//   ctxmem_component_reserved_bytes{component="interner"} 65536

#ifndef CTXMEM_PROFILER_PROMETHEUS_REPORT_H_
#define CTXMEM_PROFILER_PROMETHEUS_REPORT_H_

#include <string>
#include "absl/strings/string_view.h"

#include "profiler/profiler.h"

namespace ctxmem::profiler {

// Escapes a label value: backslash, double quote and newline.
std::string PrometheusLabelValue(absl::string_view value);

// Empty metrics (no samples) when the profile has no snapshot.
std::string PrometheusReport(const Profile& profile);

}  // namespace ctxmem::profiler

#endif  // CTXMEM_PROFILER_PROMETHEUS_REPORT_H_
