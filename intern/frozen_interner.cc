#include "intern/frozen_interner.h"

#include <utility>

namespace ctxmem::intern {

FrozenInterner::FrozenInterner(std::unique_ptr<internal::Shard[]> shards,
                               internal::SymbolIndex index)
    : shards_(std::move(shards)), index_(std::move(index)) {}

FrozenInterner::~FrozenInterner() = default;

size_t FrozenInterner::size() const { return internal::TotalSize(shards_.get()); }
size_t FrozenInterner::heap_bytes() const { return internal::TotalHeapBytes(shards_.get()); }
size_t FrozenInterner::mapped_bytes() const { return index_.mapped_bytes(); }
size_t FrozenInterner::used_bytes() const { return internal::TotalUsedBytes(shards_.get()); }

}  // namespace ctxmem::intern
