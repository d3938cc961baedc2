// BufferPool against malloc/free, per size class and on a mixed trace.
//
//   bazel run -c opt //pool:buffer_pool_benchmark
//
// Each use of a buffer writes one byte per 4 KiB page of the size asked for,
// so that every page is really touched: a fresh mapping then costs its page
// faults, which is most of what a pool saves on large buffers. The pooled
// variant writes through resize_and_overwrite() and keeps the size at 0, so
// it does not pay for zero-filling either. BM_RoundTrip_* touch nothing: they
// measure the bare acquire + release (for the pool, its thread-cache hit).
//
// Counters: minflt_per_iter (minor page faults per iteration, measured with
// getrusage(RUSAGE_SELF) over the timed loop only, after a warm-up) and, for
// the pool, hit_rate over the timed loop.

#include <sys/mman.h>
#include <sys/resource.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "pool/buffer_pool.h"

namespace ctxmem::pool {
namespace {

constexpr size_t kPage = 4096;

int64_t MinorFaults() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

void TouchPages(char* p, size_t n) {
  for (size_t off = 0; off < n; off += kPage) p[off] = static_cast<char>(off >> 12);
  benchmark::DoNotOptimize(p);
}

// Touches the pages of `n` bytes of `buffer`, growing it if needed, without
// exposing (or zero-filling) anything.
void TouchPages(Buffer& buffer, size_t n) {
  buffer.resize_and_overwrite(n, [](char* p, size_t size) {
    TouchPages(p, size);
    return size_t{0};
  });
}

// Counts faults over the timed loop and reports them per iteration.
class FaultCounter {
 public:
  FaultCounter() : start_(MinorFaults()) {}
  void Report(benchmark::State& state) const {
    state.counters["minflt_per_iter"] = benchmark::Counter(
        static_cast<double>(MinorFaults() - start_), benchmark::Counter::kAvgIterations);
  }

 private:
  int64_t start_;
};

void BM_Class_Pool(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  BufferPool pool;
  for (int i = 0; i < 16; ++i) TouchPages(*pool.Acquire(size), size);  // warm-up
  const BufferPoolStats before = pool.stats();
  FaultCounter faults;
  for (auto _ : state) {
    PooledBuffer buffer = pool.Acquire(size);
    TouchPages(*buffer, size);
  }
  faults.Report(state);
  const BufferPoolStats after = pool.stats();
  state.counters["hit_rate"] = static_cast<double>(after.hits() - before.hits()) /
                               static_cast<double>(after.acquires() - before.acquires());
}
BENCHMARK(BM_Class_Pool)->Arg(4 << 10)->Arg(64 << 10)->Arg(1 << 20);

// The bare round trip, no page touched: what the pool itself costs per use.
void BM_RoundTrip_Pool(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  BufferPool pool;
  for (int i = 0; i < 16; ++i) pool.Acquire(size);  // warm-up
  for (auto _ : state) {
    PooledBuffer buffer = pool.Acquire(size);
    benchmark::DoNotOptimize(buffer->data());
  }
}
BENCHMARK(BM_RoundTrip_Pool)->Arg(4 << 10)->Arg(64 << 10)->Arg(1 << 20);

void BM_RoundTrip_Malloc(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  for (int i = 0; i < 16; ++i) std::free(std::malloc(size));
  for (auto _ : state) {
    char* p = static_cast<char*>(std::malloc(size));
    benchmark::DoNotOptimize(p);
    std::free(p);
  }
}
BENCHMARK(BM_RoundTrip_Malloc)->Arg(4 << 10)->Arg(64 << 10)->Arg(1 << 20);

void BM_Class_Malloc(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  for (int i = 0; i < 16; ++i) {  // the same warm-up
    char* p = static_cast<char*>(std::malloc(size));
    TouchPages(p, size);
    std::free(p);
  }
  FaultCounter faults;
  for (auto _ : state) {
    char* p = static_cast<char*>(std::malloc(size));
    TouchPages(p, size);
    std::free(p);
  }
  faults.Report(state);
}
BENCHMARK(BM_Class_Malloc)->Arg(4 << 10)->Arg(64 << 10)->Arg(1 << 20);

// What malloc does with a large block when it does not keep it: glibc maps
// blocks above its mmap threshold (128 KiB until a freed mapping raises it)
// and unmaps them on free, so every use faults its pages in again. In the
// loop above glibc has raised its threshold and serves 1 MiB from the heap;
// this is the regime before that, or with M_MMAP_THRESHOLD set, or after the
// heap top is trimmed.
void BM_Class_Mmap(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  FaultCounter faults;
  for (auto _ : state) {
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      state.SkipWithError("mmap failed");
      break;
    }
    TouchPages(static_cast<char*>(p), size);
    munmap(p, size);
  }
  faults.Report(state);
}
BENCHMARK(BM_Class_Mmap)->Arg(64 << 10)->Arg(1 << 20);

// The mixed trace: sizes drawn 80% from (2, 4] KiB, 18% from (32, 64] KiB, 2%
// from (512 KiB, 1 MiB]; 1% of buffers grow 4x before they are given back.
// Eight buffers are alive at a time (each step gives back the oldest), so
// classes see concurrent demand and the budgets matter.
struct Step {
  size_t size;
  bool grows;
};

// The mixed trace; with `growth`, 1% of the buffers grow fourfold.
std::vector<Step> MakeTrace(bool growth = true) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> percent(0, 99);
  std::vector<Step> trace(1 << 14);
  for (Step& step : trace) {
    const int p = percent(rng);
    const size_t top = p < 80 ? (size_t{4} << 10) : p < 98 ? (size_t{64} << 10) : (size_t{1} << 20);
    step.size = std::uniform_int_distribution<size_t>(top / 2 + 1, top)(rng);
    step.grows = percent(rng) == 0 && growth;
  }
  return trace;
}

