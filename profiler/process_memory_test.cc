#include "profiler/process_memory.h"

#include <cstring>
#include <memory>

#include "gtest/gtest.h"

namespace ctxmem::profiler {
namespace {

TEST(ProcessMemoryTest, ParsesTheStatusFields) {
  const char* status =
      "Name:\tctxmem\nVmPeak:\t  20000 kB\nVmSize:\t   18000 kB\nVmHWM:\t    9000 kB\n"
      "VmRSS:\t    8000 kB\nRssAnon:\t    5000 kB\nRssFile:\t    3000 kB\nThreads:\t2\n";
  absl::StatusOr<ProcessMemory> m = ParseProcessStatus(status);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->resident_bytes, 8000u * 1024);
  EXPECT_EQ(m->peak_resident_bytes, 9000u * 1024);
  EXPECT_EQ(m->anonymous_bytes, 5000u * 1024);
  EXPECT_EQ(m->file_bytes, 3000u * 1024);
  EXPECT_EQ(m->virtual_bytes, 18000u * 1024);
}

TEST(ProcessMemoryTest, MissingOrGarbledFieldsAreErrors) {
  EXPECT_EQ(ParseProcessStatus("VmRSS:\t1 kB\n").status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<ProcessMemory> bad = ParseProcessStatus(
      "VmSize:\t1 kB\nVmHWM:\t1 kB\nVmRSS:\tlots kB\nRssAnon:\t1 kB\nRssFile:\t1 kB\n");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(bad.status().message().find("VmRSS"), std::string::npos);
}

TEST(ProcessMemoryTest, ResidentMemoryGrowsWhenPagesAreTouched) {
  absl::StatusOr<ProcessMemory> before = ReadProcessMemory();
  ASSERT_TRUE(before.ok()) << before.status();
  constexpr size_t kBytes = 32 << 20;
  auto block = std::make_unique<char[]>(kBytes);
  std::memset(block.get(), 1, kBytes);
  absl::StatusOr<ProcessMemory> after = ReadProcessMemory();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_GE(after->resident_bytes, before->resident_bytes + kBytes / 2);
  EXPECT_GE(after->peak_resident_bytes, after->resident_bytes);
  EXPECT_GT(after->virtual_bytes, after->resident_bytes);
}

}  // namespace
}  // namespace ctxmem::profiler
