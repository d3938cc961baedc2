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
  // The readers load whole words past the last entry of the packed sections,
  // which the compiler pads: 4 bytes for tails and pair slots, 8 for split.
  if (n == 0 || n > kMaxTokens || header->total_size != size ||
      header->max_token_length == 0 || header->max_token_length > 255 ||
      header->trie_slots == 0 || header->trie_slots > TrieSlot::kPayloadMask ||
      header->tail_bytes > kTailBitMask / 8 || header->pair_buckets == 0 ||
      header->pair_slots < n / 2 ||
      !SectionFits(header->byte_tokens_offset, 256 * 4, size) ||
      header->byte_pair_count > 65536 ||
      !SectionFits(header->byte_pairs_offset, BytePairSection::Bytes(header->byte_pair_count),
                   size) ||
      !SectionFits(header->trie_offset, uint64_t{header->trie_slots} * 4, size) ||
      !SectionFits(header->tails_offset, uint64_t{header->tail_bytes} + 4, size) ||
      !SectionFits(header->split_offset, SplitEntryByte(static_cast<uint32_t>(n)) + 8, size) ||
      !SectionFits(header->pair_pilots_offset, uint64_t{header->pair_buckets} * 2, size) ||
      !SectionFits(header->pair_slots_offset,
                   PairSlotsBytes(header->pair_slots) + 4, size) ||
      !SectionFits(header->offsets_offset, (n + 1) * 4, size) ||
      !SectionFits(header->bytes_offset, header->token_bytes_size, size)) {
    return absl::DataLossError(absl::StrCat("encoding image header is inconsistent (", n,
                                            " tokens, ", size, " bytes)"));
  }
  const auto* base = static_cast<const unsigned char*>(data);
  ImageView view;
  view.header_ = header;
  view.byte_tokens_ = reinterpret_cast<const uint32_t*>(base + header->byte_tokens_offset);
  const unsigned char* byte_pairs = base + header->byte_pairs_offset;
  view.byte_pair_bits_ =
      reinterpret_cast<const uint64_t*>(byte_pairs + BytePairSection::kBitsOffset);
  view.byte_pair_before_ =
      reinterpret_cast<const uint16_t*>(byte_pairs + BytePairSection::kBeforeOffset);
  view.byte_pair_ids_ = reinterpret_cast<const uint32_t*>(byte_pairs + BytePairSection::kIdsOffset);
  view.trie_ = reinterpret_cast<const uint32_t*>(base + header->trie_offset);
  view.tails_ = base + header->tails_offset;
  view.split_ = base + header->split_offset;
  view.pair_pilots_ = reinterpret_cast<const uint16_t*>(base + header->pair_pilots_offset);
  view.pair_buckets_ = header->pair_buckets;
  view.pair_slots_ = base + header->pair_slots_offset;
  view.pair_slot_count_ = header->pair_slots;
  view.pair_seed_ = header->pair_seed;
  view.offsets_ = reinterpret_cast<const uint32_t*>(base + header->offsets_offset);
  view.bytes_ = base + header->bytes_offset;
  // Only the header is checked: the image comes from this build (compiled
  // from a rank file whose sha256 the build pinned, and read back token by
  // token through this very reader by the compiler), not from user input,
  // and touching the tables here would fault their pages in at load time,
  // which is what embedding the image avoids.
  return view;
}

}  // namespace ctxmem::context::tokenizer::internal
