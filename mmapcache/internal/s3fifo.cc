#include "mmapcache/internal/s3fifo.h"

namespace ctxmem::mmapcache::internal {

void S3Fifo::Queue::PushFront(Node* n) {
  n->prev = nullptr;
  n->next = head;
  if (head != nullptr) head->prev = n;
  head = n;
  if (tail == nullptr) tail = n;
  ++count;
  weight += n->weight;
}

void S3Fifo::Queue::Remove(Node* n) {
  if (n->prev != nullptr)
    n->prev->next = n->next;
  else
    head = n->next;
  if (n->next != nullptr)
    n->next->prev = n->prev;
  else
    tail = n->prev;
  n->prev = n->next = nullptr;
  --count;
  weight -= n->weight;
}

S3Fifo::S3Fifo(size_t capacity_bytes, double small_fraction)
    : capacity_(capacity_bytes),
      small_target_(static_cast<size_t>(static_cast<double>(capacity_bytes) * small_fraction)),
      ghost_capacity_(capacity_bytes - small_target_) {}

S3Fifo::~S3Fifo() {
  for (Queue* q : {&small_, &main_}) {
    for (Node* n = q->head; n != nullptr;) {
      Node* next = n->next;
      delete n;
      n = next;
    }
  }
}

S3Fifo::Node* S3Fifo::Insert(uint64_t key, size_t weight, void* payload) {
  Node* n = new Node{.key = key, .weight = weight, .payload = payload};
  auto it = ghost_index_.find(key);
  if (it != ghost_index_.end()) {
    // Evicted from the small queue recently and wanted again: it has proved
    // itself, so it skips the probation.
    ghost_weight_ -= it->second.second;
    ghost_index_.erase(it);
    n->in_main = true;
    main_.PushFront(n);
  } else {
    small_.PushFront(n);
  }
  return n;
}

void S3Fifo::Erase(Node* node) {
  (node->in_main ? main_ : small_).Remove(node);
  delete node;
}

S3Fifo::Victim S3Fifo::Drop(Node* n) {
  Victim v{n->key, n->weight, n->payload};
  delete n;
  return v;
}

void S3Fifo::AddGhost(uint64_t key, size_t weight) {
  if (weight > ghost_capacity_) return;
  auto [it, inserted] = ghost_index_.try_emplace(key, ghost_seq_, weight);
  if (!inserted) {
    ghost_weight_ -= it->second.second;
    it->second = {ghost_seq_, weight};
  }
  ghost_weight_ += weight;
  ghost_fifo_.push_back({key, weight, ghost_seq_++});
  // Trim by bytes, and drop tombstones so the FIFO stays within 2x the index.
  while (!ghost_fifo_.empty() &&
         (ghost_weight_ > ghost_capacity_ || ghost_fifo_.size() > 2 * ghost_index_.size() + 64)) {
    const GhostRecord r = ghost_fifo_.front();
    ghost_fifo_.pop_front();
    auto g = ghost_index_.find(r.key);
    if (g != ghost_index_.end() && g->second.first == r.seq) {
      ghost_weight_ -= g->second.second;
      ghost_index_.erase(g);
    }
  }
}

}  // namespace ctxmem::mmapcache::internal
