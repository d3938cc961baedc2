// `ctxmem profile` and the report that `ctxmem stress` leaves behind: the
// stress workload runs with the profiler sampling in the background, and the
// profile is written out as JSON, Prometheus text, an HTML page and a leak
// report (profiler/report_files.h).
//
// Components: the stress workload's request arenas, object pool and buffer
// pool (stress::StressWorkload::RegisterSources), the profiler's own ring
// ("profiler") and, for `ctxmem profile`, a ContextWorkload run beside the
// stress workload (arena, interner, buffer pool, file cache). The tracked
// heap and the process's memory cover everything.

#ifndef CTXMEM_CLI_PROFILE_COMMAND_H_
#define CTXMEM_CLI_PROFILE_COMMAND_H_

#include <chrono>
#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "stress/stress_workload.h"

namespace ctxmem::cli {

struct ProfileCommandOptions {
  stress::StressOptions stress;
  std::chrono::milliseconds interval{10};
  std::string out_dir = "/tmp/ctxmem-profile";
  // Runs a ContextWorkload too (its arena, interner, buffer pool and file
  // cache become components).
  bool context_workload = true;
};

// Prints the stress summary, then one line per report file:
//   json: DIR/profile.json
//   prometheus: DIR/metrics.prom
//   html: DIR/report.html
//   leaks: DIR/leaks.txt
absl::Status RunProfileCommand(const ProfileCommandOptions& options, std::FILE* out);

// `ctxmem stress --report_dir=DIR`: prints exactly what RunStressCommand
// prints, then one final line "report: DIR/report.html".
absl::Status RunStressWithReport(const stress::StressOptions& options,
                                 const std::string& report_dir, std::FILE* out);

}  // namespace ctxmem::cli

#endif  // CTXMEM_CLI_PROFILE_COMMAND_H_
