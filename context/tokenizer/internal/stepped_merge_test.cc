#include "context/tokenizer/internal/stepped_merge.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "context/tokenizer/byte_pair_encoder.h"
#include "context/tokenizer/internal/embedded_images.h"
#include "context/tokenizer/internal/random_pieces.h"
#include "gtest/gtest.h"

namespace ctxmem::context::tokenizer::internal {
namespace {

// Random pieces of 1..max_bytes bytes of every kind (random_pieces.h).
std::vector<std::string> RandomPieces(const ImageView& image, size_t max_bytes, int count,
                                      uint32_t seed) {
  std::mt19937 rng(seed);
  const std::string alphabets[] = {"abcdefghijklmnopqrstuvwxyz", "aAbBeEiInNoOsStT",
                                   "=-+*/<>.,;:!?", "0123456789", " \t\n\r", "ab"};
  std::vector<std::string> pieces;
  for (int round = 0; round < count; ++round) {
    const size_t length = 1 + rng() % max_bytes;
    constexpr PieceKind kKinds[] = {PieceKind::kBytes, PieceKind::kGluedTokens,
                                     PieceKind::kAlphabet};
    pieces.push_back(RandomPiece(rng, image, length, kKinds[round % 3], alphabets));
  }
  return pieces;
}

template <size_t kLanes>
void ExpectMergeLoopsAgree(const ImageView& image) {
  const BytePairEncoder encoder(image);
  const std::vector<std::string> pieces = RandomPieces(image, kLanes, 4000, kLanes);
  // One at a time, and in groups of one to four run interleaved: each must
  // give tiktoken's merge loop's ids, and lengths that add up to its bytes.
  for (size_t group = 1; group <= 4; ++group) {
    for (size_t first = 0; first + group <= pieces.size(); first += group) {
      SteppedMerge<kLanes> merges[4];
      for (size_t k = 0; k < group; ++k) {
        const std::string& piece = pieces[first + k];
        merges[k].Start(image, reinterpret_cast<const unsigned char*>(piece.data()), piece.size());
      }
      RunInterleaved<kLanes, 4>(image, merges, group);
      for (size_t k = 0; k < group; ++k) {
        const std::string& piece = pieces[first + k];
        std::vector<uint32_t> expected;
        encoder.EncodeByMergeLoop(piece, expected);
        uint32_t ids[kLanes];
        uint8_t lengths[kLanes];
        const size_t parts = merges[k].Finish(ids, lengths);
        ASSERT_EQ(std::vector<uint32_t>(ids, ids + parts), expected) << absl::CEscape(piece);
        size_t at = 0;
        for (size_t i = 0; i < parts; ++i) {
          ASSERT_EQ(piece.substr(at, lengths[i]), image.TokenBytes(ids[i])) << absl::CEscape(piece);
          at += lengths[i];
        }
        ASSERT_EQ(at, piece.size());
      }
    }
  }
}

class SteppedMergeTest : public ::testing::TestWithParam<absl::StatusOr<ImageView> (*)()> {};

TEST_P(SteppedMergeTest, AgreesWithTheMergeLoopAtEveryWidth) {
  absl::StatusOr<ImageView> image = GetParam()();
  ASSERT_TRUE(image.ok()) << image.status();
  ExpectMergeLoopsAgree<4>(*image);
  ExpectMergeLoopsAgree<16>(*image);
  ExpectMergeLoopsAgree<64>(*image);
}

TEST_P(SteppedMergeTest, FullWidthAndSingleByte) {
  absl::StatusOr<ImageView> image = GetParam()();
  ASSERT_TRUE(image.ok()) << image.status();
  const BytePairEncoder encoder(*image);
  // 64 bytes fill every lane and every bit of the part starts.
  for (const std::string& piece : {std::string(64, 'a'), std::string(64, '\xff'),
                                  std::string("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,")}) {
    SteppedMerge<64> merge;
    merge.Start(*image, reinterpret_cast<const unsigned char*>(piece.data()), piece.size());
    while (merge.Step(*image)) {
    }
    std::vector<uint32_t> expected;
    encoder.EncodeByMergeLoop(piece, expected);
    uint32_t ids[64];
    uint8_t lengths[64];
    const size_t parts = merge.Finish(ids, lengths);
    ASSERT_EQ(std::vector<uint32_t>(ids, ids + parts), expected) << absl::CEscape(piece);
    size_t bytes = 0;
    for (size_t i = 0; i < parts; ++i) bytes += lengths[i];
    EXPECT_EQ(bytes, piece.size()) << absl::CEscape(piece);
  }
  SteppedMerge<4> single;
  const unsigned char byte = 'x';
  single.Start(*image, &byte, 1);
  EXPECT_FALSE(single.Step(*image));
  uint32_t id;
  uint8_t length;
  ASSERT_EQ(single.Finish(&id, &length), 1u);
  EXPECT_EQ(id, image->ByteToken('x'));
  EXPECT_EQ(length, 1u);
}

INSTANTIATE_TEST_SUITE_P(Encodings, SteppedMergeTest,
                         ::testing::Values(&OpenO200kBaseImage, &OpenCl100kBaseImage));

}  // namespace
}  // namespace ctxmem::context::tokenizer::internal
