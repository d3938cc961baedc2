#include "intern/frozen_interner.h"

#include <utility>

namespace ctxmem::intern {

FrozenInterner::FrozenInterner(std::unique_ptr<internal::Shard[]> shards)
    : shards_(std::move(shards)) {}

FrozenInterner::~FrozenInterner() = default;

size_t FrozenInterner::size() const { return internal::TotalSize(shards_.get()); }
size_t FrozenInterner::reserved_bytes() const { return internal::TotalReservedBytes(shards_.get()); }
size_t FrozenInterner::used_bytes() const { return internal::TotalUsedBytes(shards_.get()); }

}  // namespace ctxmem::intern
