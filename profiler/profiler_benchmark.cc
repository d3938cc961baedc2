// What one snapshot costs, and where the time goes.
//
//   bazel run --config=opt //profiler:profiler_benchmark

#include <atomic>
#include <cstdint>

#include "alloc/stats.h"
#include "benchmark/benchmark.h"
#include "profiler/process_memory.h"
#include "profiler/profiler.h"

namespace ctxmem::profiler {
namespace {

void AddSources(Profiler& profiler, int n, std::atomic<uint64_t>& counter) {
  for (int i = 0; i < n; ++i) {
    (void)profiler.AddSource({"source", [&counter] {
                                const uint64_t v = counter.load(std::memory_order_relaxed);
                                return ComponentSample{.bytes_reserved = v, .bytes_used = v / 2,
                                                       .hit_rate = 0.9};
                              }});
  }
}

// The whole snapshot: tracked heap, /proc/self/status, and N sources.
void BM_TakeSnapshot(benchmark::State& state) {
  std::atomic<uint64_t> counter{4096};
  Profiler profiler;
  AddSources(profiler, static_cast<int>(state.range(0)), counter);
  for (auto _ : state) {
    Snapshot s = profiler.TakeSnapshot();
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_TakeSnapshot)->Arg(0)->Arg(4)->Arg(16);

// Sample(): a snapshot plus the locked push into the ring.
void BM_Sample(benchmark::State& state) {
  std::atomic<uint64_t> counter{4096};
  Profiler profiler({.capacity = 256});
  AddSources(profiler, 4, counter);
  for (auto _ : state) profiler.Sample();
}
BENCHMARK(BM_Sample);

// The tracked heap on its own: sums every thread's counters.
void BM_GlobalStats(benchmark::State& state) {
  for (auto _ : state) {
    alloc::AllocationStats stats = alloc::GlobalStats();
    benchmark::DoNotOptimize(stats);
  }
}
BENCHMARK(BM_GlobalStats);

// The /proc read on its own (through fopen, as ReadProcessMemory does).
void BM_ReadProcessMemory(benchmark::State& state) {
  for (auto _ : state) {
    auto memory = ReadProcessMemory();
    benchmark::DoNotOptimize(memory);
  }
}
BENCHMARK(BM_ReadProcessMemory);

}  // namespace
}  // namespace ctxmem::profiler
