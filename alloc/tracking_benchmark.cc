// Cost of tracking, in one run: the same allocation-heavy work through the
// tracked global operator new (std::allocator) and straight through malloc
// (MallocAllocator, which tracking never sees). Run with
//   bazel run --config=opt //alloc:tracking_benchmark
// Wall-clock on the 2-core VMs is noisy; the instruction-count figure comes from
//   alloc/measure_overhead.sh   (callgrind, deterministic)

#include <cstdlib>
#include <memory>
#include <new>

#include "alloc/internal/workload.h"
#include "alloc/stats.h"
#include "benchmark/benchmark.h"

namespace ctxmem::alloc {
namespace {

using internal::MallocAllocator;
using internal::RunHistoryWorkload;

void BM_History_Untracked(benchmark::State& state) {
  uint32_t seed = 1;
  for (auto _ : state) benchmark::DoNotOptimize(RunHistoryWorkload<MallocAllocator>(300, seed++));
}
BENCHMARK(BM_History_Untracked);

void BM_History_Tracked(benchmark::State& state) {
  uint32_t seed = 1;
  for (auto _ : state) benchmark::DoNotOptimize(RunHistoryWorkload<std::allocator>(300, seed++));
}
BENCHMARK(BM_History_Tracked);

// The raw hook cost: malloc+free of 16..256 bytes, nothing else.
void BM_Churn_Malloc(benchmark::State& state) {
  size_t n = 16;
  for (auto _ : state) {
    void* p = std::malloc(n);
    benchmark::DoNotOptimize(p);
    std::free(p);
    n = n >= 256 ? 16 : n + 16;
  }
}
BENCHMARK(BM_Churn_Malloc)->Threads(1)->Threads(2);

void BM_Churn_TrackedNew(benchmark::State& state) {
  size_t n = 16;
  for (auto _ : state) {
    void* p = ::operator new(n);
    benchmark::DoNotOptimize(p);
    ::operator delete(p, n);
    n = n >= 256 ? 16 : n + 16;
  }
}
BENCHMARK(BM_Churn_TrackedNew)->Threads(1)->Threads(2);

}  // namespace
}  // namespace ctxmem::alloc
