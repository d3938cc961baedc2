#include "alloc/stats.h"

#include <malloc.h>

#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace ctxmem::alloc {
namespace {

// Keeps the optimiser from eliding a new/delete pair.
template <typename T>
T* Launder(T* p) {
  asm volatile("" : "+r"(p));
  return p;
}

TEST(TrackingTest, IsEnabledWhenLinked) { EXPECT_TRUE(TrackingEnabled()); }

TEST(TrackingTest, CountsPlainNewAndDelete) {
  ThreadAllocationScope scope;
  int* p = Launder(new int(7));
  EXPECT_EQ(scope.allocations(), 1u);
  EXPECT_GE(scope.allocated_bytes(), sizeof(int));
  delete p;
  EXPECT_EQ(scope.deallocations(), 1u);
  EXPECT_EQ(scope.net_bytes(), 0);
}

struct alignas(128) Overaligned {
  char bytes[200];
};

TEST(TrackingTest, CountsEveryFormAndBalances) {
  ThreadAllocationScope scope;
  {
    auto* a = Launder(new char[1000]);
    delete[] a;
    auto* b = Launder(new (std::nothrow) double(1.0));
    ASSERT_NE(b, nullptr);
    delete b;
    auto* c = Launder(new (std::nothrow) char[64]);
    ASSERT_NE(c, nullptr);
    delete[] c;
    auto* d = Launder(new Overaligned);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(d) % alignof(Overaligned), 0u);
    delete d;
    auto* e = Launder(new Overaligned[3]);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(e) % alignof(Overaligned), 0u);
    delete[] e;
    auto* f = Launder(new (std::nothrow) Overaligned);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(f) % alignof(Overaligned), 0u);
    delete f;
    void* g = ::operator new(48);
    ::operator delete(g, 48);  // sized
    void* h = ::operator new(48, std::align_val_t{64});
    ::operator delete(h, 48, std::align_val_t{64});  // sized + aligned
  }
  EXPECT_EQ(scope.allocations(), 8u);
  EXPECT_EQ(scope.deallocations(), 8u);
  EXPECT_EQ(scope.net_bytes(), 0);
  EXPECT_GE(scope.allocated_bytes(), 1000u + 8 + 64 + 200 + 600 + 200 + 48 + 48);
}

TEST(TrackingTest, BytesAreTheAllocatorsBlockSize) {
  for (size_t request : {size_t{1}, size_t{24}, size_t{1000}, size_t{300000}}) {
    ThreadAllocationScope scope;
    void* p = ::operator new(request);
    const uint64_t usable = malloc_usable_size(p);
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    EXPECT_EQ(scope.allocated_bytes(), usable) << request;
#else
    // glibc: the whole chunk, malloc's header included (16 bytes when mmapped).
    EXPECT_TRUE(scope.allocated_bytes() == usable + 8 || scope.allocated_bytes() == usable + 16)
        << request << ": " << scope.allocated_bytes() << " vs usable " << usable;
#endif
    EXPECT_GE(usable, request);
    ::operator delete(p);
    EXPECT_EQ(scope.net_bytes(), 0);
  }
}

TEST(TrackingTest, ZeroSizeNewReturnsDistinctPointers) {
  ThreadAllocationScope scope;
  void* a = ::operator new(0);
  void* b = ::operator new(0);
  EXPECT_NE(a, b);
  ::operator delete(a);
  ::operator delete(b);
  EXPECT_EQ(scope.allocations(), 2u);
  EXPECT_EQ(scope.net_bytes(), 0);
}

TEST(TrackingTest, FailedAllocationThrowsOrReturnsNullAndCountsNothing) {
  ThreadAllocationScope scope;
  const std::size_t huge = std::size_t{1} << 62;
  EXPECT_THROW((void)::operator new(huge), std::bad_alloc);
  EXPECT_EQ(::operator new(huge, std::nothrow), nullptr);
  EXPECT_EQ(::operator new(huge, std::align_val_t{64}, std::nothrow), nullptr);
  EXPECT_EQ(scope.allocations(), 0u);
}

int handler_calls = 0;
void CountingHandler() {
  ++handler_calls;
  std::set_new_handler(nullptr);  // give up on the second failure
}

TEST(TrackingTest, FailedAllocationConsultsTheNewHandler) {
  handler_calls = 0;
  std::set_new_handler(&CountingHandler);
  EXPECT_THROW((void)::operator new(std::size_t{1} << 62), std::bad_alloc);
  EXPECT_EQ(handler_calls, 1);
  std::set_new_handler(nullptr);
}

