// The compiled form of a BPE encoding ("encoding image"): one read-only blob,
// produced at build time by tools/compile_encoding from a `.tiktoken` rank file
// and embedded in the binary, so loading an encoding is a header check and the
// pages are faulted in only as the encoder touches them.
//
// Everything is little-endian and sections are 64-byte aligned. Token ids are
// ranks: the rank files of OpenAI's encodings are dense (ranks 0..n-1), which
// the compiler checks, so the BPE merge priority of a token is its id.
//
// Counting touches only the first seven sections, sized so that all of them
// together stay under the rank file's own size (the resident-memory budget;
// byte_pair_encoder_test holds it):
//   byte_tokens[256] uint32  the token of each single byte (every byte is one)
//   byte_pairs    25-28 KB  the token of each two-byte string, if it is one
//                            (BytePairSection below): every merge loop starts
//                            with the pairs of its bytes, and a list this small
//                            answers them from L1 where the pair table takes
//                            three dependent reads.
//   trie[slots]      uint32  a double-array trie over the token bytes whose
//                            single-path subtrees are cut off into `tails`;
//                            it holds the token ids, so one walk answers both
//                            "is this piece a token" and "which tokens prefix
//                            this text" (TrieSlot below).
//   tails[]          uint8   the cut-off subtrees (TailRecord below).
//   split[n]         36-bit  the two tokens BPE merged to make token i, or
//                            (i, i) for a token no valid merge produces:
//                            left | right << 18 at bit 36 * i (SplitEntry).
//   pair_pilots[b]   uint16  a perfect hash over the (left, right) pairs of
//   pair_slots[m]    24-bit  `split`: a pair's bucket names a pilot, the
//                            pilot its slot, and the slot holds the merged
//                            token and a fingerprint (PairHash below).
// Decode alone reads the last two. They start at a multiple of
// kDecodeSectionAlignment (64 KiB; the image is linked at that alignment and
// padded to it at its end), so the kernel's fault-around, which maps the
// aligned 64 KiB block around a faulting page of a file, never maps them
// while counting, nor for data linked after the image:
//   offsets[n+1]     uint32  token i's bytes are bytes[offsets[i], offsets[i+1])
//   bytes[]          uint8   every token's bytes, in id order

#ifndef CTXMEM_CONTEXT_TOKENIZER_INTERNAL_ENCODING_IMAGE_H_
#define CTXMEM_CONTEXT_TOKENIZER_INTERNAL_ENCODING_IMAGE_H_

#include <cstdint>

#include "context/tokenizer/internal/token_hash.h"

namespace ctxmem::context::tokenizer::internal {

inline constexpr char kImageMagic[8] = {'C', 'T', 'X', 'T', 'O', 'K', '0', '1'};
inline constexpr uint32_t kImageVersion = 5;
inline constexpr uint32_t kNoToken = 0xFFFFFFFFu;

inline constexpr uint64_t kDecodeSectionAlignment = 65536;

inline constexpr int kIdBits = 18;
inline constexpr uint32_t kIdMask = (1u << kIdBits) - 1;
// kIdMask itself marks an empty pair slot, so it is never a token.
inline constexpr uint32_t kMaxTokens = kIdMask;

struct ImageHeader {
  char magic[8];
  uint32_t version;
  uint32_t token_count;
  uint32_t token_bytes_size;
  uint32_t max_token_length;
  uint32_t trie_slots;
  uint32_t tail_bytes;
  uint32_t pair_buckets;
  uint32_t pair_slots;
  uint64_t pair_seed;
  uint64_t byte_tokens_offset;
  uint64_t trie_offset;
  uint64_t tails_offset;
  uint64_t split_offset;
  uint64_t pair_pilots_offset;
  uint64_t pair_slots_offset;
  uint64_t offsets_offset;
  uint64_t bytes_offset;
  uint64_t total_size;
  // FNV-1a over the rank file the image was compiled from, for diagnostics.
  uint64_t source_fingerprint;
  uint64_t byte_pairs_offset;
  uint32_t byte_pair_count;  // two-byte tokens
  uint32_t reserved;
};
static_assert(sizeof(ImageHeader) == 144);

// The byte-pair section: bit (first << 8 | second) of a 65,536-bit map is set
// iff those two bytes are a token; the tokens are listed in that order, and
// each 64-bit word of the map carries how many set bits precede it, so a
// token's place in the list is that count plus a popcount within the word.
struct BytePairSection {
  static constexpr uint64_t kWords = 65536 / 64;
  static constexpr uint64_t kBitsOffset = 0;                    // uint64[kWords]
  static constexpr uint64_t kBeforeOffset = kWords * 8;         // uint16[kWords]
  static constexpr uint64_t kIdsOffset = kBeforeOffset + kWords * 2;  // uint32[count]
  static constexpr uint64_t Bytes(uint32_t count) { return kIdsOffset + uint64_t{count} * 4; }
};

// One double-array slot. Node identity is its slot index; the root is slot 0.
// The child of node s by byte c lives at slot base(s) + c and is valid iff that
// slot holds a node (kind != 0) labelled c. Because no two nodes share a base,
// the label alone proves ownership: a slot t labelled c can only belong to the
// node whose base is t - c.
//   bits 29-31  kind: 0 = free or a token id (see kBranchToken), else below
//   bits 21-28  label (the byte that leads to this node)
//   bits 0-20   kBranch, kBranchToken: base of the node's children (the
//               array has a slot for base + 256 of every base, so a walk
//               needs no bounds check);
//               kLeaf (a token no other token extends): the token's id;
//               kTail and up (a node below which the trie is one path): the
//               offset of its TailRecord in `tails`
// A kBranchToken node's id is the whole slot base + 256 (kind 0, so no walk
// mistakes it for a child).
struct TrieSlot {
  static constexpr uint32_t kBranch = 1;
  static constexpr uint32_t kBranchToken = 2;
  static constexpr uint32_t kLeaf = 3;
  // A tail whose record starts with its length m; kTail + m for m = 1..3,
  // a record without it (most tails are that short).
  static constexpr uint32_t kTail = 4;
  static constexpr uint32_t kMaxImplicitTail = 3;
  static constexpr int kKindShift = 29;
  static constexpr int kLabelShift = 21;
  static constexpr uint32_t kPayloadMask = (uint32_t{1} << 21) - 1;
  // Where a kBranchToken node keeps its id, relative to its base.
  static constexpr uint32_t kIdOffset = 256;

