#include "stress/stress_workload.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "alloc/stats.h"
#include "gtest/gtest.h"
#include "profiler/profiler.h"

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

// The workload's arenas and pools are profiler components while it runs: the
// arenas' line rises above zero and drops to zero once the workers (and their
// thread-local arenas) are gone; the pools report their hit rates, ending at
// the figures of the final report.
TEST(StressTest, ComponentsAreSampledWhileItRuns) {
  profiler::Profiler profiler({.interval = std::chrono::milliseconds(1)});
  StressWorkload workload(StressOptions{.threads = 2, .allocations = 300'000});
  ASSERT_TRUE(workload.RegisterSources(profiler).ok());
  profiler.Start();
  const StressReport report = workload.Run();
  profiler.Stop();
  const profiler::Profile profile = profiler.Collect();
  ASSERT_EQ(profile.components, (std::vector<std::string>{"stress.arenas", "stress.object_pool",
                                                          "stress.buffer_pool"}));
  ASSERT_GE(profile.snapshots.size(), 2u);
  uint64_t arena_peak = 0;
  for (const profiler::Snapshot& s : profile.snapshots) {
    ASSERT_EQ(s.num_components, 3);
    arena_peak = std::max<uint64_t>(arena_peak, s.components[0].bytes_reserved);
    EXPECT_LE(s.components[0].bytes_used, s.components[0].bytes_reserved);
  }
  EXPECT_GT(arena_peak, 0u);
  // Start() samples before Run(): no acquire yet, so no hit rate yet.
  EXPECT_FALSE(profile.snapshots.front().components[1].hit_rate.has_value());
  EXPECT_FALSE(profile.snapshots.front().components[2].hit_rate.has_value());
  const profiler::Snapshot& last = profile.snapshots.back();
  ASSERT_TRUE(last.components[1].hit_rate.has_value());
  ASSERT_TRUE(last.components[2].hit_rate.has_value());
  EXPECT_EQ(last.components[0].bytes_reserved, 0u);
  EXPECT_DOUBLE_EQ(*last.components[1].hit_rate, report.object_pool.hit_rate());
  EXPECT_DOUBLE_EQ(*last.components[2].hit_rate, report.buffer_pool.hit_rate());
  EXPECT_EQ(last.components[2].bytes_reserved, report.buffer_pool.idle_bytes);
  EXPECT_GE(report.buffer_pool.hit_rate(), 0.9);
  EXPECT_EQ(report.corruptions, 0u);
}

}  // namespace
}  // namespace ctxmem::stress
