#include "pool/buffer_pool.h"

#include <atomic>
#include <barrier>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "pool/buffer.h"
#include "pool/poison.h"
#include "pool/thread_slots.h"

namespace ctxmem::pool {
namespace {

constexpr size_t k4K = size_t{4} << 10;
constexpr size_t k64K = size_t{64} << 10;
constexpr size_t k1M = size_t{1} << 20;

// ---------------------------------------------------------------- Buffer

TEST(BufferTest, StartsEmpty) {
  Buffer b;
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.capacity(), 0u);
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.view(), "");
  Buffer c(100);
  EXPECT_EQ(c.size(), 0u);
  EXPECT_EQ(c.capacity(), 100u);
}

TEST(BufferTest, AppendGrowsAndKeepsContent) {
  Buffer b(4);
  b.append("abc");
  b.push_back('d');
  EXPECT_EQ(b.capacity(), 4u);
  b.append("efgh");
  EXPECT_EQ(b.view(), "abcdefgh");
  EXPECT_EQ(b.capacity(), 8u);  // doubled
  b.append(std::string(100, 'z'));
  EXPECT_EQ(b.size(), 108u);
  EXPECT_EQ(b.capacity(), 108u);  // straight to the request when that is larger
  EXPECT_EQ(b.view().substr(0, 8), "abcdefgh");
  EXPECT_EQ(b[107], 'z');
}

TEST(BufferTest, ResizeZeroFillsWhatItAdds) {
  Buffer b;
  b.append("xyz");
  b.resize(1);
  b.resize(5);
  EXPECT_EQ(b.view(), std::string_view("x\0\0\0\0", 5));
}

TEST(BufferTest, ClearKeepsCapacity) {
  Buffer b;
  b.resize(1000);
  const char* data = b.data();
  b.clear();
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.capacity(), 1000u);
  EXPECT_EQ(b.data(), data);
}

TEST(BufferTest, ResizeAndOverwriteExposesOnlyWhatWasWritten) {
  Buffer b;
  b.append("head:");
  b.resize_and_overwrite(64, [](char* p, size_t n) {
    EXPECT_EQ(n, 64u);
    std::memcpy(p + 5, "body", 4);
    return size_t{9};
  });
  EXPECT_EQ(b.view(), "head:body");
  EXPECT_GE(b.capacity(), 64u);
}

TEST(BufferTest, MoveLeavesTheSourceEmpty) {
  Buffer a;
  a.append("data");
  Buffer b = std::move(a);
  EXPECT_EQ(a.capacity(), 0u);  // NOLINT(bugprone-use-after-move): testing it
  EXPECT_EQ(a.size(), 0u);
  EXPECT_EQ(b.view(), "data");
  Buffer c;
  c.append("old");
  c = std::move(b);
  EXPECT_EQ(c.view(), "data");
}

TEST(BufferTest, BytesPastTheSizeArePoisonedUnderAsan) {
  Buffer b(64);
  b.append("0123456789abcdef");
  EXPECT_FALSE(internal::IsPoisoned(b.data(), 16));
  EXPECT_EQ(internal::IsPoisoned(b.data() + 16, 48), internal::kPoisoning);
  b.clear();
  EXPECT_EQ(internal::IsPoisoned(b.data(), 64), internal::kPoisoning);
}

// ------------------------------------------------------------ BufferPool

TEST(BufferPoolTest, HintsMapToTheSmallestClassThatHoldsThem) {
  EXPECT_EQ(BufferPool::ClassForHint(0), 0);
  EXPECT_EQ(BufferPool::ClassForHint(k4K), 0);
  EXPECT_EQ(BufferPool::ClassForHint(k4K + 1), 1);
  EXPECT_EQ(BufferPool::ClassForHint(k64K), 1);
  EXPECT_EQ(BufferPool::ClassForHint(k64K + 1), 2);
  EXPECT_EQ(BufferPool::ClassForHint(k1M), 2);
  EXPECT_EQ(BufferPool::ClassForHint(k1M + 1), PooledBuffer::kOversized);
}

