// Interner benchmark: ctxmem::intern::Interner against the tables a C++
// interner would otherwise be built on, side by side in one run.
//
// Contenders (every one gets its best lookup: heterogeneous string_view
// probes, absl's hash where it can choose, one probe per insert where the API
// allows):
//   ctxmem     Interner::Intern / Resolve (lock-free finds, 16 spin-locked
//              shards for inserts)
//   mutex      the same table (16 shards' keys-only tables and string
//              stores, the symbol index) with the whole get-or-intern (hash,
//              find, insert) behind one std::mutex: a single-threaded
//              interner wrapped in a lock
//   mutex_ho   as mutex, but hashing before taking the lock
//   absl       absl::flat_hash_map<std::string, uint32_t> + std::vector<std::string>
//   std        std::unordered_map<std::string, uint32_t> (absl::Hash) +
//              std::vector<const std::string*>
//   llvm       llvm::UniqueStringSaver::save (no ids: the StringRef is the
//              handle; resolve reads a std::vector<llvm::StringRef>)
//
// Workloads (inputs generated once, deterministically, outside the timed
// loop; one iteration = one pass of 1M operations, the table kept across
// iterations, so after the first pass it is "filled" as in lasso's figures):
//   H    get-or-intern over ~1,237 distinct words of ~10 bytes, uniform
//   Z    get-or-intern, Zipf(1.0) over 100k distinct ~29-byte strings
//   Zc   as Z, but a fresh table every pass (80k inserts per 1M operations)
//   Z2   Z on 2 threads sharing one table, each thread its own 1M draws;
//        ns_per_op is wall time over both threads' operations (aggregate)
//   R    1M Resolve of uniformly random symbols of the Z set
//
// Counter ns_per_op is the time per operation (for Z2, aggregate).
//
// Run (README.md): single-threaded ones under `taskset -c 1`, Z2 on two CPUs.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"
#include "intern/interner.h"
#include "intern/internal/shard.h"
#include "intern/internal/workloads.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/StringSaver.h"

namespace ctxmem::intern {
namespace {

constexpr size_t kOps = 1'000'000;
constexpr size_t kZipfStrings = 100'000;

struct Inputs {
  std::vector<std::string> words = workloads::Words();
  std::vector<std::string> strings = workloads::DistinctStrings(kZipfStrings);
  std::vector<std::string_view> hot;       // H
  std::vector<std::string_view> zipf[2];   // Z, and the second thread of Z2
  std::vector<uint32_t> resolve_order;     // R: indices into `strings`

  Inputs() {
    std::mt19937_64 rng(11);
    for (size_t i = 0; i < kOps; ++i) hot.push_back(words[rng() % words.size()]);
    for (int t = 0; t < 2; ++t) {
      for (uint32_t i : workloads::ZipfIndices(kZipfStrings, kOps, 100 + t)) {
        zipf[t].push_back(strings[i]);
      }
    }
    for (size_t i = 0; i < kOps; ++i) resolve_order.push_back(uint32_t(rng() % strings.size()));
  }
};

const Inputs& GetInputs() {
  static const Inputs* const inputs = new Inputs();
  return *inputs;
}

// --- Contenders -----------------------------------------------------------

struct Ctxmem {
  Interner interner;
  uint32_t Intern(std::string_view s) { return interner.Intern(s).id; }
  std::string_view Resolve(uint32_t id) const { return interner.Resolve(Symbol{id}); }
};

// The interner's table (16 shards and the symbol index) with no locking of
// its own: what a single-threaded version of it does per operation.
struct UnlockedTable {
  std::unique_ptr<internal::Shard[]> shards = std::make_unique<internal::Shard[]>(internal::kShards);
  internal::SymbolIndex index{size_t{1} << 22};
  uint32_t FindOrInsert(const internal::Key& key) {
    internal::Shard& shard = shards[key.shard];
    uint32_t local = shard.Find(key, key.shard, index);
    if (local == 0) {
      const uint32_t id = internal::EncodeId(key.shard, shard.NextLocal());
      size_t growth = 0;
      if (!index.Commit(id, &growth)) std::abort();
      local = shard.Insert(key, key.shard, index, &growth);
    }
    return internal::EncodeId(key.shard, local);
  }
  std::string_view Resolve(uint32_t id) const { return index.Get(id); }
};

// What wrapping a single-threaded interner in a lock gives: the same table,
// the whole get-or-intern, hashing included, under one std::mutex.
struct OneMutex {
  std::mutex mu;
  UnlockedTable table;
  uint32_t Intern(std::string_view s) {
    std::lock_guard<std::mutex> lock(mu);
    return table.FindOrInsert(internal::KeyOf(s));
  }
  std::string_view Resolve(uint32_t id) const { return table.Resolve(id); }
};

// As OneMutex, but hashing before taking the lock: the lock covers only the
// table, the most a careful single-lock design can give.
struct OneMutexHashOutside {
  std::mutex mu;
  UnlockedTable table;
  uint32_t Intern(std::string_view s) {
    const internal::Key key = internal::KeyOf(s);
    std::lock_guard<std::mutex> lock(mu);
    return table.FindOrInsert(key);
  }
  std::string_view Resolve(uint32_t id) const { return table.Resolve(id); }
};

struct AbslMap {
  absl::flat_hash_map<std::string, uint32_t> map;
  std::vector<std::string> strings;
  uint32_t Intern(std::string_view s) {
    // Debian's abseil has its own absl::string_view, distinct from std's.
    auto it = map.lazy_emplace(absl::string_view(s.data(), s.size()), [&](const auto& ctor) {
      ctor(std::string(s), uint32_t(strings.size()));
      strings.emplace_back(s);
    });
    return it->second;
  }
  std::string_view Resolve(uint32_t id) const { return strings[id]; }
};

struct TransparentHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return internal::HashOf(s); }
};

