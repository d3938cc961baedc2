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
//   byte_tokens[256] uint32  the token of each single byte (every byte is one)
//   ascii_pairs[1<<14] uint32  the token of each two-byte ASCII string,
//                            at b0 | b1 << 7, or kNoToken: the merge loop's
//                            most common lookups, one read from 64 KiB
//                            instead of a hash probe.
//   offsets[n+1]     uint32  token i's bytes are bytes[offsets[i], offsets[i+1])
//   bytes[]          uint8   every token's bytes, in id order
//   hash[1<<bits]    uint32  open addressing, linear probing, over the token
//                            bytes (token_hash.h). A slot is kEmptySlot or
//                            (tag << kIdBits) | id, tag = the hash's top bits.
//   split[n]         36-bit  the two tokens BPE merged to make token i, or
//                            (i, i) for a token no valid merge produces:
//                            left | right << 18 at bit 36 * i (SplitEntry),
//                            padded by 16 bytes for the 64-bit loads.
//   pairs[1<<pbits]  uint32  open addressing over (left, right) token pairs:
//                            (tag << kIdBits) | the token BPE merges them
//                            into (verified against split[]), or kEmptySlot.
//   pair_filter[w]   uint64  a blocked Bloom filter over the same pairs
//                            (PairFilterWord/PairFilterBits), ~10 bits a
//                            pair: a pair that merges into nothing is
//                            mostly answered from a table a quarter the
//                            size of `pairs`.
//   trie[slots]      uint32  a double-array trie over the token bytes with the
//                            token ids in it (see TrieSlot below), for
//                            longest-prefix matches.
//
// The hot path of ordinary text (whole pieces found in `hash`, short pieces
// merged with it) touches only offsets, bytes and hash; split, pairs,
// pair_filter and trie serve the linear-time encoder of long pieces.

#ifndef CTXMEM_CONTEXT_TOKENIZER_INTERNAL_ENCODING_IMAGE_H_
#define CTXMEM_CONTEXT_TOKENIZER_INTERNAL_ENCODING_IMAGE_H_

#include <cstdint>

namespace ctxmem::context::tokenizer::internal {

inline constexpr char kImageMagic[8] = {'C', 'T', 'X', 'T', 'O', 'K', '0', '1'};
inline constexpr uint32_t kImageVersion = 3;
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
  uint64_t byte_tokens_offset;
  uint64_t ascii_pairs_offset;
  uint64_t offsets_offset;
  uint64_t bytes_offset;
  uint64_t hash_offset;
  uint64_t split_offset;
  uint64_t trie_offset;
  uint64_t pair_offset;
  uint32_t pair_bits;
  uint32_t pair_filter_words_log2;
  uint64_t pair_filter_offset;
  uint64_t total_size;
  // FNV-1a over the rank file the image was compiled from, for diagnostics.
  uint64_t source_fingerprint;
};
static_assert(sizeof(ImageHeader) == 128);

// One double-array slot. Node identity is its slot index; the root is slot 0.
// The child of node s by byte c lives at slot base(s) + c and is valid iff that
// slot holds a node (kind != 0) labelled c. Because no two nodes share a base,
// the label alone proves ownership: a slot t labelled c can only belong to the
// node whose base is t - c.
//   bits 30-31  kind: 0 = free or a token id (see kBranchToken),
//               kBranch, kBranchToken or kLeaf
//   bits 22-29  label (the byte that leads to this node)
//   bits 0-21   kBranch, kBranchToken: base of the node's children;
//               kLeaf (a token no other token extends): the token's id
// A kBranchToken node's id is the whole slot base + 256 (kind 0, so no walk
// mistakes it for a child): ids sit in the trie, so a longest-prefix match
// needs no hash lookup.
struct TrieSlot {
  static constexpr uint32_t kBranch = 1;
  static constexpr uint32_t kBranchToken = 2;
  static constexpr uint32_t kLeaf = 3;
  static constexpr int kKindShift = 30;
  static constexpr int kLabelShift = 22;
  static constexpr uint32_t kBaseMask = (uint32_t{1} << 22) - 1;
  // Where a kBranchToken node keeps its id, relative to its base.
  static constexpr uint32_t kIdOffset = 256;

  static constexpr uint32_t Make(uint32_t kind, uint8_t label, uint32_t base_or_id) {
    return (kind << kKindShift) | (uint32_t{label} << kLabelShift) | base_or_id;
  }
  static constexpr uint32_t Kind(uint32_t slot) { return slot >> kKindShift; }
  static constexpr uint8_t Label(uint32_t slot) {
    return static_cast<uint8_t>(slot >> kLabelShift);
  }
  // Whether `slot` is a node reached by byte `c`.
  static constexpr bool IsChild(uint32_t slot, uint8_t c) {
    return Kind(slot) != 0 && Label(slot) == c;
  }
  static constexpr uint32_t Base(uint32_t slot) { return slot & kBaseMask; }
};

// Token i's split entry: left | right << kIdBits, 36 bits at bit 36 * i.
inline constexpr int kSplitBits = 36;
static_assert(2 * kIdBits == kSplitBits);
inline constexpr uint64_t SplitEntryByte(uint32_t id) { return (uint64_t{id} * kSplitBits) / 8; }
inline constexpr int SplitEntryShift(uint32_t id) { return static_cast<int>(id & 1) * 4; }

// The key of a (left, right) token pair for the pairs table.
inline constexpr uint64_t PairKey(uint32_t left, uint32_t right) {
  return (uint64_t{left} << 32) | right;
}

// The pair filter: a pair's hash sets three bits of one 64-bit word. The
// word and bits come from hash bits above those that index the pair table
// (the low pair_bits <= 18 of o200k and cl100k), so that a pair whose probe
// would be long is not more likely to pass the filter; an answer never
// depends on the filter, which only spares lookups of absent pairs.
inline constexpr uint32_t kMaxPairFilterWordsLog2 = 16;
inline constexpr uint32_t PairFilterWord(uint64_t hash, uint32_t words_log2) {
  return static_cast<uint32_t>(hash >> 18) & ((uint32_t{1} << words_log2) - 1);
}
inline constexpr uint64_t PairFilterBits(uint64_t hash) {
  return (uint64_t{1} << ((hash >> 34) & 63)) | (uint64_t{1} << ((hash >> 40) & 63)) |
         (uint64_t{1} << ((hash >> 46) & 63));
}

// The tag kept beside an id in a hash slot: the hash's top bits, so most
// probes of other keys are rejected without touching the token tables.
inline constexpr uint32_t SlotTag(uint64_t hash) {
  return static_cast<uint32_t>(hash >> (64 - (32 - kIdBits)));
}

}  // namespace ctxmem::context::tokenizer::internal

#endif  // CTXMEM_CONTEXT_TOKENIZER_INTERNAL_ENCODING_IMAGE_H_
