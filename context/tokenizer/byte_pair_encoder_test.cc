#include "context/tokenizer/byte_pair_encoder.h"

#include <cstdint>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "context/tokenizer/internal/embedded_images.h"
#include "context/tokenizer/internal/random_pieces.h"
#include "gtest/gtest.h"

namespace ctxmem::context::tokenizer {
namespace {

using internal::ImageView;

struct Named {
  const char* name;
  absl::StatusOr<ImageView> (*open)();
  uint32_t token_count;
  const char* rank_file;
};

class BytePairEncoderTest : public ::testing::TestWithParam<Named> {
 protected:
  void SetUp() override {
    absl::StatusOr<ImageView> image = GetParam().open();
    ASSERT_TRUE(image.ok()) << image.status();
    encoder_.emplace(*image);
  }

  std::string Decode(const std::vector<uint32_t>& ids) const {
    std::string text;
    for (uint32_t id : ids) text += encoder_->image().TokenBytes(id);
    return text;
  }

  std::vector<uint32_t> Merge(const std::string& piece) const {
    std::vector<uint32_t> ids;
    encoder_->EncodeByMergeLoop(piece, ids);
    return ids;
  }
  std::vector<uint32_t> Backtrack(const std::string& piece) const {
    std::vector<uint32_t> ids;
    encoder_->EncodeByBacktracking(piece, ids);
    return ids;
  }

