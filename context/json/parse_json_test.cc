#include "context/json/parse_json.h"

#include <cmath>
#include <limits>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "context/json/js_value.h"
#include "context/json/stringify_json.h"
#include "gtest/gtest.h"

namespace ctxmem::json {
namespace {

// JSON.stringify(JSON.parse(text)), or "!" and the error message. Expected
// texts below were printed by Node.js 20 unless the test says otherwise.
std::string RoundTrip(std::string_view text) {
  absl::StatusOr<JsValue> value = ParseJson(text);
  if (!value.ok()) {
    EXPECT_EQ(value.status().code(), absl::StatusCode::kInvalidArgument);
    return "!" + std::string(value.status().message());
  }
  return StringifyJson(*value);
}

TEST(ParseJsonTest, ConformanceSection2Examples) {
  EXPECT_EQ(RoundTrip(R"({"b":1,"10":3,"2":4,"01":7})"),
            R"({"2":4,"10":3,"b":1,"01":7})");
  EXPECT_EQ(RoundTrip(R"({"k":1,"k":2,"j":3})"), R"({"k":2,"j":3})");
  EXPECT_EQ(RoundTrip("-0"), "0");
  EXPECT_EQ(RoundTrip("1.0"), "1");
  EXPECT_EQ(RoundTrip("1E21"), "1e+21");
  EXPECT_EQ(RoundTrip("1e-7"), "1e-7");
  EXPECT_EQ(RoundTrip("123456789012345678901234567890"),
            "1.2345678901234568e+29");
  EXPECT_EQ(RoundTrip("1e400"), "null");
  EXPECT_EQ(RoundTrip(R"("\"\\\b\f\n\r\t\u0001\u001f")"),
            R"("\"\\\b\f\n\r\t\u0001\u001f")");
  EXPECT_EQ(RoundTrip(R"("\ud800")"), R"("\ud800")");
  EXPECT_EQ(RoundTrip(R"("\u2028\u2029")"), "\"\u2028\u2029\"");
}

TEST(ParseJsonTest, ContainersAndScalars) {
  EXPECT_EQ(RoundTrip(" { } "), "{}");
  EXPECT_EQ(RoundTrip("[ ]"), "[]");
  EXPECT_EQ(RoundTrip("[[],{},[[]],{\"a\":{}}]"), "[[],{},[[]],{\"a\":{}}]");
  EXPECT_EQ(RoundTrip("\t\r\n true \n"), "true");
  EXPECT_EQ(RoundTrip("false"), "false");
  EXPECT_EQ(RoundTrip("null"), "null");
  EXPECT_EQ(RoundTrip(R"("")"), R"("")");
  EXPECT_EQ(RoundTrip(R"({"":""})"), R"({"":""})");
  EXPECT_EQ(
      RoundTrip(R"({"a" : [1, {"b": [true, false, null]}, "x"], "c": {}})"),
      R"({"a":[1,{"b":[true,false,null]},"x"],"c":{}})");
}

TEST(ParseJsonTest, PropertyOrder) {
  // "__proto__" is an own property made by JSON.parse, kept in place.
  EXPECT_EQ(RoundTrip(R"({"__proto__":{"x":1},"a":2})"),
            R"({"__proto__":{"x":1},"a":2})");
  // 4294967295 is not an array index (2^32 - 1); 4294967294 is.
  EXPECT_EQ(
      RoundTrip(
          R"({"b":1,"4294967295":2,"4294967294":3,"1":4,"01":5,"-1":6,"1.5":7,"9007199254740991":8,"0":9})"),
      R"({"0":9,"1":4,"4294967294":3,"b":1,"4294967295":2,"01":5,"-1":6,"1.5":7,"9007199254740991":8})");
  // Duplicates: the last value at the first position, indices too.
  EXPECT_EQ(RoundTrip(R"({"a":1,"5":1,"b":2,"a":3,"5":[4],"a":{}})"),
            R"({"5":[4],"a":{},"b":2})");
  // Duplicates in a large object (the hash-table path).
  std::string big = "{";
  std::string expected = "{";
  for (int i = 0; i < 40; ++i) {
    big += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  }
  for (int i = 39; i >= 0; --i) {
    big += "\"k" + std::to_string(i) + "\":" + std::to_string(-i) + ",";
    big += "\"" + std::to_string(i * 7) + "\":" + std::to_string(i) + ",";
  }
  big += "\"z\":0}";
  for (int i = 0; i < 40; ++i) {
    expected += "\"" + std::to_string(i * 7) + "\":" + std::to_string(i) + ",";
  }
  for (int i = 0; i < 40; ++i) {
    expected += "\"k" + std::to_string(i) + "\":" + std::to_string(-i) + ",";
  }
  expected += "\"z\":0}";
  EXPECT_EQ(RoundTrip(big), expected);
}

TEST(ParseJsonTest, Numbers) {
  EXPECT_EQ(RoundTrip("[0,-0,0.0,-0.0,0e5,1.0,1.50,100,1e2,1E+2,1e-2]"),
            "[0,0,0,0,0,1,1.5,100,100,100,0.01]");
  EXPECT_EQ(RoundTrip("0.000001"), "0.000001");
  EXPECT_EQ(RoundTrip("0.0000001"), "1e-7");
  EXPECT_EQ(RoundTrip("123e-20"), "1.23e-18");
  EXPECT_EQ(RoundTrip("5e-324"), "5e-324");
  EXPECT_EQ(RoundTrip("2e-324"), "0");  // below half the smallest subnormal
  EXPECT_EQ(RoundTrip("3e-324"), "5e-324");
  EXPECT_EQ(RoundTrip("1.7976931348623157e308"), "1.7976931348623157e+308");
  EXPECT_EQ(RoundTrip("1.7976931348623159e308"), "null");  // rounds up
  EXPECT_EQ(RoundTrip("-1e400"), "null");
  EXPECT_EQ(RoundTrip("[1e-400,-1e-400,0e400,0.000e99999,1E309]"),
            "[0,0,0,0,null]");
  EXPECT_EQ(RoundTrip("9007199254740993"), "9007199254740992");
  EXPECT_EQ(RoundTrip("18446744073709551616"), "18446744073709552000");
  EXPECT_EQ(RoundTrip("999999999999999999999"), "1e+21");
  EXPECT_EQ(RoundTrip(std::string(400, '9')), "null");
  EXPECT_EQ(RoundTrip("0." + std::string(400, '0') + "1e400"), "0.1");
  EXPECT_EQ(RoundTrip("1" + std::string(300, '0') + "e-300"), "1");
  // Infinity parses to a number whose value is infinite.
  absl::StatusOr<JsValue> inf = ParseJson("-1e999");
  ASSERT_TRUE(inf.ok());
  EXPECT_TRUE(inf->is_number());
  EXPECT_EQ(inf->number_value(), -std::numeric_limits<double>::infinity());
  absl::StatusOr<JsValue> zero = ParseJson("-0");
  ASSERT_TRUE(zero.ok());
  EXPECT_TRUE(std::signbit(zero->number_value()));
}

TEST(ParseJsonTest, StringsAndUnicode) {
  EXPECT_EQ(RoundTrip(R"("\u0041\u00e9\u4e2d\/")"), "\"A\u00e9\u4e2d/\"");
  EXPECT_EQ(RoundTrip(R"("\uD83D\uDE00 \ud83d\ude00")"),
            "\"\U0001F600 \U0001F600\"");
  EXPECT_EQ(RoundTrip("\"\U0001F600\u00e9\u2028\x7f\""),
            "\"\U0001F600\u00e9\u2028\x7f\"");
  // Lone surrogates, high and low, in every position.
  EXPECT_EQ(RoundTrip(R"(["\ud800","\udc00x","a\uDBFF","\udfff\ud800"])"),
            R"(["\ud800","\udc00x","a\udbff","\udfff\ud800"])");
  // A high surrogate followed by a pair; by an escaped backslash.
  EXPECT_EQ(RoundTrip(R"("\ud800\ud800\udc00")"), "\"\\ud800\U00010000\"");
  EXPECT_EQ(RoundTrip(R"("\ud800\\udc00")"), R"("\ud800\\udc00")");
  // A high surrogate followed by a non-surrogate escape, and at the end.
  EXPECT_EQ(RoundTrip(R"(["\ud800\u0041","\ud800\n","\ud800"])"),
            R"(["\ud800A","\ud800\n","\ud800"])");
  // Lone surrogates in keys; \u0000 inside a string.
  EXPECT_EQ(RoundTrip(R"({"\udc01":"\u0000"})"), R"({"\udc01":"\u0000"})");
  // Strings are WTF-8 in the tree.
  absl::StatusOr<JsValue> lone = ParseJson(R"(["\ud800", "\u00e9"])");
  ASSERT_TRUE(lone.ok());
  EXPECT_EQ((*lone)[0].string_value(), "\xED\xA0\x80");
  EXPECT_EQ((*lone)[1].string_value(), "\xC3\xA9");
}

// The pre-pass and the writers scan 16 bytes at a time: put each kind of
// special byte at every offset of strings around that size.
TEST(ParseJsonTest, SpecialBytesAtEveryOffset) {
  struct Special {
    const char* in;   // as written in the JSON text
    const char* out;  // as JSON.stringify writes it back
  };
  constexpr Special kSpecials[] = {
      {"\\n", "\\n"},         {"\\\"", "\\\""},
      {"\\u0041", "A"},       {"\\ud800", "\\ud800"},
      {"\\udfff", "\\udfff"}, {"\\ud83d\\ude00", "\U0001F600"},
      {"\u00e9", "\u00e9"},   {"\U0001F600", "\U0001F600"},
      {"\\u001f", "\\u001f"}, {"\x7f", "\x7f"},
  };
  for (const Special& special : kSpecials) {
    for (size_t length = 0; length < 40; ++length) {
      for (size_t at = 0; at <= length; ++at) {
        const std::string before(at, 'a');
        const std::string after(length - at, 'b');
        const std::string text = "[\"" + before + special.in + after + "\"]";
        EXPECT_EQ(RoundTrip(text), "[\"" + before + special.out + after + "\"]")
            << text;
      }
    }
  }
  // A raw control character is an error wherever it is.
  for (size_t at = 0; at < 40; ++at) {
    const std::string text =
        "\"" + std::string(at, 'a') + "\x01" + std::string(40 - at, 'b') + "\"";
    EXPECT_EQ(RoundTrip(text),
              "!line 1, column " + std::to_string(at + 2) + " (byte " +
                  std::to_string(at + 1) +
                  "): unescaped control character U+0001 in string");
  }
}

TEST(ParseJsonTest, ErrorsNameTheirPosition) {
  EXPECT_EQ(RoundTrip(""),
            "!line 1, column 1 (byte 0): unexpected end of input");
  EXPECT_EQ(RoundTrip("  \n "),
            "!line 2, column 2 (byte 4): unexpected end of input");
  EXPECT_EQ(RoundTrip(R"({"a":[1,2)"),
            "!line 1, column 10 (byte 9): unexpected end of input");
  EXPECT_EQ(RoundTrip(R"({"a")"),
            "!line 1, column 5 (byte 4): unexpected end of input");
  EXPECT_EQ(RoundTrip(R"("abc)"),
            "!line 1, column 5 (byte 4): unterminated string");
  EXPECT_EQ(RoundTrip("{\n  \"a\": 1,\n  \"b\": 2\n  \"c\": 3}"),
            "!line 4, column 3 (byte 23): expected ',' or '}'");
  EXPECT_EQ(RoundTrip("[1 2]"),
            "!line 1, column 4 (byte 3): expected ',' or ']'");
  EXPECT_EQ(RoundTrip(R"({"a" 1})"),
            "!line 1, column 6 (byte 5): expected ':' after the key");
  EXPECT_EQ(RoundTrip("{1:2}"),
            "!line 1, column 2 (byte 1): expected a string key, found "
            "character '1'");
  EXPECT_EQ(RoundTrip("[1,]"),
            "!line 1, column 4 (byte 3): trailing comma before ']'");
  EXPECT_EQ(RoundTrip("{\"a\":1 , }"),
            "!line 1, column 10 (byte 9): trailing comma before '}'");
  EXPECT_EQ(RoundTrip("[1]x"),
            "!line 1, column 4 (byte 3): unexpected character 'x' after the "
            "JSON value");
  EXPECT_EQ(RoundTrip("01"),
            "!line 1, column 2 (byte 1): leading zero in a number");
  EXPECT_EQ(RoundTrip("[-00.5]"),
            "!line 1, column 4 (byte 3): leading zero in a number");
  EXPECT_EQ(RoundTrip("NaN"),
            "!line 1, column 1 (byte 0): unexpected character 'N'");
  EXPECT_EQ(RoundTrip("[Infinity]"),
            "!line 1, column 2 (byte 1): unexpected character 'I'");
  EXPECT_EQ(RoundTrip("+1"),
            "!line 1, column 1 (byte 0): unexpected character '+'");
  EXPECT_EQ(RoundTrip(".5"),
            "!line 1, column 1 (byte 0): unexpected character '.'");
  EXPECT_EQ(RoundTrip("1."),
            "!line 1, column 3 (byte 2): unexpected end of input");
  EXPECT_EQ(RoundTrip("[1.e5]"),
            "!line 1, column 4 (byte 3): expected a digit after '.'");
  EXPECT_EQ(RoundTrip("[1e+]"),
            "!line 1, column 5 (byte 4): expected a digit in the exponent");
  EXPECT_EQ(RoundTrip(R"("a\x")"),
            "!line 1, column 3 (byte 2): invalid escape '\\x'");
  EXPECT_EQ(RoundTrip(R"("\u12G4")"),
            "!line 1, column 2 (byte 1): invalid \\u escape: expected 4 hex "
            "digits");
  EXPECT_EQ(RoundTrip("\"a\tb\""),
            "!line 1, column 3 (byte 2): unescaped control character U+0009 "
            "in string");
  EXPECT_EQ(RoundTrip("\"a\nb\""),
            "!line 1, column 3 (byte 2): unescaped control character U+000A "
            "in string");
  EXPECT_EQ(RoundTrip("['a']"),
            "!line 1, column 2 (byte 1): unexpected character '''");
  EXPECT_EQ(RoundTrip("[tru]"),
            "!line 1, column 5 (byte 4): unexpected character ']'");
  EXPECT_EQ(RoundTrip("// c\n1"),
            "!line 1, column 1 (byte 0): unexpected character '/'");
  EXPECT_EQ(RoundTrip("\xEF\xBB\xBF{}"),
            "!line 1, column 1 (byte 0): unexpected character U+FEFF");
  // Columns count code points; the byte offset counts bytes.
  EXPECT_EQ(RoundTrip("[\"\u00e9\u4e2d\", x]"),
            "!line 1, column 8 (byte 10): unexpected character 'x'");
  // Offsets are the original text's even after a lone surrogate escape
  // (which the parser rewrites to 3 bytes before the reader sees it).
  EXPECT_EQ(RoundTrip("[\"\\ud800\\ud800\" x]"),
            "!line 1, column 17 (byte 16): expected ',' or ']'");
}

TEST(ParseJsonTest, RejectsInvalidUtf8AndNul) {
  EXPECT_EQ(RoundTrip("\"ab\xC3\""),
            "!line 1, column 4 (byte 3): invalid UTF-8 (byte 0xc3)");
  EXPECT_EQ(RoundTrip("[\"\xFF\"]"),
            "!line 1, column 3 (byte 2): invalid UTF-8 (byte 0xff)");
  EXPECT_EQ(RoundTrip("\"\xC0\xAF\""),  // overlong '/'
            "!line 1, column 2 (byte 1): invalid UTF-8 (byte 0xc0)");
  EXPECT_EQ(RoundTrip("\"\xED\xA0\x80\""),  // a raw surrogate is not UTF-8
            "!line 1, column 2 (byte 1): invalid UTF-8 (byte 0xed)");
  EXPECT_EQ(RoundTrip("\"\xF4\x90\x80\x80\""),  // above U+10FFFF
            "!line 1, column 2 (byte 1): invalid UTF-8 (byte 0xf4)");
  EXPECT_EQ(RoundTrip("\n[1, \x80]"),
            "!line 2, column 5 (byte 5): invalid UTF-8 (byte 0x80)");
  EXPECT_EQ(RoundTrip(std::string_view("1\0", 2)),
            "!line 1, column 2 (byte 1): unexpected character U+0000");
  EXPECT_EQ(RoundTrip(std::string_view("\"a\0\"", 4)),
            "!line 1, column 3 (byte 2): unescaped control character U+0000 "
            "in string");
  // An earlier syntax error is reported before a later bad byte.
  EXPECT_EQ(RoundTrip("[1 2, \"\xFF\"]"),
            "!line 1, column 4 (byte 3): expected ',' or ']'");
}

TEST(ParseJsonTest, DepthLimit) {
  const std::string ok = std::string(1000, '[') + std::string(1000, ']');
  EXPECT_EQ(RoundTrip(ok), ok);
  const std::string deep = std::string(1001, '[') + std::string(1001, ']');
  EXPECT_EQ(RoundTrip(deep),
            "!line 1, column 1001 (byte 1000): nesting deeper than 1000 "
            "arrays and objects");
  // No stack overflow on very deep input, array or object.
  EXPECT_NE(RoundTrip(std::string(1'000'000, '[')).find("nesting deeper"),
            std::string::npos);
  std::string objects;
  for (int i = 0; i < 200'000; ++i) objects += "{\"a\":";
  EXPECT_NE(RoundTrip(objects).find("nesting deeper"), std::string::npos);
  // A higher limit.
  const std::string deeper = std::string(5000, '[') + std::string(5000, ']');
  ParseJsonOptions options;
  options.max_depth = 5000;
  absl::StatusOr<JsValue> value = ParseJson(deeper, options);
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(StringifyJson(*value), deeper);
}

TEST(ParseJsonTest, ValuesOutliveTheirDocumentHandle) {
  JsValue message;
  {
    absl::StatusOr<JsValue> doc =
        ParseJson(R"({"messages":[{"role":"user","content":"hi"}]})");
    ASSERT_TRUE(doc.ok());
    message = doc->Find("messages")[0];
  }
  EXPECT_EQ(message.Find("role").string_value(), "user");
  EXPECT_EQ(StringifyJson(message), R"({"role":"user","content":"hi"})");
}

}  // namespace
}  // namespace ctxmem::json
