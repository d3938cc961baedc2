// The memory core under load: a million mixed allocations through request
// arenas, nested scopes, a shared object pool, a shared buffer pool and
// generational arenas, on several threads at once. Every block is filled with
// a pattern and checked before it is given back, so corruption is counted,
// not just crashes. Used by `ctxmem stress` and by //stress:stress_test, which
// runs it under ASan and TSan.
//
//   stress::StressWorkload workload(options);
//   workload.RegisterSources(profiler);   // optional: its arenas and pools as components
//   profiler.Start();
//   stress::StressReport report = workload.Run();
//   profiler.Stop();
//
// or just `stress::RunStress(options)`.

#ifndef CTXMEM_STRESS_STRESS_WORKLOAD_H_
#define CTXMEM_STRESS_STRESS_WORKLOAD_H_

#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "pool/buffer_pool.h"
#include "pool/object_pool.h"
#include "profiler/profiler.h"

namespace ctxmem::stress {

struct StressOptions {
  int threads = 2;
  // Arena allocations, pool acquires and generational inserts, all threads.
  uint64_t allocations = 1'000'000;
  uint32_t seed = 1;
};

struct StressReport {
  int threads = 0;
  uint64_t allocations = 0;
  uint64_t requests = 0;
  uint64_t corruptions = 0;  // pattern mismatches and dirty reused objects
  double seconds = 0;
  // Request arenas, summed over threads.
  uint64_t arena_allocations = 0;
  uint64_t arena_upstream_allocations = 0;
  // Upstream allocations in the second half of each thread's work.
  uint64_t arena_upstream_allocations_warm = 0;
  uint64_t arena_warm_requests = 0;
  uint64_t arena_peak_used_bytes = 0;      // highest of any thread
  uint64_t arena_reserved_bytes = 0;       // at the end, summed
  // Generational arenas, summed over threads.
  uint64_t handle_inserts = 0;
  uint64_t stale_handle_checks = 0;
  pool::ObjectPoolStats object_pool;
  size_t object_pool_idle = 0;
  pool::BufferPoolStats buffer_pool;
};

// The workload's components (its shared pools and every worker's request
// arena) exist from construction to destruction, so a profiler can sample
// them while Run() works.
class StressWorkload {
 public:
  explicit StressWorkload(const StressOptions& options);
  StressWorkload(const StressWorkload&) = delete;
  StressWorkload& operator=(const StressWorkload&) = delete;
  ~StressWorkload();

  // Adds three sources, before profiler.Start(); the workload must outlive
  // the profiler's sampling (stop it first):
  //   stress.arenas       the workers' request arenas: heap reserved (summed)
  //                       and the bytes in use at the end of their latest
  //                       request (summed);
  //   stress.object_pool  the message pool: its idle objects (their own size;
  //                       the strings' capacity is not visible to the pool)
  //                       and its hit rate;
  //   stress.buffer_pool  the buffer pool: idle bytes and hit rate.
  // The sources read atomics and the pools' own thread-safe figures, and do
  // not allocate.
  absl::Status RegisterSources(profiler::Profiler& profiler);

  // Runs the workload (once).
  StressReport Run();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

StressReport RunStress(const StressOptions& options);

}  // namespace ctxmem::stress

#endif  // CTXMEM_STRESS_STRESS_WORKLOAD_H_
