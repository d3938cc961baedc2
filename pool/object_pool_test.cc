#include "pool/object_pool.h"

#include <atomic>
#include <barrier>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "pool/poison.h"
#include "pool/thread_slots.h"

namespace ctxmem::pool {
namespace {

// A 64-byte object that counts how many instances are alive.
struct Counted {
  static std::atomic<int> live;

  Counted() { live.fetch_add(1); }
  Counted(const Counted& other) : value(other.value) { live.fetch_add(1); }
  Counted& operator=(const Counted&) = default;
  ~Counted() { live.fetch_sub(1); }

  int64_t value = 0;
  char payload[56] = {};
};
std::atomic<int> Counted::live{0};

class CountedTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(Counted::live.load(), 0); }
  void TearDown() override { EXPECT_EQ(Counted::live.load(), 0) << "leaked or double-freed"; }
};

// Checks created == refused + dropped + detached + idle, which holds whenever
// no handle is out.
void ExpectConserved(const ObjectPoolStats& s, size_t idle) {
  EXPECT_EQ(s.created, s.refused + s.dropped + s.detached + idle);
}

struct Trivial64 {
  int64_t words[8];
};

TEST(ObjectPoolTest, AcquireValueInitialisesANewObject) {
  ObjectPool<Trivial64> pool;
  auto h = pool.Acquire();
  ASSERT_TRUE(h);
  for (int64_t w : h->words) EXPECT_EQ(w, 0);
  const ObjectPoolStats s = pool.stats();
  EXPECT_EQ(s.created, 1u);
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.hits, 0u);
}

TEST(ObjectPoolTest, HandleAccessors) {
  ObjectPool<Trivial64> pool;
  auto h = pool.Acquire();
  h->words[0] = 7;
  EXPECT_EQ((*h).words[0], 7);
  EXPECT_EQ(h.get()->words[0], 7);
  EXPECT_EQ(&*h, h.get());

  PooledObject<Trivial64> empty;
  EXPECT_FALSE(empty);
  EXPECT_EQ(empty.get(), nullptr);
  empty.Release();  // no-op
  EXPECT_EQ(empty.Detach(), nullptr);
}

TEST(ObjectPoolTest, ReleasedObjectIsResetAndReused) {
  ObjectPool<Trivial64> pool;
  Trivial64* first;
  {
    auto h = pool.Acquire();
    first = h.get();
    for (int64_t& w : h->words) w = -1;
  }
  EXPECT_EQ(pool.idle(), 1u);
  auto h = pool.Acquire();
  EXPECT_EQ(h.get(), first);
  for (int64_t w : h->words) EXPECT_EQ(w, 0);
  const ObjectPoolStats s = pool.stats();
  EXPECT_EQ(s.created, 1u);
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.misses, 1u);
  EXPECT_DOUBLE_EQ(s.hit_rate(), 0.5);
}

// Counts Reset calls, and remembers the thread of the last one.
struct CountingPolicy {
  std::atomic<int>* resets;
  std::atomic<std::thread::id>* last_thread;
  Counted Create() const { return Counted(); }
  bool Reset(Counted& c) const noexcept {
    resets->fetch_add(1);
    last_thread->store(std::this_thread::get_id());
    c.value = 0;
    return true;
  }
};

class ObjectPoolCountedTest : public CountedTest {
 protected:
  std::atomic<int> resets_{0};
  std::atomic<std::thread::id> last_thread_{};
};

TEST_F(ObjectPoolCountedTest, ExplicitReleaseGivesBackExactlyOnce) {
  ObjectPool<Counted, CountingPolicy> pool({}, CountingPolicy{&resets_, &last_thread_});
  {
    auto h = pool.Acquire();
    h.Release();
    EXPECT_FALSE(h);
    EXPECT_EQ(h.get(), nullptr);
    EXPECT_EQ(resets_.load(), 1);
    EXPECT_EQ(pool.idle(), 1u);
    h.Release();  // already given back: no-op
    EXPECT_EQ(resets_.load(), 1);
  }  // nor the destructor
  EXPECT_EQ(resets_.load(), 1);
  EXPECT_EQ(pool.idle(), 1u);
  EXPECT_EQ(Counted::live.load(), 1);
}

