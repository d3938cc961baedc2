#include "context/tokenizer/unicode_classes.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace ctxmem::context::tokenizer {
namespace {

using namespace char_class;

TEST(UnicodeClassesTest, Letters) {
  EXPECT_EQ(CharClassOf('A'), kLetter | kUpperish);
  EXPECT_EQ(CharClassOf('z'), kLetter | kLowerish);
  EXPECT_EQ(CharClassOf(0x00E9), kLetter | kLowerish);             // é (Ll)
  EXPECT_EQ(CharClassOf(0x01C5), kLetter | kUpperish);             // ǅ (Lt)
  EXPECT_EQ(CharClassOf(0x02B0), kLetter | kUpperish | kLowerish); // ʰ (Lm)
  EXPECT_EQ(CharClassOf(0x4E00), kLetter | kUpperish | kLowerish); // 一 (Lo)
  EXPECT_EQ(CharClassOf(0x20000), kLetter | kUpperish | kLowerish);
  EXPECT_EQ(CharClassOf(0x212A), kLetter | kUpperish);             // Kelvin sign (Lu)
}

TEST(UnicodeClassesTest, MarksAreBothCaseGroupsButNotLetters) {
  for (uint32_t mark : {0x0301u, 0x0903u, 0x20E3u, 0xFE0Fu, 0xE0100u}) {  // Mn, Mc, Me
    EXPECT_EQ(CharClassOf(mark), kUpperish | kLowerish) << std::hex << mark;
  }
}

TEST(UnicodeClassesTest, Numbers) {
  EXPECT_EQ(CharClassOf('7'), kNumber);
  EXPECT_EQ(CharClassOf(0x0663), kNumber);   // Arabic-Indic 3 (Nd)
  EXPECT_EQ(CharClassOf(0x2160), kNumber);   // Ⅰ (Nl)
  EXPECT_EQ(CharClassOf(0x00BD), kNumber);   // ½ (No)
  EXPECT_EQ(CharClassOf(0x1D7CE), kNumber);  // mathematical bold 0
}

TEST(UnicodeClassesTest, WhiteSpaceIsTheUnicodeProperty) {
  for (uint32_t space : {0x09u, 0x0Bu, 0x0Cu, 0x20u, 0x85u, 0xA0u, 0x1680u, 0x2000u, 0x200Au,
                         0x2028u, 0x2029u, 0x202Fu, 0x205Fu, 0x3000u}) {
    EXPECT_EQ(CharClassOf(space), kSpace) << std::hex << space;
  }
  EXPECT_EQ(CharClassOf('\n'), kSpace | kNewline);
  EXPECT_EQ(CharClassOf('\r'), kSpace | kNewline);
  // Not White_Space: BOM, zero-width space, Mongolian vowel separator, ZWJ.
  for (uint32_t other : {0xFEFFu, 0x200Bu, 0x180Eu, 0x200Du, 0x1Cu}) {
    EXPECT_EQ(CharClassOf(other), 0) << std::hex << other;
  }
}

TEST(UnicodeClassesTest, UnicodeSixteen) {
  EXPECT_EQ(CharClassOf(0x10D50), kLetter | kUpperish);  // Garay Lu, new in 16.0
  EXPECT_EQ(CharClassOf(0x10D70), kLetter | kLowerish);
  EXPECT_EQ(CharClassOf(0x16D43), kLetter | kUpperish | kLowerish);  // Kirat Rai
  EXPECT_EQ(CharClassOf(0xA7CB), kLetter | kUpperish);
  EXPECT_EQ(CharClassOf(0x1CCF0), kNumber);  // outlined digit zero
  // Assigned only in Unicode 17.0: unassigned here, as in tiktoken's tables.
  EXPECT_EQ(CharClassOf(0x10940), 0);
  EXPECT_EQ(CharClassOf(0x11DB0), 0);
}

TEST(UnicodeClassesTest, AsciiIsTheFirstBlockOfStageTwo) {
  // pretokenizer.cc reads ASCII classes straight from kClassStage2[byte].
  EXPECT_EQ(internal::kClassStage1[0], 0);
  for (uint32_t b = 0; b < 0x80; ++b) EXPECT_EQ(internal::kClassStage2[b], CharClassOf(b));
}

TEST(UnicodeClassesTest, EverythingElseIsInNoClass) {
  EXPECT_EQ(CharClassOf('!'), 0);
  EXPECT_EQ(CharClassOf(0x0378), 0);     // unassigned
  EXPECT_EQ(CharClassOf(0x1F600), 0);    // 😀 (So)
  EXPECT_EQ(CharClassOf(0x1F3FB), 0);    // skin tone (Sk)
  EXPECT_EQ(CharClassOf(0xD800), 0);     // surrogate
  EXPECT_EQ(CharClassOf(0xE000), 0);     // private use
  EXPECT_EQ(CharClassOf(0x10FFFF), 0);
  EXPECT_EQ(CharClassOf(0x110000), 0);   // not a code point
  EXPECT_EQ(CharClassOf(0xFFFFFFFF), 0);
}

}  // namespace
}  // namespace ctxmem::context::tokenizer
