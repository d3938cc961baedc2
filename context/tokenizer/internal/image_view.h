// A checked, read-only view of an encoding image (encoding_image.h) with the
// lookups the byte-pair encoder needs. Cheap to copy; the image must outlive it.

#ifndef CTXMEM_CONTEXT_TOKENIZER_INTERNAL_IMAGE_VIEW_H_
#define CTXMEM_CONTEXT_TOKENIZER_INTERNAL_IMAGE_VIEW_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "absl/status/statusor.h"
#include "context/tokenizer/internal/encoding_image.h"

namespace ctxmem::context::tokenizer::internal {

class ImageView {
 public:
  // Checks the header and that every section lies inside [data, data + size).
  static absl::StatusOr<ImageView> Open(const void* data, size_t size);

  uint32_t token_count() const { return header_->token_count; }
  uint32_t max_token_length() const { return header_->max_token_length; }
  const ImageHeader& header() const { return *header_; }

  // The token of the single byte `byte`.
  uint32_t ByteToken(unsigned char byte) const { return byte_tokens_[byte]; }

  // The token whose bytes are exactly [data, data + size), or kNoToken: one
  // walk down the trie.
  uint32_t Find(const unsigned char* data, size_t size) const {
    if (size == 0) return kNoToken;
    uint32_t base = TrieSlot::Payload(trie_[0]);
    for (size_t i = 0;; ++i) {
      const uint32_t slot = trie_[base + data[i]];
      if (!TrieSlot::IsChild(slot, data[i])) return kNoToken;
      const uint32_t kind = TrieSlot::Kind(slot);
      if (kind >= TrieSlot::kTail) return FindInTail(slot, data + i + 1, size - i - 1);
      if (i + 1 == size) {
        return kind == TrieSlot::kBranch ? kNoToken
                                         : TokenId({static_cast<uint32_t>(size), slot});
      }
      if (kind == TrieSlot::kLeaf) return kNoToken;
      base = TrieSlot::Payload(slot);
    }
  }
  uint32_t Find(std::string_view bytes) const {
    return Find(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  }

  // A token that is a prefix of the text a trie walk started at: its length
  // and where its id is (TokenId() reads it).
  struct PrefixToken {
    uint32_t length;
    uint32_t ref;  // a kBranchToken or kLeaf slot, or a tail id's bit position
  };

  // Writes every token that is a prefix of [data, data + size) to `out`,
  // shortest first, and returns how many; `out` must have room for
  // max_token_length() entries. One walk down the trie; every single byte is
  // a token, so for size > 0 there always is one.
  size_t PrefixTokens(const unsigned char* data, size_t size, PrefixToken* out) const {
    size_t count = 0;
    uint32_t base = TrieSlot::Payload(trie_[0]);
    for (size_t i = 0; i < size; ++i) {
      const uint32_t slot = trie_[base + data[i]];
      if (!TrieSlot::IsChild(slot, data[i])) break;
      const uint32_t kind = TrieSlot::Kind(slot);
      if (kind >= TrieSlot::kTail) {
        return PrefixTokensInTail(slot, data + i + 1, size - i - 1, static_cast<uint32_t>(i + 1),
                                  out, count);
      }
      if (kind != TrieSlot::kBranch) out[count++] = {static_cast<uint32_t>(i + 1), slot};
      if (kind == TrieSlot::kLeaf) break;
      base = TrieSlot::Payload(slot);
    }
    return count;
  }
  uint32_t TokenId(PrefixToken token) const {
    switch (TrieSlot::Kind(token.ref)) {
      case TrieSlot::kLeaf:
        return TrieSlot::Payload(token.ref);
      case TrieSlot::kBranchToken:
        return trie_[TrieSlot::Payload(token.ref) + TrieSlot::kIdOffset];
      default:
        return ReadId(token.ref & kTailBitMask);
    }
  }

  // The longest token that is a prefix of [data, data + size), or kNoToken
  // for size 0.
  uint32_t LongestPrefix(const unsigned char* data, size_t size) const {
    PrefixToken tokens[256];
    const size_t count = PrefixTokens(data, size, tokens);
    return count == 0 ? kNoToken : TokenId(tokens[count - 1]);
  }

  // The two tokens BPE merged to make `id`; (id, id) if none did.
  uint32_t SplitLeft(uint32_t id) const { return SplitEntry(id) & kIdMask; }
  uint32_t SplitRight(uint32_t id) const {
    return static_cast<uint32_t>(SplitEntry(id) >> kIdBits) & kIdMask;
  }

  // The token BPE makes by merging `left` and `right` directly, or kNoToken.
  uint32_t PairLookup(uint32_t left, uint32_t right) const {
    return PairMergesBelow(left, right, kNoToken);
  }
  // PairLookup(left, right) if it is below `limit`, else kNoToken: what the
  // replay of merges asks, answered without reading the merged token's split
  // when the slot's token is not below the limit anyway.
  uint32_t PairMergesBelow(uint32_t left, uint32_t right, uint32_t limit) const {
    const uint64_t hash = PairHash(left, right, pair_seed_);
    const uint16_t pilot = pair_pilots_[PairBucket(hash, pair_buckets_)];
    const uint64_t bit = uint64_t{PairSlotIndex(hash, pilot, pair_slot_count_)} * kPairSlotBits;
    uint32_t slot;
    std::memcpy(&slot, pair_slots_ + bit / 8, sizeof(slot));
    slot = (slot >> (bit % 8)) & ((uint32_t{1} << kPairSlotBits) - 1);
    const uint32_t merged = slot & kIdMask;
    if ((slot >> kIdBits) != PairFingerprint(hash) || merged >= limit ||
        merged == kEmptyPairSlot) {
      return kNoToken;
    }
    return SplitEntry(merged) == (left | (uint64_t{right} << kIdBits)) ? merged : kNoToken;
  }

  // The token of the two bytes `first` then `second`, or kNoToken: the same
  // as Find() on them, from the byte-pair section (L1-sized).
  uint32_t BytePairToken(unsigned char first, unsigned char second) const {
    const uint32_t index = (uint32_t{first} << 8) | second;
    const uint64_t word = byte_pair_bits_[index / 64];
    const uint64_t bit = uint64_t{1} << (index % 64);
    if ((word & bit) == 0) return kNoToken;
    return byte_pair_ids_[byte_pair_before_[index / 64] + PopCount(word & (bit - 1))];
  }

  // Decode's tables, which counting never reads.
  uint32_t TokenLength(uint32_t id) const { return offsets_[id + 1] - offsets_[id]; }
  std::string_view TokenBytes(uint32_t id) const {
    return std::string_view(reinterpret_cast<const char*>(bytes_) + offsets_[id],
                            TokenLength(id));
  }

 private:
  ImageView() = default;

  // Without -mpopcnt, __builtin_popcountll is a library call; this is the
  // usual SWAR count, a dozen instructions without a branch.
  static uint32_t PopCount(uint64_t x) {
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return static_cast<uint32_t>((x * 0x0101010101010101ULL) >> 56);
  }

  // The id kIdBits wide at bit `bit` of the tails.
  uint32_t ReadId(uint32_t bit) const {
    uint32_t word;
    std::memcpy(&word, tails_ + bit / 8, sizeof(word));
    return (word >> (bit % 8)) & kIdMask;
  }
  // The tail record of a kTail-or-up slot: its path's bytes, m, and the bit
  // position of its first id.
  struct Tail {
    const unsigned char* path;
    uint32_t m;
    uint32_t ids_bit;
  };
  Tail TailOf(uint32_t slot) const {
    const uint32_t offset = TrieSlot::Payload(slot);
    const uint32_t kind = TrieSlot::Kind(slot);
    const bool explicit_length = kind == TrieSlot::kTail;
    const uint32_t m = explicit_length ? tails_[offset] : kind - TrieSlot::kTail;
    const uint32_t path = offset + (explicit_length ? 1 : 0);
    return {tails_ + path, m, (path + m + TailRecord::BitmapBytes(m)) * 8};
  }

  // Find() below a tail: `rest` must be the path's bytes up to a token.
  uint32_t FindInTail(uint32_t slot, const unsigned char* rest, size_t size) const {
    const Tail tail = TailOf(slot);
    if (size > tail.m || std::memcmp(tail.path, rest, size) != 0) return kNoToken;
    const unsigned char* bitmap = tail.path + tail.m;
    if (((bitmap[size / 8] >> (size % 8)) & 1) == 0) return kNoToken;
    // The token's ordinal: the set bits before position `size` (counted a
    // bit at a time: paths are short, and without -mpopcnt the builtin is a
    // library call).
    uint32_t k = 0;
    for (size_t j = 0; j < size; ++j) k += (bitmap[j / 8] >> (j % 8)) & 1;
    return ReadId(tail.ids_bit + k * kIdBits);
  }

  // PrefixTokens() below a tail `depth` bytes down, `count` found so far.
  size_t PrefixTokensInTail(uint32_t slot, const unsigned char* rest, size_t size,
                            uint32_t depth, PrefixToken* out, size_t count) const {
    const Tail tail = TailOf(slot);
    const unsigned char* bitmap = tail.path + tail.m;
    uint32_t bit = tail.ids_bit;
    for (uint32_t j = 0;; ++j) {
      if ((bitmap[j / 8] >> (j % 8)) & 1) {
        out[count++] = {depth + j, bit};
        bit += kIdBits;
      }
      if (j == tail.m || j == size || tail.path[j] != rest[j]) return count;
    }
  }

  uint64_t SplitEntry(uint32_t id) const {
    uint64_t word;
    std::memcpy(&word, split_ + SplitEntryByte(id), sizeof(word));
    return (word >> SplitEntryShift(id)) & ((uint64_t{1} << kSplitBits) - 1);
  }

  const ImageHeader* header_ = nullptr;
  const uint32_t* byte_tokens_ = nullptr;
  const uint32_t* trie_ = nullptr;
  const unsigned char* tails_ = nullptr;
  const unsigned char* split_ = nullptr;
  const uint16_t* pair_pilots_ = nullptr;
  uint32_t pair_buckets_ = 0;
  const unsigned char* pair_slots_ = nullptr;
  uint32_t pair_slot_count_ = 0;
  uint64_t pair_seed_ = 0;
  const uint64_t* byte_pair_bits_ = nullptr;
  const uint16_t* byte_pair_before_ = nullptr;
  const uint32_t* byte_pair_ids_ = nullptr;
  const uint32_t* offsets_ = nullptr;
  const unsigned char* bytes_ = nullptr;
};

}  // namespace ctxmem::context::tokenizer::internal

#endif  // CTXMEM_CONTEXT_TOKENIZER_INTERNAL_IMAGE_VIEW_H_
