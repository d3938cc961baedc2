// Benchmarks for the file cache.
//
//   BM_PolicySimulation: byte-miss ratio of the cache's S3-FIFO policy (the
//     same class, internal/s3fifo.h) against an exact byte-weighted LRU, on
//     Zipf traces over 10k "files" of 4 KiB..16 MiB (log-normal), budget =
//     10% of all bytes. No I/O. Counters: *_byte_miss, *_object_miss.
//   BM_CacheHit: Read of a cached, validated file + pin + unpin.
//   BM_CacheMiss: a Read into a fresh cache (nothing to recycle).
//   BM_CacheChurnMiss: misses in a running cache, recycling the storage of
//     the file each miss evicts.
//   BM_PreadEachTime: what a caller without the cache does: open, fstat,
//     pread the whole file into a buffer, close.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "mmapcache/file_cache.h"
#include "mmapcache/internal/lru_reference.h"
#include "mmapcache/internal/s3fifo.h"

namespace ctxmem::mmapcache {
namespace {

constexpr int kObjects = 10'000;
constexpr int kRequests = 2'000'000;

struct Trace {
  std::vector<size_t> sizes;  // per object
  std::vector<uint32_t> requests;
  size_t total_bytes = 0;
};

Trace MakeTrace(double alpha, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Trace t;
  std::lognormal_distribution<double> size_dist(std::log(64 * 1024.0), 1.6);
  for (int i = 0; i < kObjects; ++i) {
    const double s = std::clamp(size_dist(rng), 4096.0, 16.0 * 1024 * 1024);
    t.sizes.push_back(static_cast<size_t>(s));
    t.total_bytes += t.sizes.back();
  }
  // Popularity rank independent of size.
  std::vector<uint32_t> id_of_rank(kObjects);
  std::iota(id_of_rank.begin(), id_of_rank.end(), 0);
  std::shuffle(id_of_rank.begin(), id_of_rank.end(), rng);
  std::vector<double> cdf(kObjects);
  double sum = 0;
  for (int r = 0; r < kObjects; ++r) cdf[r] = sum += 1.0 / std::pow(r + 1.0, alpha);
  std::uniform_real_distribution<double> u(0, sum);
  t.requests.reserve(kRequests);
  for (int i = 0; i < kRequests; ++i) {
    const size_t r = std::lower_bound(cdf.begin(), cdf.end(), u(rng)) - cdf.begin();
    t.requests.push_back(id_of_rank[std::min<size_t>(r, kObjects - 1)]);
  }
  return t;
}

struct MissRatios {
  double bytes;
  double objects;
};

MissRatios SimulateS3Fifo(const Trace& t, size_t budget) {
  internal::S3Fifo policy(budget);
  std::vector<internal::S3Fifo::Node*> node(kObjects, nullptr);
  double req_bytes = 0, miss_bytes = 0, misses = 0;
  for (uint32_t id : t.requests) {
    const size_t w = t.sizes[id];
    req_bytes += w;
    if (node[id] != nullptr) {
      internal::S3Fifo::Access(node[id]);
      continue;
    }
    miss_bytes += w;
    ++misses;
    if (w > budget) continue;
    while (policy.total_weight() + w > budget) node[policy.Evict()->key] = nullptr;
    node[id] = policy.Insert(id, w, nullptr);
  }
  return {miss_bytes / req_bytes, misses / t.requests.size()};
}

MissRatios SimulateLru(const Trace& t, size_t budget) {
  internal::LruReference lru(budget);
  double req_bytes = 0, miss_bytes = 0, misses = 0;
  for (uint32_t id : t.requests) {
    const size_t w = t.sizes[id];
    req_bytes += w;
    if (!lru.Access(id, w)) {
      miss_bytes += w;
      ++misses;
    }
  }
  return {miss_bytes / req_bytes, misses / t.requests.size()};
}

void BM_PolicySimulation(benchmark::State& state) {
  const double alpha = state.range(0) / 100.0;
  const Trace t = MakeTrace(alpha, 1234 + 7919 * state.range(1) + state.range(0));
  const size_t budget = t.total_bytes / 10;
  MissRatios s3{}, lru{};
  for (auto _ : state) {
    s3 = SimulateS3Fifo(t, budget);
    lru = SimulateLru(t, budget);
  }
  state.counters["s3fifo_byte_miss"] = s3.bytes;
  state.counters["lru_byte_miss"] = lru.bytes;
  state.counters["byte_miss_vs_lru"] = s3.bytes / lru.bytes;
  state.counters["s3fifo_object_miss"] = s3.objects;
  state.counters["lru_object_miss"] = lru.objects;
  state.SetLabel("zipf " + std::to_string(alpha).substr(0, 4) + " seed " +
                 std::to_string(state.range(1)));
}
// Args: Zipf alpha * 100, trace seed.
BENCHMARK(BM_PolicySimulation)
    ->ArgsProduct({{90, 100}, {0, 1, 2}})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

std::string MakeFile(size_t size, const std::string& tag = "") {
  const std::string path = "/tmp/ctxmem_mmapcache_bench_" + std::to_string(size) + tag;
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const std::string content(size, 'x');
  if (fd < 0 || write(fd, content.data(), size) != static_cast<ssize_t>(size)) std::abort();
  // An hour-old mtime, so the cache does not treat the file as racy.
  struct timespec times[2];
  clock_gettime(CLOCK_REALTIME, &times[0]);
  times[0].tv_sec -= 3600;
  times[1] = times[0];
  futimens(fd, times);
  close(fd);
  return path;
}

void BM_CacheHit(benchmark::State& state) {
  const std::string path = MakeFile(state.range(0));
  FileCache cache(FileCacheOptions{.validity_window = std::chrono::hours(1)});
  if (!cache.Read(path).ok()) std::abort();
  for (auto _ : state) {
    absl::StatusOr<FileView> v = cache.Read(path);
    benchmark::DoNotOptimize(v->bytes().data());
  }
  unlink(path.c_str());
}
BENCHMARK(BM_CacheHit)->Arg(4096)->Arg(1 << 20);

// Every Read past the window (window 0): open + fstat + close + lookup.
void BM_CacheRevalidatedHit(benchmark::State& state) {
  const std::string path = MakeFile(state.range(0));
  FileCache cache(FileCacheOptions{.validity_window = std::chrono::nanoseconds(0)});
  if (!cache.Read(path).ok()) std::abort();
  for (auto _ : state) {
    absl::StatusOr<FileView> v = cache.Read(path);
    benchmark::DoNotOptimize(v->bytes().data());
  }
  if (cache.stats().misses != 1) state.SkipWithError("revalidation reloaded the file");
  unlink(path.c_str());
}
BENCHMARK(BM_CacheRevalidatedHit)->Arg(4096)->Arg(1 << 20);

// A cold Read: open + fstat + allocate + pread + fstat + insert, and unpin.
// (Timing pauses around the fresh cache add ~1 us of noise.)
void BM_CacheMiss(benchmark::State& state) {
  const std::string path = MakeFile(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    auto cache = std::make_unique<FileCache>();
    state.ResumeTiming();
    {
      absl::StatusOr<FileView> v = cache->Read(path);
      benchmark::DoNotOptimize(v->bytes().data());
    }
    state.PauseTiming();
    cache.reset();
    state.ResumeTiming();
  }
  unlink(path.c_str());
}
BENCHMARK(BM_CacheMiss)->Arg(4096)->Arg(1 << 20);

// Misses in a running cache: two files that do not fit together, read in
// turn, so every Read loads one and evicts the other. The evicted file's
// storage (a pooled 64 KiB buffer for a small file, the kept mapping for a
// large one) serves the next load, where BM_CacheMiss starts from nothing.
void BM_CacheChurnMiss(benchmark::State& state) {
  const size_t size = state.range(0);
  const std::string paths[2] = {MakeFile(size, "a"), MakeFile(size, "b")};
  FileCache cache(FileCacheOptions{.budget_bytes = size + size / 2});
  size_t i = 0;
  for (auto _ : state) {
    absl::StatusOr<FileView> v = cache.Read(paths[i++ & 1]);
    benchmark::DoNotOptimize(v->bytes().data());
  }
  const FileCacheStats s = cache.stats();
  if (s.hits != 0) state.SkipWithError("a read hit: the two files fit together");
  state.counters["pool_hit_rate"] = s.buffer_pool.hit_rate();
  state.counters["mappings_reused"] =
      s.mappings_reused + s.mappings_fresh == 0
          ? 0.0
          : double(s.mappings_reused) / double(s.mappings_reused + s.mappings_fresh);
  for (const std::string& p : paths) unlink(p.c_str());
}
BENCHMARK(BM_CacheChurnMiss)->Arg(4096)->Arg(1 << 20);

void BM_PreadEachTime(benchmark::State& state) {
  const size_t size = state.range(0);
  const std::string path = MakeFile(size);
  std::vector<char> buf(size);
  for (auto _ : state) {
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st;
    fstat(fd, &st);
    benchmark::DoNotOptimize(pread(fd, buf.data(), static_cast<size_t>(st.st_size), 0));
    close(fd);
  }
  unlink(path.c_str());
}
BENCHMARK(BM_PreadEachTime)->Arg(4096)->Arg(1 << 20);

}  // namespace
}  // namespace ctxmem::mmapcache