TEST_F(ObjectPoolCountedTest, MoveConstructionTransfersTheLoan) {
  ObjectPool<Counted, CountingPolicy> pool({}, CountingPolicy{&resets_, &last_thread_});
  {
    auto a = pool.Acquire();
    Counted* object = a.get();
    auto b = std::move(a);
    EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): testing it
    EXPECT_EQ(b.get(), object);
    a.Release();  // moved-from: gives back nothing
    EXPECT_EQ(resets_.load(), 0);
  }
  EXPECT_EQ(resets_.load(), 1);
  EXPECT_EQ(pool.idle(), 1u);
}

TEST_F(ObjectPoolCountedTest, MoveAssignmentGivesBackTheTargetsObject) {
  ObjectPool<Counted, CountingPolicy> pool({}, CountingPolicy{&resets_, &last_thread_});
  auto a = pool.Acquire();
  auto b = pool.Acquire();
  Counted* from_b = b.get();
  a = std::move(b);
  EXPECT_EQ(resets_.load(), 1);  // a's old object
  EXPECT_EQ(a.get(), from_b);
  EXPECT_FALSE(b);  // NOLINT(bugprone-use-after-move)
  auto& alias = a;
  a = std::move(alias);  // self-move keeps the object
  EXPECT_EQ(a.get(), from_b);
  EXPECT_EQ(resets_.load(), 1);
  a.Release();
  EXPECT_EQ(resets_.load(), 2);
  EXPECT_EQ(pool.idle(), 2u);
}

TEST_F(ObjectPoolCountedTest, ResetRunsOnTheReleasingThread) {
  ObjectPool<Counted, CountingPolicy> pool({}, CountingPolicy{&resets_, &last_thread_});
  auto h = pool.Acquire();
  h->value = 42;
  std::thread::id releaser;
  std::thread t([&] {
    releaser = std::this_thread::get_id();
    h.Release();
  });
  t.join();
  EXPECT_EQ(resets_.load(), 1);
  EXPECT_EQ(last_thread_.load(), releaser);
  auto again = pool.Acquire();
  EXPECT_EQ(again->value, 0);
  EXPECT_EQ(pool.stats().hits, 1u);
}

TEST_F(CountedTest, DetachTakesTheObjectOutOfThePool) {
  ObjectPool<Counted> pool;
  auto h = pool.Acquire();
  h->value = 5;
  std::unique_ptr<Counted> owned = h.Detach();
  EXPECT_FALSE(h);
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(owned->value, 5);
  EXPECT_EQ(pool.idle(), 0u);
  EXPECT_EQ(pool.stats().detached, 1u);
  owned.reset();
  EXPECT_EQ(Counted::live.load(), 0);
  ExpectConserved(pool.stats(), pool.idle());
}

TEST(ObjectPoolTest, DefaultPolicyClearsContainersAndKeepsCapacity) {
  ObjectPool<std::vector<int>> pool;
  const int* storage;
  {
    auto v = pool.Acquire();
    v->assign(1000, 7);
    storage = v->data();
  }
  auto v = pool.Acquire();
  EXPECT_TRUE(v->empty());
  EXPECT_GE(v->capacity(), 1000u);
  EXPECT_EQ(v->data(), storage);
}

struct NoClear {
  int a = 0;
  std::string s;
};

TEST(ObjectPoolTest, DefaultPolicyAssignsAFreshValueOtherwise) {
  ObjectPool<NoClear> pool;
  {
    auto h = pool.Acquire();
    h->a = 3;
    h->s = "dirty";
  }
  auto h = pool.Acquire();
  EXPECT_EQ(h->a, 0);
  EXPECT_EQ(h->s, "");
  EXPECT_EQ(pool.stats().hits, 1u);
}

// Refuses objects whose value is odd.
struct RefuseOdd {
  Counted Create() const { return Counted(); }
  bool Reset(Counted& c) const noexcept {
    const bool keep = c.value % 2 == 0;
    c.value = 0;
    return keep;
  }
};

