#include "context/history/history.h"

#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "alloc/stats.h"
#include "context/history/vocabulary.h"
#include "context/json/parse_json.h"
#include "context/json/stringify_json.h"
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


TEST(MessageTest, CopiesShareTheRecordAndWritesCopyIt) {
  History h = Parse(R"([{"role":"user","content":[{"type":"text","text":"Hello world"}],"ts":5}])");
  const Message original = h[0];
  Message copy = original;
  EXPECT_EQ(copy.record_bytes(), original.record_bytes());
  copy.Set(kTruncationParent, json::JsValue::String("t-1"));
  copy.Set(kRole, json::JsValue::String("assistant"));
  EXPECT_EQ(HistoryToJson({original}),
            R"([{"role":"user","content":[{"type":"text","text":"Hello world"}],"ts":5}])");
  EXPECT_EQ(HistoryToJson({copy}),
            R"([{"role":"assistant","content":[{"type":"text","text":"Hello world"}],"ts":5,)"
            R"("truncationParent":"t-1"}])");
  copy.Remove(kTruncationParent);
  copy.Remove("absent");
  copy.Remove(kRole);
  EXPECT_EQ(HistoryToJson({copy}), R"([{"content":[{"type":"text","text":"Hello world"}],"ts":5}])");
  Message moved = std::move(copy);
  EXPECT_EQ(moved.field_count(), 2u);
  EXPECT_EQ(HistoryToJson({Message()}), "[{}]");
}

TEST(MessageTest, EstimateIsSharedByCopiesAndSurvivesTagEdits) {
  History h = Parse(R"([{"role":"user","content":"Hello world","ts":1}])");
  Message copy = h[0];
  EXPECT_EQ(h[0].EstimateTokens(), 3u);
  EXPECT_TRUE(copy.estimate_cached()) << "one record, one estimate";
  copy.Set(kTruncationParent, json::JsValue::String("t"));
  EXPECT_TRUE(copy.estimate_cached()) << "a tag is not content";
  copy.Set(kContent, json::JsValue::String("Hello"));
  EXPECT_FALSE(copy.estimate_cached());
  EXPECT_EQ(h[0].EstimateTokens(), 3u);
}

TEST(MessageTest, MakeKeepsFirstPlaceAndLastValue) {
  const Message m = Message::Make({{kRole, json::JsValue::String("user")},
                                   {kContent, json::JsValue::String("a")},
                                   {kRole, json::JsValue::String("assistant")}});
  EXPECT_EQ(HistoryToJson({m}), R"([{"role":"assistant","content":"a"}])");
  EXPECT_TRUE(m.is_assistant());
  ASSERT_EQ(m.fields().size(), 2u);
  EXPECT_EQ(m.fields()[1].key, "content");
  EXPECT_EQ(m.fields()[1].value.string_value(), "a");
}

TEST(MessageTest, TagsAndRoleReadWithoutAllocating) {
  History h = Parse(R"([{"role":"assistant","content":[{"type":"text","text":"x"}],)"
                    R"("isSummary":true,"condenseId":"c","ts":1760000000123}])");
  alloc::ThreadAllocationScope scope;
  EXPECT_TRUE(h[0].is_assistant());
  EXPECT_TRUE(h[0].is_summary());
  EXPECT_FALSE(h[0].is_truncation_marker());
  EXPECT_EQ(h[0].ts().number_value(), 1760000000123.0);
  ASSERT_TRUE(alloc::TrackingEnabled());
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_EQ(h[0].condense_id().string_value(), "c");
}

