#include "cli/profile_command.h"

#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "cli/context_workload.h"
#include "cli/stress_command.h"
#include "profiler/profiler.h"
#include "profiler/report_files.h"

namespace ctxmem::cli {
namespace {

struct ProfiledRun {
  absl::Status workload;                      // the stress command's result
  absl::StatusOr<profiler::ReportPaths> reports;
};

ProfiledRun RunProfiled(const stress::StressOptions& stress_options,
                        std::chrono::milliseconds interval, bool context_workload,
                        const std::string& dir, std::FILE* out) {
  ProfiledRun run;
  // Built before the profiler, so that it outlives every sample of its sources.
  stress::StressWorkload workload(stress_options);
  profiler::Profiler profiler({.interval = interval});
  // The profiler's own memory is a component like any other: fixed once started.
  absl::Status status = profiler.AddSource({"profiler", [&profiler] {
                                              const uint64_t bytes = profiler.reserved_bytes();
                                              return profiler::ComponentSample{
                                                  .bytes_reserved = bytes, .bytes_used = bytes, .hit_rate = std::nullopt};
                                            }});
  // The stress workload's arenas and pools, sampled while it runs.
  status.Update(workload.RegisterSources(profiler));
  std::unique_ptr<ContextWorkload> context;
  if (context_workload) {
    context = std::make_unique<ContextWorkload>();
    status.Update(context->RegisterSources(profiler));
  }
  if (!status.ok()) {
    run.workload = status;
    run.reports = status;
    return run;
  }
  profiler.Start();
  if (context) context->Start();
  run.workload = RunStressCommand(workload, out);
  if (context) context->Stop();
  profiler.Stop();  // last sample: what the components hold at shutdown
  run.reports = profiler::WriteReportFiles(profiler.Collect(), dir);
  return run;
}

}  // namespace

absl::Status RunProfileCommand(const ProfileCommandOptions& options, std::FILE* out) {
  const ProfiledRun run = RunProfiled(options.stress, options.interval, options.context_workload,
                                      options.out_dir, out);
  if (!run.reports.ok()) return run.reports.status();
  absl::FPrintF(out, "json: %s\nprometheus: %s\nhtml: %s\nleaks: %s\n", run.reports->json,
                run.reports->prometheus, run.reports->html, run.reports->leaks);
  return run.workload;
}

// The default stress run lasts well under a second: sample often enough for
// the report to show its shape (a snapshot costs ~13 us, so 2 ms is < 1%).
constexpr std::chrono::milliseconds kStressReportInterval{2};

absl::Status RunStressWithReport(const stress::StressOptions& options,
                                 const std::string& report_dir, std::FILE* out) {
  const ProfiledRun run = RunProfiled(options, kStressReportInterval,
                                      /*context_workload=*/false, report_dir, out);
  if (!run.reports.ok()) return run.reports.status();
  absl::FPrintF(out, "report: %s\n", run.reports->html);
  return run.workload;
}

}  // namespace ctxmem::cli