TEST(BufferPoolTest, DefaultBudgets) {
  BufferPool pool;
  const BufferPoolStats s = pool.stats();
  EXPECT_EQ(s.max_idle_bytes, size_t{2} << 20);
  EXPECT_EQ(s.classes[0].class_size, k4K);
  EXPECT_EQ(s.classes[0].max_idle_bytes, size_t{512} << 10);
  EXPECT_EQ(s.classes[1].class_size, k64K);
  EXPECT_EQ(s.classes[1].max_idle_bytes, size_t{512} << 10);
  EXPECT_EQ(s.classes[2].class_size, k1M);
  EXPECT_EQ(s.classes[2].max_idle_bytes, k1M);
  EXPECT_EQ(pool.idle_bytes(), 0u);
}

TEST(BufferPoolTest, MissAllocatesTheClassSizeAndHitReusesIt) {
  BufferPool pool;
  const char* storage;
  {
    PooledBuffer b = pool.Acquire(100);
    ASSERT_TRUE(b);
    EXPECT_EQ(b.origin_class(), 0);
    EXPECT_EQ(b->size(), 0u);
    EXPECT_EQ(b->capacity(), k4K);
    storage = b->data();
  }
  EXPECT_EQ(pool.idle_bytes(), k4K);
  PooledBuffer b = pool.Acquire(k4K);
  EXPECT_EQ(b->data(), storage);
  const BufferPoolStats s = pool.stats();
  EXPECT_EQ(s.classes[0].acquires, 2u);
  EXPECT_EQ(s.classes[0].misses, 1u);
  EXPECT_EQ(s.classes[0].hits, 1u);
  EXPECT_EQ(s.classes[0].idle_buffers, 0u);
  EXPECT_DOUBLE_EQ(s.hit_rate(), 0.5);
}

TEST(BufferPoolTest, BufferComesBackEmpty) {
  BufferPool pool;
  {
    PooledBuffer b = pool.Acquire(k64K);
    b->append(std::string(50000, 's'));
  }
  PooledBuffer b = pool.Acquire(k64K);
  EXPECT_EQ(pool.stats().classes[1].hits, 1u);
  EXPECT_EQ(b->size(), 0u);
  EXPECT_TRUE(b->view().empty());
  b->resize(100);  // the old bytes do not come back through resize either
  for (size_t i = 0; i < 100; ++i) ASSERT_EQ((*b)[i], 0) << i;
}

TEST(BufferPoolTest, IdleStorageIsPoisonedUnderAsan) {
  BufferPool pool;
  const char* storage;
  {
    PooledBuffer b = pool.Acquire(10);
    b->append("secret");
    storage = b->data();
  }
  EXPECT_EQ(internal::IsPoisoned(storage, k4K), internal::kPoisoning);
}

TEST(BufferPoolDeathTest, UseAfterReleaseIsReportedUnderAsan) {
  if (!internal::kPoisoning) GTEST_SKIP() << "poisoning needs ASan";
  BufferPool pool;
  char* storage;
  {
    PooledBuffer b = pool.Acquire(10);
    b->append("kept");
    storage = b->data();
  }
  EXPECT_DEATH(static_cast<void>(*static_cast<volatile char*>(storage)), "use-after-poison");
}

TEST(BufferPoolDeathTest, ReadingPastTheSizeIsReportedUnderAsan) {
  if (!internal::kPoisoning) GTEST_SKIP() << "poisoning needs ASan";
  BufferPool pool;
  PooledBuffer b = pool.Acquire(10);
  b->append("abc");
  EXPECT_DEATH(static_cast<void>(*static_cast<volatile char*>(b->data() + 3)), "use-after-poison");
}

TEST(BufferPoolTest, ExplicitReleaseMoveAndDetach) {
  BufferPool pool;
  PooledBuffer a = pool.Acquire(1);
  a.Release();
  EXPECT_FALSE(a);
  a.Release();  // no-op
  EXPECT_EQ(pool.stats().classes[0].idle_buffers, 1u);

  PooledBuffer b = pool.Acquire(1);  // the same buffer
  PooledBuffer c = std::move(b);
  EXPECT_FALSE(b);  // NOLINT(bugprone-use-after-move)
  b.Release();      // moved-from: gives back nothing
  EXPECT_EQ(pool.stats().classes[0].idle_buffers, 0u);
  PooledBuffer d = pool.Acquire(1);
  c = std::move(d);  // gives back c's buffer
  EXPECT_EQ(pool.stats().classes[0].idle_buffers, 1u);

  Buffer owned = c.Detach();
  EXPECT_FALSE(c);
  EXPECT_EQ(owned.capacity(), k4K);
  EXPECT_EQ(c.get(), nullptr);
  EXPECT_EQ(pool.stats().detached, 1u);
  EXPECT_EQ(pool.stats().classes[0].idle_buffers, 1u);
  EXPECT_EQ(PooledBuffer().Detach().capacity(), 0u);
}

