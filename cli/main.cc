// ctxmem: the command-line face of the engine.
//
//   ctxmem stress [--threads=N] [--allocations=N] [--seed=N] [--report_dir=DIR]
//   ctxmem profile [--threads=N] [--allocations=N] [--seed=N] [--interval_ms=N] [--out_dir=DIR]
//   ctxmem limits --model=ID [--settings=JSON]

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "cli/estimate_command.h"
#include "cli/limits_command.h"
#include "cli/manage_command.h"
#include "cli/profile_command.h"
#include "cli/stress_command.h"
#include "cli/tokens_command.h"

ABSL_FLAG(int, threads, 2, "stress: worker threads");
ABSL_FLAG(uint64_t, allocations, 1'000'000, "stress: allocations over all threads");
ABSL_FLAG(uint32_t, seed, 1, "stress: random seed");
ABSL_FLAG(std::string, report_dir, "/tmp/ctxmem-report",
          "stress: where to write the memory profile's reports; empty for none");
ABSL_FLAG(int, interval_ms, 10, "profile: sampling interval in milliseconds");
ABSL_FLAG(std::string, out_dir, "/tmp/ctxmem-profile", "profile: where to write the reports");
ABSL_FLAG(std::string, model, "", "limits: model id, as in context/models/models.csv");
ABSL_FLAG(std::string, settings, "", "limits: provider settings as a JSON object");
ABSL_FLAG(std::string, encoding, "o200k_base", "tokens: o200k_base or cl100k_base");
ABSL_FLAG(std::string, json, "", "estimate, manage: input file (JSON)");
ABSL_FLAG(std::string, jsonl, "", "tokens: input file, one {\"id\", \"text\"} object per line");

namespace {

constexpr char kUsage[] =
    "usage: ctxmem <command> [flags]\n"
    "commands:\n"
    "  stress   run the 1M-allocation memory-core workload and print a memory summary\n"
    "           flags: --threads=N (2) --allocations=N (1000000) --seed=N (1)\n"
    "                  --report_dir=DIR (/tmp/ctxmem-report; empty: no report)\n"
    "  profile  run the stress workload and an agent-like workload under the memory\n"
    "           profiler; write profile.json, metrics.prom, report.html and leaks.txt\n"
    "           flags: as stress, and --interval_ms=N (10) --out_dir=DIR (/tmp/ctxmem-profile)\n"
    "  tokens   count tokens exactly as tiktoken: one '<id> <count> <fnv1a64 of ids>' line\n"
    "           per {\"id\",\"text\"} line of --jsonl=FILE; --encoding=o200k_base|cl100k_base\n"
    "  estimate the reference assistant's token estimate of --json=FILE ({\"content\": [...]})\n"
    "  manage   one manageContext step of the reference on --json=FILE (conformance.md §3):\n"
    "           the decision, the stored history and the effective history, one JSON line\n"
    "  limits   a model's context window and reserved output tokens as the reference\n"
    "           computes them, one JSON line; --model=ID [--settings=JSON]\n";

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
  if (command == "limits") {
    const std::string model = absl::GetFlag(FLAGS_model);
    if (model.empty()) return Fail("limits needs --model=ID");
    const absl::Status status =
        ctxmem::cli::RunLimitsCommand(model, absl::GetFlag(FLAGS_settings), stdout);
    if (!status.ok()) return Fail(std::string(status.message()));
    return 0;
  }
  if (command == "estimate") {
    const std::string json = absl::GetFlag(FLAGS_json);
    if (json.empty()) return Fail("estimate needs --json=FILE");
    const absl::Status status = ctxmem::cli::RunEstimateCommand(json, stdout);
    if (!status.ok()) return Fail(std::string(status.message()));
    return 0;
  }
  if (command == "manage") {
    const std::string json = absl::GetFlag(FLAGS_json);
    if (json.empty()) return Fail("manage needs --json=FILE");
    const absl::Status status = ctxmem::cli::RunManageCommand(json, stdout);
    if (!status.ok()) return Fail(std::string(status.message()));
    return 0;
  }
  if (command == "tokens") {
    const std::string jsonl = absl::GetFlag(FLAGS_jsonl);
    if (jsonl.empty()) return Fail("tokens needs --jsonl=FILE");
    const absl::Status status =
        ctxmem::cli::RunTokensCommand(absl::GetFlag(FLAGS_encoding), jsonl, stdout);
    if (!status.ok()) return Fail(std::string(status.message()));
    return 0;
  }
  if (command == "stress" || command == "profile") {
    ctxmem::stress::StressOptions options;
    options.threads = absl::GetFlag(FLAGS_threads);
    options.allocations = absl::GetFlag(FLAGS_allocations);
    options.seed = absl::GetFlag(FLAGS_seed);
    if (options.threads < 1 || options.threads > 64) {
      return Fail("--threads must be between 1 and 64");
    }
    absl::Status status;
    if (command == "profile") {
      const int interval_ms = absl::GetFlag(FLAGS_interval_ms);
      if (interval_ms < 1 || interval_ms > 60'000) {
        return Fail("--interval_ms must be between 1 and 60000");
      }
      ctxmem::cli::ProfileCommandOptions profile;
      profile.stress = options;
      profile.interval = std::chrono::milliseconds(interval_ms);
      profile.out_dir = absl::GetFlag(FLAGS_out_dir);
      if (profile.out_dir.empty()) return Fail("--out_dir must not be empty");
      status = ctxmem::cli::RunProfileCommand(profile, stdout);
    } else if (const std::string dir = absl::GetFlag(FLAGS_report_dir); !dir.empty()) {
      status = ctxmem::cli::RunStressWithReport(options, dir, stdout);
    } else {
      status = ctxmem::cli::RunStressCommand(options, stdout);
    }
    if (!status.ok()) return Fail(std::string(status.message()));
    return 0;
  }
  std::fputs(kUsage, stderr);
  return Fail(absl::StrCat("unknown command '", command, "'"));
}
