#include "arena/bump_arena.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <memory_resource>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "alloc/stats.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ctxmem::arena {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Upstream that records every chunk request.
class RecordingResource : public std::pmr::memory_resource {
 public:
  RecordingResource() { sizes.reserve(1024); }
  std::vector<size_t> sizes;
  size_t live_bytes = 0;
  int allocations = 0;
  int deallocations = 0;

 private:
  void* do_allocate(size_t bytes, size_t alignment) override {
    sizes.push_back(bytes);
    live_bytes += bytes;
    ++allocations;
    return std::pmr::new_delete_resource()->allocate(bytes, alignment);
  }
  void do_deallocate(void* p, size_t bytes, size_t alignment) override {
    live_bytes -= bytes;
    ++deallocations;
    std::pmr::new_delete_resource()->deallocate(p, bytes, alignment);
  }
  bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override {
    return this == &o;
  }
};

BumpArenaOptions WithUpstream(RecordingResource* r) {
  BumpArenaOptions options;
  options.upstream = r;
  return options;
}

TEST(BumpArenaTest, HonoursEveryAlignment) {
  BumpArena arena;
  for (size_t align = 1; align <= 4096; align *= 2) {
    for (size_t bytes : {size_t{1}, size_t{7}, size_t{64}, size_t{1000}}) {
      auto* p = static_cast<unsigned char*>(arena.Allocate(bytes, align));
      ASSERT_NE(p, nullptr);
      EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % align, 0u) << "align " << align;
      std::memset(p, 0xab, bytes);
    }
  }
}

TEST(BumpArenaTest, AllocationsDoNotOverlap) {
  BumpArena arena;
  std::mt19937 rng(1);
  struct Block {
    unsigned char* p;
    size_t n;
    unsigned char fill;
  };
  std::vector<Block> blocks;
  for (int i = 0; i < 5000; ++i) {
    const size_t n = 1 + rng() % 300;
    auto* p = static_cast<unsigned char*>(arena.Allocate(n, size_t{1} << (rng() % 6)));
    ASSERT_NE(p, nullptr);
    const auto fill = static_cast<unsigned char>(i);
    std::memset(p, fill, n);
    blocks.push_back({p, n, fill});
  }
  for (const Block& b : blocks) {
    for (size_t i = 0; i < b.n; ++i) ASSERT_EQ(b.p[i], b.fill);
  }
  EXPECT_GE(arena.used_bytes(), 5000u);
  EXPECT_LE(arena.used_bytes(), arena.reserved_bytes());
}

TEST(BumpArenaTest, ZeroByteAllocationsAreDistinctAndValid) {
  BumpArena arena;
  void* a = arena.Allocate(0);
  void* b = arena.Allocate(0);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a, b);
}

TEST(BumpArenaTest, RejectsAlignmentThatIsNotAPowerOfTwo) {
  BumpArena arena;
  EXPECT_EQ(arena.Allocate(8, 3), nullptr);
  absl::StatusOr<void*> r = arena.TryAllocate(8, 24);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("24 is not a power of two"));
}

TEST(BumpArenaTest, ChunksDoubleUpToTheCap) {
  RecordingResource upstream;
  BumpArenaOptions options = WithUpstream(&upstream);
  options.initial_chunk_bytes = 4096;
  options.max_chunk_bytes = 32768;
  BumpArena arena(options);
  for (int i = 0; i < 2000; ++i) ASSERT_NE(arena.Allocate(100, 8), nullptr);
  ASSERT_GE(upstream.sizes.size(), 6u);
  EXPECT_THAT(std::vector<size_t>(upstream.sizes.begin(), upstream.sizes.begin() + 6),
              ElementsAre(4096, 8192, 16384, 32768, 32768, 32768));
}

// bumpalo#152: 10 B, then 1 MB, then 10 B must not reserve 3 MB.
TEST(BumpArenaTest, LargeAllocationGetsItsOwnChunkAndDoesNotInflateGrowth) {
  RecordingResource upstream;
  BumpArena arena(WithUpstream(&upstream));
  void* small1 = arena.Allocate(10, 8);
  auto* big = static_cast<char*>(arena.Allocate(1 << 20, 8));
  void* small2 = arena.Allocate(10, 8);
  ASSERT_NE(small1, nullptr);
  ASSERT_NE(big, nullptr);
  ASSERT_NE(small2, nullptr);
  std::memset(big, 1, 1 << 20);
  ASSERT_EQ(upstream.sizes.size(), 2u);
  EXPECT_EQ(upstream.sizes[0], 4096u);
  EXPECT_LT(upstream.sizes[1], (1u << 20) + 8192);
  // Filling the first chunk now takes the next regular size, not 2 MB.
  for (int i = 0; i < 100; ++i) arena.Allocate(64, 8);
  ASSERT_EQ(upstream.sizes.size(), 3u);
  EXPECT_EQ(upstream.sizes[2], 8192u);
  EXPECT_LT(arena.reserved_bytes(), (1u << 20) + 4 * 4096 + 8192);
}

