// ObjectPool against new/delete and a plain single-threaded intrusive free
// list, on 64-byte objects.
//
//   bazel run -c opt //pool:object_pool_benchmark
//
// Every variant does the same work per object: hand out a zeroed 64-byte
// object and take it back. The pool zeroes on release (DefaultPolicy assigns
// T{}), the free list zeroes on acquire (its link lives in the object while it
// is free), new value-initialises.

#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <new>
#include <numeric>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "pool/object_pool.h"

namespace ctxmem::pool {
namespace {

struct Obj64 {
  int64_t words[8];
};
static_assert(sizeof(Obj64) == 64);

// The anchor: the fastest thing a pool could be, with no thread safety, no
// counters and no cap.
class FreeList {
 public:
  FreeList() = default;
  FreeList(const FreeList&) = delete;
  FreeList& operator=(const FreeList&) = delete;
  ~FreeList() {
    while (head_ != nullptr) delete std::exchange(head_, head_->next);
  }

  Obj64* Acquire() {
    Node* node = head_;
    if (node == nullptr) [[unlikely]] {
      node = new Node;
    } else {
      head_ = node->next;
    }
    return new (&node->object) Obj64{};
  }

  void Release(Obj64* object) {
    Node* node = reinterpret_cast<Node*>(object);
    node->next = head_;
    head_ = node;
  }

