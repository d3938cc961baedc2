#include "context/estimate/content_estimate.h"

#include <string>

#include "context/json/parse_json.h"
#include "gtest/gtest.h"

namespace ctxmem::context {
namespace {

uint64_t Estimate(const std::string& json_content) {
  absl::StatusOr<json::JsValue> doc = json::ParseJson(json_content);
  EXPECT_TRUE(doc.ok()) << doc.status();
  return EstimateContentTokens(doc->Find("content"));
}

// context-reference.md §3.4 (o200k_base via npm tiktoken 1.0.22, fudge 1.5).
TEST(ContentEstimateTest, ReferenceValues) {
  EXPECT_EQ(Estimate(R"({"content":[{"type":"text","text":"Hello world"}]})"), 3u);
  EXPECT_EQ(Estimate(R"({"content":[{"type":"text","text":"Test"}]})"), 2u);
  EXPECT_EQ(Estimate(R"({"content":[{"type":"text","text":""}]})"), 0u);
  EXPECT_EQ(Estimate(R"({"content":[{"type":"text"}]})"), 0u);
  EXPECT_EQ(Estimate(R"({"content":[]})"), 0u);
  EXPECT_EQ(Estimate(R"({"content":[{"type":"text","text":"This is a text block with 36 characters"}]})"),
            14u);
  EXPECT_EQ(Estimate(R"({"content":[{"type":"text","text":")" + std::string(1000, 'X') + R"("}]})"),
            95u);
  EXPECT_EQ(Estimate(R"({"content":[{"type":"text","text":"something<|endoftext|>something"}]})"), 14u);
  EXPECT_EQ(Estimate(R"({"content":[{"type":"text","text":"You are a helpful assistant."}]})"), 9u);
  EXPECT_EQ(Estimate(R"({"content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":")" +
                     std::string(1000, 'A') + R"("}}]})"),
            48u);
  EXPECT_EQ(Estimate(R"({"content":[{"type":"image","source":{"type":"base64","data":"dummy_data"}}]})"), 6u);
  EXPECT_EQ(Estimate(R"({"content":[{"type":"image","source":{"type":"base64"}}]})"), 450u);
  EXPECT_EQ(Estimate(R"({"content":[{"type":"text","text":"A text block with 30 characters"},
      {"type":"image","source":{"type":"base64","data":"dummy_data"}},
      {"type":"text","text":"Another text with 24 chars"}]})"),
            26u);
  EXPECT_EQ(Estimate(R"({"content":[{"type":"tool_use","id":"t","name":"read_file","input":{"path":"/src/main.ts"}}]})"),
            23u);
}

// Vectors computed with npm tiktoken and JavaScript's own JSON.stringify.
TEST(ContentEstimateTest, MatchesJavaScriptSerializationAndStrings) {
  EXPECT_EQ(Estimate(R"({"content":[{"type":"tool_use","id":"t1","name":"write_to_file","input":{"b":1,"10":3,"2":4,"01":7,"path":"/a\u2028b","n":1e21,"m":1e-7,"big":123456789012345678901234567890,"o":1e400,"z":-0,"f":1.0,"k":1,"k":2}}]})"),
            114u);
  EXPECT_EQ(Estimate(R"({"content":[{"type":"tool_result","tool_use_id":"t9","is_error":true,"content":[{"type":"text","text":"line one\nline two"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}},{"type":"document"}]}]})"),
            39u);
  EXPECT_EQ(Estimate(R"({"content":[{"type":"tool_result","tool_use_id":"x","content":"plain result"},{"type":"thinking","thinking":"ignored"},{"type":"text","text":"a\ud800b"}]})"),
            15u);
  EXPECT_EQ(Estimate(R"({"content":[{"type":"tool_use","id":"t","name":"ask"}]})"), 5u);
  // "😀x".length is 3 in JavaScript (a surrogate pair and one unit).
  EXPECT_EQ(Estimate(R"({"content":[{"type":"image","source":{"type":"base64","data":"😀x"}}]})"), 3u);
}

TEST(ContentEstimateTest, ToolTexts) {
  absl::StatusOr<json::JsValue> use = json::ParseJson(R"({"type":"tool_use","name":"read_file","input":{"path":"/src/main.ts"}})");
  ASSERT_TRUE(use.ok());
  EXPECT_EQ(ToolUseText(*use), "Tool: read_file\nArguments: {\"path\":\"/src/main.ts\"}");
  absl::StatusOr<json::JsValue> result = json::ParseJson(
      R"({"type":"tool_result","tool_use_id":"id7","is_error":true,"content":[{"type":"text","text":"boom"},{"type":"image"},{"type":"audio"}]})");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(ToolResultText(*result),
            "Tool Result (id7)\n[Error]\nboom\n[Image content]\n[Unsupported content block: audio]");
  absl::StatusOr<json::JsValue> values = json::ParseJson(R"([null,true,1e21,"s",[1,null,2],{"a":1}])");
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(JsToString((*values)[0]), "null");
  EXPECT_EQ(JsToString((*values)[1]), "true");
  EXPECT_EQ(JsToString((*values)[2]), "1e+21");
  EXPECT_EQ(JsToString((*values)[3]), "s");
  EXPECT_EQ(JsToString((*values)[4]), "1,,2");
  EXPECT_EQ(JsToString((*values)[5]), "[object Object]");
  EXPECT_EQ(JsToString(json::JsValue()), "undefined");
}

}  // namespace
}  // namespace ctxmem::context
