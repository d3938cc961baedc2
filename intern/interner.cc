#include "intern/interner.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ctxmem::intern {

Interner::Interner(const InternerOptions& options)
    : shards_(std::make_unique<internal::Shard[]>(internal::kShards)),
      byte_limit_(options.byte_limit) {
  charged_bytes_.store(internal::TotalReservedBytes(shards_.get()), std::memory_order_relaxed);
}

Interner::~Interner() = default;

absl::StatusOr<Symbol> Interner::InsertSlow(uint32_t shard, const internal::Key& key) {
  internal::Shard& s = shards_[shard];
  base::SpinLockHolder hold(s.lock());
  // Another thread may have inserted it since the first probe.
  if (uint32_t local = s.Find(key); local != 0) return Symbol{internal::EncodeId(shard, local)};
  if (!s.CanInsert(key)) {
    return absl::ResourceExhaustedError(
        absl::StrCat("intern: shard ", shard, " has used all ", internal::StringStore::kMaxChunks,
                     " of its string chunks"));
  }
  size_t expected = 0;
  if (byte_limit_ != 0) {
    // Reserve before allocating: a compare-and-swap, so two shards cannot
    // both pass a check that only one of them fits under.
    expected = s.GrowthFor(key);
    size_t charged = charged_bytes_.load(std::memory_order_relaxed);
    do {
      if (expected > byte_limit_ || charged > byte_limit_ - expected) {
        return absl::ResourceExhaustedError(absl::StrCat(
            "intern: byte limit of ", byte_limit_, " bytes reached: ", charged,
            " bytes reserved, storing a string of ", key.text.size(), " bytes needs ", expected,
            " more"));
      }
    } while (!charged_bytes_.compare_exchange_weak(charged, charged + expected,
                                                   std::memory_order_relaxed));
  }
  size_t growth = 0;
  const uint32_t local = s.Insert(key, &growth);
  if (byte_limit_ != 0 && growth != expected) {
    // Only if absl's growth rule changed; keep the charge exact.
    charged_bytes_.fetch_add(growth - expected, std::memory_order_relaxed);
  }
  return Symbol{internal::EncodeId(shard, local)};
}

Symbol Interner::InsertOrDie(uint32_t shard, const internal::Key& key) {
  absl::StatusOr<Symbol> symbol = InsertSlow(shard, key);
  if (!symbol.ok()) [[unlikely]] {
    std::fprintf(stderr, "ctxmem::intern::Interner::Intern: %s\n",
                 std::string(symbol.status().message()).c_str());
    std::abort();
  }
  return *symbol;
}

FrozenInterner Interner::Freeze() && {
  FrozenInterner frozen(std::exchange(shards_, std::make_unique<internal::Shard[]>(internal::kShards)));
  charged_bytes_.store(internal::TotalReservedBytes(shards_.get()), std::memory_order_relaxed);
  return frozen;
}

size_t Interner::size() const { return internal::TotalSize(shards_.get()); }
size_t Interner::reserved_bytes() const { return internal::TotalReservedBytes(shards_.get()); }
size_t Interner::used_bytes() const { return internal::TotalUsedBytes(shards_.get()); }

}  // namespace ctxmem::intern
