#include "arena/request_scope.h"

#include <cstring>
#include <string>
#include <thread>

#include "alloc/stats.h"
#include "gtest/gtest.h"

namespace ctxmem::arena {
namespace {

std::string_view Fill(BumpArena& arena, char c, size_t n) {
  auto* p = static_cast<char*>(arena.Allocate(n, 1));
  std::memset(p, c, n);
  return std::string_view(p, n);
}

TEST(RequestScopeTest, UsesTheThreadArenaAndRewindsOnExit) {
  BumpArena& arena = ThreadArena();
  const size_t before = arena.used_bytes();
  {
    RequestScope scope;
    EXPECT_EQ(&scope.arena(), &arena);
    Fill(scope.arena(), 'a', 1000);
    EXPECT_GE(arena.used_bytes(), before + 1000);
  }
  EXPECT_EQ(arena.used_bytes(), before);
  EXPECT_EQ(arena.depth(), 0u);
}

TEST(RequestScopeTest, InnerScopeNeverFreesOuterData) {
  RequestScope outer;
  std::string_view kept = Fill(outer.arena(), 'o', 300);
  for (int i = 0; i < 50; ++i) {
    RequestScope inner;
    Fill(inner.arena(), 'i', 2000);  // spills into new chunks now and then
    {
      RequestScope innermost;
      Fill(innermost.arena(), 'x', 700);
    }
  }
  EXPECT_EQ(kept, std::string(300, 'o'));
  std::string_view after = Fill(outer.arena(), 'n', 300);
  EXPECT_EQ(kept, std::string(300, 'o'));
  EXPECT_EQ(after, std::string(300, 'n'));
}

TEST(RequestScopeTest, EachThreadHasItsOwnArena) {
  BumpArena* main_arena = &ThreadArena();
  BumpArena* other = nullptr;
  std::thread t([&] {
    RequestScope scope;
    other = &scope.arena();
    Fill(scope.arena(), 't', 100);
  });
  t.join();
  EXPECT_NE(other, main_arena);
}

TEST(RequestScopeTest, ExplicitArenaForInterleavedRequests) {
  BumpArena first, second;
  RequestScope a(first);
  std::string_view x = Fill(a.arena(), 'x', 64);
  {
    RequestScope b(second);
    Fill(b.arena(), 'y', 64);
  }
  EXPECT_EQ(x, std::string(64, 'x'));
  EXPECT_EQ(second.used_bytes(), 0u);
}

TEST(RequestScopeTest, RequestLoopMakesNoHeapAllocationsOnceWarm) {
  auto request = [] {
    RequestScope scope;
    for (int i = 0; i < 500; ++i) Fill(scope.arena(), 'r', 16 + i % 200);
    auto* words = scope.arena().New<std::pmr::vector<int>>(scope.arena().AsMemoryResource());
    for (int i = 0; i < 1000; ++i) words->push_back(i);
  };
  for (int i = 0; i < 3; ++i) request();
  alloc::ThreadAllocationScope heap;
  for (int i = 0; i < 200; ++i) request();
  EXPECT_EQ(heap.allocations(), 0u);
}

}  // namespace
}  // namespace ctxmem::arena