TEST(BufferPoolTest, GrownBuffersAreRebinnedByCapacity) {
  BufferPool pool;
  {
    PooledBuffer b = pool.Acquire(k4K);
    b->resize(k64K);  // 4 KiB -> 64 KiB: now a 64 KiB buffer
  }
  {
    PooledBuffer b = pool.Acquire(k4K);  // the 4 KiB class is empty
    b->resize(4 * k4K);                  // 16 KiB: still filed as 4 KiB
  }
  BufferPoolStats s = pool.stats();
  EXPECT_EQ(s.classes[0].rebinned, 1u);
  EXPECT_EQ(s.classes[0].dropped, 0u);
  EXPECT_EQ(s.classes[1].idle_buffers, 1u);
  EXPECT_EQ(s.classes[1].idle_bytes, k64K);
  EXPECT_EQ(s.classes[0].idle_buffers, 1u);
  EXPECT_EQ(s.classes[0].idle_bytes, 4 * k4K);
  EXPECT_EQ(s.idle_bytes, k64K + 4 * k4K);

  PooledBuffer from_64k = pool.Acquire(k64K);
  EXPECT_EQ(from_64k->capacity(), k64K);
  EXPECT_EQ(pool.stats().classes[1].hits, 1u);
}

TEST(BufferPoolTest, BuffersGrownPastOneMegabyteAreDropped) {
  BufferPool pool;
  {
    PooledBuffer b = pool.Acquire(k64K);
    b->resize(k1M + 1);
  }
  const BufferPoolStats s = pool.stats();
  EXPECT_EQ(s.classes[1].dropped, 1u);
  EXPECT_EQ(s.classes[1].rebinned, 0u);
  EXPECT_EQ(s.idle_bytes, 0u);
  // Exactly 1 MiB is still poolable.
  {
    PooledBuffer b = pool.Acquire(k64K);
    b->resize(k1M);
  }
  EXPECT_EQ(pool.stats().classes[2].idle_bytes, k1M);
  EXPECT_EQ(pool.stats().classes[1].rebinned, 1u);
}

TEST(BufferPoolTest, BuffersShrunkBelowTheSmallestClassAreDropped) {
  BufferPool pool;
  {
    PooledBuffer b = pool.Acquire(10);
    *b = Buffer(100);  // the caller swapped in a small buffer
  }
  {
    PooledBuffer b = pool.Acquire(10);
    Buffer stolen = std::move(*b);  // or moved the storage out
    EXPECT_EQ(stolen.capacity(), k4K);
  }
  const BufferPoolStats s = pool.stats();
  EXPECT_EQ(s.classes[0].dropped, 2u);
  EXPECT_EQ(s.idle_bytes, 0u);
}

TEST(BufferPoolTest, OversizedRequestsAreFreshAndNeverKept) {
  BufferPool pool;
  for (int i = 0; i < 2; ++i) {
    PooledBuffer b = pool.Acquire(3 * k1M);
    EXPECT_EQ(b.origin_class(), PooledBuffer::kOversized);
    EXPECT_EQ(b->capacity(), 3 * k1M);
    EXPECT_EQ(b->size(), 0u);
    b->resize(3 * k1M);
  }
  const BufferPoolStats s = pool.stats();
  EXPECT_EQ(s.oversized_acquires, 2u);
  EXPECT_EQ(s.idle_bytes, 0u);
  EXPECT_EQ(s.acquires(), 2u);
  EXPECT_EQ(s.hits(), 0u);
  EXPECT_EQ(s.hit_rate(), 0.0);
}

