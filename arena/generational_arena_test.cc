#include "arena/generational_arena.h"

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gtest/gtest.h"

namespace ctxmem::arena {

class GenerationalArenaTestPeer {
 public:
  template <typename T>
  static void SetGeneration(GenerationalArena<T>& arena, uint32_t index, uint32_t generation) {
    arena.slots_[index].generation = generation;
  }
};

namespace {

TEST(GenerationalArenaTest, InsertGetRemove) {
  GenerationalArena<std::string> arena;
  Handle a = arena.Insert("alpha");
  Handle b = arena.Insert(3, 'b');
  ASSERT_NE(arena.Get(a), nullptr);
  EXPECT_EQ(*arena.Get(a), "alpha");
  EXPECT_EQ(*arena.Get(b), "bbb");
  EXPECT_EQ(arena.size(), 2u);
  EXPECT_TRUE(arena.Remove(a));
  EXPECT_EQ(arena.Get(a), nullptr);
  EXPECT_FALSE(arena.Remove(a));
  EXPECT_FALSE(arena.Contains(a));
  EXPECT_EQ(arena.size(), 1u);
}

TEST(GenerationalArenaTest, NullAndOutOfRangeHandlesFindNothing) {
  GenerationalArena<int> arena;
  EXPECT_EQ(arena.Get(Handle{}), nullptr);
  arena.Insert(1);
  EXPECT_EQ(arena.Get(Handle{}), nullptr);
  EXPECT_EQ(arena.Get(Handle{0, 0}), nullptr);
  EXPECT_EQ(arena.Get(Handle{7, 1}), nullptr);
  EXPECT_FALSE(arena.Remove(Handle{7, 1}));
}

TEST(GenerationalArenaTest, StaleHandleMissesAfterSlotReuse) {
  GenerationalArena<int> arena;
  Handle old = arena.Insert(1);
  arena.Remove(old);
  Handle reused = arena.Insert(2);
  EXPECT_EQ(reused.index, old.index);
  EXPECT_NE(reused.generation, old.generation);
  EXPECT_EQ(arena.Get(old), nullptr);
  EXPECT_EQ(*arena.Get(reused), 2);
}

TEST(GenerationalArenaTest, FreeSlotsAreReusedFirstInFirstOut) {
  GenerationalArena<int> arena;
  std::vector<Handle> h;
  for (int i = 0; i < 4; ++i) h.push_back(arena.Insert(i));
  arena.Remove(h[2]);
  arena.Remove(h[0]);
  arena.Remove(h[3]);
  EXPECT_EQ(arena.Insert(10).index, h[2].index);
  EXPECT_EQ(arena.Insert(11).index, h[0].index);
  EXPECT_EQ(arena.Insert(12).index, h[3].index);
  EXPECT_EQ(arena.Insert(13).index, 4u);
}

TEST(GenerationalArenaTest, HandleIsEightBytes) { EXPECT_EQ(sizeof(Handle), 8u); }

TEST(GenerationalArenaTest, SlotIsRetiredWhenItsGenerationWouldWrap) {
  GenerationalArena<int> arena;
  Handle h = arena.Insert(1);
  // Pretend the slot has been used 2^32 - 2 times already.
  GenerationalArenaTestPeer::SetGeneration(arena, h.index, 0xFFFFFFFDu);
  Handle aged{h.index, 0xFFFFFFFDu};
  ASSERT_NE(arena.Get(aged), nullptr);
  EXPECT_EQ(arena.Get(h), nullptr);
  ASSERT_TRUE(arena.Remove(aged));
  Handle last = arena.Insert(2);
  EXPECT_EQ(last.index, h.index);
  EXPECT_EQ(last.generation, 0xFFFFFFFFu);
  ASSERT_TRUE(arena.Remove(last));
  EXPECT_EQ(arena.retired_slots(), 1u);
  // The retired slot is never handed out again, and no old handle revives.
  for (int i = 0; i < 100; ++i) {
    Handle fresh = arena.Insert(i);
    EXPECT_NE(fresh.index, h.index);
  }
  for (uint32_t g : {1u, 3u, 0xFFFFFFFDu, 0xFFFFFFFFu}) {
    EXPECT_EQ(arena.Get(Handle{h.index, g}), nullptr) << g;
  }
  arena.Compact();
  for (uint32_t g : {1u, 3u, 0xFFFFFFFDu, 0xFFFFFFFFu}) {
    EXPECT_EQ(arena.Get(Handle{h.index, g}), nullptr) << g;
  }
  EXPECT_EQ(arena.size(), 100u);
}

TEST(GenerationalArenaTest, CompactMovesObjectsDownAndMapsTheirHandles) {
  GenerationalArena<std::string> arena;
  std::vector<Handle> h;
  for (int i = 0; i < 10; ++i) h.push_back(arena.Insert(std::to_string(i)));
  for (int i : {1, 3, 4, 7}) arena.Remove(h[i]);
  std::vector<HandleRemap> remap = arena.Compact();
  EXPECT_EQ(arena.capacity(), 6u);
  EXPECT_EQ(arena.size(), 6u);
  absl::flat_hash_map<Handle, Handle> moved;
  for (const HandleRemap& r : remap) moved[r.from] = r.to;
  for (int i : {0, 2, 5, 6, 8, 9}) {
    Handle now = moved.contains(h[i]) ? moved[h[i]] : h[i];
    ASSERT_NE(arena.Get(now), nullptr) << i;
    EXPECT_EQ(*arena.Get(now), std::to_string(i));
    EXPECT_LT(now.index, 6u);
    if (moved.contains(h[i])) {
      EXPECT_EQ(arena.Get(h[i]), nullptr);
    }
  }
  EXPECT_EQ(remap.size(), 3u);  // 8 and 9 and 6 fill the holes at 1, 3, 4
  // Old handles, moved or removed, never alias new objects.
  for (int i = 0; i < 50; ++i) arena.Insert("new");
  for (int i : {1, 3, 4, 7}) EXPECT_EQ(arena.Get(h[i]), nullptr) << i;
  for (const HandleRemap& r : remap) EXPECT_EQ(arena.Get(r.from), nullptr);
}

// Random operations checked against a std::map model.
TEST(GenerationalArenaTest, MatchesAModelUnderRandomOperations) {
  GenerationalArena<std::unique_ptr<int>> arena;
  std::map<std::pair<uint32_t, uint32_t>, int> live;
  std::vector<Handle> dead;
  std::mt19937 rng(42);
  for (int step = 0; step < 100000; ++step) {
    const int op = rng() % 100;
    if (op < 50 || live.empty()) {
      const int value = int(rng());
      Handle h = arena.Insert(std::make_unique<int>(value));
      ASSERT_TRUE(live.emplace(std::make_pair(h.index, h.generation), value).second);
    } else if (op < 95) {
      auto it = live.begin();
      std::advance(it, rng() % live.size());
      Handle h{it->first.first, it->first.second};
      ASSERT_TRUE(arena.Remove(h));
      live.erase(it);
      dead.push_back(h);
    } else if (op < 96) {
      for (const HandleRemap& r : arena.Compact()) {
        auto it = live.find({r.from.index, r.from.generation});
        ASSERT_NE(it, live.end());
        const int value = it->second;
        live.erase(it);
        dead.push_back(r.from);
        ASSERT_TRUE(live.emplace(std::make_pair(r.to.index, r.to.generation), value).second);
      }
    } else {
      if (!dead.empty()) {
        ASSERT_EQ(arena.Get(dead[rng() % dead.size()]), nullptr);
      }
    }
  }
  ASSERT_EQ(arena.size(), live.size());
  for (const auto& [key, value] : live) {
    auto* p = arena.Get(Handle{key.first, key.second});
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(**p, value);
  }
  for (const Handle& h : dead) ASSERT_EQ(arena.Get(h), nullptr);
  size_t seen = 0;
  arena.ForEach([&](Handle h, std::unique_ptr<int>& v) {
    ++seen;
    EXPECT_EQ(live.at({h.index, h.generation}), *v);
  });
  EXPECT_EQ(seen, live.size());
}

}  // namespace
}  // namespace ctxmem::arena