 private:
  union Node {
    Node* next;
    Obj64 object;
  };
  Node* head_ = nullptr;
};

constexpr int kLive = 64;

// Churn: 64 live objects; each iteration gives one back and takes one.
void ChurnPool(benchmark::State& state, ObjectPool<Obj64>& pool) {
  std::vector<ObjectPool<Obj64>::Handle> live;
  for (int i = 0; i < kLive; ++i) live.push_back(pool.Acquire());
  int i = 0;
  for (auto _ : state) {
    live[i].Release();
    live[i] = pool.Acquire();
    live[i]->words[0] = i;
    benchmark::DoNotOptimize(live[i].get());
    i = (i + 1) & (kLive - 1);
  }
}

void BM_Churn_Pool(benchmark::State& state) {
  ObjectPool<Obj64> pool;
  ChurnPool(state, pool);
  state.counters["hit_rate"] = pool.stats().hit_rate();
}
BENCHMARK(BM_Churn_Pool);

void BM_Churn_NewDelete(benchmark::State& state) {
  std::vector<Obj64*> live;
  for (int i = 0; i < kLive; ++i) live.push_back(new Obj64{});
  int i = 0;
  for (auto _ : state) {
    delete live[i];
    live[i] = new Obj64{};
    live[i]->words[0] = i;
    benchmark::DoNotOptimize(live[i]);
    i = (i + 1) & (kLive - 1);
  }
  for (Obj64* p : live) delete p;
}
BENCHMARK(BM_Churn_NewDelete);

void BM_Churn_FreeList(benchmark::State& state) {
  FreeList list;
  std::vector<Obj64*> live;
  for (int i = 0; i < kLive; ++i) live.push_back(list.Acquire());
  int i = 0;
  for (auto _ : state) {
    list.Release(live[i]);
    live[i] = list.Acquire();
    live[i]->words[0] = i;
    benchmark::DoNotOptimize(live[i]);
    i = (i + 1) & (kLive - 1);
  }
  for (Obj64* p : live) list.Release(p);
}
BENCHMARK(BM_Churn_FreeList);

// The shortest round trip: take one, give it back.
void BM_AcquireRelease_Pool(benchmark::State& state) {
  ObjectPool<Obj64> pool;
  for (auto _ : state) {
    auto h = pool.Acquire();
    benchmark::DoNotOptimize(h.get());
  }
}
BENCHMARK(BM_AcquireRelease_Pool);

void BM_AcquireRelease_FreeList(benchmark::State& state) {
  FreeList list;
  for (auto _ : state) {
    Obj64* p = list.Acquire();
    benchmark::DoNotOptimize(p);
    list.Release(p);
  }
}
BENCHMARK(BM_AcquireRelease_FreeList);

// Bulk: take N objects, then give them back in a random order. Reported per
// object (one acquire + one release).
constexpr int kBulk = 80'000;

std::vector<int> Shuffled(int n) {
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937(42));
  return order;
}

int64_t MinorFaults() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

// Also reports the minor page faults per round since `faults_before`: glibc
// trims the heap top once a round has freed everything, so new/delete can
// fault its pages back in on every round.
void SetPerObject(benchmark::State& state, int64_t faults_before) {
  state.counters["minflt_per_iter"] = benchmark::Counter(
      static_cast<double>(MinorFaults() - faults_before), benchmark::Counter::kAvgIterations);
  state.SetItemsProcessed(state.iterations() * kBulk);
  // Seconds per object, shown with an SI prefix ("47n" is 47 ns).
  state.counters["time_per_object"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kBulk,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_Bulk_Pool(benchmark::State& state) {
  ObjectPool<Obj64> pool(ObjectPoolOptions{.max_idle = kBulk});
  const std::vector<int> order = Shuffled(kBulk);
  std::vector<ObjectPool<Obj64>::Handle> live(kBulk);
  for (int i = 0; i < kBulk; ++i) live[i] = pool.Acquire();  // warm-up round
  for (int i : order) live[i].Release();
  const ObjectPoolStats warm = pool.stats();
  const int64_t faults = MinorFaults();
  for (auto _ : state) {
    for (int i = 0; i < kBulk; ++i) live[i] = pool.Acquire();
    for (int i : order) live[i].Release();
  }
  SetPerObject(state, faults);
  const ObjectPoolStats s = pool.stats();
  state.counters["hit_rate"] =
      static_cast<double>(s.hits - warm.hits) / static_cast<double>(s.acquires() - warm.acquires());
}
BENCHMARK(BM_Bulk_Pool);

void BM_Bulk_NewDelete(benchmark::State& state) {
  const std::vector<int> order = Shuffled(kBulk);
  std::vector<Obj64*> live(kBulk);
  for (int i = 0; i < kBulk; ++i) live[i] = new Obj64{};  // warm-up round
  for (int i : order) delete live[i];
  const int64_t faults = MinorFaults();
  for (auto _ : state) {
    for (int i = 0; i < kBulk; ++i) live[i] = new Obj64{};
    benchmark::DoNotOptimize(live.data());
    for (int i : order) delete live[i];
  }
  SetPerObject(state, faults);
}
BENCHMARK(BM_Bulk_NewDelete);

void BM_Bulk_FreeList(benchmark::State& state) {
  FreeList list;
  const std::vector<int> order = Shuffled(kBulk);
  std::vector<Obj64*> live(kBulk);
  for (int i = 0; i < kBulk; ++i) live[i] = list.Acquire();  // warm-up round
  for (int i : order) list.Release(live[i]);
  const int64_t faults = MinorFaults();
  for (auto _ : state) {
    for (int i = 0; i < kBulk; ++i) live[i] = list.Acquire();
    benchmark::DoNotOptimize(live.data());
    for (int i : order) list.Release(live[i]);
  }
  SetPerObject(state, faults);
}
BENCHMARK(BM_Bulk_FreeList);

// Two threads churning on one shared pool (each with its own 64 live objects),
// and the same with new/delete. Time is per iteration of one thread.
ObjectPool<Obj64>& SharedPool() {
  static auto* pool = new ObjectPool<Obj64>(ObjectPoolOptions{.max_idle = 256});
  return *pool;
}

void BM_Churn2T_Pool(benchmark::State& state) {
  ObjectPool<Obj64>& pool = SharedPool();
  ChurnPool(state, pool);  // gives every handle back before the stats are read
  if (state.thread_index() == 0) state.counters["hit_rate"] = pool.stats().hit_rate();
}
BENCHMARK(BM_Churn2T_Pool)->Threads(2)->UseRealTime();

void BM_Churn2T_NewDelete(benchmark::State& state) { BM_Churn_NewDelete(state); }
BENCHMARK(BM_Churn2T_NewDelete)->Threads(2)->UseRealTime();

// Two threads each taking 256 objects and giving them all back: all but one
// per round go through the shared list, so this measures the contended lock.
void BM_Bulk2T_Pool(benchmark::State& state) {
  ObjectPool<Obj64>& pool = SharedPool();
  std::vector<ObjectPool<Obj64>::Handle> live(kLive * 4);
  for (auto _ : state) {
    for (auto& h : live) h = pool.Acquire();
    for (auto& h : live) h.Release();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(live.size()));
}
BENCHMARK(BM_Bulk2T_Pool)->Threads(2)->UseRealTime();

}  // namespace
}  // namespace ctxmem::pool
