#include "profiler/snapshot_ring.h"

#include "gtest/gtest.h"

namespace ctxmem::profiler {
namespace {

Snapshot At(int64_t t) {
  Snapshot s;
  s.time_ns = t;
  return s;
}

// The README quotes this size; a change should update it.
static_assert(sizeof(Snapshot) == 728);

TEST(SnapshotRingTest, KeepsEverythingUntilFull) {
  SnapshotRing ring(4);
  EXPECT_EQ(ring.size(), 0u);
  for (int i = 0; i < 3; ++i) ring.Push(At(i));
  ASSERT_EQ(ring.size(), 3u);
  EXPECT_EQ(ring.dropped(), 0u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(ring.at(i).time_ns, i);
}

TEST(SnapshotRingTest, KeepsOnlyTheLastCapacityInOrder) {
  constexpr int kCapacity = 5;
  SnapshotRing ring(kCapacity);
  const size_t reserved = ring.reserved_bytes();
  for (int i = 0; i < 23; ++i) ring.Push(At(i));
  EXPECT_EQ(ring.size(), size_t{kCapacity});
  EXPECT_EQ(ring.pushed(), 23u);
  EXPECT_EQ(ring.dropped(), 18u);
  EXPECT_EQ(ring.reserved_bytes(), reserved);  // fixed memory
  const std::vector<Snapshot> kept = ring.ToVector();
  ASSERT_EQ(kept.size(), size_t{kCapacity});
  for (int i = 0; i < kCapacity; ++i) EXPECT_EQ(kept[i].time_ns, 18 + i);
}

TEST(SnapshotRingTest, CapacityOfZeroMeansOne) {
  SnapshotRing ring(0);
  ring.Push(At(1));
  ring.Push(At(2));
  ASSERT_EQ(ring.size(), 1u);
  EXPECT_EQ(ring.at(0).time_ns, 2);
}

}  // namespace
}  // namespace ctxmem::profiler
