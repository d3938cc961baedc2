#include "profiler/prometheus_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ctxmem::profiler {
namespace {

void Header(std::string* out, absl::string_view name, absl::string_view type,
            absl::string_view help) {
  absl::StrAppend(out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ", type, "\n");
}

}  // namespace

std::string PrometheusLabelValue(absl::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\') {
      out.append("\\\\");
    } else if (c == '"') {
      out.append("\\\"");
    } else if (c == '\n') {
      out.append("\\n");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string PrometheusReport(const Profile& profile) {
  std::string out;
  Header(&out, "ctxmem_profiler_samples_total", "counter", "Snapshots the profiler has taken.");
  absl::StrAppend(&out, "ctxmem_profiler_samples_total ", profile.samples, "\n");
  if (profile.snapshots.empty()) return out;
  const Snapshot& s = profile.snapshots.back();

  Header(&out, "ctxmem_tracked_live_bytes", "gauge", "Heap bytes live in the tracking allocator.");
  absl::StrAppend(&out, "ctxmem_tracked_live_bytes ", s.tracked_live_bytes, "\n");
  Header(&out, "ctxmem_tracked_peak_bytes", "gauge",
         "Highest tracked live heap bytes since the last peak reset.");
  absl::StrAppend(&out, "ctxmem_tracked_peak_bytes ", s.tracked_peak_bytes, "\n");
  Header(&out, "ctxmem_tracked_allocations_total", "counter",
         "operator new calls counted by the tracking allocator.");
  absl::StrAppend(&out, "ctxmem_tracked_allocations_total ", s.tracked_allocations, "\n");
  if (s.process_ok) {
    Header(&out, "ctxmem_process_resident_bytes", "gauge", "Resident set size (VmRSS).");
    absl::StrAppend(&out, "ctxmem_process_resident_bytes ", s.process.resident_bytes, "\n");
    Header(&out, "ctxmem_process_peak_resident_bytes", "gauge",
           "Highest resident set size (VmHWM).");
    absl::StrAppend(&out, "ctxmem_process_peak_resident_bytes ", s.process.peak_resident_bytes,
                    "\n");
    Header(&out, "ctxmem_process_anonymous_bytes", "gauge",
           "Resident anonymous memory: heap, stacks, anonymous maps (RssAnon).");
    absl::StrAppend(&out, "ctxmem_process_anonymous_bytes ", s.process.anonymous_bytes, "\n");
  }
  if (s.num_components == 0) return out;

  auto label = [&](int c) {
    return absl::StrCat("{component=\"",
                        PrometheusLabelValue(c < profile.components.size() ? profile.components[c]
                                                                           : ""),
                        "\"}");
  };
  Header(&out, "ctxmem_component_reserved_bytes", "gauge", "Heap bytes a component holds.");
  for (int c = 0; c < s.num_components; ++c) {
    absl::StrAppend(&out, "ctxmem_component_reserved_bytes", label(c), " ",
                    s.components[c].bytes_reserved, "\n");
  }
  Header(&out, "ctxmem_component_mapped_bytes", "gauge",
         "Bytes a component holds in anonymous mappings (not heap).");
  for (int c = 0; c < s.num_components; ++c) {
    absl::StrAppend(&out, "ctxmem_component_mapped_bytes", label(c), " ",
                    s.components[c].bytes_mapped, "\n");
  }
  Header(&out, "ctxmem_component_used_bytes", "gauge",
         "Bytes of a component's heap and mapped memory that hold live data.");
  for (int c = 0; c < s.num_components; ++c) {
    absl::StrAppend(&out, "ctxmem_component_used_bytes", label(c), " ",
                    s.components[c].bytes_used, "\n");
  }
  bool any_hit_rate = false;
  for (int c = 0; c < s.num_components; ++c) any_hit_rate |= s.components[c].hit_rate.has_value();
  if (any_hit_rate) {
    Header(&out, "ctxmem_component_hit_ratio", "gauge",
           "Fraction of a pool's or cache's lookups served from what it kept.");
    for (int c = 0; c < s.num_components; ++c) {
      if (!s.components[c].hit_rate.has_value()) continue;
      absl::StrAppendFormat(&out, "ctxmem_component_hit_ratio%s %.6g\n", label(c),
                            *s.components[c].hit_rate);
    }
  }
  return out;
}

}  // namespace ctxmem::profiler
