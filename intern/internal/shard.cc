#include "intern/internal/shard.h"

namespace ctxmem::intern::internal {

size_t Shard::GrowthFor(const Key& key) const {
  const size_t n = key.text.size();
  return table_.GrowthFor() + (n > SymbolIndex::kInlineBytes ? store_.GrowthFor(n) : 0);
}

uint32_t Shard::Insert(const Key& key, uint32_t shard, SymbolIndex& index, size_t* growth) {
  const uint32_t local = NextLocal();
  const size_t before = table_.reserved_bytes() + store_.reserved_bytes();
  // Grow the table first: if that throws, nothing is stored; if the append
  // throws, the table only has room to spare. Either way no string is left
  // stored but unreachable.
  const char* stored = nullptr;
  try {
    table_.Reserve(shard, index);
    if (key.text.size() > SymbolIndex::kInlineBytes) stored = store_.Append(key.text);
  } catch (...) {
    // What was allocated before the failure stays, and is counted.
    const size_t after = table_.reserved_bytes() + store_.reserved_bytes();
    heap_bytes_.store(after, std::memory_order_relaxed);
    *growth += after - before;
    throw;
  }
  index.Set(EncodeId(shard, local), key.text, stored);
  table_.Insert(key, local);  // publishes the string to Find()
  count_.store(local, std::memory_order_relaxed);
  const size_t after = table_.reserved_bytes() + store_.reserved_bytes();
  heap_bytes_.store(after, std::memory_order_relaxed);
  used_bytes_.store(used_bytes_.load(std::memory_order_relaxed) + key.text.size(),
                    std::memory_order_relaxed);
  *growth += after - before;
  return local;
}

size_t TotalSize(const Shard* shards) {
  if (shards == nullptr) return 0;
  size_t n = 0;
  for (uint32_t i = 0; i < kShards; ++i) n += shards[i].size();
  return n;
}

size_t TotalHeapBytes(const Shard* shards) {
  if (shards == nullptr) return 0;
  size_t n = sizeof(Shard) * kShards;
  for (uint32_t i = 0; i < kShards; ++i) n += shards[i].heap_bytes();
  return n;
}

size_t TotalUsedBytes(const Shard* shards) {
  if (shards == nullptr) return 0;
  size_t n = 0;
  for (uint32_t i = 0; i < kShards; ++i) n += shards[i].used_bytes();
  return n;
}

}  // namespace ctxmem::intern::internal
