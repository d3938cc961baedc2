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

}  // namespace
}  // namespace ctxmem::json
