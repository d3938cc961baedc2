#include "context/json/js_value.h"

#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "context/json/parse_json.h"
#include "context/json/stringify_json.h"
#include "gtest/gtest.h"

namespace ctxmem::json {
namespace {

JsValue Parse(std::string_view text) {
  absl::StatusOr<JsValue> value = ParseJson(text);
  EXPECT_TRUE(value.ok()) << value.status();
  return value.ok() ? *value : JsValue();
}

TEST(JsValueTest, ReadsAMessage) {
  const JsValue doc = Parse(R"({"messages":[
      {"role":"user","content":[{"type":"text","text":"hi"}],"ts":17},
      {"role":"assistant","content":"ok","isSummary":true}]})");
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc.size(), 1u);
  const JsValue messages = doc.Find("messages");
  ASSERT_TRUE(messages.is_array());
  ASSERT_EQ(messages.size(), 2u);
  const JsValue first = messages[0];
  EXPECT_EQ(first.Find("role").string_value(), "user");
  EXPECT_EQ(first.Find("ts").number_value(), 17);
  EXPECT_TRUE(first.Find("content").is_array());
  EXPECT_EQ(first.Find("content")[0].Find("text").string_value(), "hi");
  EXPECT_TRUE(messages[1].Find("isSummary").bool_value());
  EXPECT_EQ(first.key(2), "ts");
  EXPECT_EQ(first.value(2).number_value(), 17);
}

TEST(JsValueTest, AbsentAndMistypedReadsAreHarmless) {
  const JsValue doc = Parse(R"({"a":[1],"s":"x","n":null})");
  EXPECT_TRUE(doc.Find("missing").is_undefined());
  EXPECT_TRUE(doc.Find("missing").Find("deeper")[3].is_undefined());
  EXPECT_TRUE(doc.Find("n").is_null());
  EXPECT_FALSE(doc.Find("n").is_undefined());
  EXPECT_TRUE(doc.Find("a")[1].is_undefined());
  EXPECT_TRUE(doc[0].is_undefined());  // not an array
  EXPECT_EQ(doc.Find("s").number_value(), 0);
  EXPECT_EQ(doc.Find("a").string_value(), "");
  EXPECT_FALSE(doc.Find("s").bool_value());
  EXPECT_EQ(doc.Find("s").size(), 0u);
  EXPECT_EQ(doc.key(9), "");
  EXPECT_TRUE(doc.value(9).is_undefined());
  EXPECT_TRUE(JsValue().is_undefined());
  EXPECT_EQ(JsValue().type(), JsType::kUndefined);
}

TEST(JsValueTest, TypeNames) {
  EXPECT_EQ(JsTypeName(Parse("[]").type()), "array");
  EXPECT_EQ(JsTypeName(Parse("{}").type()), "object");
  EXPECT_EQ(JsTypeName(Parse("1").type()), "number");
  EXPECT_EQ(JsTypeName(Parse("\"\"").type()), "string");
  EXPECT_EQ(JsTypeName(Parse("true").type()), "boolean");
  EXPECT_EQ(JsTypeName(Parse("null").type()), "null");
  EXPECT_EQ(JsTypeName(JsValue().type()), "undefined");
}

TEST(JsValueTest, BuildersFollowJavaScript) {
  const JsValue parsed = Parse(R"({"role":"user","content":"hi","ts":5})");
  // {...message, truncationParent: "id-1"} and an overwrite in place.
  std::vector<std::pair<std::string_view, JsValue>> members;
  for (size_t i = 0; i < parsed.size(); ++i) {
    members.emplace_back(parsed.key(i), parsed.value(i));
  }
  members.emplace_back("truncationParent", JsValue::String("id-1"));
  members.emplace_back("ts", JsValue::Number(4));
  members.emplace_back("7", JsValue::Bool(false));
  members.emplace_back("gone", JsValue());
  const JsValue tagged = JsValue::Object(members);
  EXPECT_EQ(StringifyJson(tagged),
            R"({"7":false,"role":"user","content":"hi","ts":4,)"
            R"("truncationParent":"id-1"})");
  EXPECT_EQ(tagged.size(), 6u);  // "gone" is a member, omitted when written
  EXPECT_TRUE(tagged.Find("gone").is_undefined());

  const JsValue list =
      JsValue::Array({tagged, JsValue::Null(), JsValue(), JsValue::Number(-0.0),
                      JsValue::String("\xED\xA0\x80"), parsed.Find("content")});
  EXPECT_EQ(StringifyJson(list),
            R"([{"7":false,"role":"user","content":"hi","ts":4,)"
            R"("truncationParent":"id-1"},null,null,0,"\ud800","hi"])");
  EXPECT_EQ(StringifyJson(JsValue::Array({})), "[]");
  EXPECT_EQ(StringifyJson(JsValue::Object({})), "{}");
  EXPECT_EQ(StringifyJson(JsValue::Object({{"", JsValue::String("")}})),
            R"({"":""})");
}

TEST(JsValueTest, BuiltValuesKeepTheirPartsAlive) {
  JsValue outer;
  {
    JsValue inner = Parse(R"({"deep":{"s":"text"}})");
    JsValue key_owner = JsValue::String("name");
    outer = JsValue::Array(
        {JsValue::Object({{key_owner.string_value(), inner.Find("deep")}})});
  }
  EXPECT_EQ(StringifyJson(outer), R"([{"name":{"s":"text"}}])");
  EXPECT_EQ(outer[0].Find("name").Find("s").string_value(), "text");
}

// One parsed tree read from two threads at once, handles copied and
// dropped on both (what TSan checks: reads and shared ownership).
TEST(JsValueTest, ReadFromTwoThreads) {
  const JsValue doc =
      Parse(R"({"messages":[{"role":"user","content":"a"},)"
            R"({"role":"assistant","content":[{"type":"text","text":"b"}]}]})");
  auto reader = [&doc](std::string* out) {
    for (int i = 0; i < 2000; ++i) {
      JsValue messages = doc.Find("messages");
      JsValue copy = messages[i % 2];
      *out =
          StringifyJson(copy) + std::string(copy.Find("role").string_value());
    }
  };
  std::string a, b;
  std::thread other(reader, &a);
  reader(&b);
  other.join();
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, R"({"role":"assistant","content":[{"type":"text","text":"b"}]})"
               "assistant");
}

}  // namespace
}  // namespace ctxmem::json
