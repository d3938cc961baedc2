// The eviction policy of FileCache: S3-FIFO (Yang et al., SOSP'23), weighted
// by bytes. Kept apart from the cache so that the benchmark's simulation
// measures exactly the code the cache runs.
//
//   S3Fifo policy(capacity_bytes);
//   S3Fifo::Node* n = policy.Insert(key, weight, payload);  // after making room
//   S3Fifo::Access(n);                                       // on a hit
//   std::optional<S3Fifo::Victim> v = policy.Evict(can_evict);
//
// Three queues: a small FIFO (10% of the capacity, by bytes) that new keys
// enter, a main FIFO, and a ghost FIFO of keys (no data) recently evicted from
// the small queue. A key evicted from the small queue without a hit goes to
// the ghost: one-hit wonders leave quickly and cost little. A key hit while
// in the small queue moves to main. A key inserted while in the ghost goes
// straight to main. Main is a FIFO with a 2-bit frequency per node (CLOCK-
// like): a node at its tail with a non-zero frequency is reinserted at its
// head with the frequency decremented. Every operation is O(1) amortised and
// a hit only increments a counter (no list moves, unlike LRU).
//
// Pins: `Evict` takes a predicate; a node it rejects (pinned) is never
// evicted. A rejected small-queue node moves to main; a rejected main node is
// rotated to main's head. When every node has been rejected (after a bounded
// scan), Evict returns nullopt.
//
// Not thread-safe: the cache calls it under its lock. The policy does not
// enforce the capacity; the caller evicts until its new key fits, then
// inserts. The capacity sets the small queue's target and the ghost's size.

#ifndef CTXMEM_MMAPCACHE_INTERNAL_S3FIFO_H_
#define CTXMEM_MMAPCACHE_INTERNAL_S3FIFO_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include "absl/container/flat_hash_map.h"

namespace ctxmem::mmapcache::internal {

class S3Fifo {
 public:
  struct Node {
    uint64_t key = 0;
    size_t weight = 0;
    void* payload = nullptr;  // the caller's; the policy never reads it
    Node* prev = nullptr;
    Node* next = nullptr;
    uint8_t freq = 0;  // 0..3
    bool in_main = false;
  };

  struct Victim {
    uint64_t key;
    size_t weight;
    void* payload;
  };

  explicit S3Fifo(size_t capacity_bytes, double small_fraction = 0.1);
  S3Fifo(const S3Fifo&) = delete;
  S3Fifo& operator=(const S3Fifo&) = delete;
  ~S3Fifo();

  // Adds a key that is not in the policy; returns its node (owned by the
  // policy until Erase or Evict).
  Node* Insert(uint64_t key, size_t weight, void* payload);

  // Records a hit.
  static void Access(Node* node) {
    if (node->freq < 3) ++node->freq;
  }

  // Removes a node without a trace in the ghost (the entry went stale).
  void Erase(Node* node);

  // Picks and removes a victim that `can_evict(const Node&)` accepts.
  template <class CanEvict>
  std::optional<Victim> Evict(CanEvict&& can_evict);
  std::optional<Victim> Evict() {
    return Evict([](const Node&) { return true; });
  }

  size_t total_weight() const { return small_.weight + main_.weight; }
  size_t size() const { return small_.count + main_.count; }
  size_t ghost_size() const { return ghost_index_.size(); }

 private:
  struct Queue {
    Node* head = nullptr;  // newest
    Node* tail = nullptr;  // oldest
    size_t count = 0;
    size_t weight = 0;
    void PushFront(Node* n);
    void Remove(Node* n);
  };
  struct GhostRecord {
    uint64_t key;
    size_t weight;
    uint64_t seq;
  };

  void AddGhost(uint64_t key, size_t weight);
  Victim Drop(Node* n);

  const size_t capacity_;
  const size_t small_target_;
  const size_t ghost_capacity_;
  Queue small_;
  Queue main_;
  // The ghost: FIFO of records; the index maps a key to its live record's
  // sequence number. Records whose key was re-admitted stay in the FIFO as
  // tombstones until they reach its front.
  std::deque<GhostRecord> ghost_fifo_;
  absl::flat_hash_map<uint64_t, std::pair<uint64_t, size_t>> ghost_index_;
  size_t ghost_weight_ = 0;
  uint64_t ghost_seq_ = 0;
};

template <class CanEvict>
std::optional<S3Fifo::Victim> S3Fifo::Evict(CanEvict&& can_evict) {
  // Each small node takes at most one step (it leaves or moves to main); each
  // main node at most 4 (3 decrements, then a rejection or eviction). Past
  // that, every node was rejected.
  for (size_t steps = 5 * size() + 4; steps > 0; --steps) {
    if (small_.count > 0 && (small_.weight >= small_target_ || main_.count == 0)) {
      Node* t = small_.tail;
      small_.Remove(t);
      const bool pinned = !can_evict(static_cast<const Node&>(*t));
      if (t->freq > 0 || pinned) {
        if (!pinned) t->freq = 0;
        t->in_main = true;
        main_.PushFront(t);
        continue;
      }
      AddGhost(t->key, t->weight);
      return Drop(t);
    }
    if (main_.count == 0) return std::nullopt;
    Node* t = main_.tail;
    main_.Remove(t);
    if (t->freq > 0) {
      --t->freq;
      main_.PushFront(t);
      continue;
    }
    if (!can_evict(static_cast<const Node&>(*t))) {
      main_.PushFront(t);
      continue;
    }
    return Drop(t);
  }
  return std::nullopt;
}

}  // namespace ctxmem::mmapcache::internal

#endif  // CTXMEM_MMAPCACHE_INTERNAL_S3FIFO_H_
