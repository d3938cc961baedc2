#include "profiler/json_report.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ctxmem::profiler {
namespace {

void AppendDouble(std::string* out, double value) {
  if (!std::isfinite(value)) {
    out->append("null");  // JSON has no NaN or infinity
  } else {
    absl::StrAppendFormat(out, "%.6g", value);
  }
}

}  // namespace

void AppendJsonString(std::string* out, absl::string_view text) {
  out->push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(out, "\\u%04x", static_cast<unsigned char>(c));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

std::string JsonReport(const Profile& profile) {
  std::string out;
  out.append("{\"interval_ms\": ");
  AppendDouble(&out, std::chrono::duration<double, std::milli>(profile.interval).count());
  absl::StrAppend(&out, ", \"samples\": ", profile.samples,
                  ", \"dropped\": ", profile.samples - profile.snapshots.size(),
                  ",\n \"components\": [");
  for (size_t i = 0; i < profile.components.size(); ++i) {
    if (i > 0) out.append(", ");
    AppendJsonString(&out, profile.components[i]);
  }
  out.append("],\n \"snapshots\": [");
  for (size_t i = 0; i < profile.snapshots.size(); ++i) {
    const Snapshot& s = profile.snapshots[i];
    out.append(i == 0 ? "\n  " : ",\n  ");
    out.append("{\"time_ms\": ");
    AppendDouble(&out, s.time_ns / 1e6);
    absl::StrAppend(&out, ", \"tracked\": {\"live_bytes\": ", s.tracked_live_bytes,
                    ", \"peak_bytes\": ", s.tracked_peak_bytes,
                    ", \"allocations\": ", s.tracked_allocations, "}, \"process\": ");
    if (s.process_ok) {
      absl::StrAppend(&out, "{\"resident_bytes\": ", s.process.resident_bytes,
                      ", \"peak_resident_bytes\": ", s.process.peak_resident_bytes,
                      ", \"anonymous_bytes\": ", s.process.anonymous_bytes,
                      ", \"file_bytes\": ", s.process.file_bytes, "}");
    } else {
      out.append("null");
    }
    out.append(", \"components\": [");
    for (int c = 0; c < s.num_components; ++c) {
      const ComponentSample& sample = s.components[c];
      if (c > 0) out.append(", ");
      out.append("{\"name\": ");
      AppendJsonString(&out, c < profile.components.size() ? profile.components[c] : "");
      absl::StrAppend(&out, ", \"reserved_bytes\": ", sample.bytes_reserved,
                      ", \"mapped_bytes\": ", sample.bytes_mapped,
                      ", \"used_bytes\": ", sample.bytes_used, ", \"hit_rate\": ");
      if (sample.hit_rate.has_value()) {
        AppendDouble(&out, *sample.hit_rate);
      } else {
        out.append("null");
      }
      out.append("}");
    }
    out.append("]}");
  }
  out.append(profile.snapshots.empty() ? "]}\n" : "\n ]}\n");
  return out;
}

}  // namespace ctxmem::profiler
