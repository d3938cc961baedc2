#include "intern/internal/symbol_table.h"

#include <new>

namespace ctxmem::intern::internal {
namespace {

// The block every table starts with: a header and one group of empty slots.
// Never written: the first insert replaces it.
struct alignas(16) EmptyTable {
  SymbolTable* unused_header[2] = {};
  std::atomic<uint64_t> words[2] = {0, 0};
};
const EmptyTable kEmptyTable;

}  // namespace

uint64_t SymbolTable::EmptyBlock() { return reinterpret_cast<uintptr_t>(&kEmptyTable); }

SymbolTable::~SymbolTable() {
  const uint64_t current = current_.load(std::memory_order_relaxed);
  Block* block = retired_;
  if (HasOwnBlock(current)) {
    block = BlockOf(current);
    block->retired_next = retired_;
  }
  while (block != nullptr) {
    Block* next = block->retired_next;
    ::operator delete(block, BlockBytes(block->capacity));
    block = next;
  }
}

uint32_t SymbolTable::FindSlow(uint64_t current, std::string_view text, size_t hash,
                               uint32_t shard, const SymbolIndex& index) {
  const std::atomic<uint64_t>* words = WordsOf(current);
  const size_t group_mask = GroupMaskOf(current);
  const uint32_t want = TagOf(hash);
  size_t group = hash & group_mask;
  for (size_t step = 1;; ++step) {
    const uint64_t w0 = words[2 * group].load(std::memory_order_acquire);
    const uint64_t w1 = words[2 * group + 1].load(std::memory_order_acquire);
    uint32_t empty;
    for (uint32_t match = Scan(w0, w1, want, &empty); match != 0; match &= match - 1) {
      const uint32_t local = SlotOf(w0, w1, std::countr_zero(match)) & kLocalMask;
      const std::string_view stored = SymbolIndex::Decode(index.EntryAt(EncodeId(shard, local)));
      if (stored.size() == text.size() && Equal(stored.data(), text.data(), text.size())) {
        return local;
      }
    }
    if (empty != 0) return 0;
    group = (group + step) & group_mask;
  }
}

uint64_t SymbolTable::NewBlock(size_t capacity) {
  void* memory = ::operator new(BlockBytes(capacity));
  const uintptr_t address = reinterpret_cast<uintptr_t>(memory);
  if (address + BlockBytes(capacity) > kAddressMask) [[unlikely]] {
    // current_ could not hold the address (see WordsOf()).
    ::operator delete(memory, BlockBytes(capacity));
    throw std::bad_alloc();
  }
  auto* block = new (memory) Block{nullptr, capacity};
  auto* words = reinterpret_cast<std::atomic<uint64_t>*>(block + 1);
  for (size_t i = 0; i < capacity / 2; ++i) new (&words[i]) std::atomic<uint64_t>(0);
  const uint64_t groups_log2 = std::countr_zero(capacity / 4);
  return address | (groups_log2 << 48);
}

void SymbolTable::Place(uint64_t current, size_t hash, uint32_t local) {
  // WordsOf() is for readers; the writer may write.
  auto* words = const_cast<std::atomic<uint64_t>*>(WordsOf(current));
  const size_t group_mask = GroupMaskOf(current);
  size_t group = hash & group_mask;
  for (size_t step = 1;; ++step) {
    const uint64_t w0 = words[2 * group].load(std::memory_order_relaxed);
    const uint64_t w1 = words[2 * group + 1].load(std::memory_order_relaxed);
    uint32_t empty;
    Scan(w0, w1, 0, &empty);
    if (empty != 0) {
      // Slots fill in order, so the first empty one ends the group's run.
      const int k = std::countr_zero(empty);
      std::atomic<uint64_t>& word = words[2 * group + (k >> 1)];
      const int shift = (k & 1) * 32;
      // Publishes the id, and the string behind it, to lock-free readers.
      word.store((k >> 1 ? w1 : w0) | (uint64_t{TagOf(hash) | local} << shift),
                 std::memory_order_release);
      return;
    }
    group = (group + step) & group_mask;
  }
}

size_t SymbolTable::GrowthFor() const {
  const uint64_t current = current_.load(std::memory_order_relaxed);
  if (!HasOwnBlock(current)) return BlockBytes(kInitialCapacity);
  const size_t capacity = BlockOf(current)->capacity;
  return size_ + 1 > capacity - capacity / 8 ? BlockBytes(capacity * 2) : 0;
}

size_t SymbolTable::Reserve(uint32_t shard, const SymbolIndex& index) {
  const uint64_t current = current_.load(std::memory_order_relaxed);
  if (!HasOwnBlock(current)) {
    current_.store(NewBlock(kInitialCapacity), std::memory_order_release);
    reserved_bytes_ += BlockBytes(kInitialCapacity);
    return BlockBytes(kInitialCapacity);
  }
  Block* block = BlockOf(current);
  const size_t capacity = block->capacity;
  if (size_ + 1 <= capacity - capacity / 8) return 0;
  const uint64_t bigger = NewBlock(capacity * 2);
  const std::atomic<uint64_t>* words = WordsOf(current);
  for (size_t i = 0; i < capacity / 2; ++i) {
    const uint64_t word = words[i].load(std::memory_order_relaxed);
    for (int shift = 0; shift < 64; shift += 32) {
      const uint32_t slot = static_cast<uint32_t>(word >> shift);
      if (slot == 0) continue;
      const uint32_t local = slot & kLocalMask;
      Place(bigger, HashOf(SymbolIndex::Decode(index.EntryAt(EncodeId(shard, local)))), local);
    }
  }
  reserved_bytes_ += BlockBytes(capacity * 2);
  current_.store(bigger, std::memory_order_release);
  // Readers may still be probing the old block: keep it until we die.
  block->retired_next = retired_;
  retired_ = block;
  return BlockBytes(capacity * 2);
}

void SymbolTable::Insert(const Key& key, uint32_t local) {
  Place(current_.load(std::memory_order_relaxed), key.hash, local);
  ++size_;
}

}  // namespace ctxmem::intern::internal