// One request of `count` mixed 16..256-byte allocations.
void RunRequest(BumpArena& arena, int count, std::mt19937& rng) {
  for (int i = 0; i < count; ++i) {
    auto* p = static_cast<char*>(arena.Allocate(16 + rng() % 241, 8));
    ASSERT_NE(p, nullptr);
    p[0] = 1;
  }
}

TEST(BumpArenaTest, RequestLoopReachesZeroUpstreamAllocations) {
  for (int per_request : {256, 4096}) {
    RecordingResource upstream;
    BumpArena arena(WithUpstream(&upstream));
    std::mt19937 rng(per_request);
    for (int warm = 0; warm < 3; ++warm) {
      RunRequest(arena, per_request, rng);
      arena.Reset();
    }
    const int before = upstream.allocations;
    alloc::ThreadAllocationScope heap;
    for (int request = 0; request < 100; ++request) {
      RunRequest(arena, per_request, rng);
      arena.Reset();
    }
    EXPECT_EQ(upstream.allocations, before) << per_request << " allocations per request";
    EXPECT_EQ(heap.allocations(), 0u);
    EXPECT_LE(arena.reserved_bytes(), arena.options().max_retained_bytes);
  }
}

TEST(BumpArenaTest, RequestsConvergeOnOneChunkThatHoldsThem) {
  RecordingResource upstream;
  BumpArena arena(WithUpstream(&upstream));
  std::mt19937 rng(9);
  for (int warm = 0; warm < 4; ++warm) {
    RunRequest(arena, 256, rng);  // about 35 KB over several small chunks at first
    arena.Reset();
  }
  // One chunk is kept, and a whole request fits in it.
  EXPECT_EQ(arena.spare_bytes(), 0u);
  const size_t kept = arena.reserved_bytes();
  EXPECT_GE(kept, 35u * 1024);
  EXPECT_LE(kept, 128u * 1024);
  const int before = upstream.allocations;
  RunRequest(arena, 256, rng);
  EXPECT_EQ(arena.reserved_bytes(), kept);
  EXPECT_EQ(upstream.allocations, before);
}

TEST(BumpArenaTest, ResetKeepsTheLargestChunksWithinTheRetentionBudget) {
  RecordingResource upstream;
  BumpArenaOptions options = WithUpstream(&upstream);
  options.max_retained_bytes = 64 * 1024;
  BumpArena arena(options);
  std::mt19937 rng(3);
  RunRequest(arena, 8000, rng);  // about 1 MB over 4K..1M chunks
  EXPECT_GT(arena.reserved_bytes(), 512u * 1024);
  arena.Reset();
  EXPECT_LE(arena.reserved_bytes(), 64u * 1024);
  EXPECT_GT(arena.reserved_bytes(), 0u);
  EXPECT_EQ(arena.used_bytes(), 0u);
  EXPECT_EQ(upstream.live_bytes, arena.reserved_bytes());
  arena.Release();
  EXPECT_EQ(arena.reserved_bytes(), 0u);
  EXPECT_EQ(upstream.live_bytes, 0u);
}

TEST(BumpArenaTest, ByteLimitFailsWithAClearErrorAndNeverOvershoots) {
  RecordingResource upstream;
  BumpArenaOptions options = WithUpstream(&upstream);
  options.byte_limit = 10000;
  BumpArena arena(options);
  int served = 0;
  while (arena.Allocate(100, 8) != nullptr) ++served;
  EXPECT_GT(served, 80);  // most of the 10000 bytes are usable
  EXPECT_LE(arena.reserved_bytes(), 10000u);
  EXPECT_LE(upstream.live_bytes, 10000u);
  absl::StatusOr<void*> r = arena.TryAllocate(100, 8);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(r.status().message(), HasSubstr("byte limit of 10000 bytes"));
  EXPECT_EQ((arena.New<std::array<char, 200>>()), nullptr);
  EXPECT_THROW((void)arena.AsMemoryResource()->allocate(100, 8), std::bad_alloc);
  arena.Reset();
  EXPECT_NE(arena.Allocate(100, 8), nullptr);
}

