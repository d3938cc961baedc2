// An exact, byte-weighted LRU: the reference the S3-FIFO policy is measured
// against (tests and the benchmark's simulation only; never used by the cache).

#ifndef CTXMEM_MMAPCACHE_INTERNAL_LRU_REFERENCE_H_
#define CTXMEM_MMAPCACHE_INTERNAL_LRU_REFERENCE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace ctxmem::mmapcache::internal {

class LruReference {
 public:
  explicit LruReference(size_t capacity_bytes) : capacity_(capacity_bytes) {}

  // One request: true on a hit. A miss admits the key (when it fits at all),
  // evicting least recently used keys until it does.
  bool Access(uint64_t key, size_t weight) {
    auto it = index_.find(key);
    if (it != index_.end()) {
      order_.splice(order_.begin(), order_, it->second);
      return true;
    }
    if (weight > capacity_) return false;
    while (used_ + weight > capacity_) {
      const auto& [victim, victim_weight] = order_.back();
      used_ -= victim_weight;
      index_.erase(victim);
      order_.pop_back();
    }
    order_.emplace_front(key, weight);
    index_[key] = order_.begin();
    used_ += weight;
    return false;
  }

  size_t used_bytes() const { return used_; }

 private:
  using Order = std::list<std::pair<uint64_t, size_t>>;
  const size_t capacity_;
  size_t used_ = 0;
  Order order_;  // most recent first
  absl::flat_hash_map<uint64_t, Order::iterator> index_;
};

}  // namespace ctxmem::mmapcache::internal

#endif  // CTXMEM_MMAPCACHE_INTERNAL_LRU_REFERENCE_H_
