// The process's memory as the kernel sees it, read from /proc/self/status.

#ifndef CTXMEM_PROFILER_PROCESS_MEMORY_H_
#define CTXMEM_PROFILER_PROCESS_MEMORY_H_

#include <cstdint>

#include "absl/status/statusor.h"

namespace ctxmem::profiler {

struct ProcessMemory {
  uint64_t resident_bytes = 0;       // VmRSS
  uint64_t peak_resident_bytes = 0;  // VmHWM
  uint64_t anonymous_bytes = 0;      // RssAnon: heap, stacks, anonymous maps
  uint64_t file_bytes = 0;           // RssFile: mapped files, the binary included
  uint64_t virtual_bytes = 0;        // VmSize
};

// Reads /proc/self/status; an error names what could not be read.
absl::StatusOr<ProcessMemory> ReadProcessMemory();

// Parses the text of a /proc/<pid>/status file.
absl::StatusOr<ProcessMemory> ParseProcessStatus(const char* text);

}  // namespace ctxmem::profiler

#endif  // CTXMEM_PROFILER_PROCESS_MEMORY_H_