TEST(BufferPoolTest, ClassBudgetIsNeverExceeded) {
  BufferPool pool;  // 64 KiB class: 512 KiB = 8 buffers
  {
    std::vector<PooledBuffer> held;
    for (int i = 0; i < 10; ++i) held.push_back(pool.Acquire(k64K));
  }
  BufferPoolStats s = pool.stats();
  EXPECT_EQ(s.classes[1].idle_buffers, 8u);
  EXPECT_EQ(s.classes[1].idle_bytes, size_t{512} << 10);
  EXPECT_EQ(s.classes[1].dropped, 2u);
  // A 4 KiB buffer grown to 64 KiB cannot squeeze in either.
  {
    PooledBuffer b = pool.Acquire(1);
    b->resize(k64K);
  }
  s = pool.stats();
  EXPECT_EQ(s.classes[0].dropped, 1u);
  EXPECT_EQ(s.classes[0].rebinned, 0u);
  EXPECT_EQ(s.classes[1].idle_bytes, size_t{512} << 10);
}

TEST(BufferPoolTest, TotalBudgetIsNeverExceeded) {
  BufferPoolOptions options;
  options.max_idle_bytes = 3 * k64K;
  options.max_idle_bytes_per_class = {k1M, k1M, k1M};  // only the total binds
  BufferPool pool(options);
  {
    std::vector<PooledBuffer> held;
    for (int i = 0; i < 2; ++i) held.push_back(pool.Acquire(k64K));
    for (int i = 0; i < 20; ++i) held.push_back(pool.Acquire(k4K));
  }
  const BufferPoolStats s = pool.stats();
  EXPECT_LE(s.idle_bytes, 3 * k64K);
  // Given back in order: two 64 KiB ones, then 4 KiB ones until full.
  EXPECT_EQ(s.classes[1].idle_buffers, 2u);
  EXPECT_EQ(s.classes[0].idle_buffers, 16u);
  EXPECT_EQ(s.classes[0].dropped, 4u);
  EXPECT_EQ(s.idle_bytes, 3 * k64K);
}

TEST(BufferPoolTest, ExplicitPerClassBudgets) {
  BufferPoolOptions options;
  options.max_idle_bytes_per_class[2] = 0;  // never keep 1 MiB buffers
  BufferPool pool(options);
  EXPECT_EQ(pool.stats().classes[0].max_idle_bytes, size_t{512} << 10);  // derived
  pool.Acquire(k1M).Release();
  EXPECT_EQ(pool.stats().classes[2].dropped, 1u);
  EXPECT_EQ(pool.idle_bytes(), 0u);
}

TEST(BufferPoolTest, ConcurrentUseKeepsBudgetsAndCounts) {
  BufferPoolOptions options;
  options.max_idle_bytes = 256 << 10;
  BufferPool pool(options);  // classes: 64 KiB, 64 KiB, 128 KiB (no 1 MiB buffer fits)
  constexpr int kThreads = 4;
  constexpr int kRounds = 1000;
  std::atomic<bool> done{false};
  std::atomic<int> violations{0};
  std::thread watcher([&] {
    while (!done.load()) {
      const BufferPoolStats s = pool.stats();
      bool bad = s.idle_bytes > s.max_idle_bytes;
      for (const BufferClassStats& c : s.classes) bad |= c.idle_bytes > c.max_idle_bytes;
      if (bad) violations.fetch_add(1);
      std::this_thread::yield();
    }
  });
  std::atomic<int> dirty{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      std::mt19937 rng(t);
      std::vector<PooledBuffer> held;
      for (int i = 0; i < kRounds; ++i) {
        const size_t hint = std::uniform_int_distribution<size_t>(0, 100 << 10)(rng);
        PooledBuffer b = pool.Acquire(hint);
        if (!b->empty() || b->capacity() < hint) dirty.fetch_add(1);
        b->append(std::string(hint % 512, static_cast<char>('a' + t)));
        if (i % 50 == 0) b->reserve(3 * k64K);  // re-binned or dropped on return
        if (i % 4 == 0) held.push_back(std::move(b));
        if (held.size() > 3) held.clear();
      }
    });
  }
  for (auto& w : workers) w.join();
  done.store(true);
  watcher.join();
  EXPECT_EQ(violations.load(), 0);
  EXPECT_EQ(dirty.load(), 0);
  const BufferPoolStats s = pool.stats();
  EXPECT_EQ(s.acquires(), uint64_t{kThreads} * kRounds);
  uint64_t idle_buffers = 0;
  uint64_t kept_or_dropped = 0;
  for (const BufferClassStats& c : s.classes) {
    EXPECT_EQ(c.acquires, c.hits + c.misses);
    EXPECT_LE(c.idle_bytes, c.max_idle_bytes);
    idle_buffers += c.idle_buffers;
    kept_or_dropped += c.dropped;
  }
  EXPECT_LE(s.idle_bytes, s.max_idle_bytes);
  // Every buffer made is either idle now or was dropped.
  uint64_t misses = 0;
  for (const BufferClassStats& c : s.classes) misses += c.misses;
  EXPECT_EQ(misses, idle_buffers + kept_or_dropped);
  EXPECT_GT(s.hit_rate(), 0.5);
}