TEST(TrackingTest, ScopeSeesStandardContainers) {
  ThreadAllocationScope scope;
  std::vector<std::string> v;
  v.reserve(4);
  v.emplace_back(100, 'x');  // beyond the small-string buffer
  EXPECT_EQ(scope.allocations(), 2u);
  scope.Restart();
  v.clear();
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_EQ(scope.deallocations(), 1u);
}

TEST(TrackingTest, GlobalLiveBytesFollowAllocations) {
  const AllocationStats before = GlobalStats();
  auto block = std::make_unique<char[]>(1 << 20);
  Launder(block.get())[0] = 1;
  const AllocationStats during = GlobalStats();
  EXPECT_GE(during.live_bytes - before.live_bytes, 1 << 20);
  EXPECT_GE(during.allocations, before.allocations + 1);
  block.reset();
  const AllocationStats after = GlobalStats();
  EXPECT_LT(after.live_bytes - before.live_bytes, 4096);
  EXPECT_EQ(after.live_bytes, int64_t(after.allocated_bytes - after.freed_bytes));
}

TEST(TrackingTest, PeakIsExactWithinTheStatedBound) {
  ResetPeak();
  const int64_t base = GlobalStats().live_bytes;
  EXPECT_LE(GlobalStats().peak_bytes - base, kPeakBatchBytes);
  constexpr int64_t kBig = 8 << 20;
  {
    auto block = std::make_unique<char[]>(kBig);
    Launder(block.get());
  }
  const AllocationStats after = GlobalStats();
  // True peak is base + kBig (+ malloc rounding); one thread drifts at most one batch.
  EXPECT_GE(after.peak_bytes, base + kBig - kPeakBatchBytes * after.threads);
  EXPECT_LE(after.peak_bytes, base + kBig + 4096 + kPeakBatchBytes * after.threads);
  ResetPeak();
  EXPECT_LT(GlobalStats().peak_bytes, base + kBig / 2);
}

TEST(TrackingTest, PeakSeesSmallAllocationsOnceTheyAddUp) {
  ResetPeak();
  const int64_t base = GlobalStats().live_bytes;
  std::vector<std::unique_ptr<char[]>> blocks;
  for (int i = 0; i < 4096; ++i) blocks.push_back(std::make_unique<char[]>(1000));
  blocks.clear();
  blocks.shrink_to_fit();
  const AllocationStats after = GlobalStats();
  EXPECT_GE(after.peak_bytes, base + 4096 * 1000 - kPeakBatchBytes * after.threads);
}

TEST(TrackingTest, CrossThreadFreesBalanceAndExitedThreadsAreKept) {
  constexpr int kBlocks = 10000;
  std::vector<char*> blocks(kBlocks);
  const AllocationStats before = GlobalStats();
  std::thread producer([&] {
    for (auto& b : blocks) b = new char[100];
  });
  producer.join();
  std::thread consumer([&] {
    for (auto* b : blocks) delete[] b;
  });
  consumer.join();
  const AllocationStats after = GlobalStats();
  EXPECT_GE(after.allocations - before.allocations, uint64_t{kBlocks});
  EXPECT_GE(after.deallocations - before.deallocations, uint64_t{kBlocks});
  EXPECT_LT(std::abs(after.live_bytes - before.live_bytes), 4096);
  EXPECT_EQ(after.threads, before.threads);
}

TEST(TrackingTest, ConcurrentCountingIsExactWhenQuiescent) {
  constexpr int kThreads = 4, kPerThread = 50000;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  const AllocationStats before = GlobalStats();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([] {
      for (int i = 0; i < kPerThread; ++i) delete Launder(new int(i));
    });
  }
  for (int t = 0; t < 1000; ++t) (void)GlobalStats();  // readers race the writers
  for (auto& t : threads) t.join();
  const AllocationStats after = GlobalStats();
  // std::thread itself allocates its state once per thread.
  EXPECT_GE(after.allocations - before.allocations, uint64_t{kThreads * kPerThread});
  EXPECT_LE(after.allocations - before.allocations, uint64_t{kThreads * kPerThread + 4 * kThreads + 8});
  EXPECT_EQ(after.allocations - before.allocations, after.deallocations - before.deallocations);
  EXPECT_EQ(after.live_bytes, before.live_bytes);
}

}  // namespace
}  // namespace ctxmem::alloc
