// Request-arena allocation benchmark: BumpArena against a raw pointer bump
// (the floor) and the allocators a request path would otherwise use.
//
// Workload (the design doc's): 1M allocations of uniformly random 16..256
// bytes at 8-byte alignment, the first byte of each one written, and the
// allocator emptied every B allocations ("one request"):
//   B = 256      ~35 KB per request
//   B = 4096     ~560 KB per request
//   B = 1048576  one ~136 MB request, one reset
// The sizes are drawn once, outside the timed loop, and every contender
// replays the same sequence. One benchmark iteration is one full pass of 1M
// allocations, after one untimed warm-up pass, so chunk caches, free lists and
// page tables are in their steady state.
//
// Counters: per_alloc (time per allocation) and, for ctxmem,
// upstream_allocs_per_request once warm (0 means the request loop never
// reaches its upstream resource).
//
// Also: workload D, three nested checkpoint scopes per request, and workload
// E, two threads each bumping in its own ThreadArena().
//
// Run (arena/README.md has the full command line):
//   bazel run --config=opt //arena:bump_arena_benchmark

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <memory_resource>
#include <random>
#include <vector>

#include "arena/bump_arena.h"
#include "arena/request_scope.h"
#include "benchmark/benchmark.h"
#include "google/protobuf/arena.h"
#include "llvm/Support/Allocator.h"

namespace ctxmem::arena {
namespace {

constexpr size_t kAllocations = size_t{1} << 20;
constexpr size_t kAlignment = 8;
constexpr int kMinSize = 16;
constexpr int kMaxSize = 256;

// The harness relies on inlining to put every contender's fast path into the
// same loop; a contender whose fast path is not inlined pays for a call.
#define CTXMEM_BENCH_INLINE inline __attribute__((always_inline))

const std::vector<uint16_t>& Sizes() {
  static const std::vector<uint16_t>* const sizes = [] {
    std::mt19937_64 rng(0x5eed1234);
    std::uniform_int_distribution<int> size(kMinSize, kMaxSize);
    auto* v = new std::vector<uint16_t>(kAllocations);
    for (uint16_t& s : *v) s = static_cast<uint16_t>(size(rng));
    return v;
  }();
  return *sizes;
}

size_t RoundUp(size_t n, size_t to) { return (n + to - 1) & ~(to - 1); }

// Bytes the largest request of `batch` consecutive allocations occupies at
// 8-byte alignment: what a preallocated buffer must hold.
size_t MaxRequestBytes(size_t batch) {
  const std::vector<uint16_t>& sizes = Sizes();
  size_t max_bytes = 0;
  for (size_t base = 0; base < sizes.size(); base += batch) {
    size_t bytes = 0;
    for (size_t j = base; j < base + batch && j < sizes.size(); ++j) {
      bytes += RoundUp(sizes[j], kAlignment);
    }
    max_bytes = std::max(max_bytes, bytes);
  }
  return max_bytes;
}

// A warm, page-faulted buffer, visible to the optimizer as escaped so stores
// into it are never dropped.
class WarmBuffer {
 public:
  explicit WarmBuffer(size_t bytes)
      : bytes_(RoundUp(bytes, 4096)),
        data_(static_cast<char*>(std::aligned_alloc(4096, bytes_))) {
    std::fill_n(data_, bytes_, char{0});
    benchmark::DoNotOptimize(data_);
  }
  WarmBuffer(const WarmBuffer&) = delete;
  WarmBuffer& operator=(const WarmBuffer&) = delete;
  ~WarmBuffer() { std::free(data_); }

  char* begin() const { return data_; }
  char* end() const { return data_ + bytes_; }
  size_t size() const { return bytes_; }

 private:
  size_t bytes_;
  char* data_;
};

// Upstream that counts the chunks a BumpArena asks for.
class CountingResource final : public std::pmr::memory_resource {
 public:
  uint64_t allocations() const { return allocations_; }

