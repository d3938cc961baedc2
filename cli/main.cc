// ctxmem: the command-line face of the engine.
//
//   ctxmem stress [--threads=N] [--allocations=N] [--seed=N]

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "cli/stress_command.h"

ABSL_FLAG(int, threads, 2, "stress: worker threads");
ABSL_FLAG(uint64_t, allocations, 1'000'000, "stress: allocations over all threads");
ABSL_FLAG(uint32_t, seed, 1, "stress: random seed");

namespace {

constexpr char kUsage[] =
    "usage: ctxmem <command> [flags]\n"
    "commands:\n"
    "  stress   run the 1M-allocation memory-core workload and print a memory summary\n"
    "           flags: --threads=N (2) --allocations=N (1000000) --seed=N (1)\n";

int Fail(const std::string& message) {
  std::fprintf(stderr, "ctxmem: %s\n", message.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string command = args[1];
  if (args.size() > 2) return Fail(absl::StrCat("unexpected argument '", args[2], "'"));
  if (command == "stress") {
    ctxmem::stress::StressOptions options;
    options.threads = absl::GetFlag(FLAGS_threads);
    options.allocations = absl::GetFlag(FLAGS_allocations);
    options.seed = absl::GetFlag(FLAGS_seed);
    if (options.threads < 1 || options.threads > 64) {
      return Fail("--threads must be between 1 and 64");
    }
    const absl::Status status = ctxmem::cli::RunStressCommand(options, stdout);
    if (!status.ok()) return Fail(std::string(status.message()));
    return 0;
  }
  std::fputs(kUsage, stderr);
  return Fail(absl::StrCat("unknown command '", command, "'"));
}