TEST_F(CountedTest, RefusedObjectsAreDestroyed) {
  ObjectPool<Counted, RefuseOdd> pool;
  auto a = pool.Acquire();
  auto b = pool.Acquire();
  a->value = 1;
  b->value = 2;
  a.Release();
  EXPECT_EQ(Counted::live.load(), 1);  // a's object is gone
  b.Release();
  EXPECT_EQ(Counted::live.load(), 1);  // b's is idle
  const ObjectPoolStats s = pool.stats();
  EXPECT_EQ(s.refused, 1u);
  EXPECT_EQ(pool.idle(), 1u);
  ExpectConserved(s, pool.idle());
}

TEST(ObjectPoolTest, CapacityLimitedPolicyRefusesGrownStrings) {
  ObjectPool<std::string, CapacityLimitedPolicy<std::string>> pool;
  EXPECT_EQ(pool.policy().max_retained_capacity(), 4096u);
  {
    auto small = pool.Acquire();
    small->assign(4000, 'x');
  }
  EXPECT_EQ(pool.idle(), 1u);
  {
    auto s = pool.Acquire();
    EXPECT_TRUE(s->empty());
    EXPECT_GE(s->capacity(), 4000u);  // kept, cleared, capacity intact
    s->assign(5000, 'y');
  }
  EXPECT_EQ(pool.idle(), 0u);
  EXPECT_EQ(pool.stats().refused, 1u);
}

TEST(ObjectPoolTest, CapacityLimitedPolicyWithACustomLimit) {
  ObjectPool<std::vector<int>, CapacityLimitedPolicy<std::vector<int>>> pool(
      {}, CapacityLimitedPolicy<std::vector<int>>(16));
  {
    auto v = pool.Acquire();
    v->resize(16);
  }
  EXPECT_EQ(pool.idle(), 1u);
  {
    auto v = pool.Acquire();
    v->resize(17);
  }
  EXPECT_EQ(pool.idle(), 0u);
  EXPECT_EQ(pool.stats().refused, 1u);
}

// Throws from Reset when the value is negative.
struct ThrowingReset {
  Counted Create() const { return Counted(); }
  bool Reset(Counted& c) const {
    if (c.value < 0) throw std::runtime_error("cannot reset");
    c.value = 0;
    return true;
  }
};

TEST_F(CountedTest, ObjectWhoseResetThrowsIsDestroyed) {
  ObjectPool<Counted, ThrowingReset> pool;
  {
    auto h = pool.Acquire();
    h->value = -1;
  }  // the destructor must not let the exception out
  EXPECT_EQ(Counted::live.load(), 0);
  EXPECT_EQ(pool.stats().refused, 1u);
  auto h = pool.Acquire();
  h->value = -1;
  EXPECT_NO_THROW(h.Release());
  EXPECT_EQ(pool.stats().refused, 2u);
  {
    auto ok = pool.Acquire();
    ok->value = 3;
  }
  EXPECT_EQ(pool.idle(), 1u);
  ExpectConserved(pool.stats(), pool.idle());
}

struct ThrowingCreate {
  Counted Create() const { throw std::runtime_error("cannot create"); }
  bool Reset(Counted&) const noexcept { return true; }
};

TEST_F(CountedTest, CreateFailurePropagatesAndLeaksNothing) {
  ObjectPool<Counted, ThrowingCreate> pool;
  EXPECT_THROW(pool.Acquire(), std::runtime_error);
  const ObjectPoolStats s = pool.stats();
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.created, 0u);
}

TEST_F(CountedTest, IdleCapDestroysTheSurplus) {
  ObjectPool<Counted> pool(ObjectPoolOptions{.max_idle = 2});
  {
    std::vector<ObjectPool<Counted>::Handle> handles;
    for (int i = 0; i < 5; ++i) handles.push_back(pool.Acquire());
    EXPECT_EQ(Counted::live.load(), 5);
  }
  EXPECT_EQ(pool.idle(), 2u);
  EXPECT_EQ(Counted::live.load(), 2);
  const ObjectPoolStats s = pool.stats();
  EXPECT_EQ(s.dropped, 3u);
  ExpectConserved(s, 2);
  // Taking one out and back keeps the count at the cap.
  pool.Acquire().Release();
  EXPECT_EQ(pool.idle(), 2u);
  EXPECT_EQ(pool.stats().dropped, 3u);
}

