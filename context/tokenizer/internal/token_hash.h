// The hash of a token's bytes, shared by the image compiler and the encoder.
//
// Written here rather than taken from absl::Hash because the table is built at
// compile time and read at run time: the function must be fixed across
// processes and builds (absl::Hash is salted per process by design).
// Little-endian loads; ctxmem targets x86-64 and AArch64.

#ifndef CTXMEM_CONTEXT_TOKENIZER_INTERNAL_TOKEN_HASH_H_
#define CTXMEM_CONTEXT_TOKENIZER_INTERNAL_TOKEN_HASH_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ctxmem::context::tokenizer::internal {

inline uint64_t MixTokenHash(uint64_t x) {
  // The splitmix64 finaliser: every input bit affects every output bit.
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

inline uint64_t HashTokenBytes(const void* data, size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t h = 0x9e3779b97f4a7c15ULL * (size + 1);
  while (size >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    h = (h ^ word) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
    p += 8;
    size -= 8;
  }
  if (size > 0) {
    uint64_t word = 0;
    std::memcpy(&word, p, size);
    h ^= word;
  }
  return MixTokenHash(h);
}

}  // namespace ctxmem::context::tokenizer::internal

#endif  // CTXMEM_CONTEXT_TOKENIZER_INTERNAL_TOKEN_HASH_H_