  static constexpr uint32_t Make(uint32_t kind, uint8_t label, uint32_t payload) {
    return (kind << kKindShift) | (uint32_t{label} << kLabelShift) | payload;
  }
  static constexpr uint32_t Kind(uint32_t slot) { return slot >> kKindShift; }
  static constexpr uint8_t Label(uint32_t slot) {
    return static_cast<uint8_t>(slot >> kLabelShift);
  }
  // Whether `slot` is a node reached by byte `c`.
  static constexpr bool IsChild(uint32_t slot, uint8_t c) {
    return Kind(slot) != 0 && Label(slot) == c;
  }
  static constexpr uint32_t Payload(uint32_t slot) { return slot & kPayloadMask; }
};

// A tail: the rest of a trie path below a kTail node (the node itself is
// reached through the double array), as one record:
//   m, one byte, only if the node's kind is kTail (else m = kind - kTail):
//                   the bytes on the path below the node (1..255)
//   m bytes         those bytes
//   (m + 8) / 8 bytes: bit j (LSB first) set iff the node j bytes below the
//                   kTail node is a token (bit m, the path's end, always is)
//   then the ids of those tokens in path order, kIdBits each, LSB first from
//                   the next byte (the section is padded for 4-byte loads).
// Most of the trie lies on such paths (o200k_base: 349,000 of its 422,000
// nodes), and a tail spends a byte on a node where the double array spends a
// four-byte slot.
struct TailRecord {
  static constexpr uint32_t BitmapBytes(uint32_t m) { return (m + 8) / 8; }
};

// What PrefixTokens hands out for a token found on a tail, instead of a trie
// slot: kind 0, and the bit position of the id in `tails`.
inline constexpr uint32_t kTailBitMask = (uint32_t{1} << TrieSlot::kKindShift) - 1;

// Token i's split entry: left | right << kIdBits, 36 bits at bit 36 * i.
inline constexpr int kSplitBits = 36;
static_assert(2 * kIdBits == kSplitBits);
inline constexpr uint64_t SplitEntryByte(uint32_t id) { return (uint64_t{id} * kSplitBits) / 8; }
inline constexpr int SplitEntryShift(uint32_t id) { return static_cast<int>(id & 1) * 4; }

// The pair table: a perfect hash (the PTHash construction) over the pairs of
// `split`. A pair's 64-bit hash picks a bucket from its low half; the bucket's
// pilot, chosen at build time so that no two pairs share a slot, moves the
// hash to its slot. A slot is the merged token's id and kPairFingerprintBits
// of the pair's hash: most pairs that merge into nothing are turned away by
// the fingerprint, the rest by the merged token's split entry.
inline constexpr int kPairFingerprintBits = 6;
inline constexpr int kPairSlotBits = kIdBits + kPairFingerprintBits;
inline constexpr uint64_t PairSlotsBytes(uint32_t slots) {
  return (uint64_t{slots} * kPairSlotBits + 7) / 8;
}

inline constexpr uint64_t PairKey(uint32_t left, uint32_t right) {
  return (uint64_t{left} << 32) | right;
}
// One multiply and a fold: the replay of merges looks pairs up in its inner
// loop, and this mixes well enough for the construction (which tries seeds
// until every bucket finds a pilot) and for the fingerprint.
inline uint64_t PairHash(uint32_t left, uint32_t right, uint64_t seed) {
  const uint64_t product = (PairKey(left, right) ^ seed) * 0x9e3779b97f4a7c15ULL;
  return product ^ (product >> 32);
}
inline constexpr uint32_t PairBucket(uint64_t hash, uint32_t buckets) {
  return static_cast<uint32_t>((uint64_t{static_cast<uint32_t>(hash)} * buckets) >> 32);
}
// From the hash's lowest bits: the bucket is decided by the upper bits of the
// low half and the slot by the upper half, so pairs that meet in a slot
// rarely share a fingerprint.
inline constexpr uint32_t PairFingerprint(uint64_t hash) {
  return static_cast<uint32_t>(hash) & ((uint32_t{1} << kPairFingerprintBits) - 1);
}
inline constexpr uint32_t PairSlotIndex(uint64_t hash, uint16_t pilot, uint32_t slots) {
  const uint64_t moved = hash ^ (uint64_t{pilot} * 0x9e3779b97f4a7c15ULL);
  return static_cast<uint32_t>((static_cast<unsigned __int128>(moved) * slots) >> 64);
}
inline constexpr uint32_t MakePairSlot(uint32_t id, uint32_t fingerprint) {
  return id | (fingerprint << kIdBits);
}
inline constexpr uint32_t kEmptyPairSlot = kIdMask;

}  // namespace ctxmem::context::tokenizer::internal

#endif  // CTXMEM_CONTEXT_TOKENIZER_INTERNAL_ENCODING_IMAGE_H_
