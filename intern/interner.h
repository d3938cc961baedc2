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
//    its own spin lock, string chunks and table (internal/shard.h), so
//    threads that insert different strings seldom wait for each other.
//  * Resolve() takes no lock and is O(1): the symbol names its shard, the
//    chunk and the offset of its string (chunks never move).
//  * Strings are never freed before the interner (or the FrozenInterner it
//    became) is destroyed, so every view Resolve() returns stays valid as long.
//  * Optional byte limit on reserved_bytes(): past it TryIntern() fails with
//    ResourceExhausted and changes nothing.
//  * Freeze() turns the interner into an immutable FrozenInterner whose
//    Lookup() and Resolve() take no locks at all.
//
// Memory accounting is honest: reserved_bytes() is every heap byte the
// interner asked for (string chunks with their headers, table slots and
// control bytes, index segments, the shard array), used_bytes() the string
// bytes alone.
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
  // byte limit, or when its shard has used all 4,095 string chunks (at least
  // 256 MiB of strings in one of 16 shards); nothing changes then.
  absl::StatusOr<Symbol> TryIntern(std::string_view text) {
    const internal::Key key{text, internal::HashOf(text)};
    const uint32_t shard = internal::ShardOf(key.hash);
    if (uint32_t local = shards_[shard].Find(key); local != 0) [[likely]] {
      return Symbol{internal::EncodeId(shard, local)};
    }
    return InsertSlow(shard, key);
  }

  // As TryIntern(), for interners without a byte limit: aborts the process
  // with the status message if TryIntern() would fail.
  Symbol Intern(std::string_view text) {
    const internal::Key key{text, internal::HashOf(text)};
    const uint32_t shard = internal::ShardOf(key.hash);
    if (uint32_t local = shards_[shard].Find(key); local != 0) [[likely]] {
      return Symbol{internal::EncodeId(shard, local)};
    }
    return InsertOrDie(shard, key);
  }

  // The symbol of `text` if it was interned; never inserts. Lock-free.
  std::optional<Symbol> Lookup(std::string_view text) const {
    if (const uint32_t id = internal::FindId(shards_.get(), text); id != 0) return Symbol{id};
    return std::nullopt;
  }

  // The string of `symbol`, without locking. The view stays valid for the
  // life of this interner (or of the FrozenInterner it is frozen into).
  // `symbol` must be empty (giving an empty view) or come from this
  // interner: the id is the string's address, and a made-up id past the
  // last chunk gives an empty view but one inside a chunk reads garbage.
  std::string_view Resolve(Symbol symbol) const {
    return internal::ResolveId(shards_.get(), symbol.id);
  }

  // Makes the interner immutable. Symbols and views stay valid, now owned by
  // the returned object; this interner is left empty and usable, and its new
  // symbols are unrelated to the old ones. Must not race with other calls.
  FrozenInterner Freeze() &&;

  // Distinct strings stored.
  size_t size() const;
  // Heap bytes held: see the header comment and README.md for the formula.
  size_t reserved_bytes() const;
  // Bytes of the distinct strings themselves.
  size_t used_bytes() const;
  size_t byte_limit() const { return byte_limit_; }

 private:
  absl::StatusOr<Symbol> InsertSlow(uint32_t shard, const internal::Key& key);
  Symbol InsertOrDie(uint32_t shard, const internal::Key& key);

  std::unique_ptr<internal::Shard[]> shards_;
  size_t byte_limit_;
  // With a limit: every reserved byte, charged before it is allocated.
  std::atomic<size_t> charged_bytes_{0};
};

}  // namespace ctxmem::intern

#endif  // CTXMEM_INTERN_INTERNER_H_
