#include "profiler/report_files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "profiler/html_report.h"
#include "profiler/json_report.h"
#include "profiler/leak_report.h"
#include "profiler/prometheus_report.h"

namespace ctxmem::profiler {
namespace {

absl::Status WriteFile(const std::string& path, const std::string& contents) {
  std::FILE* file = std::fopen(path.c_str(), "we");
  if (file == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  const size_t written = std::fwrite(contents.data(), 1, contents.size(), file);
  const bool closed = std::fclose(file) == 0;
  if (written != contents.size() || !closed) {
    return absl::DataLossError(absl::StrCat("short write to ", path));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ReportPaths> WriteReportFiles(const Profile& profile, const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return absl::UnavailableError(absl::StrCat("cannot create ", dir, ": ", error.message()));
  ReportPaths paths{absl::StrCat(dir, "/profile.json"), absl::StrCat(dir, "/metrics.prom"),
                    absl::StrCat(dir, "/report.html"), absl::StrCat(dir, "/leaks.txt")};
  for (const auto& [path, contents] :
       {std::pair{&paths.json, JsonReport(profile)},
        std::pair{&paths.prometheus, PrometheusReport(profile)},
        std::pair{&paths.html, HtmlReport(profile)}, std::pair{&paths.leaks, LeakReport(profile)}}) {
    if (absl::Status s = WriteFile(*path, contents); !s.ok()) return s;
  }
  return paths;
}

}  // namespace ctxmem::profiler