TEST_F(CountedTest, ZeroIdleCapRetainsNothing) {
  ObjectPool<Counted> pool(ObjectPoolOptions{.max_idle = 0});
  for (int i = 0; i < 3; ++i) pool.Acquire().Release();
  EXPECT_EQ(pool.idle(), 0u);
  EXPECT_EQ(Counted::live.load(), 0);
  const ObjectPoolStats s = pool.stats();
  EXPECT_EQ(s.created, 3u);
  EXPECT_EQ(s.misses, 3u);
  EXPECT_EQ(s.dropped, 3u);
  EXPECT_EQ(s.hit_rate(), 0.0);
}

TEST(ObjectPoolTest, CountersAndHitRate) {
  ObjectPool<Trivial64> pool(ObjectPoolOptions{.max_idle = 1});
  EXPECT_EQ(pool.stats().hit_rate(), 0.0);
  {
    // Two misses; on the way out one is kept and one dropped.
    auto a = pool.Acquire();
    auto b = pool.Acquire();
  }
  for (int i = 0; i < 6; ++i) pool.Acquire().Release();  // 6 hits
  const ObjectPoolStats s = pool.stats();
  EXPECT_EQ(s.created, 2u);
  EXPECT_EQ(s.misses, 2u);
  EXPECT_EQ(s.hits, 6u);
  EXPECT_EQ(s.acquires(), 8u);
  EXPECT_EQ(s.dropped, 1u);
  EXPECT_EQ(s.refused, 0u);
  EXPECT_DOUBLE_EQ(s.hit_rate(), 0.75);
}

TEST(ObjectPoolTest, IdleObjectsArePoisonedUnderAsan) {
  ObjectPool<Trivial64> pool;
  Trivial64* p;
  {
    auto h = pool.Acquire();
    p = h.get();
    EXPECT_FALSE(internal::IsPoisoned(p, sizeof(*p)));
  }
  EXPECT_EQ(internal::IsPoisoned(p, sizeof(*p)), internal::kPoisoning);
  auto h = pool.Acquire();
  ASSERT_EQ(h.get(), p);
  EXPECT_FALSE(internal::IsPoisoned(p, sizeof(*p)));
}

TEST(ObjectPoolDeathTest, UseAfterReleaseIsReportedUnderAsan) {
  if (!internal::kPoisoning) GTEST_SKIP() << "poisoning needs ASan";
  ObjectPool<Trivial64> pool;
  Trivial64* p;
  {
    auto h = pool.Acquire();
    p = h.get();
  }
  EXPECT_DEATH(*reinterpret_cast<volatile int64_t*>(&p->words[3]) = 1, "use-after-poison");
}

TEST_F(CountedTest, AThreadsCachedObjectGoesBackWhenItExits) {
  ObjectPool<Counted> pool;
  Counted* cached = nullptr;
  std::thread t([&] {
    auto h = pool.Acquire();
    cached = h.get();
  });
  t.join();
  EXPECT_EQ(pool.idle(), 1u);
  auto h = pool.Acquire();
  EXPECT_EQ(h.get(), cached);
  EXPECT_EQ(pool.stats().hits, 1u);
}

TEST_F(CountedTest, DestroyingThePoolFreesObjectsCachedByOtherLiveThreads) {
  auto pool = std::make_unique<ObjectPool<Counted>>();
  std::barrier sync(2);
  std::thread t([&] {
    pool->Acquire().Release();  // now in this thread's slot
    pool->Acquire().Release();
    sync.arrive_and_wait();  // (1) cached
    sync.arrive_and_wait();  // (2) pool destroyed; exiting must not touch it
  });
  sync.arrive_and_wait();
  EXPECT_EQ(pool->idle(), 1u);
  EXPECT_EQ(Counted::live.load(), 1);
  pool.reset();
  EXPECT_EQ(Counted::live.load(), 0);
  sync.arrive_and_wait();
  t.join();
}

