#include "context/json/stringify_json.h"

#include <cmath>
#include <limits>
#include <string>

#include "context/json/js_value.h"
#include "gtest/gtest.h"

namespace ctxmem::json {
namespace {

std::string Quote(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

TEST(StringifyJsonTest, EscapesExactlyLikeJavaScript) {
  // JSON.stringify of the JavaScript string with the same code units.
  EXPECT_EQ(Quote(""), R"("")");
  EXPECT_EQ(Quote("plain text"), R"("plain text")");
  EXPECT_EQ(Quote("\"\\/"), R"("\"\\/")");
  EXPECT_EQ(Quote("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(Quote(std::string_view("\0\x01\x0b\x1f\x20", 5)),
            R"("\u0000\u0001\u000b\u001f ")");
  EXPECT_EQ(Quote("\x7f"), "\"\x7f\"");
  EXPECT_EQ(Quote("\u2028\u2029\u00e9\U0001F600"),
            "\"\u2028\u2029\u00e9\U0001F600\"");
  // Lone surrogates (WTF-8) are escaped with lowercase hex; U+D7FF and
  // U+E000 around them are ordinary characters.
  EXPECT_EQ(Quote("\xED\xA0\x80|\xED\xAF\xBF|\xED\xB0\x80|\xED\xBF\xBF"),
            R"("\ud800|\udbff|\udc00|\udfff")");
  EXPECT_EQ(Quote("\xED\x9F\xBF\xEE\x80\x80"), "\"\xED\x9F\xBF\xEE\x80\x80\"");
  // Bytes that are not WTF-8 are copied.
  EXPECT_EQ(Quote("\xFF\xED\xA0"), "\"\xFF\xED\xA0\"");
}

TEST(StringifyJsonTest, ScalarsAndUndefined) {
  EXPECT_EQ(StringifyJson(JsValue::Null()), "null");
  EXPECT_EQ(StringifyJson(JsValue::Bool(true)), "true");
  EXPECT_EQ(StringifyJson(JsValue::Number(1e21)), "1e+21");
  EXPECT_EQ(StringifyJson(JsValue::Number(std::nan(""))), "null");
  EXPECT_EQ(
      StringifyJson(JsValue::Number(std::numeric_limits<double>::infinity())),
      "null");
  EXPECT_EQ(StringifyJson(JsValue()), "");  // JSON.stringify(undefined)
  EXPECT_EQ(StringifyJson(JsValue::Object({{"a", JsValue()}})), "{}");
  EXPECT_EQ(StringifyJson(JsValue::Object(
                {{"a", JsValue()}, {"b", JsValue::Null()}, {"c", JsValue()}})),
            R"({"b":null})");
  EXPECT_EQ(StringifyJson(JsValue::Array({JsValue(), JsValue()})),
            "[null,null]");
}

TEST(StringifyJsonTest, AppendsAfterExistingText) {
  std::string out = R"({"effectiveHistory":)";
  AppendJson(JsValue::Array({JsValue::Number(1), JsValue::String("x")}), &out);
  out.push_back('}');
  EXPECT_EQ(out, R"({"effectiveHistory":[1,"x"]})");
}

TEST(StringifyJsonTest, DeepBuiltValuesDoNotRecurse) {
  JsValue value = JsValue::Number(0);
  for (int i = 0; i < 100'000; ++i) value = JsValue::Array({value});
  const std::string text = StringifyJson(value);
  EXPECT_EQ(text, std::string(100'000, '[') + "0" + std::string(100'000, ']'));
}

}  // namespace
}  // namespace ctxmem::json