TEST(MessageTest, ContentAndFieldsUnpackToTheParsedValues) {
  const std::string text =
      R"([{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1",)"
      R"("content":"line\n\"quoted\" \ud800","is_error":false},{"type":"image",)"
      R"("source":{"type":"base64","media_type":"image/png","data":"AAAA"}}],"ts":-0.5,"n":null}])";
  History h = Parse(text);
  const json::JsValue content = h[0].content();
  ASSERT_TRUE(content.is_array());
  EXPECT_EQ(content[0].Find("content").string_value(), "line\n\"quoted\" \xed\xa0\x80");
  EXPECT_EQ(content[1].Find("source").Find("media_type").string_value(), "image/png");
  EXPECT_EQ(h[0].ts().number_value(), -0.5);
  EXPECT_TRUE(h[0].Get("n").is_null());
  EXPECT_TRUE(h[0].Get("absent").is_undefined());
  EXPECT_EQ(json::StringifyJson(h[0].ToJson()), text.substr(1, text.size() - 2));
}

// A coding session in the reference's shape: the history costs its text
// plus at most 48 bytes a message (issue 6), counted by the tracking
// allocator, malloc's headers included. The vocabulary is process-wide and
// warmed first; its own size is bounded separately.
TEST(MessageTest, HistoryCostsItsTextPlusAFewBytesPerMessage) {
  ASSERT_TRUE(alloc::TrackingEnabled()) << "the test links //alloc:tracking";
  std::string text = "[";
  size_t raw = 0;
  constexpr int kMessages = 200;
  for (int i = 0; i < kMessages; ++i) {
    if (i > 0) text += ",";
    const std::string body(300 + (i * 37) % 900, static_cast<char>('a' + i % 26));
    const std::string id = "toolu_" + std::to_string(100000 + i / 2);
    if (i % 2 == 1) {
      text += R"({"role":"assistant","content":[{"type":"text","text":")" + body +
              R"("},{"type":"tool_use","id":")" + id +
              R"(","name":"read_file","input":{"path":"src/app/main.cc"}}],"ts":)" +
              std::to_string(1760000000000 + i * 1000) + "}";
      raw += 9 + 4 + body.size() + 8 + id.size() + 9 + 15;
    } else {
      text += R"({"role":"user","content":[{"type":"tool_result","tool_use_id":")" + id +
              R"(","content":")" + body + R"("},{"type":"text","text":"<environment_details>"}],"ts":)" +
              std::to_string(1760000000000 + i * 1000) + "}";
      raw += 4 + 11 + id.size() + body.size() + 4 + 21;
    }
  }
  text += "]";
  Parse(text);  // warms the vocabulary
  int64_t held = 0;
  {
    absl::StatusOr<json::JsValue> doc = json::ParseJson(text);
    ASSERT_TRUE(doc.ok());
    alloc::ThreadAllocationScope scope;
    History history;
    {
      absl::StatusOr<History> parsed = ParseHistory(*doc);
      ASSERT_TRUE(parsed.ok());
      history = *std::move(parsed);
    }
    held = scope.net_bytes();
    EXPECT_EQ(HistoryToJson(history), text);
  }
  EXPECT_LE(held, static_cast<int64_t>(raw + 48 * kMessages))
      << "raw " << raw << ", " << (held - static_cast<int64_t>(raw)) / kMessages << " B/message above";
  EXPECT_LE(VocabularyReservedBytes(), size_t{256} << 10);
}

TEST(MessageTest, ConcurrentReadersOfSharedRecords) {
  History h = Parse(R"([{"role":"user","content":"Some text to count, twice over."},)"
                    R"({"role":"assistant","content":[{"type":"text","text":"More text."}]}])");
  const History copy = h;
  std::vector<std::thread> threads;
  std::vector<uint64_t> sums(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const History& mine = t % 2 == 0 ? h : copy;
      for (int i = 0; i < 200; ++i) {
        for (const Message& m : mine) sums[t] += m.EstimateTokens() + m.role().size();
        Message local = mine[i % 2];
        local.Set(kTruncationParent, json::JsValue::String("t"));
        sums[t] += local.field_count();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 1; t < 4; ++t) EXPECT_EQ(sums[t], sums[0]);
}

}  // namespace
}  // namespace ctxmem::context
