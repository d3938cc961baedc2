// Interner: a thread-safe string interner with 32-bit symbols.
//
// Each distinct string is stored once; Intern() returns the same Symbol for
// equal byte strings and different Symbols for different ones. Strings are
// bytes, not text: embedded NULs and invalid UTF-8 are kept as they are.
//
//   ctxmem::intern::Interner names;
//   Symbol user = names.Intern("user");
//   std::string_view s = names.Resolve(user);   // "user", valid until ~Interner
//   std::optional<Symbol> s2 = names.Lookup("assistant");  // never inserts
//
// Design (README.md has the reasoning and the measurements):
//  * Finding a string already present takes no lock: each shard's keys-only
//    table is readable while its writer inserts (internal/symbol_table.h).
//  * Inserts lock one of 16 shards picked by the string's hash, each with
//    its own spin lock, table and chunks for long strings
//    (internal/shard.h), so threads that insert different strings seldom
//    wait for each other.
//  * Symbol ids are dense per shard and index one flat array of 40-byte
//    entries that hold strings of up to 39 bytes inline
//    (internal/symbol_index.h): Resolve() takes no lock and reads one entry,
//    and an id no string has resolves empty.
//  * Strings are never freed before the interner (or the FrozenInterner it
//    became) is destroyed, so every view Resolve() returns stays valid as long.
//  * Optional byte limit on reserved_bytes(): past it TryIntern() fails with
//    ResourceExhausted and changes nothing.
//  * Freeze() turns the interner into an immutable FrozenInterner whose
//    Lookup() and Resolve() take no locks at all.
//
// Memory accounting is honest: reserved_bytes() is every byte the interner
// asked for: heap_bytes() (table blocks, chunks of strings over 39 bytes, the
// shard array) plus mapped_bytes(), the committed pages of the symbol index
// (which holds shorter strings inline), an anonymous mapping, not heap.
// used_bytes() is the string bytes alone.
//
// Thread safety: every method may be called concurrently, except Freeze()
// and destruction.

#ifndef CTXMEM_INTERN_INTERNER_H_
#define CTXMEM_INTERN_INTERNER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "intern/frozen_interner.h"
#include "intern/internal/shard.h"
#include "intern/symbol.h"

namespace ctxmem::intern {

struct InternerOptions {
  // Upper bound on reserved_bytes(); 0 means no limit. The limit is checked
  // before anything is allocated, with an atomic reservation, so concurrent
  // inserts cannot overshoot it together.
  size_t byte_limit = 0;
  // About how many distinct strings the interner can hold (up to 2^24 per
  // shard). Sets the address space the symbol index reserves, 45 bytes per
  // string (the 1/8 is slack for uneven shards; 189 MiB by default), which
  // costs no memory until strings arrive.
  size_t max_strings = size_t{1} << 22;
};

class Interner {
 public:
  Interner() : Interner(InternerOptions{}) {}
  explicit Interner(const InternerOptions& options);
  Interner(const Interner&) = delete;
  Interner& operator=(const Interner&) = delete;
  ~Interner();

  // The symbol of `text`, inserting it if new. Fails with ResourceExhausted
  // (naming the limit) when storing it would take reserved_bytes() past the
  // byte limit, when the interner holds about InternerOptions::max_strings
  // strings, or when the system refuses memory for the index; nothing
  // changes then.
  absl::StatusOr<Symbol> TryIntern(std::string_view text) {
    const internal::Key key = internal::KeyOf(text);
    if (uint32_t local = shards_[key.shard].Find(key, key.shard, index_); local != 0) [[likely]] {
      return Symbol{internal::EncodeId(key.shard, local)};
    }
    return InsertSlow(key.shard, key.text, key.hash);
  }

  // As TryIntern(), for interners without a byte limit: aborts the process
  // with the status message if TryIntern() would fail.
  Symbol Intern(std::string_view text) {
    const internal::Key key = internal::KeyOf(text);
    if (uint32_t local = shards_[key.shard].Find(key, key.shard, index_); local != 0) [[likely]] {
      return Symbol{internal::EncodeId(key.shard, local)};
    }
    return InsertOrDie(key.shard, key.text, key.hash);
  }

  // The symbol of `text` if it was interned; never inserts. Lock-free.
  std::optional<Symbol> Lookup(std::string_view text) const {
    if (const uint32_t id = internal::FindId(shards_.get(), index_, text); id != 0) return Symbol{id};
    return std::nullopt;
  }

  // The string of `symbol`, without locking: a bounds check and the symbol's
  // index entry, which holds strings of up to 39 bytes inline.
  // The view stays valid for the life of this interner (or of the
  // FrozenInterner it is frozen into). A symbol no string has (empty, made
  // up, from another interner) gives an empty view, never garbage; a symbol
  // of another interner may name some other string of this one.
  std::string_view Resolve(Symbol symbol) const { return index_.Get(symbol.id); }

  // Makes the interner immutable. Symbols and views stay valid, now owned by
  // the returned object; this interner is left empty and usable, and its new
  // symbols are unrelated to the old ones. Must not race with other calls.
  FrozenInterner Freeze() &&;

  // Distinct strings stored.
  size_t size() const;
  // Bytes held, heap and mapped: see the header comment and README.md.
  size_t reserved_bytes() const { return heap_bytes() + mapped_bytes(); }
  // The heap part of reserved_bytes(): what operator new gave.
  size_t heap_bytes() const;
  // The mapped part of reserved_bytes(): committed pages of the symbol
  // index, an anonymous mapping, not heap.
  size_t mapped_bytes() const;
  // Bytes of the distinct strings themselves.
  size_t used_bytes() const;
  size_t byte_limit() const { return byte_limit_; }

 private:
  // The slow paths take the key's parts by value, in registers: a Key
  // passed by reference would make every fast-path call spill it.
  absl::StatusOr<Symbol> InsertSlow(uint32_t shard, std::string_view text, size_t hash);
  Symbol InsertOrDie(uint32_t shard, std::string_view text, size_t hash);

  std::unique_ptr<internal::Shard[]> shards_;
  internal::SymbolIndex index_;
  size_t max_ids_;
  size_t byte_limit_;
  // With a limit: every reserved byte, charged before it is allocated.
  std::atomic<size_t> charged_bytes_{0};
};

}  // namespace ctxmem::intern

#endif  // CTXMEM_INTERN_INTERNER_H_