constexpr size_t kLive = 8;

// Arg: 1 for the trace as specified, 0 without the growing buffers (to see
// where page faults come from).
void BM_MixedTrace_Pool(benchmark::State& state) {
  const std::vector<Step> trace = MakeTrace(state.range(0) != 0);
  BufferPool pool;
  std::vector<PooledBuffer> live(kLive);
  size_t t = 0;
  auto step = [&] {
    const Step& s = trace[t % trace.size()];
    PooledBuffer& slot = live[t % kLive];
    slot.Release();
    slot = pool.Acquire(s.size);
    TouchPages(*slot, s.grows ? 4 * s.size : s.size);
    ++t;
  };
  for (size_t i = 0; i < trace.size(); ++i) step();  // warm-up: one whole pass
  const BufferPoolStats before = pool.stats();
  FaultCounter faults;
  for (auto _ : state) step();
  faults.Report(state);
  const BufferPoolStats after = pool.stats();
  state.counters["hit_rate"] = static_cast<double>(after.hits() - before.hits()) /
                               static_cast<double>(after.acquires() - before.acquires());
  uint64_t dropped = 0;
  for (size_t k = 0; k < kNumBufferClasses; ++k) {
    dropped += after.classes[k].dropped - before.classes[k].dropped;
  }
  state.counters["dropped_per_iter"] =
      benchmark::Counter(static_cast<double>(dropped), benchmark::Counter::kAvgIterations);
  state.counters["idle_KiB"] = static_cast<double>(after.idle_bytes) / 1024;
}
BENCHMARK(BM_MixedTrace_Pool)->Arg(1)->Arg(0);

void BM_MixedTrace_Malloc(benchmark::State& state) {
  const std::vector<Step> trace = MakeTrace();
  std::vector<char*> live(kLive, nullptr);
  size_t t = 0;
  auto step = [&] {
    const Step& s = trace[t % trace.size()];
    char*& slot = live[t % kLive];
    std::free(slot);
    slot = static_cast<char*>(std::malloc(s.size));
    TouchPages(slot, s.size);
    if (s.grows) {
      slot = static_cast<char*>(std::realloc(slot, 4 * s.size));
      TouchPages(slot, 4 * s.size);
    }
    ++t;
  };
  for (size_t i = 0; i < trace.size(); ++i) step();
  FaultCounter faults;
  for (auto _ : state) step();
  faults.Report(state);
  for (char* p : live) std::free(p);
}
BENCHMARK(BM_MixedTrace_Malloc);

}  // namespace
}  // namespace ctxmem::pool
