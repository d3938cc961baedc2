#include "intern/internal/symbol_table.h"

#include <new>

namespace ctxmem::intern::internal {

SymbolTable::~SymbolTable() {
  Block* block = current_.load(std::memory_order_relaxed);
  if (block != nullptr) block->retired_next = retired_;
  else block = retired_;
  while (block != nullptr) {
    Block* next = block->retired_next;
    ::operator delete(block, BlockBytes(block->mask + 1));
    block = next;
  }
}

SymbolTable::Block* SymbolTable::NewBlock(size_t capacity) {
  auto* block = static_cast<Block*>(::operator new(BlockBytes(capacity)));
  block->retired_next = nullptr;
  block->mask = capacity - 1;
  for (size_t i = 0; i < capacity; ++i) new (&block->slots()[i]) std::atomic<uint32_t>(0);
  return block;
}

void SymbolTable::Place(Block* block, size_t hash, uint32_t local) {
  size_t i = hash & block->mask;
  for (size_t step = 1; block->slots()[i].load(std::memory_order_relaxed) != 0; ++step) {
    i = (i + step) & block->mask;
  }
  // Publishes the id, and the string behind it, to lock-free readers.
  block->slots()[i].store(TagOf(hash) | local, std::memory_order_release);
}

size_t SymbolTable::GrowthFor() const {
  const Block* block = current_.load(std::memory_order_relaxed);
  if (block == nullptr) return BlockBytes(kInitialCapacity);
  const size_t capacity = block->mask + 1;
  return size_ + 1 > capacity - capacity / 8 ? BlockBytes(capacity * 2) : 0;
}

void SymbolTable::Insert(const Key& key, uint32_t local) {
  Block* block = current_.load(std::memory_order_relaxed);
  if (block == nullptr) {
    block = NewBlock(kInitialCapacity);
    reserved_bytes_ += BlockBytes(kInitialCapacity);
    current_.store(block, std::memory_order_release);
  } else if (const size_t capacity = block->mask + 1; size_ + 1 > capacity - capacity / 8) {
    Block* bigger = NewBlock(capacity * 2);
    for (size_t i = 0; i < capacity; ++i) {
      const uint32_t slot = block->slots()[i].load(std::memory_order_relaxed);
      if (slot == 0) continue;
      const uint32_t id = slot & ~kTagMask;
      Place(bigger, HashOf(store_->GetKnown(id)), id);
    }
    reserved_bytes_ += BlockBytes(capacity * 2);
    current_.store(bigger, std::memory_order_release);
    // Readers may still be probing the old block: keep it until we die.
    block->retired_next = retired_;
    retired_ = block;
    block = bigger;
  }
  Place(block, key.hash, local);
  ++size_;
}

}  // namespace ctxmem::intern::internal
