// GenerationalArena<uint64_t> against the two things it replaces:
//  * VectorIndex, the floor: a std::vector<uint64_t> addressed by plain
//    indices, with a LIFO stack of free indices; no generation check, so a
//    stale index silently reads the slot's new occupant.
//  * std::unordered_map<uint64_t, uint64_t> keyed by a counter: safe against
//    stale handles like the arena, at a hash lookup and a node per object.
//
// Workloads:
//  * Insert: 1M inserts into an empty container (growth included).
//  * Get: 10M uniformly random lookups of live handles, with 10k live objects
//    (hot: the slots fit in L1/L2) and with 1M live objects (cold: they do not).
//    The positions to look up are precomputed outside the timed loop.
//  * Churn: 100k live objects, then 2M operations, each an insert or a remove
//    of a random live object with equal probability.
//
// Counters: per_op (time per operation, printed with an SI prefix).
//
// Run (arena/README.md has the full command line):
//   bazel run --config=opt //arena:generational_arena_benchmark

#include <malloc.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>
#include <unordered_map>
#include <vector>

#include "arena/generational_arena.h"
#include "benchmark/benchmark.h"

namespace ctxmem::arena {
namespace {

constexpr size_t kInserts = size_t{1} << 20;
constexpr size_t kGets = 10'000'000;
constexpr size_t kHotLive = 10'000;
constexpr size_t kColdLive = size_t{1} << 20;
constexpr size_t kChurnLive = 100'000;
constexpr size_t kChurnOps = size_t{2} << 20;

#define CTXMEM_BENCH_INLINE inline __attribute__((always_inline))

// Keep freed memory in the heap: Insert builds and drops a 16 MB container per
// iteration, and glibc would otherwise unmap it and fault it back in, which on
// a VM costs more than the inserts (~10 us a page). The benchmark measures
// the containers of a warm process, not the kernel.
const bool kWarmHeap = [] {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's maximum
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  return true;
}();

// ---------------------------------------------------------------------------
// Contenders: Insert(value) -> handle, Get(handle) -> pointer or null,
// Remove(handle).

class Generational {
 public:
  using Handle = ::ctxmem::arena::Handle;
  CTXMEM_BENCH_INLINE Handle Insert(uint64_t value) { return arena_.Insert(value); }
  // The handle of the n-th object inserted into a new arena: slots are handed
  // out in order, all with the first object's generation.
  static Handle Nth(uint32_t n, Handle first) { return Handle{n, first.generation}; }
  CTXMEM_BENCH_INLINE uint64_t* Get(Handle h) { return arena_.Get(h); }
  CTXMEM_BENCH_INLINE void Remove(Handle h) { arena_.Remove(h); }

 private:
  GenerationalArena<uint64_t> arena_;
};

class VectorIndex {
 public:
  using Handle = uint32_t;
  static Handle Nth(uint32_t n, Handle /*first*/) { return n; }
  CTXMEM_BENCH_INLINE Handle Insert(uint64_t value) {
    if (!free_.empty()) {
      const uint32_t index = free_.back();
      free_.pop_back();
      values_[index] = value;
      return index;
    }
    values_.push_back(value);
    return static_cast<uint32_t>(values_.size() - 1);
  }
  CTXMEM_BENCH_INLINE uint64_t* Get(Handle h) { return &values_[h]; }
  CTXMEM_BENCH_INLINE void Remove(Handle h) { free_.push_back(h); }

 private:
  std::vector<uint64_t> values_;
  std::vector<uint32_t> free_;
};

class HashMap {
 public:
  using Handle = uint64_t;
  static Handle Nth(uint32_t n, Handle first) { return first + n; }
  CTXMEM_BENCH_INLINE Handle Insert(uint64_t value) {
    const uint64_t key = next_key_++;
    map_.emplace(key, value);
    return key;
  }
  CTXMEM_BENCH_INLINE uint64_t* Get(Handle h) {
    auto it = map_.find(h);
    return it == map_.end() ? nullptr : &it->second;
  }
  CTXMEM_BENCH_INLINE void Remove(Handle h) { map_.erase(h); }

