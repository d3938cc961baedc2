#include "context/history/history.h"

#include <cmath>
#include <string>

#include "context/json/parse_json.h"
#include "gtest/gtest.h"

namespace ctxmem::context {
namespace {

History Parse(const std::string& text) {
  absl::StatusOr<json::JsValue> doc = json::ParseJson(text);
  EXPECT_TRUE(doc.ok()) << doc.status();
  absl::StatusOr<History> history = ParseHistory(*doc);
  EXPECT_TRUE(history.ok()) << history.status();
  return *history;
}

TEST(HistoryTest, RoundTripsUnknownFieldsInOrder) {
  const std::string text =
      R"([{"role":"user","extra":{"b":1,"a":[1,2]},"content":"hi","ts":1000,"isSummary":false},)"
      R"({"ts":2,"content":[{"type":"text","text":"x","cache_control":{"type":"ephemeral"}}],"role":"assistant"}])";
  EXPECT_EQ(HistoryToJson(Parse(text)), text);
}

TEST(HistoryTest, SetKeepsPlaceOrAppendsAndRemoveDrops) {
  History h = Parse(R"([{"role":"user","condenseParent":"a","content":"x","ts":1}])");
  h[0].Set(kCondenseParent, json::JsValue::String("b"));
  h[0].Set(kTruncationParent, json::JsValue::String("t"));
  EXPECT_EQ(HistoryToJson(h),
            R"([{"role":"user","condenseParent":"b","content":"x","ts":1,"truncationParent":"t"}])");
  h[0].Remove(kCondenseParent);
  EXPECT_EQ(HistoryToJson(h), R"([{"role":"user","content":"x","ts":1,"truncationParent":"t"}])");
}

TEST(HistoryTest, EstimateIsCachedAndMatchesReference) {
  History h = Parse(R"([{"role":"user","content":"Hello world"},)"
                    R"({"role":"user","content":[{"type":"text","text":"Hello world"}]},)"
                    R"({"role":"user","content":""},{"role":"user","content":[]}])");
  EXPECT_FALSE(h[0].estimate_cached());
  EXPECT_EQ(h[0].EstimateTokens(), 3u);  // context-reference.md §3.4
  EXPECT_TRUE(h[0].estimate_cached());
  EXPECT_EQ(h[1].EstimateTokens(), 3u);
  EXPECT_EQ(h[2].EstimateTokens(), 0u);
  EXPECT_EQ(h[3].EstimateTokens(), 0u);
  h[0].Set(kContent, json::JsValue::String("Test"));
  EXPECT_FALSE(h[0].estimate_cached());
  EXPECT_EQ(h[0].EstimateTokens(), 2u);
}

TEST(HistoryTest, RejectsNonObjects) {
  absl::StatusOr<json::JsValue> doc = json::ParseJson(R"([{"role":"user"},3])");
  ASSERT_TRUE(doc.ok());
  absl::StatusOr<History> h = ParseHistory(*doc);
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.status().message().find("messages[1]"), std::string::npos);
}

TEST(HistoryTest, Truthiness) {
  EXPECT_FALSE(JsTruthy(json::JsValue()));
  EXPECT_FALSE(JsTruthy(json::JsValue::Number(0)));
  EXPECT_FALSE(JsTruthy(json::JsValue::String("")));
  EXPECT_TRUE(JsTruthy(json::JsValue::String("0")));
  EXPECT_TRUE(JsTruthy(json::JsValue::Array({})));
  EXPECT_EQ(JsToNumber(json::JsValue::String(" 12 ")), 12);
  EXPECT_TRUE(std::isnan(JsToNumber(json::JsValue::String("0x1"))));
}

}  // namespace
}  // namespace ctxmem::context
