#include "stress/stress_workload.h"

#include "alloc/stats.h"
#include "gtest/gtest.h"

namespace ctxmem::stress {
namespace {

// The full million, on two threads; //stress:stress_test also runs under
// --config=asan (no leak, no overflow) and --config=tsan (no race).
TEST(StressTest, MillionMixedAllocationsOnTwoThreads) {
  // A short run first creates the process-wide singletons that live until
  // exit (the pools' thread-slot registry), so that they do not count below.
  RunStress(StressOptions{.threads = 2, .allocations = 10'000});
  const alloc::AllocationStats before = alloc::GlobalStats();
  StressReport report;
  {
    StressOptions options;
    options.threads = 2;
    options.allocations = 1'000'000;
    report = RunStress(options);
  }
  EXPECT_EQ(report.corruptions, 0u);
  EXPECT_GE(report.allocations, 1'000'000u);
  EXPECT_GT(report.requests, 1000u);
  // Request arenas reach zero upstream allocations once warm.
  EXPECT_EQ(report.arena_upstream_allocations_warm, 0u)
      << report.arena_upstream_allocations << " in total";
  EXPECT_GT(report.stale_handle_checks, 0u);
  // Pools: mostly hits, huge messages refused, budgets held.
  EXPECT_GE(report.object_pool.hit_rate(), 0.95);
  EXPECT_GT(report.object_pool.refused, 0u);
  EXPECT_LE(report.object_pool_idle, 64u);
  EXPECT_GE(report.buffer_pool.hit_rate(), 0.95);
  EXPECT_LE(report.buffer_pool.idle_bytes, report.buffer_pool.max_idle_bytes);
  // Everything the run allocated on the heap was given back: the pools and
  // the worker threads (with their arenas) are gone.
  if (alloc::TrackingEnabled()) {
    const alloc::AllocationStats after = alloc::GlobalStats();
    EXPECT_EQ(after.live_bytes, before.live_bytes)
        << (after.allocations - before.allocations) << " allocations, "
        << (after.deallocations - before.deallocations) << " frees";
    EXPECT_GT(after.allocations, before.allocations);
  }
}

}  // namespace
}  // namespace ctxmem::stress