struct StdMap {
  std::unordered_map<std::string, uint32_t, TransparentHash, std::equal_to<>> map;
  std::vector<const std::string*> strings;
  uint32_t Intern(std::string_view s) {
    auto it = map.find(s);
    if (it != map.end()) return it->second;
    it = map.emplace(std::string(s), uint32_t(strings.size())).first;
    strings.push_back(&it->first);
    return it->second;
  }
  std::string_view Resolve(uint32_t id) const { return *strings[id]; }
};

struct Llvm {
  llvm::BumpPtrAllocator allocator;
  llvm::UniqueStringSaver saver{allocator};
  std::vector<llvm::StringRef> refs;  // only for R
  const char* Intern(std::string_view s) {
    return saver.save(llvm::StringRef(s.data(), s.size())).data();
  }
  uint32_t InternWithId(std::string_view s) {  // R setup only
    refs.push_back(saver.save(llvm::StringRef(s.data(), s.size())));
    return uint32_t(refs.size() - 1);
  }
  std::string_view Resolve(uint32_t id) const { return {refs[id].data(), refs[id].size()}; }
};

void SetCounters(benchmark::State& state) {
  state.SetItemsProcessed(int64_t(state.iterations()) * kOps);
  state.counters["ns_per_op"] = benchmark::Counter(
      double(kOps), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

template <typename C>
void Run(const std::vector<std::string_view>& input, C& c) {
  for (std::string_view s : input) benchmark::DoNotOptimize(c.Intern(s));
}

// --- Workloads --------------------------------------------------------------

template <typename C>
void BM_H(benchmark::State& state) {
  const Inputs& in = GetInputs();
  auto c = std::make_unique<C>();
  for (auto _ : state) Run(in.hot, *c);
  SetCounters(state);
}

template <typename C>
void BM_Z(benchmark::State& state) {
  const Inputs& in = GetInputs();
  auto c = std::make_unique<C>();
  for (auto _ : state) Run(in.zipf[0], *c);
  SetCounters(state);
}

template <typename C>
void BM_Zc(benchmark::State& state) {
  const Inputs& in = GetInputs();
  for (auto _ : state) {
    auto c = std::make_unique<C>();
    Run(in.zipf[0], *c);
    state.PauseTiming();
    c.reset();
    state.ResumeTiming();
  }
  SetCounters(state);
}

template <typename C>
void BM_Z2(benchmark::State& state) {
  static C* shared = nullptr;
  const Inputs& in = GetInputs();
  if (state.thread_index() == 0) shared = new C();
  for (auto _ : state) Run(in.zipf[state.thread_index() % 2], *shared);
  SetCounters(state);
  if (state.thread_index() == 0) {
    // The loop's end is a barrier: the other thread has finished using it.
    delete shared;
    shared = nullptr;
  }
}

template <typename C>
void BM_R(benchmark::State& state) {
  const Inputs& in = GetInputs();
  auto c = std::make_unique<C>();
  std::vector<uint32_t> ids;
  for (const std::string& s : in.strings) {
    if constexpr (std::is_same_v<C, Llvm>) {
      ids.push_back(c->InternWithId(s));
    } else {
      ids.push_back(c->Intern(s));
    }
  }
  std::vector<uint32_t> order;
  for (uint32_t i : in.resolve_order) order.push_back(ids[i]);
  for (auto _ : state) {
    size_t total = 0;
    for (uint32_t id : order) {
      // Resolve, then read the string: every Z string is 20+ bytes.
      std::string_view s = c->Resolve(id);
      total += s.size() + static_cast<unsigned char>(s[0]);
    }
    benchmark::DoNotOptimize(total);
  }
  SetCounters(state);
}

#define CTXMEM_INTERN_BENCH(workload)                           \
  BENCHMARK_TEMPLATE(workload, Ctxmem)->Name(#workload "/ctxmem");  \
  BENCHMARK_TEMPLATE(workload, OneMutex)->Name(#workload "/mutex"); \
  BENCHMARK_TEMPLATE(workload, AbslMap)->Name(#workload "/absl");   \
  BENCHMARK_TEMPLATE(workload, StdMap)->Name(#workload "/std");     \
  BENCHMARK_TEMPLATE(workload, Llvm)->Name(#workload "/llvm")

CTXMEM_INTERN_BENCH(BM_H);
CTXMEM_INTERN_BENCH(BM_Z);
CTXMEM_INTERN_BENCH(BM_Zc);
CTXMEM_INTERN_BENCH(BM_R);
// Only the thread-safe contenders can share a table between threads.
BENCHMARK_TEMPLATE(BM_Z2, Ctxmem)->Name("BM_Z2/ctxmem")->Threads(2)->UseRealTime();
BENCHMARK_TEMPLATE(BM_Z2, OneMutex)->Name("BM_Z2/mutex")->Threads(2)->UseRealTime();
BENCHMARK_TEMPLATE(BM_Z2, OneMutexHashOutside)->Name("BM_Z2/mutex_ho")->Threads(2)->UseRealTime();
BENCHMARK_TEMPLATE(BM_Z, OneMutexHashOutside)->Name("BM_Z/mutex_ho");

}  // namespace
}  // namespace ctxmem::intern
