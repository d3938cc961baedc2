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
      if (offsets_[id + 1] - begin == size && std::memcmp(bytes_ + begin, data, size) == 0) {
        return id;
      }
    }
  }
  uint32_t Find(std::string_view bytes) const {
    return Find(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  }

  // The longest token that is a prefix of [data, data + size); size > 0.
  // Every single byte is a token, so there always is one.
  uint32_t LongestPrefix(const unsigned char* data, size_t size) const {
    uint32_t base = TrieSlot::Base(trie_[0]);
    size_t best = 0;
    for (size_t i = 0; i < size; ++i) {
      const uint32_t next = base + data[i];
      if (next >= trie_slots_) break;
      const uint32_t slot = trie_[next];
      if (!TrieSlot::Used(slot) || TrieSlot::Label(slot) != data[i]) break;
      if (TrieSlot::Token(slot)) best = i + 1;
      base = TrieSlot::Base(slot);
    }
    return best == 0 ? kNoToken : Find(data, best);
  }

  uint32_t NextPrefix(uint32_t id) const { return next_prefix_[id]; }
  uint32_t SplitLeft(uint32_t id) const { return split_[2 * id]; }
  uint32_t SplitRight(uint32_t id) const { return split_[2 * id + 1]; }

  // The token BPE makes by merging `left` and `right` directly, or kNoToken.
  uint32_t PairLookup(uint32_t left, uint32_t right) const {
    const uint64_t hash = MixTokenHash(PairKey(left, right));
    const uint32_t tag = SlotTag(hash);
    for (uint32_t i = static_cast<uint32_t>(hash) & pair_mask_;; i = (i + 1) & pair_mask_) {
      const uint32_t slot = pairs_[i];
      if (slot == kEmptySlot) return kNoToken;
      if ((slot >> kIdBits) != tag) continue;
      const uint32_t merged = slot & kIdMask;
      if (split_[2 * merged] == left && split_[2 * merged + 1] == right) return merged;
    }
  }

 private:
  ImageView() = default;

  const ImageHeader* header_ = nullptr;
  const uint32_t* offsets_ = nullptr;
  const unsigned char* bytes_ = nullptr;
  const uint32_t* hash_ = nullptr;
  uint32_t hash_mask_ = 0;
  const uint32_t* split_ = nullptr;
  const uint32_t* next_prefix_ = nullptr;
  const uint32_t* trie_ = nullptr;
  uint32_t trie_slots_ = 0;
  const uint32_t* pairs_ = nullptr;
  uint32_t pair_mask_ = 0;
};

}  // namespace ctxmem::context::tokenizer::internal

#endif  // CTXMEM_CONTEXT_TOKENIZER_INTERNAL_IMAGE_VIEW_H_
