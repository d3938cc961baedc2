// The legacy (v3.25.0) policy: §7.6's destructive suite numbers, §2.4's
// condense, and the forced-75% recovery of the current policy.

#include "context/management/legacy_policy.h"

#include <string>

#include "context/history/history.h"
#include "context/management/current_policy.h"
#include "gtest/gtest.h"

namespace ctxmem::context {
namespace {

using json::JsValue;

History Alternating(int n) {
  History h;
  for (int i = 0; i < n; ++i) {
    h.push_back(Message::Make({{kRole, JsValue::String(i % 2 == 0 ? "user" : "assistant")},
                               {kContent, JsValue::String("m" + std::to_string(i))},
                               {kTs, JsValue::Number(100 + i)}}));
  }
  return h;
}

std::string Contents(const History& h) {
  std::string s;
  for (const Message& m : h) s += std::string(m.content().string_value()) + " ";
  return s;
}

TEST(LegacyPolicyTest, DestructiveTruncation) {
  History five = Alternating(5);
  EXPECT_EQ(LegacyTruncateConversation(five, 0.5), 2u);
  EXPECT_EQ(Contents(five), "m0 m3 m4 ");
  History seven = Alternating(7);
  EXPECT_EQ(LegacyTruncateConversation(seven, 0.5), 2u);
  EXPECT_EQ(Contents(seven), "m0 m3 m4 m5 m6 ");
  History four = Alternating(4);
  EXPECT_EQ(LegacyTruncateConversation(four, 1), 2u);
  EXPECT_EQ(four.size(), 2u);
}

TEST(LegacyPolicyTest, ManageMaxTokensUndefined) {
  for (double total : {81807.0, 81809.0}) {
    SequentialIds ids;
    History h = Alternating(5);
    h.back().Set(kContent, JsValue::String(""));
    ManageOptions o;
    o.total_tokens = total;
    o.context_window = 100000;
    o.auto_condense_context = false;
    o.ids = &ids;
    absl::StatusOr<ManageResult> r = LegacyManageContext(h, o);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->truncated, total > 81808);
    EXPECT_EQ(h.size(), total > 81808 ? 3u : 5u);
  }
}

TEST(LegacyPolicyTest, CondenseKeepsLastThree) {
  SequentialIds ids;
  History h = Alternating(7);
  SummarizeOptions o;
  o.system_prompt = "S";
  o.ids = &ids;
  size_t request_size = 0;
  o.summarizer = [&request_size](const SummarizationRequest& r) {
    request_size = r.messages.size();
    SummarizerReply reply;
    reply.text = " sum ";
    return reply;
  };
  SummarizeOutcome out = LegacySummarizeConversation(h, o, 1000);
  ASSERT_FALSE(out.error) << *out.error;
  EXPECT_EQ(request_size, 5u);  // m0..m3 and the closing request
  ASSERT_EQ(h.size(), 8u);
  EXPECT_TRUE(h[4].is_summary());
  EXPECT_EQ(h[4].role(), "assistant");
  EXPECT_EQ(h[4].content().string_value(), "sum");
  EXPECT_EQ(h[4].ts().number_value(), 104);  // ts of the first kept message
  History sent = LegacyGetMessagesSinceLastSummary(h, 0);
  ASSERT_EQ(sent.size(), 5u);
  EXPECT_EQ(sent[0].content().string_value(), kLegacyContinueText);
  EXPECT_EQ(sent[0].ts().number_value(), 99);
  // §0.1: a summary older than the kept 3 is summarised again, behind the
  // synthetic message: [continue, summary, m4? no: slice(0, -3) ends at the
  // summary] -> 2 messages plus the closing request.
  History again = h;
  EXPECT_FALSE(LegacySummarizeConversation(again, o, 1000).error);
  EXPECT_EQ(request_size, 3u);
  // A summary among the last 3: condensed_recently.
  History recent = Alternating(5);
  recent.push_back(Message::Make({{kRole, JsValue::String("assistant")},
                                  {kContent, JsValue::String("old summary")},
                                  {kIsSummary, JsValue::Bool(true)}}));
  recent.push_back(Alternating(1)[0]);
  EXPECT_EQ(LegacySummarizeConversation(recent, o, 1000).error, kErrorCondensedRecently);
  // Context grew: prev too small.
  History g = Alternating(7);
  EXPECT_EQ(LegacySummarizeConversation(g, o, 1).error, kErrorContextGrew);
  EXPECT_EQ(g.size(), 7u);
  // <= 4 messages: not enough.
  History four = Alternating(4);
  EXPECT_EQ(LegacySummarizeConversation(four, o, 1000).error, kErrorNotEnoughMessages);
}

TEST(RecoveryTest, ForcedSeventyFivePercent) {
  SequentialIds ids;
  History h = Alternating(7);
  ManageOptions o;
  o.context_window = 100000;
  o.max_tokens = 10000;                   // allowed 80 000: only the percentage triggers
  o.auto_condense_context = false;        // forced on by the recovery
  o.auto_condense_context_percent = 100;  // forced to 75
  o.custom_condensing_prompt = "ignored in recovery";
  o.ids = &ids;
  std::string seen_instruction;
  o.summarizer = [&](const SummarizationRequest& r) {
    seen_instruction = std::string(r.messages.back().content().string_value());
    SummarizerReply reply;
    reply.text = "S";
    return reply;
  };
  absl::StatusOr<ManageResult> r = HandleContextWindowExceeded(h, o, 75000);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->condensed);
  EXPECT_NE(seen_instruction, "ignored in recovery");
  // Below 75% nothing happens.
  History h2 = Alternating(7);
  absl::StatusOr<ManageResult> r2 = HandleContextWindowExceeded(h2, o, 70000);
  ASSERT_TRUE(r2.ok());
  EXPECT_FALSE(r2->condense_triggered);
}

}  // namespace
}  // namespace ctxmem::context
