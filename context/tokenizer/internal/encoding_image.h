// The compiled form of a BPE encoding ("encoding image"): one read-only blob,
// produced at build time by tools/compile_encoding from a `.tiktoken` rank file
// and embedded in the binary, so loading an encoding is a header check and the
// pages are faulted in only as the encoder touches them.
//
// Everything is little-endian and 64-byte aligned. Token ids are ranks: the
// rank files of OpenAI's encodings are dense (ranks 0..n-1), which the compiler
// checks, so the BPE merge priority of a token is its id.
//
// Sections (offsets from the start of the blob):
//   offsets[n+1]     uint32  token i's bytes are bytes[offsets[i], offsets[i+1])
//   bytes[]          uint8   every token's bytes, in id order
//   hash[1<<bits]    uint32  open addressing, linear probing, over the token
//                            bytes (token_hash.h). A slot is kEmptySlot or
//                            (tag << kIdBits) | id, tag = the hash's top bits.
//   split[n]         uint32x2  the two tokens BPE merged to make token i, or
//                            (i, i) for a token no valid merge produces.
//   next_prefix[n]   uint32  the longest token that is a proper prefix of
//                            token i, or kNoToken.
//   pairs[1<<pbits]  uint32  open addressing over (left, right) token pairs:
//                            (tag << kIdBits) | the token BPE merges them
//                            into (verified against split[]), or kEmptySlot.
//   trie[slots]      uint32  a double-array trie over the token bytes
//                            (see TrieSlot below) for longest-prefix matches.
//
// The hot path of ordinary text (whole pieces found in `hash`, short pieces
// merged with it) touches only offsets, bytes and hash; split, next_prefix and
// trie serve the linear-time encoder of long pieces.

#ifndef CTXMEM_CONTEXT_TOKENIZER_INTERNAL_ENCODING_IMAGE_H_
#define CTXMEM_CONTEXT_TOKENIZER_INTERNAL_ENCODING_IMAGE_H_

#include <cstdint>

namespace ctxmem::context::tokenizer::internal {

inline constexpr char kImageMagic[8] = {'C', 'T', 'X', 'T', 'O', 'K', '0', '1'};
inline constexpr uint32_t kImageVersion = 2;
inline constexpr uint32_t kNoToken = 0xFFFFFFFFu;
inline constexpr uint32_t kEmptySlot = 0xFFFFFFFFu;

// Token ids fit in kIdBits; the hash slot keeps the remaining bits as a tag so
// most probes that miss never touch the token bytes.
inline constexpr int kIdBits = 18;
inline constexpr uint32_t kIdMask = (1u << kIdBits) - 1;
inline constexpr uint32_t kMaxTokens = kIdMask;  // kEmptySlot must not be a valid slot

struct ImageHeader {
  char magic[8];
  uint32_t version;
  uint32_t token_count;
  uint32_t token_bytes_size;
  uint32_t hash_bits;
  uint32_t trie_slots;
  uint32_t max_token_length;
  uint64_t offsets_offset;
  uint64_t bytes_offset;
  uint64_t hash_offset;
  uint64_t split_offset;
  uint64_t next_prefix_offset;
  uint64_t trie_offset;
  uint64_t pair_offset;
  uint32_t pair_bits;
  uint32_t reserved;
  uint64_t total_size;
  // FNV-1a over the rank file the image was compiled from, for diagnostics.
  uint64_t source_fingerprint;
};
static_assert(sizeof(ImageHeader) == 112);

// One double-array slot. Node identity is its slot index; the root is slot 0.
// The child of node s by byte c lives at slot base(s) + c and is valid iff that
// slot is used and labelled c. Because no two nodes share a base, the label
// alone proves ownership: a slot t labelled c can only belong to the node
// whose base is t - c. A node that ends a token is flagged; its id is found
// by hashing the bytes walked (one lookup per match), which halves the trie.
//   bit 31      used
//   bit 30      the path to this node is a token
//   bits 22-29  label (the byte that leads to this node)
//   bits 0-21   base of this node's children; kBaseMask for a leaf
struct TrieSlot {
  static constexpr uint32_t kUsed = uint32_t{1} << 31;
  static constexpr uint32_t kToken = uint32_t{1} << 30;
  static constexpr int kLabelShift = 22;
  static constexpr uint32_t kBaseMask = (uint32_t{1} << 22) - 1;

  static constexpr uint32_t Make(uint8_t label, uint32_t base, bool token) {
    return kUsed | (token ? kToken : 0) | (uint32_t{label} << kLabelShift) | base;
  }
  static constexpr bool Used(uint32_t slot) { return (slot & kUsed) != 0; }
  static constexpr bool Token(uint32_t slot) { return (slot & kToken) != 0; }
  static constexpr uint8_t Label(uint32_t slot) {
    return static_cast<uint8_t>(slot >> kLabelShift);
  }
  static constexpr uint32_t Base(uint32_t slot) { return slot & kBaseMask; }
};

// The key of a (left, right) token pair for the pairs table.
inline constexpr uint64_t PairKey(uint32_t left, uint32_t right) {
  return (uint64_t{left} << 32) | right;
}

// The tag kept beside an id in a hash slot: the hash's top bits, so most
// probes of other keys are rejected without touching the token tables.
inline constexpr uint32_t SlotTag(uint64_t hash) {
  return static_cast<uint32_t>(hash >> (64 - (32 - kIdBits)));
}

}  // namespace ctxmem::context::tokenizer::internal

#endif  // CTXMEM_CONTEXT_TOKENIZER_INTERNAL_ENCODING_IMAGE_H_
