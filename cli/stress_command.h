// `ctxmem stress`: runs the memory core's 1M-allocation workload and prints a
// short memory summary.

#ifndef CTXMEM_CLI_STRESS_COMMAND_H_
#define CTXMEM_CLI_STRESS_COMMAND_H_

#include <cstdio>

#include "absl/status/status.h"
#include "stress/stress_workload.h"

namespace ctxmem::cli {

// Runs the workload and writes the summary to `out`. Fails (after printing
// the summary) when the run found corruption.
absl::Status RunStressCommand(const stress::StressOptions& options, std::FILE* out);
// As above, for a workload built by the caller (whose components a profiler
// may be sampling).
absl::Status RunStressCommand(stress::StressWorkload& workload, std::FILE* out);

}  // namespace ctxmem::cli

#endif  // CTXMEM_CLI_STRESS_COMMAND_H_
