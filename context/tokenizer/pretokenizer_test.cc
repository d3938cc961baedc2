#include "context/tokenizer/pretokenizer.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

// Expected pieces below follow from the regexes' backtracking semantics (see
// pretokenizer.cc); tools/pretokenizer_oracle.mjs checks the same code against
// the regexes themselves on several MB of generated text.

namespace ctxmem::context::tokenizer {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

constexpr PretokenPattern kO200k = PretokenPattern::kO200k;
constexpr PretokenPattern kCl100k = PretokenPattern::kCl100k;

std::vector<std::string> Pieces(PretokenPattern pattern, std::string_view text) {
  std::vector<std::string> pieces;
  size_t covered = 0;
  ForEachPiece(pattern, text, [&](std::string_view piece) {
    EXPECT_FALSE(piece.empty());
    // Each piece is a view of `text`, right after the previous one.
    EXPECT_EQ(piece.data(), text.data() + covered);
    covered += piece.size();
    pieces.emplace_back(piece);
  });
  EXPECT_EQ(covered, text.size());
  return pieces;
}

// Both patterns split `text` into `expected`.
void ExpectBoth(std::string_view text, const std::vector<std::string>& expected) {
  EXPECT_THAT(Pieces(kO200k, text), ElementsAreArray(expected)) << "o200k";
  EXPECT_THAT(Pieces(kCl100k, text), ElementsAreArray(expected)) << "cl100k";
}

TEST(PretokenizerTest, EmptyTextHasNoPieces) {
  EXPECT_THAT(Pieces(kO200k, ""), IsEmpty());
  EXPECT_THAT(Pieces(kCl100k, ""), IsEmpty());
}

TEST(PretokenizerTest, WordsTakeTheSpaceBeforeThem) {
  ExpectBoth("Hello world, how are you?",
             {"Hello", " world", ",", " how", " are", " you", "?"});
  ExpectBoth("\tfoo", {"\tfoo"});
  ExpectBoth("\t\tfoo", {"\t", "\tfoo"});
  // [^\r\n\p{L}\p{N}] excludes newlines.
  ExpectBoth("\nfoo", {"\n", "foo"});
  ExpectBoth("(foo)", {"(foo", ")"});
}

TEST(PretokenizerTest, MixedWhitespaceRunsGiveBackTheirLastCharacter) {
  // \s+(?!\S) stops before the run's last character, which then prefixes the
  // word; U+00A0, U+3000 and U+0085 are White_Space.
  ExpectBoth("a \t\u00a0\u3000b", {"a", " \t\u00a0", "\u3000b"});
  ExpectBoth("a\u0085\u0085b", {"a", "\u0085", "\u0085b"});
  ExpectBoth("a \u0085 b", {"a", " \u0085", " b"});
  ExpectBoth("x\u3000\u3000\u3000y", {"x", "\u3000\u3000", "\u3000y"});
  // A single space before punctuation joins it; before a digit it stands alone.
  ExpectBoth("a  !", {"a", " ", " !"});
  ExpectBoth("a 1", {"a", " ", "1"});
  ExpectBoth("a\t1", {"a", "\t", "1"});
}

TEST(PretokenizerTest, LongWhitespaceRuns) {
  const std::string spaces(1500, ' ');
  ExpectBoth(spaces + "x", {spaces.substr(1), " x"});
  ExpectBoth(spaces + "7", {spaces.substr(1), " ", "7"});
  ExpectBoth("x" + spaces, {"x", spaces});
}

TEST(PretokenizerTest, TrailingWhitespaceIsOnePiece) {
  ExpectBoth("x  ", {"x", "  "});
  ExpectBoth("x \t\u3000", {"x", " \t\u3000"});
  ExpectBoth("x \n", {"x", " \n"});
  // \s*[\r\n]+ comes first and ends at the last newline.
  ExpectBoth("x\n  ", {"x", "\n", "  "});
  ExpectBoth(" ", {" "});
}

TEST(PretokenizerTest, NewlinesCrLfAndLoneCr) {
  ExpectBoth("a\r\nb", {"a", "\r\n", "b"});
  ExpectBoth("a\rb", {"a", "\r", "b"});
  ExpectBoth("a\r\r\n\nb", {"a", "\r\r\n\n", "b"});
  ExpectBoth("  \n\n  x", {"  \n\n", " ", " x"});
  ExpectBoth("a \n b", {"a", " \n", " b"});
  ExpectBoth("\n \n x", {"\n \n", " x"});
  ExpectBoth("a\n\u00a0\nb", {"a", "\n\u00a0\n", "b"});
}

TEST(PretokenizerTest, PunctuationTakesFollowingNewlines) {
  // o200k also takes slashes: [\r\n/]*; cl100k only [\r\n]*.
  EXPECT_THAT(Pieces(kO200k, "!\r\n/x"), ElementsAre("!\r\n/", "x"));
  EXPECT_THAT(Pieces(kCl100k, "!\r\n/x"), ElementsAre("!\r\n", "/x"));
  EXPECT_THAT(Pieces(kO200k, "x;\n/\n  y"), ElementsAre("x", ";\n/\n", " ", " y"));
  EXPECT_THAT(Pieces(kCl100k, "x;\n/\n  y"), ElementsAre("x", ";\n", "/\n", " ", " y"));
  ExpectBoth(" ...\n\nNext", {" ...\n\n", "Next"});
  ExpectBoth("a/b", {"a", "/b"});
  ExpectBoth("https://x.io/a", {"https", "://", "x", ".io", "/a"});
}

TEST(PretokenizerTest, Cjk) {
  ExpectBoth("你好世界", {"你好世界"});
  ExpectBoth("你好，世界。", {"你好", "，世界", "。"});
  ExpectBoth("日本語のテキスト", {"日本語のテキスト"});
  ExpectBoth("한국어 텍스트", {"한국어", " 텍스트"});
}

TEST(PretokenizerTest, EmojiSequencesAreOnePunctuationPiece) {
  const std::string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";
  const std::string thumbs = "\U0001F44D\U0001F3FD";  // skin tone is Sk
  ExpectBoth(family, {family});
  ExpectBoth("ok " + thumbs + " ok", {"ok", " " + thumbs, " ok"});
  ExpectBoth(thumbs + "ok", {thumbs, "ok"});
  // Keycap: '#', U+FE0F (Mn), U+20E3 (Me).
  ExpectBoth("#\uFE0F\u20E3", {"#\uFE0F\u20E3"});
}

TEST(PretokenizerTest, CombiningMarks) {
  // At the start: a mark is in [^\r\n\p{L}\p{N}], so it prefixes a word.
  ExpectBoth("\u0301abc", {"\u0301abc"});
  // In the middle: o200k's letter classes include \p{M}; cl100k's \p{L} not.
  EXPECT_THAT(Pieces(kO200k, "cafe\u0301 ok"), ElementsAre("cafe\u0301", " ok"));
  EXPECT_THAT(Pieces(kCl100k, "cafe\u0301 ok"), ElementsAre("cafe", "\u0301", " ok"));
  EXPECT_THAT(Pieces(kO200k, "\u0928\u092E\u0938\u094D\u0924\u0947"),  // नमस्ते
              ElementsAre("\u0928\u092E\u0938\u094D\u0924\u0947"));
  EXPECT_THAT(Pieces(kCl100k, "\u0928\u092E\u0938\u094D\u0924\u0947"),
              ElementsAre("\u0928\u092E\u0938", "\u094D\u0924", "\u0947"));
  // o200k backtracking: the prefix X? takes the mark, [U]* "AB" leaves no W
  // for [W]+, so the engine retries without the prefix: the mark alone.
  EXPECT_THAT(Pieces(kO200k, "\u0301AB c"), ElementsAre("\u0301", "AB", " c"));
  EXPECT_THAT(Pieces(kCl100k, "\u0301AB c"), ElementsAre("\u0301AB", " c"));
  // [U]*[W]+ ends after the last W (here the mark) inside the U-run.
  EXPECT_THAT(Pieces(kO200k, " \u0301A!"), ElementsAre(" \u0301", "A", "!"));
  EXPECT_THAT(Pieces(kCl100k, " \u0301A!"), ElementsAre(" \u0301", "A", "!"));
  EXPECT_THAT(Pieces(kO200k, "\t\u0301"), ElementsAre("\t\u0301"));
  EXPECT_THAT(Pieces(kCl100k, "\t\u0301"), ElementsAre("\t", "\u0301"));
}

TEST(PretokenizerTest, MarkOnlyStrings) {
  ExpectBoth("\u0301", {"\u0301"});
  ExpectBoth("\u0301\u0302\u0303", {"\u0301\u0302\u0303"});
  ExpectBoth("\u20E3\u0903", {"\u20E3\u0903"});  // Me, Mc
  EXPECT_THAT(Pieces(kO200k, "1\u0301\u0301 "), ElementsAre("1", "\u0301\u0301", " "));
  EXPECT_THAT(Pieces(kCl100k, "1\u0301\u0301 "), ElementsAre("1", "\u0301\u0301", " "));
}

TEST(PretokenizerTest, O200kCaseClasses) {
  EXPECT_THAT(Pieces(kO200k, "HelloWorld"), ElementsAre("Hello", "World"));
  EXPECT_THAT(Pieces(kO200k, "HTTPServer"), ElementsAre("HTTPServer"));
  EXPECT_THAT(Pieces(kO200k, "helloWORLD"), ElementsAre("hello", "WORLD"));
  EXPECT_THAT(Pieces(kO200k, "HELLO world"), ElementsAre("HELLO", " world"));
  EXPECT_THAT(Pieces(kO200k, "getHTTPResponse"), ElementsAre("get", "HTTPResponse"));
  EXPECT_THAT(Pieces(kO200k, " ABC123"), ElementsAre(" ABC", "123"));
  // Titlecase (Lt) is only upper-ish.
  EXPECT_THAT(Pieces(kO200k, "\u01C5a\u01C5"), ElementsAre("\u01C5a", "\u01C5"));
  // cl100k has no case classes.
  EXPECT_THAT(Pieces(kCl100k, "HelloWorld getHTTPResponse"),
              ElementsAre("HelloWorld", " getHTTPResponse"));
}

TEST(PretokenizerTest, ModifierAndOtherLetters) {
  // Lm and Lo are in both o200k letter classes.
  EXPECT_THAT(Pieces(kO200k, "\u02B0\u02B0"), ElementsAre("\u02B0\u02B0"));
  EXPECT_THAT(Pieces(kO200k, "A\u02B0b"), ElementsAre("A\u02B0b"));
  // [U]* takes "ʰA", [W]+ backs off to ʰ: the piece ends there.
  EXPECT_THAT(Pieces(kO200k, "\u02B0A"), ElementsAre("\u02B0", "A"));
  EXPECT_THAT(Pieces(kO200k, "AB\u02B0CD "), ElementsAre("AB\u02B0", "CD", " "));
  EXPECT_THAT(Pieces(kO200k, "\u30C6\u30FC\u30D6\u30EB"),  // テーブル, ー is Lm
              ElementsAre("\u30C6\u30FC\u30D6\u30EB"));
  EXPECT_THAT(Pieces(kO200k, "\u05E9\u05DC\u05D5\u05DD!"),  // Hebrew (Lo)
              ElementsAre("\u05E9\u05DC\u05D5\u05DD", "!"));
  EXPECT_THAT(Pieces(kCl100k, "\u02B0A \u3005\u3005"), ElementsAre("\u02B0A", " \u3005\u3005"));
}

TEST(PretokenizerTest, ContractionsO200k) {
  EXPECT_THAT(Pieces(kO200k, "I'M here"), ElementsAre("I'M", " here"));
  EXPECT_THAT(Pieces(kO200k, "they'LL we've"), ElementsAre("they'LL", " we've"));
  EXPECT_THAT(Pieces(kO200k, "it'S it's it'\u017F"), ElementsAre("it'S", " it's", " it'\u017F"));
  EXPECT_THAT(Pieces(kO200k, "DON'T don't"), ElementsAre("DON'T", " don't"));
  EXPECT_THAT(Pieces(kO200k, "you'Re'd"), ElementsAre("you'Re", "'d"));
  EXPECT_THAT(Pieces(kO200k, "abc'Sx"), ElementsAre("abc'S", "x"));
  EXPECT_THAT(Pieces(kO200k, "x'rx"), ElementsAre("x", "'rx"));
  // After non-letters the apostrophe is a prefix or punctuation.
  EXPECT_THAT(Pieces(kO200k, "1's"), ElementsAre("1", "'s"));
  EXPECT_THAT(Pieces(kO200k, "?'s"), ElementsAre("?'", "s"));
  EXPECT_THAT(Pieces(kO200k, " 's"), ElementsAre(" '", "s"));
  // U+212A KELVIN SIGN folds to k, which no contraction uses.
  EXPECT_THAT(Pieces(kO200k, "a'\u212A"), ElementsAre("a", "'\u212A"));
}

TEST(PretokenizerTest, ContractionsCl100k) {
  EXPECT_THAT(Pieces(kCl100k, "I'M here"), ElementsAre("I", "'M", " here"));
  EXPECT_THAT(Pieces(kCl100k, "they'LL we've"), ElementsAre("they", "'LL", " we", "'ve"));
  EXPECT_THAT(Pieces(kCl100k, "it'S it'\u017F"), ElementsAre("it", "'S", " it", "'\u017F"));
  EXPECT_THAT(Pieces(kCl100k, "'sa"), ElementsAre("'s", "a"));
  EXPECT_THAT(Pieces(kCl100k, "x'rx"), ElementsAre("x", "'rx"));
  EXPECT_THAT(Pieces(kCl100k, "1's"), ElementsAre("1", "'s"));
  EXPECT_THAT(Pieces(kCl100k, "?'s"), ElementsAre("?'", "s"));
  EXPECT_THAT(Pieces(kCl100k, "''ll"), ElementsAre("''", "ll"));
}

TEST(PretokenizerTest, DigitRunsSplitInThrees) {
  const std::string digits = "1234567890";
  for (size_t n = 1; n <= digits.size(); ++n) {
    std::vector<std::string> expected;
    for (size_t i = 0; i < n; i += 3) expected.push_back(digits.substr(i, std::min<size_t>(3, n - i)));
    ExpectBoth(digits.substr(0, n), expected);
  }
  ExpectBoth("abc12345def", {"abc", "123", "45", "def"});
  // Other scripts' digits, Nl and No are \p{N} too.
  ExpectBoth("\u0661\u0662\u0663\u0664", {"\u0661\u0662\u0663", "\u0664"});
  ExpectBoth("x\u00B2\u00B3\u00BD\u2160", {"x", "\u00B2\u00B3\u00BD", "\u2160"});
  ExpectBoth("1,234.5", {"1", ",", "234", ".", "5"});
  const std::string many(5000, '7');
  std::vector<std::string> groups;
  ForEachPiece(kO200k, many, [&](std::string_view p) { groups.emplace_back(p); });
  ASSERT_EQ(groups.size(), 1667u);
  EXPECT_EQ(groups.back(), "77");
}

TEST(PretokenizerTest, AsciiWordsOfEveryLengthAndCase) {
  // Words around the 16-byte vector width of the ASCII fast path, with and
  // without a prefix, followed by text (vector path) or not (scalar path).
  for (int upper = 0; upper <= 40; ++upper) {
    for (int lower = 0; lower <= 40; ++lower) {
      if (upper + lower == 0) continue;
      const std::string word = std::string(upper, 'Q') + std::string(lower, 'q');
      for (const std::string& prefix : {std::string(), std::string(" "), std::string("(")}) {
        const std::string piece = prefix + word;
        for (const std::string& tail :
             {std::string(), std::string(" and some more text to fill a vector"),
              std::string("'s"), std::string("é")}) {
          SCOPED_TRACE(piece + tail);
          const std::vector<std::string> o200k = Pieces(kO200k, piece + tail);
          const std::vector<std::string> cl100k = Pieces(kCl100k, piece + tail);
          ASSERT_FALSE(o200k.empty());
          ASSERT_FALSE(cl100k.empty());
          if (tail.empty() || tail[0] == ' ') {
            EXPECT_EQ(o200k[0], piece);
            EXPECT_EQ(cl100k[0], piece);
          } else if (tail == "'s") {
            EXPECT_EQ(o200k[0], piece + "'s");  // contraction joins the word
            EXPECT_EQ(cl100k[0], piece);
            EXPECT_EQ(cl100k[1], "'s");
          } else {
            // é is Ll: it extends [W]+ (o200k) and \p{L}+ (cl100k).
            EXPECT_EQ(o200k[0], piece + tail);
            EXPECT_EQ(cl100k[0], piece + tail);
          }
        }
      }
    }
  }
}

TEST(PretokenizerTest, ByteOrderMarkAndZeroWidthSpaceAreNotWhitespace) {
  ExpectBoth("\uFEFFhello", {"\uFEFFhello"});
  ExpectBoth("a\uFEFF\uFEFFb", {"a", "\uFEFF\uFEFF", "b"});
  ExpectBoth("a\u200B b", {"a", "\u200B", " b"});
  ExpectBoth(" \uFEFF", {" \uFEFF"});
}

TEST(PretokenizerTest, HundredKilobyteLine) {
  const std::string letters(100 * 1024, 'q');
  ExpectBoth(letters, {letters});
  ExpectBoth(" " + letters + "!", {" " + letters, "!"});
  // "lorem", " ipsum", ",", " dolor", " ", "42", " sit", "\tamet", "." and
  // the next sentence's word takes the trailing space; the last one stays.
  const std::string sentence = "lorem ipsum, dolor 42 sit\tamet. ";
  std::string words;
  while (words.size() < 100 * 1024) words += sentence;
  size_t count = 0;
  size_t bytes = 0;
  ForEachPiece(kO200k, words, [&](std::string_view p) {
    ++count;
    bytes += p.size();
  });
  EXPECT_EQ(bytes, words.size());
  EXPECT_EQ(count, words.size() / sentence.size() * 9 + 1);
  const std::string puncts(100 * 1024, '=');
  ExpectBoth(puncts + "\n", {puncts + "\n"});
}

TEST(PretokenizerTest, IllFormedUtf8StillCoversTheText) {
  // Not a supported input, but it must not read out of bounds or lose bytes.
  const std::string bad[] = {"\xff", "a\xc3", "\xe2\x82", "ab\xf0\x9f\x98", "\x80\x80 x",
                             "\xed\xa0\x80", "\xc0\xaf", "x\xf4\x90\x80\x80y"};
  for (const std::string& text : bad) {
    Pieces(kO200k, text);
    Pieces(kCl100k, text);
  }
  // Every byte value in every position of a short pseudo-random string.
  uint32_t state = 12345;
  std::string text;
  for (int round = 0; round < 2000; ++round) {
    text.clear();
    const int n = 1 + round % 17;
    for (int i = 0; i < n; ++i) {
      state = state * 1103515245 + 12345;
      text.push_back(static_cast<char>(state >> 23));
    }
    Pieces(kO200k, text);
    Pieces(kCl100k, text);
  }
}

TEST(PretokenizerTest, ManyPiecesCrossBatchBoundaries) {
  // More pieces than one internal batch holds.
  std::string text;
  for (int i = 0; i < 1000; ++i) text += " w" + std::to_string(i % 10);
  const std::vector<std::string> pieces = Pieces(kCl100k, text);
  ASSERT_EQ(pieces.size(), 2000u);
  EXPECT_EQ(pieces[998], " w");
  EXPECT_EQ(pieces[999], "9");
}

}  // namespace
}  // namespace ctxmem::context::tokenizer