  std::optional<BytePairEncoder> encoder_;
};

TEST_P(BytePairEncoderTest, ImageHasEveryTokenAndByte) {
  const ImageView& image = encoder_->image();
  EXPECT_EQ(image.token_count(), GetParam().token_count);
  for (int byte = 0; byte < 256; ++byte) {
    const unsigned char b = static_cast<unsigned char>(byte);
    const uint32_t id = image.Find(&b, 1);
    ASSERT_NE(id, internal::kNoToken) << byte;
    EXPECT_EQ(image.TokenBytes(id), std::string(1, static_cast<char>(b)));
    EXPECT_EQ(image.ByteToken(b), id) << byte;
  }
  // Every token is found by its bytes, and nothing else is: two-byte strings
  // and each token with a byte added or removed are tokens exactly when the
  // rank file (Decode's tables) says so.
  absl::flat_hash_map<std::string_view, uint32_t> tokens;
  for (uint32_t id = 0; id < image.token_count(); ++id) {
    tokens.emplace(image.TokenBytes(id), id);
    ASSERT_EQ(image.Find(image.TokenBytes(id)), id);
  }
  auto expected = [&](std::string_view bytes) {
    auto it = tokens.find(bytes);
    return it == tokens.end() ? internal::kNoToken : it->second;
  };
  for (int pair = 0; pair < 65536; ++pair) {
    const char two[2] = {static_cast<char>(pair), static_cast<char>(pair >> 8)};
    ASSERT_EQ(image.Find(std::string_view(two, 2)), expected(std::string_view(two, 2))) << pair;
  }
  for (uint32_t id = 0; id < image.token_count(); ++id) {
    const std::string bytes(image.TokenBytes(id));
    const std::string shorter = bytes.substr(0, bytes.size() - 1);
    ASSERT_EQ(image.Find(shorter), expected(shorter)) << id;
    const std::string longer = bytes + static_cast<char>(id * 31);
    ASSERT_EQ(image.Find(longer), expected(longer)) << id;
  }
  EXPECT_EQ(image.Find(std::string(300, 'q')), internal::kNoToken);
  EXPECT_EQ(image.Find(std::string_view()), internal::kNoToken);
}

// The resident-memory budget, held by the layout itself: everything counting
// reads lies before Decode's sections, which start (and the image ends) on a
// 64 KiB boundary of the address space, so even with every one of those pages
// mapped, and the kernel's 64 KiB fault-around, counting maps at most the
// rank file's own size of the image.
TEST_P(BytePairEncoderTest, CountingSectionsFitInTheRankFilesSize) {
  const internal::ImageHeader& header = encoder_->image().header();
  std::ifstream rank_file(GetParam().rank_file, std::ios::binary | std::ios::ate);
  ASSERT_TRUE(rank_file.good()) << GetParam().rank_file;
  const auto rank_file_size = static_cast<uint64_t>(rank_file.tellg());
  EXPECT_LE(header.offsets_offset, rank_file_size);
  EXPECT_EQ(header.offsets_offset % internal::kDecodeSectionAlignment, 0u);
  EXPECT_EQ(header.total_size % internal::kDecodeSectionAlignment, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(&header) % internal::kDecodeSectionAlignment, 0u);
  EXPECT_LT(header.byte_pairs_offset, header.offsets_offset);
  EXPECT_LT(header.tails_offset, header.offsets_offset);
  EXPECT_LT(header.split_offset, header.offsets_offset);
  EXPECT_LT(header.pair_slots_offset, header.offsets_offset);
  EXPECT_GT(header.bytes_offset, header.offsets_offset);
}

TEST_P(BytePairEncoderTest, BytePairSectionAgreesWithTheTrie) {
  const ImageView& image = encoder_->image();
  size_t tokens = 0;
  for (int first = 0; first < 256; ++first) {
    for (int second = 0; second < 256; ++second) {
      const unsigned char pair[2] = {static_cast<unsigned char>(first),
                                     static_cast<unsigned char>(second)};
      const uint32_t id = image.Find(pair, 2);
      ASSERT_EQ(image.BytePairToken(pair[0], pair[1]), id) << first << " " << second;
      tokens += id != internal::kNoToken;
    }
  }
  EXPECT_EQ(tokens, image.header().byte_pair_count);
}

TEST_P(BytePairEncoderTest, PairTableInvertsSplits) {
  const ImageView& image = encoder_->image();
  absl::flat_hash_map<uint64_t, uint32_t> pairs;
  for (uint32_t id = 0; id < image.token_count(); ++id) {
    const uint32_t left = image.SplitLeft(id), right = image.SplitRight(id);
    if (left == id) {
      ASSERT_EQ(right, id);
      continue;
    }
    ASSERT_LT(left, id);
    ASSERT_LT(right, id);
    ASSERT_EQ(std::string(image.TokenBytes(left)) + std::string(image.TokenBytes(right)),
              image.TokenBytes(id));
    ASSERT_EQ(image.PairLookup(left, right), id);
    pairs.emplace(internal::PairKey(left, right), id);
  }
  // Pairs that are no split, a million of them, merge into nothing.
  std::mt19937 rng(5);
  for (int round = 0; round < 1'000'000; ++round) {
    const uint32_t left = rng() % image.token_count(), right = rng() % image.token_count();
    auto it = pairs.find(internal::PairKey(left, right));
    ASSERT_EQ(image.PairLookup(left, right), it == pairs.end() ? internal::kNoToken : it->second);
  }
}

TEST_P(BytePairEncoderTest, LongestPrefixMatchesBruteForce) {
  const ImageView& image = encoder_->image();
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    // Text that starts with a real token and continues with another one.
    std::string text = std::string(image.TokenBytes(rng() % image.token_count())) +
                       std::string(image.TokenBytes(rng() % image.token_count()));
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    uint32_t expected = internal::kNoToken;
    for (size_t length = 1; length <= text.size(); ++length) {
      if (const uint32_t id = image.Find(p, length); id != internal::kNoToken) expected = id;
    }
    ASSERT_EQ(image.LongestPrefix(p, text.size()), expected) << text;
  }
}

TEST_P(BytePairEncoderTest, StrategiesAgreeOnEveryTokensBytes) {
  const ImageView& image = encoder_->image();
  for (uint32_t id = 0; id < image.token_count(); ++id) {
    const std::string bytes(image.TokenBytes(id));
    ASSERT_EQ(Merge(bytes), Backtrack(bytes)) << "token " << id;
  }
}

TEST_P(BytePairEncoderTest, StrategiesAgreeOnRandomPieces) {
  const ImageView& image = encoder_->image();
  std::mt19937 rng(11);
  const std::string alphabets[] = {"ab", "abc ", "0123456789", "aeiou lrst", " \t\n",
                                   "\xe4\xb8\x80\xe4\xba\x8c", "=-+*/<>"};
  for (int round = 0; round < 3000; ++round) {
    const size_t length = 1 + rng() % 200;
    const std::string piece = internal::RandomPiece(
        rng, image, length,
        round % 3 == 0 ? internal::PieceKind::kGluedTokens : internal::PieceKind::kAlphabet,
        alphabets);
    const std::vector<uint32_t> merged = Merge(piece);
    ASSERT_EQ(merged, Backtrack(piece)) << "round " << round;
    ASSERT_EQ(Decode(merged), piece);
  }
}

TEST_P(BytePairEncoderTest, ShortPiecesAgreeWithMergeLoop) {
  const ImageView& image = encoder_->image();
  constexpr size_t kShort = BytePairEncoder::kShortPieceBytes;
  auto check = [&](const std::string& piece) {
    std::vector<uint32_t> ids;
    encoder_->EncodeShortPiece(piece, ids);
    ASSERT_EQ(ids, Merge(piece)) << absl::CEscape(piece);
  };
  // The bytes of every short token, where the last merge must be found.
  for (uint32_t id = 0; id < image.token_count(); ++id) {
    if (image.TokenLength(id) <= kShort) check(std::string(image.TokenBytes(id)));
  }
  // Every two-byte string, and random short pieces: of arbitrary bytes, of
  // letters and punctuation, and of tokens glued together.
  for (int pair = 0; pair < 65536; ++pair) {
    check(std::string{static_cast<char>(pair), static_cast<char>(pair >> 8)});
  }
  std::mt19937 rng(13);
  const std::string alphabets[] = {"abcdefghijklmnopqrstuvwxyz", "aAbBeEiInNoOsStT", "=-+*/<>.,;:!?",
                                   "0123456789", " \t\n\r"};
  for (int round = 0; round < 200'000; ++round) {
    const size_t length = 1 + rng() % kShort;
    // Half from the alphabets, a quarter each of bytes and glued tokens.
    constexpr internal::PieceKind kKinds[] = {
        internal::PieceKind::kBytes, internal::PieceKind::kGluedTokens,
        internal::PieceKind::kAlphabet, internal::PieceKind::kAlphabet};
    check(internal::RandomPiece(rng, image, length, kKinds[round % 4], alphabets));
  }
}

TEST_P(BytePairEncoderTest, ChunksAgreeWithMergeLoopAndBacktracking) {
  const ImageView& image = encoder_->image();
  auto chunks = [&](const std::string& piece) {
    std::vector<uint32_t> ids;
    encoder_->EncodeByChunks(piece, ids);
    return ids;
  };
  // Pieces around and across chunk boundaries, from many alphabets and from
  // glued tokens, against tiktoken's merge loop.
  std::mt19937 rng(17);
  const std::string alphabets[] = {"abcdefghijklmnopqrstuvwxyz", "aAbBeEiInNoOsStT", "=-+*/<>.,;:!?",
                                   "0123456789", "ab", "\xe4\xb8\x80\xe4\xba\x8c\xe4\xb8\x89"};
  for (int round = 0; round < 6000; ++round) {
    const size_t length = 1 + rng() % 400;
    constexpr internal::PieceKind kKinds[] = {internal::PieceKind::kGluedTokens,
                                              internal::PieceKind::kBytes,
                                              internal::PieceKind::kAlphabet};
    const std::string piece =
        internal::RandomPiece(rng, image, length, kKinds[round % 3], alphabets);
    ASSERT_EQ(chunks(piece), Merge(piece)) << "round " << round;
  }
  // Long pieces, against the backtracking encoder (the merge loop is too slow).
  for (const std::string& alphabet : alphabets) {
    std::string piece;
    while (piece.size() < 50'000) piece += alphabet[rng() % alphabet.size()];
    ASSERT_EQ(chunks(piece), Backtrack(piece)) << alphabet;
  }
}

TEST_P(BytePairEncoderTest, LongPiecesAreLinearAndRoundTrip) {
  std::string letters;
  std::mt19937 rng(3);
  for (int i = 0; i < 100'000; ++i) letters += static_cast<char>('a' + rng() % 26);
  for (const std::string& piece :
       {letters, std::string(100'000, 'x'), std::string(1'500, ' '), std::string(5'000, '7')}) {
    std::vector<uint32_t> ids;
    encoder_->EncodePiece(piece, ids);
    EXPECT_EQ(Decode(ids), piece);
    EXPECT_EQ(encoder_->CountPiece(piece), ids.size());
  }
  // A long piece must agree with tiktoken's own merge loop too.
  const std::string prefix = letters.substr(0, 600);
  EXPECT_EQ(Merge(prefix), Backtrack(prefix));
}

// Long runs of one byte take a shortcut (EncodeRun) in the backtracking
// encoder; with text before and after them they must still agree with
// tiktoken's merge loop, for every length modulo the repeated token's.
TEST_P(BytePairEncoderTest, RunsOfOneByteAgreeWithMergeLoop) {
  std::mt19937 rng(13);
  const std::string bytes = "=\t -*x0#/\n.~_";
  const std::string around = "ab=- \t\n*x.0#";
  for (int round = 0; round < 160; ++round) {
    const char c = bytes[round % bytes.size()];
    std::string piece;
    for (size_t i = rng() % 4 == 0 ? 0 : rng() % 40; i > 0; --i) piece += around[rng() % around.size()];
    piece += std::string(256 + rng() % 1800, c);
    for (size_t i = rng() % 4 == 0 ? 0 : rng() % 40; i > 0; --i) piece += around[rng() % around.size()];
    ASSERT_EQ(Backtrack(piece), Merge(piece)) << "round " << round << ", byte " << int{c};
  }
  // A piece that is one run, and one with two runs.
  for (const std::string& piece : {std::string(20'000, '='), std::string(3000, '\t'),
                                   std::string(900, '-') + "ab" + std::string(1300, '=')}) {
    ASSERT_EQ(Backtrack(piece), Merge(piece)) << piece.size();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Encodings, BytePairEncoderTest,
    ::testing::Values(Named{"o200k_base", &internal::OpenO200kBaseImage, 199'998,
                            "third_party/tiktoken/o200k_base.tiktoken"},
                      Named{"cl100k_base", &internal::OpenCl100kBaseImage, 100'256,
                            "third_party/tiktoken/cl100k_base.tiktoken"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace ctxmem::context::tokenizer
