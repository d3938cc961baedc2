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
#include "context/tokenizer/internal/token_hash.h"

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

  // Find(data, 2).
  uint32_t FindTwoBytes(const unsigned char* data) const {
    if ((data[0] | data[1]) < 0x80) return ascii_pairs_[data[0] | (uint32_t{data[1]} << 7)];
    return Find(data, 2);
  }

  uint32_t TokenLength(uint32_t id) const { return offsets_[id + 1] - offsets_[id]; }
  std::string_view TokenBytes(uint32_t id) const {
    return std::string_view(reinterpret_cast<const char*>(bytes_) + offsets_[id],
                            TokenLength(id));
  }

  // The token whose bytes are exactly [data, data + size), or kNoToken.
  uint32_t Find(const unsigned char* data, size_t size) const {
    return FindHashed(data, size, HashTokenBytes(data, size));
  }
  // Find() for a caller that already has HashTokenBytes(data, size).
  uint32_t FindHashed(const unsigned char* data, size_t size, uint64_t hash) const {
    const uint32_t tag = SlotTag(hash);
    for (uint32_t i = static_cast<uint32_t>(hash) & hash_mask_;; i = (i + 1) & hash_mask_) {
      const uint32_t slot = hash_[i];
      if (slot == kEmptySlot) return kNoToken;
      if ((slot >> kIdBits) != tag) continue;
      const uint32_t id = slot & kIdMask;
      const uint32_t begin = offsets_[id];
      if (offsets_[id + 1] - begin == size && SameBytes(bytes_ + begin, data, size)) return id;
    }
  }
  uint32_t Find(std::string_view bytes) const {
    return Find(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  }

  // A token that is a prefix of the text a trie walk started at: its length
  // and its trie slot (TokenId() reads its id from there).
  struct PrefixToken {
    uint32_t length;
    uint32_t slot;
  };

  // Writes every token that is a prefix of [data, data + size) to `out`,
  // shortest first, and returns how many; `out` must have room for
  // max_token_length() entries. One walk down the trie; every single byte is
  // a token, so for size > 0 there always is one.
  size_t PrefixTokens(const unsigned char* data, size_t size, PrefixToken* out) const {
    size_t count = 0;
    uint32_t base = TrieSlot::Base(trie_[0]);
    for (size_t i = 0; i < size; ++i) {
      const uint32_t next = base + data[i];
      if (next >= trie_slots_) break;
      const uint32_t slot = trie_[next];
      if (!TrieSlot::IsChild(slot, data[i])) break;
      const uint32_t kind = TrieSlot::Kind(slot);
      if (kind != TrieSlot::kBranch) out[count++] = {static_cast<uint32_t>(i + 1), slot};
      if (kind == TrieSlot::kLeaf) break;
      base = TrieSlot::Base(slot);
    }
    return count;
  }
  uint32_t TokenId(PrefixToken token) const {
    const uint32_t base = TrieSlot::Base(token.slot);
    return TrieSlot::Kind(token.slot) == TrieSlot::kLeaf ? base
                                                        : trie_[base + TrieSlot::kIdOffset];
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
    const uint64_t hash = MixTokenHash(PairKey(left, right));
    const uint64_t bits = PairFilterBits(hash);
    if ((pair_filter_[PairFilterWord(hash, pair_filter_words_log2_)] & bits) != bits) {
      return kNoToken;
    }
    const uint64_t want = left | (uint64_t{right} << kIdBits);
    const uint32_t tag = SlotTag(hash);
    for (uint32_t i = static_cast<uint32_t>(hash) & pair_mask_;; i = (i + 1) & pair_mask_) {
      const uint32_t slot = pairs_[i];
      if (slot == kEmptySlot) return kNoToken;
      if ((slot >> kIdBits) != tag) continue;
      const uint32_t merged = slot & kIdMask;
      if (SplitEntry(merged) == want) return merged;
    }
  }

 private:
  ImageView() = default;

  // memcmp(a, b, size) == 0, inline for the short keys that most lookups
  // have (a library call costs more than comparing a few bytes).
  static bool SameBytes(const unsigned char* a, const unsigned char* b, size_t size) {
    if (size > 16) return std::memcmp(a, b, size) == 0;
    for (size_t i = 0; i < size; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }

  uint64_t SplitEntry(uint32_t id) const {
    uint64_t word;
    std::memcpy(&word, split_ + SplitEntryByte(id), sizeof(word));
    return (word >> SplitEntryShift(id)) & ((uint64_t{1} << kSplitBits) - 1);
  }

  const ImageHeader* header_ = nullptr;
  const uint32_t* byte_tokens_ = nullptr;
  const uint32_t* ascii_pairs_ = nullptr;
  const uint32_t* offsets_ = nullptr;
  const unsigned char* bytes_ = nullptr;
  const uint32_t* hash_ = nullptr;
  uint32_t hash_mask_ = 0;
  const unsigned char* split_ = nullptr;
  const uint32_t* trie_ = nullptr;
  uint32_t trie_slots_ = 0;
  const uint32_t* pairs_ = nullptr;
  uint32_t pair_mask_ = 0;
  const uint64_t* pair_filter_ = nullptr;
  uint32_t pair_filter_words_log2_ = 0;
};

}  // namespace ctxmem::context::tokenizer::internal

#endif  // CTXMEM_CONTEXT_TOKENIZER_INTERNAL_IMAGE_VIEW_H_
