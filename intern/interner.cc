#include "intern/interner.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ctxmem::intern {
namespace {

// Ids the symbol index must have room for: every shard's local ids, each
// shard sized for its share of max_strings plus 1/8 for uneven spreading.
size_t MaxIds(size_t max_strings) {
  const size_t per_shard =
      std::min<size_t>((max_strings + max_strings / 8) / internal::kShards + 1, internal::kMaxLocalId);
  return (per_shard + 1) * internal::kShards;
}

}  // namespace

Interner::Interner(const InternerOptions& options)
    : shards_(std::make_unique<internal::Shard[]>(internal::kShards)),
      index_(MaxIds(options.max_strings)),
      max_ids_(MaxIds(options.max_strings)),
      byte_limit_(options.byte_limit) {
  charged_bytes_.store(reserved_bytes(), std::memory_order_relaxed);
}

Interner::~Interner() = default;

absl::StatusOr<Symbol> Interner::InsertSlow(uint32_t shard, std::string_view text, size_t hash) {
  const internal::Key key{text, hash, shard};
  internal::Shard& s = shards_[shard];
  base::SpinLockHolder hold(s.lock());
  // Another thread may have inserted it since the first probe.
  if (uint32_t local = s.Find(key, shard, index_); local != 0) {
    return Symbol{internal::EncodeId(shard, local)};
  }
  const uint32_t id = internal::EncodeId(shard, s.NextLocal());
  if (!s.CanInsert() || !index_.CanHold(id)) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "intern: full: shard ", shard, " holds ", s.size(), " of the interner's ", size(),
        " strings, the most its symbol index has room for (InternerOptions::max_strings)"));
  }
  // Reserve before allocating: a compare-and-swap, so two shards cannot
  // both pass a check that only one of them fits under.
  const size_t expected = s.GrowthFor(key) + index_.GrowthFor(id);
  if (byte_limit_ != 0) {
    size_t charged = charged_bytes_.load(std::memory_order_relaxed);
    do {
      if (expected > byte_limit_ || charged > byte_limit_ - expected) {
        return absl::ResourceExhaustedError(absl::StrCat(
            "intern: byte limit of ", byte_limit_, " bytes reached: ", charged,
            " bytes reserved, storing a string of ", text.size(), " bytes needs ", expected,
            " more"));
      }
    } while (!charged_bytes_.compare_exchange_weak(charged, charged + expected,
                                                   std::memory_order_relaxed));
  }
  // Keeps the charge equal to what was really added: another shard may have
  // committed the index pages meanwhile, and a failure stops half way.
  size_t growth = 0;
  auto settle = [&] {
    if (byte_limit_ != 0 && growth != expected) {
      charged_bytes_.fetch_add(growth - expected, std::memory_order_relaxed);  // wraps to subtract
    }
  };
  if (!index_.Commit(id, &growth)) {
    settle();
    return absl::ResourceExhaustedError(absl::StrCat(
        "intern: the system refused memory for the symbol index (", index_.mapped_bytes(),
        " bytes committed)"));
  }
  try {
    s.Insert(key, shard, index_, &growth);
  } catch (...) {
    settle();
    throw;
  }
  settle();
  return Symbol{id};
}

Symbol Interner::InsertOrDie(uint32_t shard, std::string_view text, size_t hash) {
  absl::StatusOr<Symbol> symbol = InsertSlow(shard, text, hash);
  if (!symbol.ok()) [[unlikely]] {
    std::fprintf(stderr, "ctxmem::intern::Interner::Intern: %s\n",
                 std::string(symbol.status().message()).c_str());
    std::abort();
  }
  return *symbol;
}

FrozenInterner Interner::Freeze() && {
  FrozenInterner frozen(
      std::exchange(shards_, std::make_unique<internal::Shard[]>(internal::kShards)),
      std::exchange(index_, internal::SymbolIndex(max_ids_)));
  charged_bytes_.store(reserved_bytes(), std::memory_order_relaxed);
  return frozen;
}

size_t Interner::size() const { return internal::TotalSize(shards_.get()); }
size_t Interner::heap_bytes() const { return internal::TotalHeapBytes(shards_.get()); }
size_t Interner::mapped_bytes() const { return index_.mapped_bytes(); }
size_t Interner::used_bytes() const { return internal::TotalUsedBytes(shards_.get()); }

}  // namespace ctxmem::intern
