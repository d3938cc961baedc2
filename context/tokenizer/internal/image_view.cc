#include "context/tokenizer/internal/image_view.h"

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ctxmem::context::tokenizer::internal {
namespace {

bool SectionFits(uint64_t offset, uint64_t bytes, uint64_t size) {
  return offset % 64 == 0 && offset <= size && bytes <= size - offset;
}

}  // namespace

absl::StatusOr<ImageView> ImageView::Open(const void* data, size_t size) {
  if (data == nullptr || size < sizeof(ImageHeader) ||
      reinterpret_cast<uintptr_t>(data) % 64 != 0) {
    return absl::DataLossError("encoding image is missing, truncated or misaligned");
  }
  const auto* header = static_cast<const ImageHeader*>(data);
  if (std::memcmp(header->magic, kImageMagic, sizeof(kImageMagic)) != 0 ||
      header->version != kImageVersion) {
    return absl::DataLossError("encoding image has the wrong magic or version");
  }
  const uint64_t n = header->token_count;
  if (n == 0 || n > kMaxTokens || header->total_size != size || header->hash_bits > 31 ||
      header->hash_bits < 1 || (uint64_t{1} << header->hash_bits) <= n ||
      header->trie_slots == 0 || header->trie_slots > TrieSlot::kBaseMask ||
      !SectionFits(header->byte_tokens_offset, 256 * 4, size) ||
      !SectionFits(header->ascii_pairs_offset, (1 << 14) * 4, size) ||
      !SectionFits(header->offsets_offset, (n + 1) * 4, size) ||
      !SectionFits(header->bytes_offset, header->token_bytes_size, size) ||
      !SectionFits(header->hash_offset, (uint64_t{1} << header->hash_bits) * 4, size) ||
      !SectionFits(header->split_offset, SplitEntryByte(static_cast<uint32_t>(n)) + 16, size) ||
      !SectionFits(header->trie_offset, uint64_t{header->trie_slots} * 4, size) ||
      header->pair_bits < 1 || header->pair_bits > 31 ||
      !SectionFits(header->pair_offset, (uint64_t{1} << header->pair_bits) * 4, size) ||
      header->pair_filter_words_log2 > kMaxPairFilterWordsLog2 ||
      !SectionFits(header->pair_filter_offset, (uint64_t{8} << header->pair_filter_words_log2),
                   size)) {
    return absl::DataLossError(absl::StrCat("encoding image header is inconsistent (", n,
                                            " tokens, ", size, " bytes)"));
  }
  const auto* base = static_cast<const unsigned char*>(data);
  ImageView view;
  view.header_ = header;
  view.byte_tokens_ = reinterpret_cast<const uint32_t*>(base + header->byte_tokens_offset);
  view.ascii_pairs_ = reinterpret_cast<const uint32_t*>(base + header->ascii_pairs_offset);
  view.offsets_ = reinterpret_cast<const uint32_t*>(base + header->offsets_offset);
  view.bytes_ = base + header->bytes_offset;
  view.hash_ = reinterpret_cast<const uint32_t*>(base + header->hash_offset);
  view.hash_mask_ = (1u << header->hash_bits) - 1;
  view.split_ = base + header->split_offset;
  view.trie_ = reinterpret_cast<const uint32_t*>(base + header->trie_offset);
  view.pairs_ = reinterpret_cast<const uint32_t*>(base + header->pair_offset);
  view.pair_mask_ = (1u << header->pair_bits) - 1;
  view.trie_slots_ = header->trie_slots;
  view.pair_filter_ = reinterpret_cast<const uint64_t*>(base + header->pair_filter_offset);
  view.pair_filter_words_log2_ = header->pair_filter_words_log2;
  // Only the header and the ends of the offsets are checked: the image comes
  // from this build (compiled from a rank file whose sha256 the build pinned),
  // not from user input, and walking every table here would fault all of its
  // pages in at load time, which is what embedding it avoids.
  if (view.offsets_[0] != 0 || view.offsets_[n] != header->token_bytes_size) {
    return absl::DataLossError("encoding image offsets are inconsistent");
  }
  if (header->max_token_length > 255) {
    return absl::DataLossError("encoding image has tokens longer than 255 bytes");
  }
  return view;
}

}  // namespace ctxmem::context::tokenizer::internal
