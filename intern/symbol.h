// Symbol: the 32-bit handle an Interner gives out for a string.
//
// Zero means "no symbol", so a default-constructed Symbol is empty and
// `std::optional<Symbol>` is never needed where a sentinel will do. The id is
// opaque: (n << 4) | shard for the n-th string of one of the interner's 16
// shards, so ids are unique per interner and nearly dense (ids up to 16 times
// the largest shard's count), but not ordered by insertion. Resolving an id
// no string has gives an empty view. Symbols from different interners (or
// from before a Freeze() of another interner) must not be mixed.

#ifndef CTXMEM_INTERN_SYMBOL_H_
#define CTXMEM_INTERN_SYMBOL_H_

#include <cstdint>
#include <utility>

namespace ctxmem::intern {

struct Symbol {
  uint32_t id = 0;

  constexpr bool empty() const { return id == 0; }
  constexpr explicit operator bool() const { return id != 0; }
  friend constexpr bool operator==(Symbol a, Symbol b) = default;

  template <typename H>
  friend H AbslHashValue(H h, Symbol s) {
    return H::combine(std::move(h), s.id);
  }
};

static_assert(sizeof(Symbol) == 4);

}  // namespace ctxmem::intern

#endif  // CTXMEM_INTERN_SYMBOL_H_
