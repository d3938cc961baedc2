// Writes every report of a profile into one directory.

#ifndef CTXMEM_PROFILER_REPORT_FILES_H_
#define CTXMEM_PROFILER_REPORT_FILES_H_

#include <string>

#include "absl/status/statusor.h"
#include "profiler/profiler.h"

namespace ctxmem::profiler {

struct ReportPaths {
  std::string json;        // profile.json: every snapshot
  std::string prometheus;  // metrics.prom: the last snapshot
  std::string html;        // report.html: charts, no network needed
  std::string leaks;       // leaks.txt: what was held at the end
};

// Creates `dir` (and its parents) if needed; overwrites the four files.
absl::StatusOr<ReportPaths> WriteReportFiles(const Profile& profile, const std::string& dir);

}  // namespace ctxmem::profiler

#endif  // CTXMEM_PROFILER_REPORT_FILES_H_
