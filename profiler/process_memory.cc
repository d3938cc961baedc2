#include "profiler/process_memory.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace ctxmem::profiler {

absl::StatusOr<ProcessMemory> ParseProcessStatus(const char* text) {
  struct Field {
    absl::string_view name;
    uint64_t ProcessMemory::*member;
    bool seen = false;
  };
  Field fields[] = {
      {"VmRSS", &ProcessMemory::resident_bytes},
      {"VmHWM", &ProcessMemory::peak_resident_bytes},
      {"RssAnon", &ProcessMemory::anonymous_bytes},
      {"RssFile", &ProcessMemory::file_bytes},
      {"VmSize", &ProcessMemory::virtual_bytes},
  };
  ProcessMemory memory;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    for (Field& field : fields) {
      absl::string_view rest = line;
      if (!absl::ConsumePrefix(&rest, field.name) || !absl::ConsumePrefix(&rest, ":")) continue;
      rest = absl::StripAsciiWhitespace(rest);
      uint64_t kib = 0;
      if (!absl::ConsumeSuffix(&rest, " kB") ||
          !absl::SimpleAtoi(absl::StripAsciiWhitespace(rest), &kib)) {
        return absl::DataLossError(absl::StrCat("unreadable ", field.name, " line: '", line, "'"));
      }
      memory.*field.member = kib * 1024;
      field.seen = true;
    }
  }
  for (const Field& field : fields) {
    if (!field.seen) return absl::NotFoundError(absl::StrCat("no ", field.name, " line"));
  }
  return memory;
}

absl::StatusOr<ProcessMemory> ReadProcessMemory() {
  std::FILE* file = std::fopen("/proc/self/status", "re");
  if (file == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("cannot open /proc/self/status: ", std::strerror(errno)));
  }
  char text[8192];
  const size_t n = std::fread(text, 1, sizeof(text) - 1, file);
  std::fclose(file);
  text[n] = '\0';
  return ParseProcessStatus(text);
}

}  // namespace ctxmem::profiler
