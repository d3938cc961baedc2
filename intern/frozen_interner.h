// FrozenInterner: the immutable form of an Interner, made by
// `std::move(interner).Freeze()`.
//
// It takes over the interner's strings, tables and index without copying, so
// every Symbol and every view the interner handed out stays valid. Nothing
// can be added; Lookup() and Resolve() read shared immutable data and take no
// locks, so any number of threads can use one FrozenInterner at full speed.

#ifndef CTXMEM_INTERN_FROZEN_INTERNER_H_
#define CTXMEM_INTERN_FROZEN_INTERNER_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "intern/internal/shard.h"
#include "intern/symbol.h"

namespace ctxmem::intern {

class FrozenInterner {
 public:
  // A moved-from FrozenInterner may only be destroyed or assigned to.
  FrozenInterner(FrozenInterner&&) = default;
  FrozenInterner& operator=(FrozenInterner&&) = default;
  ~FrozenInterner();

  // The symbol of `text` if the interner held it.
  std::optional<Symbol> Lookup(std::string_view text) const {
    if (const uint32_t id = internal::FindId(shards_.get(), index_, text); id != 0) return Symbol{id};
    return std::nullopt;
  }

  // The string of `symbol`, as Interner::Resolve: empty for an id no string has.
  std::string_view Resolve(Symbol symbol) const { return index_.Get(symbol.id); }

  size_t size() const;
  // As the Interner's: heap_bytes() + mapped_bytes().
  size_t reserved_bytes() const { return heap_bytes() + mapped_bytes(); }
  size_t heap_bytes() const;
  size_t mapped_bytes() const;
  size_t used_bytes() const;

 private:
  friend class Interner;
  FrozenInterner(std::unique_ptr<internal::Shard[]> shards, internal::SymbolIndex index);

  std::unique_ptr<internal::Shard[]> shards_;
  internal::SymbolIndex index_;
};

}  // namespace ctxmem::intern

#endif  // CTXMEM_INTERN_FROZEN_INTERNER_H_