TEST(BumpArenaTest, OddByteLimitsAreNeverExceeded) {
  for (size_t limit : {size_t{100}, size_t{4100}, size_t{5003}, size_t{10001}, size_t{65537}}) {
    RecordingResource upstream;
    BumpArenaOptions options = WithUpstream(&upstream);
    options.byte_limit = limit;
    BumpArena arena(options);
    size_t served = 0;
    for (size_t size : {size_t{100}, size_t{1000}, size_t{7}, size_t{3000}}) {
      while (arena.Allocate(size, 8) != nullptr) served += size;
    }
    EXPECT_LE(arena.reserved_bytes(), limit) << limit;
    EXPECT_LE(upstream.live_bytes, limit) << limit;
    // Nearly all of a limit above one chunk header is usable.
    if (limit >= 4096) {
      EXPECT_GT(served, limit * 3 / 4) << limit;
    }
  }
}

struct Tracked {
  explicit Tracked(std::vector<int>* log, int id) : log(log), id(id) {}
  ~Tracked() { log->push_back(id); }
  std::vector<int>* log;
  int id;
  std::string payload = std::string(100, 'p');  // owns heap memory: a leak would show
};

TEST(BumpArenaTest, NewRunsDestructorsNewestFirstAtReset) {
  std::vector<int> log;
  BumpArena arena;
  for (int i = 0; i < 5; ++i) ASSERT_NE(arena.New<Tracked>(&log, i), nullptr);
  int* plain = arena.New<int>(42);
  EXPECT_EQ(*plain, 42);
  EXPECT_TRUE(log.empty());
  arena.Reset();
  EXPECT_THAT(log, ElementsAre(4, 3, 2, 1, 0));
  arena.Reset();
  EXPECT_EQ(log.size(), 5u);  // each destructor runs once
}

TEST(BumpArenaTest, NewArrayConstructsAndDestroysEveryElement) {
  std::vector<std::string>* dummy = nullptr;
  (void)dummy;
  BumpArena arena;
  auto* strings = arena.NewArray<std::string>(10);
  ASSERT_NE(strings, nullptr);
  for (int i = 0; i < 10; ++i) strings[i].assign(50, char('a' + i));
  auto* ints = arena.NewArray<int>(100);
  ASSERT_NE(ints, nullptr);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(ints[i], 0);
  EXPECT_EQ(arena.NewArray<int>(SIZE_MAX / 2), nullptr);
  arena.Reset();  // ASan's leak check proves the strings were destroyed
}

TEST(BumpArenaTest, CopyStringCopiesAndTerminates) {
  BumpArena arena;
  std::string source = "tool_result: 42";
  std::string_view copy = arena.CopyString(source);
  source[0] = 'X';
  EXPECT_EQ(copy, "tool_result: 42");
  EXPECT_EQ(copy.data()[copy.size()], '\0');
  EXPECT_EQ(arena.CopyString(std::string_view()).size(), 0u);
}

TEST(BumpArenaTest, PmrContainersLiveInTheArena) {
  RecordingResource upstream;
  BumpArena arena(WithUpstream(&upstream));
  alloc::ThreadAllocationScope heap;
  {
    std::pmr::vector<std::pmr::string> lines(arena.AsMemoryResource());
    for (int i = 0; i < 200; ++i) lines.emplace_back(40, char('a' + i % 26));
    EXPECT_EQ(heap.allocations(), static_cast<uint64_t>(upstream.allocations));
    EXPECT_EQ(std::string_view(lines[199]), std::string(40, char('a' + 199 % 26)));
  }
  EXPECT_GT(arena.used_bytes(), 200u * 40);
}

TEST(BumpArenaTest, NestedCheckpointsRewindOnlyTheirOwnData) {
  BumpArena arena;
  auto* outer = static_cast<char*>(arena.Allocate(64, 8));
  std::memset(outer, 'o', 64);
  const ArenaCheckpoint a = arena.Mark();
  auto* middle = static_cast<char*>(arena.Allocate(64, 8));
  std::memset(middle, 'm', 64);
  const size_t used_at_b = arena.used_bytes();
  {
    const ArenaCheckpoint b = arena.Mark();
    EXPECT_EQ(arena.depth(), 2u);
    for (int i = 0; i < 3000; ++i) std::memset(arena.Allocate(100, 8), 'i', 100);  // spills chunks
    {
      const ArenaCheckpoint c = arena.Mark();
      std::memset(arena.Allocate(5000, 8), 'x', 5000);
      arena.Rewind(c);
    }
    arena.Rewind(b);
  }
  EXPECT_EQ(arena.used_bytes(), used_at_b);
  for (int i = 0; i < 64; ++i) ASSERT_EQ(middle[i], 'm');
  // New data after the inner rewinds must not land on the middle scope's bytes.
  for (int i = 0; i < 3000; ++i) std::memset(arena.Allocate(100, 8), 'n', 100);
  for (int i = 0; i < 64; ++i) ASSERT_EQ(middle[i], 'm');
  arena.Rewind(a);
  for (int i = 0; i < 64; ++i) ASSERT_EQ(outer[i], 'o');
  EXPECT_EQ(arena.depth(), 0u);
}

