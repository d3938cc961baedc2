#include "profiler/leak_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ctxmem::profiler {

LeakSummary SummarizeLeaks(const Profile& profile) {
  LeakSummary summary;
  if (profile.snapshots.empty()) return summary;
  const Snapshot& s = profile.snapshots.back();
  summary.tracked_live_bytes = s.tracked_live_bytes;
  for (int c = 0; c < s.num_components; ++c) {
    summary.components.push_back(
        {c < profile.components.size() ? profile.components[c] : std::string(),
         s.components[c].bytes_reserved, s.components[c].bytes_mapped,
         s.components[c].bytes_used});
    summary.attributed_bytes += s.components[c].bytes_reserved;
    summary.mapped_bytes += s.components[c].bytes_mapped;
  }
  summary.unattributed_bytes =
      summary.tracked_live_bytes - static_cast<int64_t>(summary.attributed_bytes);
  return summary;
}

std::string LeakReport(const Profile& profile) {
  std::string out = "ctxmem leak report\n";
  if (profile.snapshots.empty()) {
    out.append("no snapshot taken\n");
    return out;
  }
  const LeakSummary summary = SummarizeLeaks(profile);
  absl::StrAppendFormat(&out, "at %.3f s, after %d samples\n",
                        profile.snapshots.back().time_ns / 1e9, profile.samples);
  absl::StrAppendFormat(&out, "tracked heap live: %d bytes\n", summary.tracked_live_bytes);
  for (const LeakSummary::Component& c : summary.components) {
    absl::StrAppendFormat(&out, "component %s: %d heap bytes, %d mapped bytes, %d bytes used\n",
                          c.name, c.reserved_bytes, c.mapped_bytes, c.used_bytes);
  }
  absl::StrAppendFormat(&out, "heap attributed to components: %d bytes\n",
                        summary.attributed_bytes);
  absl::StrAppendFormat(&out, "not attributed to any component: %d bytes\n",
                        summary.unattributed_bytes);
  absl::StrAppendFormat(&out, "mapped by components (not heap, not tracked): %d bytes\n",
                        summary.mapped_bytes);
  return out;
}

}  // namespace ctxmem::profiler