 private:
  std::unordered_map<uint64_t, uint64_t> map_;
  uint64_t next_key_ = 0;
};

double Min(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

// per_op: time per operation, inverted from the operation rate.
void SetRateCounters(benchmark::State& state, size_t ops_per_iteration) {
  const double ops =
      static_cast<double>(state.iterations()) * static_cast<double>(ops_per_iteration);
  state.SetItemsProcessed(static_cast<int64_t>(ops));
  state.counters["per_op"] =
      benchmark::Counter(ops, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// ---------------------------------------------------------------------------
// Insert: 1M inserts into a new container. Building and destroying the
// container is not timed.

template <typename C>
void BM_Insert(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    auto c = std::make_unique<C>();
    state.ResumeTiming();
    for (size_t i = 0; i < kInserts; ++i) {
      auto h = c->Insert(i);
      benchmark::DoNotOptimize(h);
    }
    state.PauseTiming();
    c.reset();
    state.ResumeTiming();
  }
  SetRateCounters(state, kInserts);
}

// ---------------------------------------------------------------------------
// Get: `live` objects, then 10M lookups of uniformly random live handles.

// Positions in [0, live) of the objects to look up, the same for every
// contender.
const std::vector<uint32_t>& GetPositions(size_t live) {
  static const auto* const hot = [] {
    std::mt19937_64 rng(0x6e7a);
    std::uniform_int_distribution<uint32_t> pick(0, kHotLive - 1);
    auto* v = new std::vector<uint32_t>(kGets);
    for (uint32_t& p : *v) p = pick(rng);
    return v;
  }();
  static const auto* const cold = [] {
    std::mt19937_64 rng(0xc01d);
    std::uniform_int_distribution<uint32_t> pick(0, kColdLive - 1);
    auto* v = new std::vector<uint32_t>(kGets);
    for (uint32_t& p : *v) p = pick(rng);
    return v;
  }();
  return live == kHotLive ? *hot : *cold;
}

// A container holding `live` objects, built once per contender and size (the
// 1M-object hash map takes longer to build than to query).
//
// The lookups stream the shared 4-byte positions, and each contender turns a
// position into its handle arithmetically (Nth()), so every contender reads
// the same 40 MB of queries and nothing else besides its own storage. A
// precomputed array of native handles would make the 8-byte handles stream
// twice the bytes of the 4-byte floor and measure that instead.
template <typename C>
struct GetFixture {
  explicit GetFixture(size_t live_objects) : live(live_objects) {
    std::vector<typename C::Handle> handles;
    handles.reserve(live);
    for (size_t i = 0; i < live; ++i) handles.push_back(container.Insert(i));
    first = handles.front();
    for (size_t i = 0; i < live; ++i) {
      if (!(handles[i] == C::Nth(static_cast<uint32_t>(i), first))) nth_matches = false;
    }
  }

  static GetFixture& For(size_t live) {
    static std::unique_ptr<GetFixture> cached;
    if (cached == nullptr || cached->live != live) {
      cached.reset();  // free the old one before building the new one
      cached = std::make_unique<GetFixture>(live);
    }
    return *cached;
  }

  size_t live;
  C container;
  typename C::Handle first;
  bool nth_matches = true;
};

template <typename C>
void BM_Get(benchmark::State& state) {
  GetFixture<C>& f = GetFixture<C>::For(static_cast<size_t>(state.range(0)));
  if (!f.nth_matches) {
    state.SkipWithError("Nth() does not reproduce the handles Insert() returned");
    return;
  }
  const std::vector<uint32_t>& positions = GetPositions(f.live);
  uint64_t misses = 0;
  for (auto _ : state) {
    uint64_t sum = 0;
    for (uint32_t p : positions) {
      const uint64_t* v = f.container.Get(C::Nth(p, f.first));
      if (__builtin_expect(v == nullptr, 0)) {
        ++misses;
      } else {
        sum += *v;
      }
    }
    benchmark::DoNotOptimize(sum);
  }
  SetRateCounters(state, kGets);
  if (misses != 0) state.SkipWithError("a live handle was not found");
}

// ---------------------------------------------------------------------------
// Churn: 50/50 inserts and removes of random live objects around 100k live.
// The operation sequence is drawn once; every contender replays it.

struct ChurnOp {
  bool insert;
  uint32_t random;  // picks the object to remove: random * live / 2^32
};

const std::vector<ChurnOp>& ChurnOps() {
  static const auto* const ops = [] {
    std::mt19937_64 rng(0xc4a2);
    auto* v = new std::vector<ChurnOp>(kChurnOps);
    for (ChurnOp& op : *v) {
      const uint64_t r = rng();
      op.insert = (r >> 63) != 0;
      op.random = static_cast<uint32_t>(r);
    }
    return v;
  }();
  return *ops;
}

template <typename C>
void BM_Churn(benchmark::State& state) {
  C c;
  std::vector<typename C::Handle> live;
  live.reserve(kChurnLive * 2);
  for (size_t i = 0; i < kChurnLive; ++i) live.push_back(c.Insert(i));
  const std::vector<ChurnOp>& ops = ChurnOps();
  uint64_t next_value = kChurnLive;
  auto pass = [&] {
    for (const ChurnOp& op : ops) {
      // A random walk drifts; keep the live count within 10% of 100k.
      const bool insert = live.size() < kChurnLive * 9 / 10 ||
                          (op.insert && live.size() < kChurnLive * 11 / 10);
      if (insert) {
        live.push_back(c.Insert(next_value++));
      } else {
        const size_t i = (uint64_t{op.random} * live.size()) >> 32;
        c.Remove(live[i]);
        live[i] = live.back();
        live.pop_back();
      }
    }
  };
  pass();  // warm-up: free lists and growth reach their steady state
  for (auto _ : state) pass();
  SetRateCounters(state, kChurnOps);
  state.counters["live"] = static_cast<double>(live.size());
}

// ---------------------------------------------------------------------------

BENCHMARK_TEMPLATE(BM_Insert, VectorIndex)->ComputeStatistics("min", Min);
BENCHMARK_TEMPLATE(BM_Insert, Generational)->ComputeStatistics("min", Min);
BENCHMARK_TEMPLATE(BM_Insert, HashMap)->ComputeStatistics("min", Min);

void GetArgs(benchmark::internal::Benchmark* b) {
  b->ArgName("live")->Arg(kHotLive)->Arg(kColdLive)->ComputeStatistics("min", Min);
}

BENCHMARK_TEMPLATE(BM_Get, VectorIndex)->Apply(GetArgs);
BENCHMARK_TEMPLATE(BM_Get, Generational)->Apply(GetArgs);
BENCHMARK_TEMPLATE(BM_Get, HashMap)->Apply(GetArgs);

BENCHMARK_TEMPLATE(BM_Churn, VectorIndex)->ComputeStatistics("min", Min);
BENCHMARK_TEMPLATE(BM_Churn, Generational)->ComputeStatistics("min", Min);
BENCHMARK_TEMPLATE(BM_Churn, HashMap)->ComputeStatistics("min", Min);

}  // namespace
}  // namespace ctxmem::arena
