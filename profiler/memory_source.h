// A named component whose memory the profiler samples.
//
// The profiler knows nothing of arenas, pools or interners: whoever owns a
// component registers a MemorySource that reads its figures. This keeps the
// core packages independent of the profiler (and of each other).
//
//   profiler.AddSource({"interner", [&] {
//     return ComponentSample{.bytes_reserved = names.heap_bytes(),
//                            .bytes_mapped = names.mapped_bytes(),
//                            .bytes_used = names.used_bytes()};
//   }});
//
// The sampling function runs on the profiler's thread, so it must be safe to
// call concurrently with the component's owner, and it should not allocate:
// the profiler promises no heap activity per sample.

#ifndef CTXMEM_PROFILER_MEMORY_SOURCE_H_
#define CTXMEM_PROFILER_MEMORY_SOURCE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace ctxmem::profiler {

// Heap and mapped memory are reported apart: the tracking allocator sees the
// heap only, so the leak report compares it with the heap part alone (a file
// cache's anonymous mappings or an interner's reserved index would otherwise
// make "not attributed" negative).
struct ComponentSample {
  uint64_t bytes_reserved = 0;  // heap bytes the component holds
  uint64_t bytes_mapped = 0;    // bytes in anonymous mappings it holds (not heap)
  uint64_t bytes_used = 0;      // of heap + mapped, bytes holding live data
  // For pools and caches: hits / lookups so far, in [0, 1]; nullopt before
  // the first lookup (charts leave a gap rather than plot 0%).
  std::optional<double> hit_rate;
};

struct MemorySource {
  std::string name;
  std::function<ComponentSample()> sample;
};

}  // namespace ctxmem::profiler

#endif  // CTXMEM_PROFILER_MEMORY_SOURCE_H_