// ------------------------------------------------------- thread caches

TEST(BufferPoolCacheTest, CachedBufferIsReusedOnTheSameThread) {
  BufferPool pool;
  const char* storage;
  {
    PooledBuffer b = pool.Acquire(100);
    b->append("previous user");
    storage = b->data();
  }
  BufferPoolStats s = pool.stats();
  EXPECT_EQ(s.classes[0].cached_buffers, 1u);  // in this thread's cache
  EXPECT_EQ(s.classes[0].idle_buffers, 1u);    // which counts as idle
  EXPECT_EQ(s.classes[0].idle_bytes, k4K);
  EXPECT_EQ(pool.idle_bytes(), k4K);
  for (int i = 0; i < 100; ++i) {
    PooledBuffer b = pool.Acquire(i * 40);
    ASSERT_EQ(b->data(), storage);
    ASSERT_EQ(b->size(), 0u);
    ASSERT_EQ(b->capacity(), k4K);
    ASSERT_EQ(internal::IsPoisoned(b->data(), k4K), internal::kPoisoning);
    EXPECT_EQ(pool.stats().classes[0].cached_buffers, 0u);  // out on loan
    b->append("x");
  }
  s = pool.stats();
  EXPECT_EQ(s.classes[0].acquires, 101u);
  EXPECT_EQ(s.classes[0].hits, 100u);
  EXPECT_EQ(s.classes[0].misses, 1u);
  EXPECT_EQ(s.classes[0].cached_buffers, 1u);
  // A second buffer of the class, given back while the cache is full, goes to
  // the shared list; one cached buffer per class per thread.
  {
    PooledBuffer a = pool.Acquire(1);
    PooledBuffer b = pool.Acquire(1);
    PooledBuffer c = pool.Acquire(k64K);
    EXPECT_EQ(a->data(), storage);
  }
  s = pool.stats();
  EXPECT_EQ(s.classes[0].cached_buffers, 1u);
  EXPECT_EQ(s.classes[0].idle_buffers, 2u);
  EXPECT_EQ(s.classes[1].cached_buffers, 1u);
  EXPECT_EQ(s.idle_bytes, 2 * k4K + k64K);
  EXPECT_EQ(s.classes[0].hits + s.classes[0].misses, s.classes[0].acquires);
}

TEST(BufferPoolCacheTest, CachedBuffersAreRebinnedWhenTheyGrow) {
  BufferPool pool;
  pool.Acquire(1).Release();  // now cached
  {
    PooledBuffer b = pool.Acquire(1);  // a cache hit
    b->resize(k64K);                   // grows into the 64 KiB class
  }
  BufferPoolStats s = pool.stats();
  EXPECT_EQ(s.classes[0].hits, 1u);
  EXPECT_EQ(s.classes[0].rebinned, 1u);
  EXPECT_EQ(s.classes[0].idle_buffers, 0u);
  EXPECT_EQ(s.classes[1].idle_buffers, 1u);
  EXPECT_EQ(s.classes[1].idle_bytes, k64K);
  EXPECT_EQ(s.idle_bytes, k64K);
  {
    PooledBuffer b = pool.Acquire(k64K);  // the re-binned one, a hit
    EXPECT_EQ(b->capacity(), k64K);
    b->resize(k1M + 1);  // past the largest class: dropped
  }
  s = pool.stats();
  EXPECT_EQ(s.classes[1].hits, 1u);
  EXPECT_EQ(s.classes[1].dropped, 1u);
  EXPECT_EQ(s.idle_bytes, 0u);
  {
    PooledBuffer b = pool.Acquire(1);  // a miss; grows within its class
    b->resize(5 * k4K);                // 20 KiB: still a 4 KiB-class buffer
  }
  s = pool.stats();
  EXPECT_EQ(s.classes[0].cached_buffers, 1u);
  EXPECT_EQ(s.classes[0].idle_bytes, 5 * k4K);  // counted at its real capacity
  {
    PooledBuffer b = pool.Acquire(1);
    EXPECT_EQ(b->capacity(), 5 * k4K);
    *b = Buffer(100);  // shrunk below the smallest class: dropped
  }
  s = pool.stats();
  EXPECT_EQ(s.classes[0].dropped, 1u);
  EXPECT_EQ(s.idle_bytes, 0u);
}

