// A named component whose memory the profiler samples.
//
// The profiler knows nothing of arenas, pools or interners: whoever owns a
// component registers a MemorySource that reads its figures. This keeps the
// core packages independent of the profiler (and of each other).
//
//   profiler.AddSource({"interner", [&] {
//     return ComponentSample{.bytes_reserved = names.reserved_bytes(),
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

struct ComponentSample {
  uint64_t bytes_reserved = 0;  // heap bytes the component holds
  uint64_t bytes_used = 0;      // of those, bytes holding live data
  // For pools and caches: hits / lookups so far, in [0, 1].
  std::optional<double> hit_rate;
};

struct MemorySource {
  std::string name;
  std::function<ComponentSample()> sample;
};

}  // namespace ctxmem::profiler

#endif  // CTXMEM_PROFILER_MEMORY_SOURCE_H_
