// Profiler: samples the process's memory in the background into a bounded
// ring of snapshots.
//
//   profiler::Profiler profiler({.interval = std::chrono::milliseconds(10)});
//   profiler.AddSource({"buffer_pool", [&] { ... }});   // before Start()
//   profiler.Start();
//   RunWorkload();
//   profiler.Stop();
//   profiler::Profile profile = profiler.Collect();     // feed the reports
//
// The profiler's own memory is fixed: the ring is allocated at construction
// and the sampler thread when Start() runs; after that a sample touches no
// heap (sources must not allocate either, see memory_source.h). Its cost is
// dominated by reading /proc/self/status (README.md has the numbers).
//
// Thread safety: Start(), Stop() and AddSource() must come from one thread;
// TakeSnapshot(), Sample(), Collect() and the accessors may be called from
// any thread at any time.

#ifndef CTXMEM_PROFILER_PROFILER_H_
#define CTXMEM_PROFILER_PROFILER_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "profiler/memory_source.h"
#include "profiler/snapshot.h"
#include "profiler/snapshot_ring.h"

namespace ctxmem::profiler {

struct ProfilerOptions {
  std::chrono::nanoseconds interval = std::chrono::milliseconds(100);
  // Snapshots kept; older ones are overwritten. 1024 snapshots of 728 bytes
  // (room for 16 sources) is 728 KiB and covers 102 s at the default interval.
  size_t capacity = 1024;
};

// Everything the reports need, copied out of a profiler.
struct Profile {
  std::vector<std::string> components;  // source names, index = component slot
  std::vector<Snapshot> snapshots;      // oldest first
  std::chrono::nanoseconds interval{0};
  uint64_t samples = 0;  // taken in all; samples - snapshots.size() were dropped
};

class Profiler {
 public:
  explicit Profiler(ProfilerOptions options = {});
  Profiler(const Profiler&) = delete;
  Profiler& operator=(const Profiler&) = delete;
  ~Profiler();  // stops the sampler

  // Registers a component. Fails past kMaxSources sources, with an empty
  // name or function, and once Start() has run.
  absl::Status AddSource(MemorySource source);

  // Takes a sample now and then one every `interval` on a background thread.
  // Does nothing if already running.
  void Start();
  // Takes a last sample and joins the sampler. Does nothing if not running.
  void Stop();
  bool running() const { return thread_.joinable(); }

  // Measures without recording. Does not allocate.
  Snapshot TakeSnapshot() const;
  // TakeSnapshot() into the ring. Does not allocate.
  void Sample();

  Profile Collect() const;
  uint64_t samples() const;
  size_t capacity() const { return options_.capacity; }
  // Heap bytes of the ring and the source table: fixed once started.
  size_t reserved_bytes() const;

 private:
  void Run();

  const ProfilerOptions options_;
  const std::chrono::steady_clock::time_point epoch_;
  std::vector<MemorySource> sources_;  // frozen by Start()
  bool started_ = false;

  mutable std::mutex ring_mutex_;
  SnapshotRing ring_;  // guarded by ring_mutex_

  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stop_ = false;  // guarded by stop_mutex_
  std::thread thread_;
};

}  // namespace ctxmem::profiler

#endif  // CTXMEM_PROFILER_PROFILER_H_