TEST(BufferPoolCacheTest, OversizedBuffersAreNeverCached) {
  BufferPool pool;
  for (int i = 0; i < 3; ++i) pool.Acquire(2 * k1M).Release();
  const BufferPoolStats s = pool.stats();
  EXPECT_EQ(s.oversized_acquires, 3u);
  EXPECT_EQ(s.hits(), 0u);
  EXPECT_EQ(s.idle_bytes, 0u);
}

TEST(BufferPoolCacheTest, BudgetsHoldWithCachesOnSeveralThreads) {
  BufferPoolOptions options;
  options.max_idle_bytes = 1 << 20;
  options.max_idle_bytes_per_class = {8 * k4K, 4 * k64K, 0};
  BufferPool pool(options);
  constexpr int kThreads = 8;
  constexpr int kRounds = 2000;
  std::barrier sync(kThreads + 1);
  std::atomic<bool> done{false};
  std::atomic<int> violations{0};
  std::thread watcher([&] {
    while (!done.load()) {
      const BufferPoolStats s = pool.stats();
      bool bad = s.idle_bytes > s.max_idle_bytes || pool.idle_bytes() > s.max_idle_bytes;
      for (const BufferClassStats& c : s.classes) {
        bad |= c.idle_bytes > c.max_idle_bytes || c.acquires != c.hits + c.misses;
      }
      if (bad) violations.fetch_add(1);
      std::this_thread::yield();
    }
  });
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&] {
      // Phase 1: every thread gives back one buffer of each class while all
      // of them are alive.
      pool.Acquire(1).Release();
      pool.Acquire(k64K).Release();
      sync.arrive_and_wait();
      sync.arrive_and_wait();
      // Phase 2: churn, with re-binning, drops and budget pressure.
      for (int i = 0; i < kRounds; ++i) {
        PooledBuffer b = pool.Acquire(i % 3 == 0 ? k64K : k4K);
        if (i % 100 == 0) b->resize(2 * b->capacity());  // re-binned or kept larger
      }
    });
  }
  sync.arrive_and_wait();
  BufferPoolStats s = pool.stats();
  // Caches may take at most half of a class budget: 16 KiB of 4 KiB buffers
  // (4 threads), 128 KiB of 64 KiB ones (2 threads). The other 4 KiB buffers
  // fill the shared list up to the class budget; of the 64 KiB ones, two more
  // fit there and the rest were dropped.
  EXPECT_EQ(s.classes[0].cached_buffers, 4u);
  EXPECT_EQ(s.classes[0].idle_buffers, s.classes[0].misses);
  EXPECT_LE(s.classes[0].idle_bytes, 8 * k4K);
  EXPECT_EQ(s.classes[1].cached_buffers, 2u);
  EXPECT_LE(s.classes[1].idle_buffers, 4u);
  EXPECT_EQ(s.classes[1].idle_buffers + s.classes[1].dropped, s.classes[1].misses);
  EXPECT_LE(s.classes[1].idle_bytes, 4 * k64K);
  EXPECT_EQ(s.idle_bytes, s.classes[0].idle_bytes + s.classes[1].idle_bytes);
  EXPECT_EQ(s.acquires(), uint64_t{kThreads} * 2);
  sync.arrive_and_wait();
  for (auto& w : workers) w.join();
  done.store(true);
  watcher.join();
  EXPECT_EQ(violations.load(), 0);
  // All workers exited: their caches went to the shared lists.
  s = pool.stats();
  uint64_t made = 0, ended = 0;
  for (const BufferClassStats& c : s.classes) {
    EXPECT_EQ(c.cached_buffers, 0u);
    EXPECT_EQ(c.acquires, c.hits + c.misses);
    made += c.misses;
    ended += c.dropped + c.idle_buffers;
  }
  EXPECT_EQ(made, ended);
  EXPECT_EQ(s.acquires(), uint64_t{kThreads} * (kRounds + 2));
}