TEST_F(CountedTest, ObjectsCrossThreads) {
  ObjectPool<Counted> pool(ObjectPoolOptions{.max_idle = 8});
  std::vector<ObjectPool<Counted>::Handle> handles;
  for (int i = 0; i < 8; ++i) handles.push_back(pool.Acquire());
  std::thread t([&] { handles.clear(); });  // acquired here, released there
  t.join();
  EXPECT_EQ(pool.idle(), 8u);
  for (int i = 0; i < 8; ++i) handles.push_back(pool.Acquire());
  EXPECT_EQ(pool.stats().hits, 8u);
  handles.clear();
  ExpectConserved(pool.stats(), pool.idle());
}

TEST_F(CountedTest, ConcurrentAcquireAndReleaseKeepTheCapAndTheCounts) {
  constexpr size_t kMaxIdle = 6;
  constexpr int kThreads = 4;
  constexpr int kRounds = 20000;
  ObjectPool<Counted> pool(ObjectPoolOptions{.max_idle = kMaxIdle});
  std::atomic<bool> done{false};
  std::atomic<size_t> worst_idle{0};
  std::thread watcher([&] {
    while (!done.load()) {
      const size_t idle = pool.idle();
      if (idle > worst_idle.load()) worst_idle.store(idle);
    }
  });
  std::vector<std::thread> workers;
  std::atomic<int64_t> mismatches{0};
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      std::vector<ObjectPool<Counted>::Handle> held;
      for (int i = 0; i < kRounds; ++i) {
        auto h = pool.Acquire();
        // A pooled object is always reset and is ours alone.
        if (h->value != 0) mismatches.fetch_add(1);
        h->value = t * kRounds + i;
        if (i % 3 == 0) held.push_back(std::move(h));
        if (held.size() > static_cast<size_t>(t + 1)) held.clear();
        if (h && h->value != t * kRounds + i) mismatches.fetch_add(1);
      }
    });
  }
  for (auto& w : workers) w.join();
  done.store(true);
  watcher.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_LE(worst_idle.load(), kMaxIdle);
  EXPECT_LE(pool.idle(), kMaxIdle);
  const ObjectPoolStats s = pool.stats();
  EXPECT_EQ(s.acquires(), uint64_t{kThreads} * kRounds);
  EXPECT_EQ(s.misses, s.created);
  EXPECT_GT(s.hit_rate(), 0.5);
  ExpectConserved(s, pool.idle());
  EXPECT_EQ(Counted::live.load(), static_cast<int>(pool.idle()));
}

TEST_F(CountedTest, ThreadsBeyondTheSlotTableUseTheSharedList) {
  // More threads alive at once than there are thread slots: the extra ones
  // get no slot and must still work.
  constexpr int kThreads = internal::kMaxThreadSlots + 4;
  ObjectPool<Counted> pool(ObjectPoolOptions{.max_idle = 16});
  std::barrier sync(kThreads);
  std::atomic<int> without_slot{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 4; ++i) pool.Acquire().Release();
      if (internal::tls_thread_slot == internal::kNoThreadSlot) without_slot.fetch_add(1);
      sync.arrive_and_wait();  // everyone holds their index at once
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_GE(without_slot.load(), 4);
  EXPECT_LE(pool.idle(), 16u);
  const ObjectPoolStats s = pool.stats();
  EXPECT_EQ(s.acquires(), uint64_t{kThreads} * 4);
  ExpectConserved(s, pool.idle());
  EXPECT_EQ(Counted::live.load(), static_cast<int>(pool.idle()));
}

TEST(ThreadSlotsTest, IndicesAreReusedAfterThreadsExit) {
  const size_t before = internal::ThreadSlotsInUse();
  std::thread t([] { internal::AssignThreadSlot(); });
  t.join();
  EXPECT_EQ(internal::ThreadSlotsInUse(), before);
  size_t during = 0;
  std::thread u([&] {
    internal::AssignThreadSlot();
    during = internal::ThreadSlotsInUse();
  });
  u.join();
  EXPECT_EQ(during, before + 1);
}

}  // namespace
}  // namespace ctxmem::pool
