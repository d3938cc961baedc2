#include "context/json/wtf8.h"

#include <string>

#include "context/json/parse_json.h"
#include "gtest/gtest.h"

namespace ctxmem::json {
namespace {

TEST(Wtf8Test, LoneSurrogatesBecomeReplacementCharacters) {
  EXPECT_EQ(ToWellFormedUtf8(""), "");
  EXPECT_EQ(ToWellFormedUtf8("abc \u00e9\U0001F600"), "abc \u00e9\U0001F600");
  EXPECT_EQ(ToWellFormedUtf8("\xED\xA0\x80"), "\uFFFD");
  EXPECT_EQ(ToWellFormedUtf8("a\xED\xB0\x80"
                             "b\xED\xAF\xBF\xED\xBF\xBF"),
            "a\uFFFDb\uFFFD\uFFFD");
  // U+D7FF (ED 9F BF) is an ordinary character.
  EXPECT_EQ(ToWellFormedUtf8("\xED\x9F\xBF"), "\xED\x9F\xBF");
  EXPECT_FALSE(HasLoneSurrogate("\xED\x9F\xBF plain"));
  EXPECT_TRUE(HasLoneSurrogate("x\xED\xA0\x80"));
}

TEST(Wtf8Test, WhatATextBlockGivesTheTokenizer) {
  // conformance §2: a lone surrogate in a text block reaches the
  // tokenizer as U+FFFD; a pair is its code point.
  absl::StatusOr<JsValue> block =
      ParseJson(R"({"type":"text","text":"a\ud83d\ude00b\ud83dc\ude00"})");
  ASSERT_TRUE(block.ok());
  EXPECT_EQ(ToWellFormedUtf8(block->Find("text").string_value()),
            "a\U0001F600b\uFFFDc\uFFFD");
}

TEST(Wtf8Test, AppendWtf8EncodesEveryCodePoint) {
  std::string out;
  AppendWtf8(U'A', &out);
  AppendWtf8(0xE9, &out);
  AppendWtf8(0xD800, &out);
  AppendWtf8(0xFFFF, &out);
  AppendWtf8(0x10FFFF, &out);
  EXPECT_EQ(out, "A\xC3\xA9\xED\xA0\x80\xEF\xBF\xBF\xF4\x8F\xBF\xBF");
}

TEST(Wtf8Test, Utf16LengthCountsCodeUnits) {
  EXPECT_EQ(Utf16Length(""), 0u);
  EXPECT_EQ(Utf16Length("abc"), 3u);
  EXPECT_EQ(Utf16Length("\xC3\xA9"), 1u);             // é
  EXPECT_EQ(Utf16Length("\xE4\xB8\xAD"), 1u);         // 中
  EXPECT_EQ(Utf16Length("\xF0\x9F\x98\x80"), 2u);     // 😀, a surrogate pair
  EXPECT_EQ(Utf16Length("\xED\xA0\x80"), 1u);         // a lone surrogate
  EXPECT_EQ(Utf16Length("a\xF0\x9F\x98\x80\xC3\xA9"), 4u);
}

TEST(Wtf8Test, Utf16PrefixIsSubstring) {
  const std::string s = "a\xF0\x9F\x98\x80\xC3\xA9z";  // "a😀éz": 5 units
  EXPECT_EQ(Utf16Prefix(s, 0), "");
  EXPECT_EQ(Utf16Prefix(s, 1), "a");
  EXPECT_EQ(Utf16Prefix(s, 2), "a\xED\xA0\xBD") << "the high surrogate of U+1F600, alone";
  EXPECT_EQ(Utf16Prefix(s, 3), "a\xF0\x9F\x98\x80");
  EXPECT_EQ(Utf16Prefix(s, 4), "a\xF0\x9F\x98\x80\xC3\xA9");
  EXPECT_EQ(Utf16Prefix(s, 5), s);
  EXPECT_EQ(Utf16Prefix(s, 99), s);
}

}  // namespace
}  // namespace ctxmem::json