TEST(BufferPoolCacheTest, ThreadExitReturnsCachedBuffers) {
  BufferPool pool;
  const char* small = nullptr;
  const char* medium = nullptr;
  std::thread([&] {
    {
      PooledBuffer a = pool.Acquire(1);
      PooledBuffer b = pool.Acquire(k64K);
      small = a->data();
      medium = b->data();
    }
    const BufferPoolStats s = pool.stats();
    EXPECT_EQ(s.classes[0].cached_buffers, 1u);
    EXPECT_EQ(s.classes[1].cached_buffers, 1u);
  }).join();
  BufferPoolStats s = pool.stats();
  EXPECT_EQ(s.classes[0].cached_buffers, 0u);
  EXPECT_EQ(s.classes[1].cached_buffers, 0u);
  EXPECT_EQ(s.classes[0].idle_buffers, 1u);  // in the shared list now
  EXPECT_EQ(s.classes[1].idle_buffers, 1u);
  EXPECT_EQ(s.idle_bytes, k4K + k64K);
  // Poisoned as idle storage should be, and handed out again.
  EXPECT_EQ(internal::IsPoisoned(small, k4K), internal::kPoisoning);
  PooledBuffer a = pool.Acquire(1);
  PooledBuffer b = pool.Acquire(k64K);
  EXPECT_EQ(a->data(), small);
  EXPECT_EQ(b->data(), medium);
  s = pool.stats();
  EXPECT_EQ(s.classes[0].hits, 1u);
  EXPECT_EQ(s.classes[1].hits, 1u);
}

TEST(BufferPoolCacheTest, DestructorFreesBuffersCachedByLiveThreads) {
  // Under ASan, LeakSanitizer fails the test if a cached buffer is not freed;
  // in debug builds the destructor also checks that every buffer made is
  // accounted for.
  auto pool = std::make_unique<BufferPool>();
  std::barrier sync(2);
  std::thread user([&] {
    pool->Acquire(1).Release();
    pool->Acquire(k64K).Release();
    pool->Acquire(k1M).Release();
    sync.arrive_and_wait();  // cached
    sync.arrive_and_wait();  // the pool is gone; this thread still runs
  });
  sync.arrive_and_wait();
  const BufferPoolStats s = pool->stats();
  EXPECT_EQ(s.classes[0].cached_buffers, 1u);
  EXPECT_EQ(s.classes[1].cached_buffers, 1u);
  EXPECT_EQ(s.idle_bytes, k4K + k64K + k1M);
  pool.reset();
  sync.arrive_and_wait();
  user.join();  // its exit hook must not touch the destroyed pool
  // Slots are process-wide: a new pool starts with empty caches.
  BufferPool fresh;
  EXPECT_EQ(fresh.idle_bytes(), 0u);
  fresh.Acquire(1).Release();
  EXPECT_EQ(fresh.stats().classes[0].misses, 1u);
}

TEST(BufferPoolCacheTest, ThreadsWithoutASlotUseTheSharedLists) {
  BufferPool pool;
  // Exhaust the slots with parked threads, then use the pool from one more.
  const size_t free_slots = internal::kMaxThreadSlots - internal::ThreadSlotsInUse();
  std::barrier sync(static_cast<std::ptrdiff_t>(free_slots + 1));
  std::vector<std::thread> parked;
  for (size_t i = 0; i < free_slots; ++i) {
    parked.emplace_back([&] {
      internal::AssignThreadSlot();
      sync.arrive_and_wait();
      sync.arrive_and_wait();
    });
  }
  sync.arrive_and_wait();
  std::thread([&] {
    for (int i = 0; i < 10; ++i) pool.Acquire(1).Release();
    EXPECT_EQ(internal::tls_thread_slot, internal::kNoThreadSlot);
  }).join();
  sync.arrive_and_wait();
  for (auto& t : parked) t.join();
  const BufferPoolStats s = pool.stats();
  EXPECT_EQ(s.classes[0].hits, 9u);
  EXPECT_EQ(s.classes[0].misses, 1u);
  EXPECT_EQ(s.classes[0].cached_buffers, 0u);
  EXPECT_EQ(s.classes[0].idle_buffers, 1u);
}

}  // namespace
}  // namespace ctxmem::pool
