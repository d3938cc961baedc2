// HashOf: the one string hash an interner computes per call.
//
// Its 64 bits are split three ways: bits 60..63 pick the shard (KeyOf()),
// bits 52..59 are a slot's 8-bit tag and the low bits the table position
// (symbol_table.h). So all 64 bits must be well mixed.
//
// Strings of at most 48 bytes (roles, keys, tool and model names, most
// identifiers and paths: the interner's hot set) take paths written here:
// overlapping loads and 64x64->128-bit multiply-folds (the construction of
// wyhash, which passes SMHasher), with no branch on the length within 4..16
// and 17..48 bytes, and one multiply on the way from a short string to its
// hash. absl::Hash measured 6.5 ns a string on the benchmark's ~10-byte
// words against 2.5 ns for this (then with two multiplies), and is an
// out-of-line call; longer strings use it, as its per-byte speed is what
// matters there.
//
// The seed is the address of a static object, so it changes from process to
// process under ASLR (absl seeds its hash the same way): an input crafted to
// collide in one process does not collide in the next.

#ifndef CTXMEM_INTERN_INTERNAL_HASH_H_
#define CTXMEM_INTERN_INTERNAL_HASH_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace ctxmem::intern::internal {

template <typename T>
inline T LoadUnaligned(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// 64x64 -> 128-bit multiply, folded: every output bit depends on every input bit.
inline uint64_t MulFold(uint64_t a, uint64_t b) {
  const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline constexpr char kHashSeedAnchor = 0;
inline constexpr int kShardBits = 4;

// What an interner's tables are probed with: the string, its hash and its
// shard, all computed once per call.
struct Key {
  std::string_view text;
  size_t hash;
  uint32_t shard;  // < 2^kShardBits
};

__attribute__((always_inline)) inline Key KeyOf(std::string_view text) {
  const size_t n = text.size();
  const char* p = text.data();
  if (n <= 16) [[likely]] {
    uint64_t a = 0;
    uint64_t b = 0;
    if (n >= 4) [[likely]] {
      // Four 4-byte loads cover 4..16 bytes with no branch on the length
      // (wyhash's trick; the pairs overlap below 16 bytes). Identifiers and
      // keys spread over all of 4..16 bytes, and a branch between 4..7 and
      // 8..16 mispredicted on about a third of a hot set's lookups.
      const size_t o = (n >> 3) << 2;
      a = (uint64_t{LoadUnaligned<uint32_t>(p)} << 32) | LoadUnaligned<uint32_t>(p + o);
      b = (uint64_t{LoadUnaligned<uint32_t>(p + n - 4)} << 32) |
          LoadUnaligned<uint32_t>(p + n - 4 - o);
    } else if (n > 0) {
      const auto* u = reinterpret_cast<const unsigned char*>(p);
      a = (uint64_t{u[0]} << 16) | (uint64_t{u[n >> 1]} << 8) | u[n - 1];
    }
    // One multiply-fold of the two words, seeded and with the length mixed
    // in (it tells apart strings whose overlapping loads coincide, such as
    // "abcd" and "abcdabcd"). The high half of the product depends on every
    // input bit; folding it into the low half gives every hash bit that.
    const uint64_t seed = reinterpret_cast<uintptr_t>(&kHashSeedAnchor);
    const uint64_t h = MulFold(a ^ seed ^ 0xe7037ed1a0b428dbull, b ^ n ^ 0xa0761d6478bd642full);
    return Key{text, h, static_cast<uint32_t>(h >> (64 - kShardBits))};
  }
  if (n <= 48) {
    // Three overlapping 16-byte blocks cover 17..48 bytes with no branch on
    // the length (the middle one is clamped into the string); each is folded
    // by its own multiply, in parallel, then the three are mixed. Paths,
    // model ids and keys of this size are an agent's other hot set, and
    // absl::Hash here is an out-of-line call.
    const size_t mid = n - 16 < 16 ? n - 16 : 16;
    const uint64_t seed = reinterpret_cast<uintptr_t>(&kHashSeedAnchor);
    const uint64_t x = MulFold(LoadUnaligned<uint64_t>(p) ^ 0xe7037ed1a0b428dbull,
                               LoadUnaligned<uint64_t>(p + 8) ^ seed);
    const uint64_t y = MulFold(LoadUnaligned<uint64_t>(p + mid) ^ 0xa0761d6478bd642full,
                               LoadUnaligned<uint64_t>(p + mid + 8) ^ n);
    const uint64_t z = MulFold(LoadUnaligned<uint64_t>(p + n - 16) ^ 0x8ebc6af09c88c6e3ull,
                               LoadUnaligned<uint64_t>(p + n - 8) ^ 0x589965cc75374cc3ull);
    const uint64_t h = MulFold(x ^ 0x1d8e4e27c47d124full, y ^ z);
    return Key{text, h, static_cast<uint32_t>(h >> (64 - kShardBits))};
  }
  // Debian's abseil has its own absl::string_view, and
  // absl::Hash<std::string_view> would silently fall back to std::hash.
  const size_t hash = absl::Hash<absl::string_view>{}(absl::string_view(p, n));
  return Key{text, hash, static_cast<uint32_t>(hash >> (64 - kShardBits))};
}

inline size_t HashOf(std::string_view text) { return KeyOf(text).hash; }

}  // namespace ctxmem::intern::internal

#endif  // CTXMEM_INTERN_INTERNAL_HASH_H_
