#include "intern/internal/symbol_index.h"

#include <algorithm>
#include <bit>
#include <utility>

namespace ctxmem::intern::internal {
namespace {

size_t RoundUp(size_t n, size_t to) { return (n + to - 1) / to * to; }

}  // namespace

SymbolIndex::SymbolIndex(size_t max_ids)
    : region_(std::clamp<size_t>(max_ids, 16, size_t{1} << 28) * kEntryBytes), base_(region_.base()) {}

SymbolIndex::SymbolIndex(SymbolIndex&& other) noexcept
    : region_(std::move(other.region_)),
      base_(std::exchange(other.base_, nullptr)),
      committed_ids_(other.committed_ids_.exchange(0, std::memory_order_relaxed)),
      committed_bytes_(other.committed_bytes_.exchange(0, std::memory_order_relaxed)) {}

SymbolIndex& SymbolIndex::operator=(SymbolIndex&& other) noexcept {
  if (this != &other) {
    region_ = std::move(other.region_);
    base_ = std::exchange(other.base_, nullptr);
    committed_ids_.store(other.committed_ids_.exchange(0, std::memory_order_relaxed),
                         std::memory_order_relaxed);
    committed_bytes_.store(other.committed_bytes_.exchange(0, std::memory_order_relaxed),
                           std::memory_order_relaxed);
  }
  return *this;
}

size_t SymbolIndex::Target(uint32_t id) const {
  // A function of the id alone, never of what is committed now: then what
  // Commit() adds is never more than GrowthFor() said earlier, even if
  // another shard committed in between (the byte limit relies on it). Steps
  // of a sixteenth of the size, from one page to 1 MiB: at most 6.25% (or a
  // page) committed ahead. Whole pages, so the figure is what was committed.
  const size_t need = (size_t{id} + 1) * kEntryBytes;
  const size_t page = ReservedRegion::PageBytes();
  const size_t step = std::clamp(std::bit_floor(need) / 16, page, std::max(page, size_t{1} << 20));
  return std::min(RoundUp(need, step), region_.size());
}

size_t SymbolIndex::GrowthFor(uint32_t id) const {
  const size_t target = Target(id);
  const size_t now = mapped_bytes();
  return target > now ? target - now : 0;
}

bool SymbolIndex::Commit(uint32_t id, size_t* added) {
  if (id < committed_ids_.load(std::memory_order_acquire)) return true;
  base::SpinLockHolder hold(commit_lock_);
  // Another shard's writer may have committed it meanwhile.
  if (id < committed_ids_.load(std::memory_order_relaxed)) return true;
  const size_t now = mapped_bytes();
  const size_t target = Target(id);
  if (target < (size_t{id} + 1) * kEntryBytes || !region_.Commit(now, target - now)) return false;
  committed_bytes_.store(target, std::memory_order_relaxed);
  // Publishes the writable pages (zero: empty entries) to Get().
  committed_ids_.store(static_cast<uint32_t>(target / kEntryBytes), std::memory_order_release);
  *added += target - now;
  return true;
}

void SymbolIndex::Set(uint32_t id, std::string_view text, const char* stored) {
  char* entry = base_ + size_t{id} * kEntryBytes;
  if (text.size() <= kInlineBytes) {
    entry[0] = static_cast<char>(text.size());
    if (!text.empty()) std::memcpy(entry + 1, text.data(), text.size());
  } else {
    entry[0] = static_cast<char>(kOutOfLine);
    std::memcpy(entry + 8, &stored, sizeof(stored));
  }
}

}  // namespace ctxmem::intern::internal