TEST(BumpArenaTest, RewindRunsOnlyTheDestructorsOfRewoundObjects) {
  std::vector<int> log;
  BumpArena arena;
  arena.New<Tracked>(&log, 1);
  const ArenaCheckpoint mark = arena.Mark();
  arena.New<Tracked>(&log, 2);
  arena.New<Tracked>(&log, 3);
  arena.Rewind(mark);
  EXPECT_THAT(log, ElementsAre(3, 2));
  arena.Reset();
  EXPECT_THAT(log, ElementsAre(3, 2, 1));
}

TEST(BumpArenaTest, RepeatedScopesReuseRewoundChunks) {
  RecordingResource upstream;
  BumpArena arena(WithUpstream(&upstream));
  arena.Allocate(100, 8);  // the outer request keeps data throughout
  std::mt19937 rng(5);
  for (int turn = 0; turn < 3; ++turn) {
    const ArenaCheckpoint mark = arena.Mark();
    RunRequest(arena, 2000, rng);
    arena.Rewind(mark);
  }
  const int before = upstream.allocations;
  for (int turn = 0; turn < 20; ++turn) {
    const ArenaCheckpoint mark = arena.Mark();
    RunRequest(arena, 2000, rng);
    arena.Rewind(mark);
  }
  EXPECT_EQ(upstream.allocations, before);
}

TEST(BumpArenaDeathTest, OutOfOrderRewindIsCaughtInDebugBuilds) {
  BumpArena arena;
  const ArenaCheckpoint outer = arena.Mark();
  const ArenaCheckpoint inner = arena.Mark();
  EXPECT_DEBUG_DEATH(arena.Rewind(outer), "out of order");
  (void)inner;
}

TEST(BumpArenaDeathTest, RepeatedRewindIsCaughtInDebugBuilds) {
  BumpArena arena;
  const ArenaCheckpoint mark = arena.Mark();
  arena.Rewind(mark);
  EXPECT_DEBUG_DEATH(arena.Rewind(mark), "already rewound");
}

TEST(BumpArenaDeathTest, CheckpointOfAnotherArenaIsCaughtInDebugBuilds) {
  BumpArena a, b;
  const ArenaCheckpoint mark = a.Mark();
  b.Mark();
  EXPECT_DEBUG_DEATH(b.Rewind(mark), "another arena");
}

#if defined(NDEBUG)
TEST(BumpArenaTest, ReleaseBuildRewindOfOuterClosesInnerCheckpoints) {
  BumpArena arena;
  const ArenaCheckpoint outer = arena.Mark();
  arena.Allocate(100, 8);
  const ArenaCheckpoint inner = arena.Mark();
  arena.Allocate(100, 8);
  arena.Rewind(outer);
  EXPECT_EQ(arena.used_bytes(), 0u);
  arena.Rewind(inner);  // ignored: already covered by the outer rewind
  EXPECT_EQ(arena.depth(), 0u);
}
#endif

#if defined(__SANITIZE_ADDRESS__)
TEST(BumpArenaAsanTest, RewoundMemoryIsPoisoned) {
  BumpArena arena;
  const ArenaCheckpoint mark = arena.Mark();
  auto* p = static_cast<char*>(arena.Allocate(64, 8));
  p[0] = 1;
  EXPECT_FALSE(__asan_address_is_poisoned(p));
  arena.Rewind(mark);
  EXPECT_TRUE(__asan_address_is_poisoned(p));
  EXPECT_TRUE(__asan_address_is_poisoned(p + 63));
  EXPECT_DEATH(
      {
        volatile char c = p[10];
        (void)c;
      },
      "use-after-poison");
  auto* q = static_cast<char*>(arena.Allocate(64, 8));
  EXPECT_FALSE(__asan_address_is_poisoned(q));
}
#endif

}  // namespace
}  // namespace ctxmem::arena
