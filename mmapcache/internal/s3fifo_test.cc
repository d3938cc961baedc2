#include "mmapcache/internal/s3fifo.h"

#include <vector>

#include "gtest/gtest.h"
#include "mmapcache/internal/lru_reference.h"

namespace ctxmem::mmapcache::internal {
namespace {

TEST(S3FifoTest, OnceUsedKeyIsEvictedBeforeFrequentlyUsedOne) {
  S3Fifo policy(1000);
  S3Fifo::Node* hot = policy.Insert(1, 100, nullptr);
  S3Fifo::Access(hot);
  S3Fifo::Access(hot);
  policy.Insert(2, 100, nullptr);  // inserted after `hot`, never hit
  auto v = policy.Evict();
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->key, 2u);
  EXPECT_EQ(policy.size(), 1u);
}

TEST(S3FifoTest, GhostHitGoesToMain) {
  S3Fifo policy(1000);
  policy.Insert(7, 100, nullptr);
  ASSERT_EQ(policy.Evict()->key, 7u);
  EXPECT_EQ(policy.ghost_size(), 1u);
  S3Fifo::Node* n = policy.Insert(7, 100, nullptr);
  EXPECT_TRUE(n->in_main);
  EXPECT_EQ(policy.ghost_size(), 0u);
}

TEST(S3FifoTest, RejectedNodesAreNeverEvicted) {
  S3Fifo policy(1000);
  std::vector<S3Fifo::Node*> nodes;
  for (uint64_t k = 0; k < 10; ++k) nodes.push_back(policy.Insert(k, 100, nullptr));
  S3Fifo::Access(nodes[3]);
  // Everything pinned: nullopt, nothing lost.
  EXPECT_FALSE(policy.Evict([](const S3Fifo::Node&) { return false; }).has_value());
  EXPECT_EQ(policy.size(), 10u);
  EXPECT_EQ(policy.total_weight(), 1000u);
  // Only key 5 evictable: it is the victim.
  auto v = policy.Evict([](const S3Fifo::Node& n) { return n.key == 5; });
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->key, 5u);
}

TEST(S3FifoTest, EraseKeepsWeightsExact) {
  S3Fifo policy(1000);
  S3Fifo::Node* a = policy.Insert(1, 300, nullptr);
  policy.Insert(2, 200, nullptr);
  policy.Erase(a);
  EXPECT_EQ(policy.total_weight(), 200u);
  EXPECT_EQ(policy.ghost_size(), 0u);
}

}  // namespace
}  // namespace ctxmem::mmapcache::internal
