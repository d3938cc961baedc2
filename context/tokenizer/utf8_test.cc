#include "context/tokenizer/utf8.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ctxmem::context::tokenizer {
namespace {

using ::testing::HasSubstr;

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(ValidateUtf8("").ok());
  EXPECT_TRUE(ValidateUtf8("plain ASCII, long enough for the 8-byte path").ok());
  EXPECT_TRUE(ValidateUtf8("caf\u00e9 \u4e16\u754c \U0001F600 \U0010FFFF \uFEFF").ok());
  EXPECT_TRUE(ValidateUtf8(std::string_view("a\0b", 3)).ok());
  EXPECT_TRUE(ValidateUtf8("\xed\x9f\xbf\xee\x80\x80").ok());  // U+D7FF, U+E000
}

TEST(Utf8Test, NamesTheOffsetOfTheFirstBadSequence) {
  struct Case {
    std::string text;
    size_t offset;
  };
  const Case cases[] = {
      {"abc\x80", 3},                         // stray continuation byte
      {"0123456789abcdef\xff", 16},           // after the 8-byte path
      {"\xc0\xaf", 0},                        // overlong '/'
      {"\xc1\xbf", 0},                        // overlong
      {"x\xe0\x80\xaf", 1},                   // overlong 3-byte
      {"xy\xed\xa0\x80", 2},                  // surrogate U+D800
      {"\xf0\x80\x80\xaf", 0},                // overlong 4-byte
      {"\xf4\x90\x80\x80", 0},                // U+110000
      {"\xf5\x80\x80\x80", 0},                // never used
      {"ok \xe2\x82", 3},                     // truncated at the end
      {"\xc3(", 0},                           // bad continuation
      {"\xe2\x82\xac\xf0\x9f\x98", 3},        // € then truncated emoji
  };
  for (const Case& c : cases) {
    const absl::Status status = ValidateUtf8(c.text);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(status.message(), HasSubstr("byte offset " + std::to_string(c.offset)));
    EXPECT_EQ(ValidUtf8PrefixLength(c.text), c.offset);
  }
}

TEST(Utf8Test, DecodesEachLength) {
  uint32_t cp = 0;
  EXPECT_EQ(DecodeUtf8("A", 0, &cp), 1u);
  EXPECT_EQ(cp, 0x41u);
  EXPECT_EQ(DecodeUtf8("\u00e9", 0, &cp), 2u);
  EXPECT_EQ(cp, 0xE9u);
  EXPECT_EQ(DecodeUtf8("x\u20ac", 1, &cp), 3u);
  EXPECT_EQ(cp, 0x20ACu);
  EXPECT_EQ(DecodeUtf8("\U0001F600", 0, &cp), 4u);
  EXPECT_EQ(cp, 0x1F600u);
  EXPECT_EQ(DecodeUtf8("\xe2\x82", 0, &cp), 0u);
}

TEST(Utf8Test, AgreesWithABruteForceDecoderOnEveryTwoAndThreeByteString) {
  // Reference: encode every scalar value and compare sets of valid strings.
  auto encodes = [](uint32_t cp) {
    std::string s;
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
  };
  size_t valid3 = 0;
  for (uint32_t b0 = 0xE0; b0 <= 0xEF; ++b0) {
    for (uint32_t b1 = 0; b1 < 256; ++b1) {
      for (uint32_t b2 = 0; b2 < 256; ++b2) {
        const std::string s = {static_cast<char>(b0), static_cast<char>(b1), static_cast<char>(b2)};
        if (ValidateUtf8(s).ok()) {
          ++valid3;
          uint32_t cp = 0;
          ASSERT_EQ(DecodeUtf8(s, 0, &cp), 3u);
          ASSERT_EQ(encodes(cp), s);
          ASSERT_FALSE(cp >= 0xD800 && cp <= 0xDFFF);
        }
      }
    }
  }
  EXPECT_EQ(valid3, 0x10000u - 0x800u - 0x800u);  // 3-byte scalars minus surrogates
}

}  // namespace
}  // namespace ctxmem::context::tokenizer
