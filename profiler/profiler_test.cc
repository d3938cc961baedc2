#include "profiler/profiler.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "alloc/stats.h"
#include "gtest/gtest.h"

namespace ctxmem::profiler {
namespace {

using std::chrono::milliseconds;

TEST(ProfilerTest, SnapshotHasHeapProcessAndComponents) {
  Profiler profiler;
  ASSERT_TRUE(profiler
                  .AddSource({"fixed", [] {
                                return ComponentSample{.bytes_reserved = 4096,
                                                       .bytes_used = 1000,
                                                       .hit_rate = 0.5};
                              }})
                  .ok());
  auto* keep = new char[100000];  // something live on the tracked heap
  const Snapshot s = profiler.TakeSnapshot();
  delete[] keep;
  EXPECT_TRUE(alloc::TrackingEnabled());
  EXPECT_GE(s.tracked_live_bytes, 100000);
  EXPECT_GT(s.tracked_allocations, 0u);
  ASSERT_TRUE(s.process_ok);
  EXPECT_GT(s.process.resident_bytes, 0u);
  EXPECT_GT(s.process.anonymous_bytes, 0u);
  ASSERT_EQ(s.num_components, 1);
  EXPECT_EQ(s.components[0].bytes_reserved, 4096u);
  EXPECT_EQ(s.components[0].bytes_used, 1000u);
  EXPECT_EQ(s.components[0].hit_rate, 0.5);
}

TEST(ProfilerTest, RejectsBadSources) {
  Profiler profiler;
  EXPECT_FALSE(profiler.AddSource({"", [] { return ComponentSample{}; }}).ok());
  EXPECT_FALSE(profiler.AddSource({"no function", nullptr}).ok());
  for (int i = 0; i < kMaxSources; ++i) {
    ASSERT_TRUE(profiler.AddSource({"s", [] { return ComponentSample{}; }}).ok());
  }
  EXPECT_EQ(profiler.AddSource({"one too many", [] { return ComponentSample{}; }}).code(),
            absl::StatusCode::kResourceExhausted);
  profiler.Start();
  profiler.Stop();
  EXPECT_EQ(Profiler().AddSource({"x", [] { return ComponentSample{}; }}).code(),
            absl::StatusCode::kOk);
}

TEST(ProfilerTest, AddSourceAfterStartFails) {
  Profiler profiler;
  profiler.Start();
  EXPECT_EQ(profiler.AddSource({"late", [] { return ComponentSample{}; }}).code(),
            absl::StatusCode::kFailedPrecondition);
  profiler.Stop();
}

TEST(ProfilerTest, SamplesAtTheIntervalUntilStopped) {
  Profiler profiler({.interval = milliseconds(5), .capacity = 1000});
  std::atomic<int> calls{0};
  ASSERT_TRUE(profiler
                  .AddSource({"counter", [&] {
                                calls.fetch_add(1, std::memory_order_relaxed);
                                return ComponentSample{};
                              }})
                  .ok());
  EXPECT_FALSE(profiler.running());
  profiler.Start();
  EXPECT_TRUE(profiler.running());
  EXPECT_GE(profiler.samples(), 1u);  // one at once
  std::this_thread::sleep_for(milliseconds(200));
  profiler.Stop();
  EXPECT_FALSE(profiler.running());
  const uint64_t samples = profiler.samples();
  // ~40 expected; generous bounds for loaded machines and sanitizers.
  EXPECT_GE(samples, 5u);
  EXPECT_LE(samples, 60u);
  EXPECT_EQ(calls.load(), static_cast<int>(samples));
  std::this_thread::sleep_for(milliseconds(30));
  EXPECT_EQ(profiler.samples(), samples);  // stopped means stopped

  const Profile profile = profiler.Collect();
  ASSERT_EQ(profile.snapshots.size(), samples);
  ASSERT_EQ(profile.components.size(), 1u);
  EXPECT_EQ(profile.components[0], "counter");
  for (size_t i = 1; i < profile.snapshots.size(); ++i) {
    EXPECT_GT(profile.snapshots[i].time_ns, profile.snapshots[i - 1].time_ns);
  }
  // Restartable.
  profiler.Start();
  profiler.Stop();
  EXPECT_GE(profiler.samples(), samples + 2);
}

TEST(ProfilerTest, RingBoundsTheSamplesKept) {
  Profiler profiler({.interval = milliseconds(1), .capacity = 8});
  for (int i = 0; i < 50; ++i) profiler.Sample();
  const Profile profile = profiler.Collect();
  EXPECT_EQ(profile.samples, 50u);
  EXPECT_EQ(profile.snapshots.size(), 8u);
}

TEST(ProfilerTest, SamplingDoesNotAllocate) {
  std::vector<char> held(1 << 16, 'x');
  Profiler profiler({.interval = milliseconds(1), .capacity = 16});
  ASSERT_TRUE(profiler
                  .AddSource({"vector", [&] {
                                return ComponentSample{.bytes_reserved = held.capacity(),
                                                       .bytes_used = held.size()};
                              }})
                  .ok());
  const size_t reserved = profiler.reserved_bytes();
  {
    alloc::ThreadAllocationScope scope;
    for (int i = 0; i < 100; ++i) profiler.Sample();  // wraps the ring many times
    EXPECT_EQ(scope.allocations(), 0u);
    EXPECT_EQ(scope.net_bytes(), 0);
  }
  EXPECT_EQ(profiler.reserved_bytes(), reserved);

  // The background sampler: once started, the process's allocation count only
  // moves by what this thread does, which is nothing while it sleeps.
  profiler.Start();
  std::this_thread::sleep_for(milliseconds(20));  // let the thread settle
  const uint64_t samples_before = profiler.samples();
  const alloc::AllocationStats before = alloc::GlobalStats();
  std::this_thread::sleep_for(milliseconds(100));
  const alloc::AllocationStats after = alloc::GlobalStats();
  const uint64_t samples_after = profiler.samples();
  profiler.Stop();
  EXPECT_GT(samples_after, samples_before + 5);
  EXPECT_EQ(after.allocations, before.allocations);
  EXPECT_EQ(after.live_bytes, before.live_bytes);
}

}  // namespace
}  // namespace ctxmem::profiler
