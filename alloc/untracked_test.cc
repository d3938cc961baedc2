#include <memory>

#include "alloc/stats.h"
#include "gtest/gtest.h"

namespace ctxmem::alloc {
namespace {

// This binary does not link //alloc:tracking: the readers must say so and
// report nothing rather than garbage.
TEST(UntrackedTest, ReportsDisabledAndZeros) {
  EXPECT_FALSE(TrackingEnabled());
  ThreadAllocationScope scope;
  auto p = std::make_unique<int>(3);
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_EQ(scope.allocated_bytes(), 0u);
  const AllocationStats stats = GlobalStats();
  EXPECT_EQ(stats.allocations, 0u);
  EXPECT_EQ(stats.live_bytes, 0);
  ResetPeak();
  EXPECT_EQ(GlobalStats().peak_bytes, 0);
}

}  // namespace
}  // namespace ctxmem::alloc
