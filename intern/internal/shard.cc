#include "intern/internal/shard.h"

namespace ctxmem::intern::internal {

size_t Shard::GrowthFor(const Key& key) const {
  return store_.GrowthFor(key.text.size()) + table_.GrowthFor();
}

uint32_t Shard::Insert(const Key& key, size_t* growth) {
  const size_t before = store_.reserved_bytes() + table_.reserved_bytes();
  const uint32_t local = store_.Append(key.text);
  table_.Insert(key, local);
  const size_t after = store_.reserved_bytes() + table_.reserved_bytes();
  reserved_bytes_.store(after, std::memory_order_relaxed);
  used_bytes_.store(store_.used_bytes(), std::memory_order_relaxed);
  *growth = after - before;
  return local;
}

size_t TotalSize(const Shard* shards) {
  if (shards == nullptr) return 0;
  size_t n = 0;
  for (uint32_t i = 0; i < kShards; ++i) n += shards[i].store().size();
  return n;
}

size_t TotalReservedBytes(const Shard* shards) {
  if (shards == nullptr) return 0;
  size_t n = sizeof(Shard) * kShards;
  for (uint32_t i = 0; i < kShards; ++i) n += shards[i].reserved_bytes();
  return n;
}

size_t TotalUsedBytes(const Shard* shards) {
  if (shards == nullptr) return 0;
  size_t n = 0;
  for (uint32_t i = 0; i < kShards; ++i) n += shards[i].used_bytes();
  return n;
}

}  // namespace ctxmem::intern::internal