 private:
  void* do_allocate(size_t bytes, size_t alignment) override {
    ++allocations_;
    return std::pmr::new_delete_resource()->allocate(bytes, alignment);
  }
  void do_deallocate(void* p, size_t bytes, size_t alignment) override {
    std::pmr::new_delete_resource()->deallocate(p, bytes, alignment);
  }
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }

  uint64_t allocations_ = 0;
};

// The workload writes the first byte of every allocation, as a caller
// filling in its object would.
CTXMEM_BENCH_INLINE void Touch(void* p) { *static_cast<char*>(p) = 1; }

double Min(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

// items_per_second, and its inverse per_alloc: the CPU time one allocation
// takes (printed with an SI prefix, e.g. "812.3ps"). With Threads(n) the CPU
// time and the allocations are both summed over threads, so per_alloc stays
// the cost of one allocation on one thread, however the threads were
// scheduled on a busy machine.
void SetRateCounters(benchmark::State& state, size_t allocations_per_iteration) {
  const double allocations =
      static_cast<double>(state.iterations()) * static_cast<double>(allocations_per_iteration);
  state.SetItemsProcessed(static_cast<int64_t>(allocations));
  state.counters["per_alloc"] = benchmark::Counter(
      allocations, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// ---------------------------------------------------------------------------
// Contenders. Each has Allocate(bytes) and Request(body), which runs `body`
// as one request and then empties the allocator the way its users would.

// The floor: a pointer bumped downwards into a buffer that already holds the
// largest request, no bounds check, no chunk list. Its state is a local of
// the benchmark loop, so it lives in a register.
class Floor {
 public:
  explicit Floor(size_t batch) : buffer_(MaxRequestBytes(batch)), cur_(buffer_.end()) {}
  CTXMEM_BENCH_INLINE void* Allocate(size_t bytes) {
    cur_ = reinterpret_cast<char*>((reinterpret_cast<uintptr_t>(cur_) - bytes) & ~(kAlignment - 1));
    return cur_;
  }
  template <typename Body>
  CTXMEM_BENCH_INLINE void Request(Body&& body) {
    body();
    cur_ = buffer_.end();
  }
  template <typename Body>
  CTXMEM_BENCH_INLINE void Scope(Body&& body) {
    char* const saved = cur_;
    body();
    cur_ = saved;
  }

 private:
  WarmBuffer buffer_;
  char* cur_;
};

// The same bump, with the pointer and a bounds check kept in memory the way
// any allocator object keeps them (the benchmark loop cannot keep them in a
// register across the byte stores, which may alias them). Not a contender:
// it shows how much of the gap to the floor no arena object can avoid.
class FloorInMemory {
 public:
  explicit FloorInMemory(size_t batch)
      : buffer_(MaxRequestBytes(batch)), state_(new State{buffer_.end(), buffer_.begin()}) {
    benchmark::DoNotOptimize(state_.get());
  }
  CTXMEM_BENCH_INLINE void* Allocate(size_t bytes) {
    State& s = *state_;
    const uintptr_t p = (reinterpret_cast<uintptr_t>(s.cur) - bytes) & ~(kAlignment - 1);
    if (__builtin_expect(p < reinterpret_cast<uintptr_t>(s.limit), 0)) std::abort();
    s.cur = reinterpret_cast<char*>(p);
    return s.cur;
  }
  template <typename Body>
  CTXMEM_BENCH_INLINE void Request(Body&& body) {
    body();
    state_->cur = buffer_.end();
  }

 private:
  struct State {
    char* cur;
    char* limit;
  };
  WarmBuffer buffer_;
  std::unique_ptr<State> state_;
};

// What every ctxmem contender shares: a BumpArena over a counting upstream.
class CtxmemArena {
 public:
  explicit CtxmemArena(size_t max_retained_bytes = BumpArenaOptions().max_retained_bytes)
      : arena_(Options(&upstream_, max_retained_bytes)) {}
  CTXMEM_BENCH_INLINE void* Allocate(size_t bytes) { return arena_.Allocate(bytes, kAlignment); }
  uint64_t upstream_allocations() const { return upstream_.allocations(); }

 protected:
  static BumpArenaOptions Options(std::pmr::memory_resource* upstream, size_t max_retained) {
    BumpArenaOptions options;
    options.max_retained_bytes = max_retained;
    options.upstream = upstream;
    return options;
  }
  CountingResource upstream_;  // outlives arena_
  BumpArena arena_;
};

// ctxmem BumpArena, Reset() after every request.
class CtxmemReset : public CtxmemArena {
 public:
  explicit CtxmemReset(size_t /*batch*/) {}
  template <typename Body>
  CTXMEM_BENCH_INLINE void Request(Body&& body) {
    body();
    arena_.Reset();
  }
};

// ctxmem BumpArena retaining up to 256 MiB across Reset(): what a service
// whose requests are all large would configure. Shows the cost of B = 1M
// without the kernel's page faults for chunks given back and taken again.
class CtxmemResetRetainAll : public CtxmemArena {
 public:
  explicit CtxmemResetRetainAll(size_t /*batch*/) : CtxmemArena(size_t{256} << 20) {}
  template <typename Body>
  CTXMEM_BENCH_INLINE void Request(Body&& body) {
    body();
    arena_.Reset();
  }
};

// ctxmem BumpArena, one RequestScope (Mark + Rewind) per request.
class CtxmemScope : public CtxmemArena {
 public:
  explicit CtxmemScope(size_t /*batch*/) {}
  template <typename Body>
  CTXMEM_BENCH_INLINE void Request(Body&& body) {
    RequestScope scope(arena_);
    body();
  }
  template <typename Body>
  CTXMEM_BENCH_INLINE void Scope(Body&& body) {
    Request(body);
  }
};

// std::pmr::monotonic_buffer_resource over new/delete, release() per request.
// Called on the concrete object, so allocate() is devirtualized and inlined.
class PmrMonotonic {
 public:
  explicit PmrMonotonic(size_t /*batch*/) {}
  CTXMEM_BENCH_INLINE void* Allocate(size_t bytes) { return resource_.allocate(bytes, kAlignment); }
  template <typename Body>
  CTXMEM_BENCH_INLINE void Request(Body&& body) {
    body();
    resource_.release();
  }

 private:
  std::pmr::monotonic_buffer_resource resource_;
};

// std::pmr::monotonic_buffer_resource over a warm initial buffer that holds
// the largest request; a null upstream proves it never overflows.
class PmrMonotonicPrealloc {
 public:
  explicit PmrMonotonicPrealloc(size_t batch)
      : buffer_(MaxRequestBytes(batch)),
        resource_(buffer_.begin(), buffer_.size(), std::pmr::null_memory_resource()) {}
  CTXMEM_BENCH_INLINE void* Allocate(size_t bytes) { return resource_.allocate(bytes, kAlignment); }
  template <typename Body>
  CTXMEM_BENCH_INLINE void Request(Body&& body) {
    body();
    resource_.release();
  }

 private:
  WarmBuffer buffer_;
  std::pmr::monotonic_buffer_resource resource_;
};

// google::protobuf::Arena, Reset() per request. Raw bytes through the public
// API of protobuf 3.21: CreateArray<char>.
template <size_t kBlockBytes>
class ProtobufArena {
 public:
  explicit ProtobufArena(size_t /*batch*/) : arena_(Options()) {}
  CTXMEM_BENCH_INLINE void* Allocate(size_t bytes) {
    return google::protobuf::Arena::CreateArray<char>(&arena_, bytes);
  }
  template <typename Body>
  CTXMEM_BENCH_INLINE void Request(Body&& body) {
    body();
    arena_.Reset();
  }

 private:
  static google::protobuf::ArenaOptions Options() {
    google::protobuf::ArenaOptions options;
    if (kBlockBytes != 0) {
      options.start_block_size = kBlockBytes;
      options.max_block_size = kBlockBytes;
    }
    return options;
  }
  google::protobuf::Arena arena_;
};
using ProtobufArenaDefault = ProtobufArena<0>;
using ProtobufArena1MiB = ProtobufArena<size_t{1} << 20>;

// llvm::BumpPtrAllocator, Reset() per request.
class LlvmBumpPtr {
 public:
  explicit LlvmBumpPtr(size_t /*batch*/) {}
  CTXMEM_BENCH_INLINE void* Allocate(size_t bytes) {
    return allocator_.Allocate(bytes, llvm::Align(kAlignment));
  }
  template <typename Body>
  CTXMEM_BENCH_INLINE void Request(Body&& body) {
    body();
    allocator_.Reset();
  }

 private:
  llvm::BumpPtrAllocator allocator_;
};

// malloc per object, every object freed at the end of its request.
class Malloc {
 public:
  explicit Malloc(size_t batch) : live_(batch) {}
  CTXMEM_BENCH_INLINE void* Allocate(size_t bytes) {
    void* p = std::malloc(bytes);
    live_[count_++] = p;
    return p;
  }
  template <typename Body>
  CTXMEM_BENCH_INLINE void Request(Body&& body) {
    body();
    for (size_t i = 0; i < count_; ++i) std::free(live_[i]);
    count_ = 0;
  }

 private:
  std::vector<void*> live_;
  size_t count_ = 0;
};

// ---------------------------------------------------------------------------
// Workloads A-C: one request every `batch` allocations.

template <typename C>
CTXMEM_BENCH_INLINE void RunRequests(C& c, size_t batch) {
  const uint16_t* const sizes = Sizes().data();
  for (size_t base = 0; base < kAllocations; base += batch) {
    c.Request([&] {
      const uint16_t* s = sizes + base;
      for (size_t j = 0; j < batch; ++j) Touch(c.Allocate(s[j]));
    });
    // The request's stores must happen before it is reset.
    benchmark::ClobberMemory();
  }
}

template <typename C>
uint64_t UpstreamAllocations(const C& c) {
  if constexpr (requires { c.upstream_allocations(); }) {
    return c.upstream_allocations();
  } else {
    return 0;
  }
}

template <typename C>
void BM_Requests(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  C c(batch);
  RunRequests(c, batch);  // warm-up
  const uint64_t upstream_before = UpstreamAllocations(c);
  for (auto _ : state) RunRequests(c, batch);
  SetRateCounters(state, kAllocations);
  if constexpr (requires { c.upstream_allocations(); }) {
    const double requests = static_cast<double>(state.iterations()) * (kAllocations / batch);
    state.counters["upstream_allocs_per_request"] =
        static_cast<double>(UpstreamAllocations(c) - upstream_before) / requests;
  }
}

void RequestArgs(benchmark::internal::Benchmark* b) {
  b->ArgName("B")->Arg(256)->Arg(4096)->Arg(int64_t{1} << 20);
  b->ComputeStatistics("min", Min);
}

BENCHMARK_TEMPLATE(BM_Requests, Floor)->Apply(RequestArgs);
BENCHMARK_TEMPLATE(BM_Requests, FloorInMemory)->Apply(RequestArgs);
BENCHMARK_TEMPLATE(BM_Requests, CtxmemReset)->Apply(RequestArgs);
BENCHMARK_TEMPLATE(BM_Requests, CtxmemScope)->Apply(RequestArgs);
BENCHMARK_TEMPLATE(BM_Requests, CtxmemResetRetainAll)->Apply(RequestArgs);
BENCHMARK_TEMPLATE(BM_Requests, PmrMonotonic)->Apply(RequestArgs);
BENCHMARK_TEMPLATE(BM_Requests, PmrMonotonicPrealloc)->Apply(RequestArgs);
BENCHMARK_TEMPLATE(BM_Requests, ProtobufArenaDefault)->Apply(RequestArgs);
BENCHMARK_TEMPLATE(BM_Requests, ProtobufArena1MiB)->Apply(RequestArgs);
BENCHMARK_TEMPLATE(BM_Requests, LlvmBumpPtr)->Apply(RequestArgs);
BENCHMARK_TEMPLATE(BM_Requests, Malloc)->Apply(RequestArgs);

// ---------------------------------------------------------------------------
// Workload D: three nested checkpoint scopes. A request (1024 allocations)
// runs 4 phases; each phase allocates 64 objects that live for the whole
// request, then opens a scope with 64 objects of its own and 8 inner scopes of
// 16 objects each. 37 scopes per request, 1024 requests per pass.

constexpr size_t kNestedRequestAllocations = 1024;

template <typename C>
CTXMEM_BENCH_INLINE const uint16_t* AllocateRun(C& c, const uint16_t* s, size_t n) {
  for (size_t j = 0; j < n; ++j) Touch(c.Allocate(s[j]));
  return s + n;
}

template <typename C>
CTXMEM_BENCH_INLINE void RunNested(C& c) {
  const uint16_t* s = Sizes().data();
  for (size_t r = 0; r < kAllocations / kNestedRequestAllocations; ++r) {
    c.Scope([&] {
      for (int phase = 0; phase < 4; ++phase) {
        s = AllocateRun(c, s, 64);
        c.Scope([&] {
          s = AllocateRun(c, s, 64);
          for (int step = 0; step < 8; ++step) {
            c.Scope([&] { s = AllocateRun(c, s, 16); });
          }
        });
      }
    });
    benchmark::ClobberMemory();
  }
}

template <typename C>
void BM_NestedScopes(benchmark::State& state) {
  C c(kNestedRequestAllocations);
  RunNested(c);  // warm-up
  const uint64_t upstream_before = UpstreamAllocations(c);
  for (auto _ : state) RunNested(c);
  SetRateCounters(state, kAllocations);
  if constexpr (requires { c.upstream_allocations(); }) {
    const double requests =
        static_cast<double>(state.iterations()) * (kAllocations / kNestedRequestAllocations);
    state.counters["upstream_allocs_per_request"] =
        static_cast<double>(UpstreamAllocations(c) - upstream_before) / requests;
  }
}

BENCHMARK_TEMPLATE(BM_NestedScopes, Floor)->ComputeStatistics("min", Min);
BENCHMARK_TEMPLATE(BM_NestedScopes, CtxmemScope)->ComputeStatistics("min", Min);

// ---------------------------------------------------------------------------
// Workload E: every thread runs the request loop in its own ThreadArena(),
// one RequestScope per request. The floor gives each thread its own buffer.
// per_alloc is CPU time per allocation on one thread: equal at 1 and 2
// threads means the arenas share nothing; it does not show wall-clock
// scaling, which needs two idle cores.

void BM_ThreadArena(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  const uint16_t* const sizes = Sizes().data();
  auto pass = [&] {
    for (size_t base = 0; base < kAllocations; base += batch) {
      {
        RequestScope scope;  // ThreadArena()
        BumpArena& arena = scope.arena();
        for (size_t j = 0; j < batch; ++j) Touch(arena.Allocate(sizes[base + j], kAlignment));
      }
      benchmark::ClobberMemory();
    }
  };
  pass();  // warm-up
  const uint64_t upstream_before = ThreadArena().upstream_allocations();
  for (auto _ : state) pass();
  SetRateCounters(state, kAllocations);
  // Summed over threads: 0 means no thread reached upstream once warm.
  state.counters["upstream_allocs_per_request"] =
      static_cast<double>(ThreadArena().upstream_allocations() - upstream_before) /
      (static_cast<double>(state.iterations()) * (kAllocations / batch));
}

void BM_ThreadFloor(benchmark::State& state) {
  const size_t batch = static_cast<size_t>(state.range(0));
  Floor floor(batch);
  RunRequests(floor, batch);  // warm-up
  for (auto _ : state) RunRequests(floor, batch);
  SetRateCounters(state, kAllocations);
}

void ThreadArgs(benchmark::internal::Benchmark* b) {
  b->ArgName("B")->Arg(256)->Arg(4096)->Threads(1)->Threads(2);
  b->ComputeStatistics("min", Min);
}

BENCHMARK(BM_ThreadFloor)->Apply(ThreadArgs);
BENCHMARK(BM_ThreadArena)->Apply(ThreadArgs);

}  // namespace
}  // namespace ctxmem::arena
