// The scenarios of context-reference.md §7.1, §7.2 and §7.5 with the numbers
// given there, and property tests over random conversations.

#include "context/management/current_policy.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "context/estimate/content_estimate.h"
#include "context/history/history.h"
#include "context/json/parse_json.h"
#include "context/management/condense.h"
#include "gtest/gtest.h"

namespace ctxmem::context {
namespace {

using json::JsValue;

Message Msg(const std::string& role, const std::string& text, double ts) {
  return Message::Make({{kRole, JsValue::String(role)},
                        {kContent, JsValue::String(text)},
                        {kTs, JsValue::Number(ts)}});
}

Message MsgJson(const std::string& text) {
  absl::StatusOr<JsValue> v = json::ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status();
  return *Message::FromJson(*v);
}

// u"First message", a"Second message", u"Third message", a"Fourth message",
// u"Fifth message" (the last replaced by "" in most manageContext tests).
History Standard(bool empty_last = true) {
  return {Msg("user", "First message", 1), Msg("assistant", "Second message", 2),
          Msg("user", "Third message", 3), Msg("assistant", "Fourth message", 4),
          Msg("user", empty_last ? "" : "Fifth message", 5)};
}

History Alternating(int n, double ts0 = 1000, double step = 100) {
  History h;
  for (int i = 0; i < n; ++i) {
    h.push_back(Msg(i % 2 == 0 ? "user" : "assistant",
                    i == 0 ? "Initial task" : "Message " + std::to_string(i), ts0 + i * step));
  }
  return h;
}

uint64_t Tokens(const std::string& text) { return EstimateContentTokens(JsValue::String(text)); }

bool Tagged(const Message& m) { return JsTruthy(m.truncation_parent()); }

// --- §7.1 truncateConversation ------------------------------------------------

TEST(TruncateConversationTest, ThreeMessagesHalfRemovesNothing) {
  SequentialIds ids;
  History h = Alternating(3);
  TruncationResult r = TruncateConversation(h, 0.5, ids, 0);
  EXPECT_EQ(r.messages_removed, 0u);
  EXPECT_EQ(r.truncation_id, "id-1");  // an id is made even so (§0.1)
  EXPECT_EQ(h.size(), 3u);
  for (const Message& m : h) EXPECT_FALSE(m.is_truncation_marker());
}

TEST(TruncateConversationTest, FiveMessagesHalf) {
  SequentialIds ids;
  History h = Standard(false);
  TruncationResult r = TruncateConversation(h, 0.5, ids, 0);
  EXPECT_EQ(r.messages_removed, 2u);
  ASSERT_EQ(h.size(), 6u);
  EXPECT_FALSE(Tagged(h[0]));
  EXPECT_EQ(h[1].truncation_parent().string_value(), r.truncation_id);
  EXPECT_EQ(h[2].truncation_parent().string_value(), r.truncation_id);
  EXPECT_TRUE(h[3].is_truncation_marker());
  EXPECT_EQ(h[3].role(), "user");
  EXPECT_EQ(h[3].content().string_value(),
            "[Sliding window truncation: 2 messages hidden to reduce context]");
  EXPECT_EQ(h[3].ts().number_value(), 3);  // ts(Fourth message) - 1
  EXPECT_FALSE(Tagged(h[4]));
  EXPECT_FALSE(Tagged(h[5]));
}

TEST(TruncateConversationTest, SmallFractionsAndZero) {
  SequentialIds ids;
  History seven = Alternating(7);
  EXPECT_EQ(TruncateConversation(seven, 0.3, ids, 0).messages_removed, 0u);
  EXPECT_EQ(seven.size(), 7u);
  History three = Alternating(3);
  EXPECT_EQ(TruncateConversation(three, 0, ids, 0).messages_removed, 0u);
  EXPECT_EQ(three.size(), 3u);
}

TEST(TruncateConversationTest, FourMessagesAll) {
  SequentialIds ids;
  History h = Alternating(4);
  EXPECT_EQ(TruncateConversation(h, 1, ids, 0).messages_removed, 2u);
  ASSERT_EQ(h.size(), 5u);
  EXPECT_TRUE(h[3].is_truncation_marker());
  EXPECT_FALSE(Tagged(h[4]));
}

// --- §7.1 manageContext -----------------------------------------------------

ManageOptions Options(IdSource* ids, double total, bool auto_condense = false,
                      double percent = 100) {
  ManageOptions o;
  o.total_tokens = total;
  o.context_window = 100000;
  o.max_tokens = 30000;
  o.auto_condense_context = auto_condense;
  o.auto_condense_context_percent = percent;
  o.system_prompt = "System prompt";
  o.ids = ids;
  o.now_ms = [] { return 5000.0; };
  return o;
}

TEST(ManageContextTest, BelowAllowedIsUnchanged) {
  SequentialIds ids;
  History h = Standard();
  const std::string before = HistoryToJson(h);
  absl::StatusOr<ManageResult> r = ManageContext(h, Options(&ids, 59999));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->prev_context_tokens, 59999);
  EXPECT_EQ(r->allowed_tokens, 60000);
  EXPECT_FALSE(r->truncated);
  EXPECT_FALSE(r->truncation_id.has_value());
  EXPECT_EQ(r->cost, 0);
  EXPECT_EQ(r->summary, "");
  EXPECT_EQ(HistoryToJson(h), before);
}

TEST(ManageContextTest, AboveAllowedTruncates) {
  for (double total : {70001.0, 69999.0, 60001.0}) {
    SequentialIds ids;
    History h = Standard();
    absl::StatusOr<ManageResult> r = ManageContext(h, Options(&ids, total));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->truncated) << total;
    EXPECT_EQ(r->truncation_id, "id-1");
    EXPECT_EQ(r->messages_removed, 2u);
    EXPECT_EQ(h.size(), 6u);
    EXPECT_EQ(r->prev_context_tokens, total);
    // tokens("System prompt") + msg0 + msg3 + msg4 (§1.8 full step).
    ASSERT_TRUE(r->new_context_tokens_after_truncation.has_value());
    EXPECT_EQ(*r->new_context_tokens_after_truncation,
              Tokens("System prompt") + Tokens("First message") + Tokens("Fourth message") + 0);
    EXPECT_EQ(Tokens("System prompt"), 3u);  // §3.4
    EXPECT_GE(*r->new_context_tokens_after_truncation, 3);
    EXPECT_LT(*r->new_context_tokens_after_truncation, r->prev_context_tokens);
  }
}

TEST(ManageContextTest, IncomingLastMessageCounts) {
  for (const std::string& text : {std::string("This is a longer text that has many more words "
                                              "than the other one, for the estimate."),
                                  std::string(1000, 'X')}) {
    const double tok = static_cast<double>(Tokens(text));
    {
      SequentialIds ids;
      History h = Standard();
      h.back() = Msg("user", text, 5);
      const double base = 70000 - tok - 10000 - 10;
      absl::StatusOr<ManageResult> r = ManageContext(h, Options(&ids, base));
      ASSERT_TRUE(r.ok());
      EXPECT_FALSE(r->truncated);
      EXPECT_EQ(r->prev_context_tokens, base + tok);
    }
    {
      SequentialIds ids;
      History h = Standard();
      h.back() = Msg("user", text, 5);
      absl::StatusOr<ManageResult> r =
          ManageContext(h, Options(&ids, 70000 - std::floor(tok / 2)));
      ASSERT_TRUE(r.ok());
      EXPECT_TRUE(r->truncated);
    }
  }
  EXPECT_EQ(Tokens(std::string(1000, 'X')), 95u);  // §3.4
}

struct SummarizerSpy {
  int calls = 0;
  SummarizationRequest last;
  SummarizerReply reply;
  Summarizer Get() {
    return [this](const SummarizationRequest& r) {
      ++calls;
      last = r;
      return reply;
    };
  }
};

TEST(ManageContextTest, AutoCondenseCallsSummarizer) {
  SequentialIds ids;
  SummarizerSpy spy;
  spy.reply.text = "This is a summary";
  spy.reply.cost = 0.05;
  History h = Standard();
  ManageOptions o = Options(&ids, 70001, true, 100);
  o.summarizer = spy.Get();
  absl::StatusOr<ManageResult> r = ManageContext(h, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(spy.calls, 1);
  EXPECT_TRUE(r->condense_triggered);
  EXPECT_TRUE(r->condensed);
  EXPECT_FALSE(r->truncated);
  EXPECT_EQ(r->summary, "This is a summary");
  EXPECT_EQ(r->cost, 0.05);
  EXPECT_EQ(r->prev_context_tokens, 70001);
  EXPECT_EQ(r->condense_id, "id-1");
  ASSERT_EQ(h.size(), 6u);
  EXPECT_TRUE(h[5].is_summary());
}

TEST(ManageContextTest, SummarizerErrorFallsBackToTruncation) {
  SequentialIds ids;
  SummarizerSpy spy;
  spy.reply.threw = true;
  spy.reply.error_message = "boom";
  History h = Standard();
  ManageOptions o = Options(&ids, 70001, true, 100);
  o.summarizer = spy.Get();
  absl::StatusOr<ManageResult> r = ManageContext(h, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->error, kErrorCondenseApiFailed);
  EXPECT_TRUE(r->truncated);
  EXPECT_EQ(r->messages_removed, 2u);
  EXPECT_EQ(h.size(), 6u);
}

TEST(ManageContextTest, FailedCondenseByPercentOnlyLeavesHistory) {
  // §0.1: condensing triggered by the percentage alone, the call fails: no
  // truncation (prev <= allowed), the error is set.
  SequentialIds ids;
  SummarizerSpy spy;
  spy.reply.threw = true;
  History h = Standard();
  ManageOptions o = Options(&ids, 60000, true, 50);
  o.summarizer = spy.Get();
  absl::StatusOr<ManageResult> r = ManageContext(h, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(spy.calls, 1);
  EXPECT_EQ(r->error, kErrorCondenseApiFailed);
  EXPECT_FALSE(r->truncated);
  EXPECT_EQ(h.size(), 5u);
}

TEST(ManageContextTest, PercentThresholds) {
  struct Case {
    bool auto_condense;
    double percent, total;
    int calls;
    bool truncated;
  };
  for (const Case& c : {Case{false, 50, 70001, 0, true}, Case{true, 50, 60000, 1, false},
                        Case{true, 50, 40000, 0, false}}) {
    SequentialIds ids;
    SummarizerSpy spy;
    spy.reply.text = "s";
    History h = Standard();
    ManageOptions o = Options(&ids, c.total, c.auto_condense, c.percent);
    o.summarizer = spy.Get();
    absl::StatusOr<ManageResult> r = ManageContext(h, o);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(spy.calls, c.calls) << c.total;
    EXPECT_EQ(r->truncated, c.truncated) << c.total;
  }
}

TEST(ManageContextTest, ProfileThresholds) {
  struct Case {
    const char* thresholds;
    double global, total;
    int calls;
  };
  for (const Case& c : {Case{R"({"test-profile": 60})", 100, 65000, 1},
                        Case{R"({"test-profile": -1})", 75, 80000, 1},
                        Case{R"({"other-profile": 50})", 80, 50000, 0}}) {
    SequentialIds ids;
    SummarizerSpy spy;
    spy.reply.text = "s";
    History h = Standard();
    ManageOptions o = Options(&ids, c.total, true, c.global);
    o.profile_thresholds = *json::ParseJson(c.thresholds);
    o.current_profile_id = "test-profile";
    o.summarizer = spy.Get();
    ASSERT_TRUE(ManageContext(h, o).ok());
    EXPECT_EQ(spy.calls, c.calls) << c.thresholds;
  }
}

TEST(ManageContextTest, MaxTokensGroup) {
  struct Case {
    double window, max, total;
    bool truncated;
  };
  for (const Case& c : {Case{100000, 50000, 39999, false}, Case{100000, 50000, 50001, true},
                        Case{100000, 0, 81807, false}, Case{100000, 0, 81809, true},
                        Case{50000, 10000, 34999, false}, Case{50000, 10000, 40001, true},
                        Case{200000, 30000, 149999, false}, Case{200000, 30000, 170001, true}}) {
    SequentialIds ids;
    History h = Standard();
    ManageOptions o = Options(&ids, c.total);
    o.context_window = c.window;
    o.max_tokens = c.max;
    absl::StatusOr<ManageResult> r = ManageContext(h, o);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->truncated, c.truncated) << c.window << " " << c.max << " " << c.total;
    EXPECT_EQ(h.size(), c.truncated ? 6u : 5u);
  }
  EXPECT_EQ(AllowedTokens(100000, 0), 81808);
  EXPECT_EQ(AllowedTokens(1048576, 16384), 1048576 * 0.9 - 16384);
}

TEST(ManageContextTest, EmptyHistoryIsAnError) {
  SequentialIds ids;
  History h;
  EXPECT_FALSE(ManageContext(h, Options(&ids, 1)).ok());
}

TEST(WillManageContextTest, Reference) {
  SequentialIds ids;
  EXPECT_TRUE(WillManageContext(Options(&ids, 60000, true, 50), 0));
  EXPECT_FALSE(WillManageContext(Options(&ids, 40000, true, 50), 0));
  EXPECT_TRUE(WillManageContext(Options(&ids, 60001, false), 0));
  EXPECT_FALSE(WillManageContext(Options(&ids, 59999, false), 0));
  ManageOptions p = Options(&ids, 55000, true, 80);
  p.current_profile_id = "test-profile";
  p.profile_thresholds = *json::ParseJson(R"({"test-profile": 50})");
  EXPECT_TRUE(WillManageContext(p, 0));
  p.profile_thresholds = *json::ParseJson(R"({"test-profile": -1})");
  EXPECT_FALSE(WillManageContext(p, 0));
  EXPECT_FALSE(WillManageContext(Options(&ids, 49000, true, 50), 0));
  EXPECT_TRUE(WillManageContext(Options(&ids, 49000, true, 50), 2000));
}

// --- §7.2 truncation.spec ---------------------------------------------------

TEST(TruncationSpecTest, ElevenMessages) {
  SequentialIds ids;
  History h = Alternating(11);
  TruncationResult r = TruncateConversation(h, 0.5, ids, 0);
  EXPECT_EQ(r.messages_removed, 4u);
  ASSERT_EQ(h.size(), 12u);
  int tagged = 0;
  for (const Message& m : h) tagged += Tagged(m) ? 1 : 0;
  EXPECT_EQ(tagged, 4);
  EXPECT_FALSE(Tagged(h[0]));
  ASSERT_TRUE(h[5].is_truncation_marker());
  EXPECT_FALSE(Tagged(h[5]));
  EXPECT_EQ(h[5].role(), "user");
  EXPECT_NE(h[5].content().string_value().find("Sliding window truncation"), std::string::npos);
  EXPECT_EQ(h[5].truncation_id().string_value(), r.truncation_id);
  EXPECT_EQ(h[5].ts().number_value(), 1499);  // ts(a5) - 1

  History effective = GetEffectiveApiHistory(h);
  ASSERT_EQ(effective.size(), 8u);
  EXPECT_EQ(effective[0].content().string_value(), "Initial task");
  EXPECT_TRUE(effective[1].is_truncation_marker());

  History no_marker;
  for (const Message& m : h) {
    if (!m.is_truncation_marker()) no_marker.push_back(m);
  }
  EXPECT_EQ(GetEffectiveApiHistory(no_marker).size(), 11u);

  // Rewind to the marker: everything comes back.
  RewindHistory(h, 5);
  EXPECT_EQ(GetEffectiveApiHistory(h).size(), 5u);
  for (const Message& m : h) EXPECT_FALSE(Tagged(m));
}

TEST(TruncationSpecTest, TwelveMessagesRemoveFour) {
  SequentialIds ids;
  History h = Alternating(12);
  EXPECT_EQ(TruncateConversation(h, 0.5, ids, 0).messages_removed, 4u);
}

TEST(TruncationSpecTest, TwoSuccessiveTruncationsAndRewind) {
  SequentialIds ids;
  History h = Alternating(11);
  TruncateConversation(h, 0.5, ids, 0);  // visible 11 -> 7 (+ marker)
  // Visible now: u0, a5..u10 (7). raw floor(6 * 0.5) = 3 -> 2.
  TruncationResult second = TruncateConversation(h, 0.5, ids, 0);
  EXPECT_EQ(second.messages_removed, 2u);
  EXPECT_EQ(second.truncation_id, "id-2");
  ASSERT_EQ(h.size(), 13u);
  History effective = GetEffectiveApiHistory(h);
  // u0, marker1, marker2, u8? No: visible positions 1,2 are a5,u6; the second
  // marker goes before a7.
  ASSERT_EQ(effective.size(), 7u);
  EXPECT_TRUE(effective[1].is_truncation_marker());
  EXPECT_TRUE(effective[2].is_truncation_marker());
  EXPECT_EQ(effective[3].content().string_value(), "Message 7");
  // Rewind past the second marker: the first truncation still holds.
  size_t second_marker = 0;
  for (size_t i = 0; i < h.size(); ++i) {
    if (h[i].is_truncation_marker() && h[i].truncation_id().string_value() == "id-2") {
      second_marker = i;
    }
  }
  RewindHistory(h, second_marker);
  effective = GetEffectiveApiHistory(h);
  EXPECT_EQ(effective.size(), 4u);  // u0, marker1, a5, u6
  EXPECT_EQ(effective[3].content().string_value(), "Message 6");
}

TEST(TruncationSpecTest, EdgeCases) {
  SequentialIds ids;
  History h = Alternating(5);
  const std::string before = HistoryToJson(h);
  EXPECT_EQ(TruncateConversation(h, 0, ids, 0).messages_removed, 0u);
  EXPECT_EQ(HistoryToJson(h), before);
  History two = Alternating(2);
  EXPECT_EQ(TruncateConversation(two, 0.5, ids, 0).messages_removed, 0u);
  History three = Alternating(3);
  EXPECT_EQ(TruncateConversation(three, 1.0, ids, 777).messages_removed, 2u);
  ASSERT_EQ(three.size(), 4u);
  EXPECT_TRUE(three[3].is_truncation_marker());
  EXPECT_EQ(three[3].ts().number_value(), 776);  // Date.now() - 1
}

TEST(TruncationSpecTest, MixedCondenseAndTruncationFiltering) {
  History h = {
      MsgJson(R"({"role":"user","content":"a","condenseParent":"c1"})"),
      MsgJson(R"({"role":"assistant","content":"b","truncationParent":"t1"})"),
      MsgJson(R"({"role":"user","content":"[m]","isTruncationMarker":true,"truncationId":"t1"})"),
      MsgJson(R"({"role":"assistant","content":"c","condenseParent":"gone"})"),
      MsgJson(R"({"role":"user","content":"d","truncationParent":"gone"})"),
  };
  History effective = GetEffectiveApiHistory(h);
  // No summary: condenseParent "c1" names no summary, so "a" stays; "b" is
  // hidden by the existing marker; orphan tags stay visible.
  ASSERT_EQ(effective.size(), 4u);
  EXPECT_EQ(effective[0].content().string_value(), "a");
  EXPECT_EQ(effective[1].content().string_value(), "[m]");

  CleanupAfterTruncation(h);
  EXPECT_FALSE(h[0].Has(kCondenseParent));
  EXPECT_EQ(h[1].truncation_parent().string_value(), "t1");  // valid: kept
  EXPECT_FALSE(h[3].Has(kCondenseParent));
  EXPECT_FALSE(h[4].Has(kTruncationParent));
}

// --- §7.5 condense ------------------------------------------------------------

SummarizeOptions CondenseOptions(IdSource* ids, SummarizerSpy* spy) {
  SummarizeOptions o;
  o.system_prompt = "System prompt";
  o.ids = ids;
  o.summarizer = spy->Get();
  o.now_ms = [] { return 5000.0; };
  return o;
}

TEST(CondenseTest, OneMessageIsNotEnough) {
  SequentialIds ids;
  SummarizerSpy spy;
  History h = Alternating(1);
  SummarizeOutcome out = SummarizeConversation(h, CondenseOptions(&ids, &spy));
  EXPECT_EQ(out.error, kErrorNotEnoughMessages);
  EXPECT_EQ(spy.calls, 0);
  EXPECT_FALSE(out.new_context_tokens.has_value());
}

TEST(CondenseTest, SevenMessagesFreshStart) {
  SequentialIds ids;
  SummarizerSpy spy;
  spy.reply.text = "This is a summary";
  spy.reply.cost = 0.05;
  spy.reply.output_tokens = 150;
  History h = Alternating(7);
  SummarizeOutcome out = SummarizeConversation(h, CondenseOptions(&ids, &spy));
  ASSERT_FALSE(out.error) << *out.error;
  ASSERT_EQ(h.size(), 8u);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(h[i].condense_parent().string_value(), "id-1");
  const Message& summary = h[7];
  EXPECT_EQ(summary.role(), "user");
  EXPECT_TRUE(summary.is_summary());
  ASSERT_EQ(summary.content().size(), 1u);
  EXPECT_EQ(summary.content()[0].Find("text").string_value(),
            "## Conversation Summary\nThis is a summary");
  EXPECT_EQ(summary.ts().number_value(), 1601);  // last ts + 1
  EXPECT_EQ(GetEffectiveApiHistory(h).size(), 1u);
  EXPECT_EQ(out.cost, 0.05);
  EXPECT_EQ(out.summary, "This is a summary");
  // One estimate of [system prompt, summary block].
  EXPECT_EQ(*out.new_context_tokens,
            static_cast<double>(EstimateContentTokens(*json::ParseJson(
                R"([{"type":"text","text":"System prompt"},)"
                R"({"type":"text","text":"## Conversation Summary\nThis is a summary"}])"))));
  // The request: the summarising system prompt, all 7 messages, then the
  // instruction as the last user message.
  EXPECT_EQ(spy.last.system_prompt, kSummarySystemPrompt);
  ASSERT_EQ(spy.last.messages.size(), 8u);
  EXPECT_EQ(spy.last.messages[0].content().string_value(), "Initial task");
  EXPECT_EQ(spy.last.messages[7].content().string_value(), kDefaultCondenseInstruction);
}

TEST(CondenseTest, CommandBlocksOfFirstMessageAreKept) {
  SequentialIds ids;
  SummarizerSpy spy;
  spy.reply.text = "S";
  History h = Alternating(4);
  h[0] = Msg("user", "Run <command name=\"prr\">review the PR</command> now", 1);
  ASSERT_FALSE(SummarizeConversation(h, CondenseOptions(&ids, &spy)).error);
  const JsValue content = h.back().content();
  ASSERT_EQ(content.size(), 2u);
  const std::string_view second = content[1].Find("text").string_value();
  EXPECT_EQ(second.substr(0, 17), "<system-reminder>");
  EXPECT_NE(second.find("<command name=\"prr\">review the PR</command>"), std::string::npos);
}

TEST(CondenseTest, EmptySummaryKeepsCostAndHistory) {
  SequentialIds ids;
  SummarizerSpy spy;
  spy.reply.text = "  \n ";
  spy.reply.cost = 0.02;
  History h = Alternating(5);
  const std::string before = HistoryToJson(h);
  SummarizeOutcome out = SummarizeConversation(h, CondenseOptions(&ids, &spy));
  EXPECT_EQ(out.error, kErrorCondenseFailed);
  EXPECT_EQ(out.cost, 0.02);
  EXPECT_EQ(HistoryToJson(h), before);
}

TEST(CondenseTest, CustomPromptAndRecentSummary) {
  SequentialIds ids;
  SummarizerSpy spy;
  spy.reply.text = "S";
  History h = Alternating(4);
  SummarizeOptions o = CondenseOptions(&ids, &spy);
  o.custom_condensing_prompt = "  my own prompt \n";
  ASSERT_FALSE(SummarizeConversation(h, o).error);
  EXPECT_EQ(spy.last.messages.back().content().string_value(), "my own prompt");
  // Right after a summary: only the summary since -> condensed_recently.
  EXPECT_EQ(SummarizeConversation(h, o).error, kErrorCondensedRecently);
  h.push_back(Msg("assistant", "reply", 99));
  EXPECT_EQ(SummarizeConversation(h, o).error, kErrorCondensedRecently);  // 2 with a summary
  h.push_back(Msg("user", "more", 100));
  EXPECT_FALSE(SummarizeConversation(h, o).error);  // 3 since the summary
}

TEST(CondenseTest, NestedCondenseAndRewind) {
  SequentialIds ids;
  SummarizerSpy spy;
  spy.reply.text = "S1";
  History h = Alternating(10);
  ASSERT_FALSE(SummarizeConversation(h, CondenseOptions(&ids, &spy)).error);
  const size_t first_summary = h.size() - 1;
  for (int i = 0; i < 10; ++i) h.push_back(Msg(i % 2 ? "user" : "assistant", "more", 3000 + i));
  spy.reply.text = "S2";
  ASSERT_FALSE(SummarizeConversation(h, CondenseOptions(&ids, &spy)).error);
  // The second request holds the first summary and what followed.
  EXPECT_EQ(spy.last.messages.size(), 12u);
  History effective = GetEffectiveApiHistory(h);
  ASSERT_EQ(effective.size(), 1u);
  EXPECT_EQ(effective[0].condense_id().string_value(), "id-2");
  // Timestamps stay unique and increasing.
  EXPECT_GT(h.back().ts().number_value(), h[h.size() - 2].ts().number_value());
  // Rewind to before the second summary: the first summary and the 10 after it.
  RewindHistory(h, h.size() - 1);
  effective = GetEffectiveApiHistory(h);
  EXPECT_EQ(effective.size(), 11u);
  // Rewind to before the first summary: everything is back.
  RewindHistory(h, first_summary);
  EXPECT_EQ(GetEffectiveApiHistory(h).size(), 10u);
}

TEST(CondenseTest, RequestAnswersOrphansAndTextifiesTools) {
  History h = {
      MsgJson(R"({"role":"user","content":[{"type":"text","text":"go"},)"
              R"({"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA"}}]})"),
      MsgJson(R"({"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"read_file",)"
              R"("input":{"path":"/a","opts":{"x":[1,2]}}},{"type":"tool_use","id":"t2","name":"ls","input":{}}]})"),
      MsgJson(R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","is_error":true,)"
              R"("content":[{"type":"text","text":"no"},{"type":"image"},{"type":"doc"}]}]})"),
  };
  SummarizeOptions o;
  o.model_supports_images = false;
  o.now_ms = [] { return 1.0; };
  SummarizationRequest r = BuildSummarizationRequest(h, o);
  ASSERT_EQ(r.messages.size(), 5u);  // 3 + synthetic results + instruction
  EXPECT_EQ(r.messages[0].content()[1].Find("text").string_value(), kImagePlaceholderText);
  EXPECT_EQ(r.messages[1].content()[0].Find("text").string_value(),
            "[Tool Use: read_file]\npath: /a\nopts: {\n  \"x\": [\n    1,\n    2\n  ]\n}");
  EXPECT_EQ(r.messages[1].content()[1].Find("text").string_value(), "[Tool Use: ls]\n");
  EXPECT_EQ(r.messages[2].content()[0].Find("text").string_value(),
            "[Tool Result (Error)]\nno\n[Image]\n[doc]");
  EXPECT_EQ(r.messages[3].content()[0].Find("text").string_value(),
            std::string("[Tool Result]\n") + kSyntheticToolResultText);
  EXPECT_EQ(r.messages[3].role(), "user");
}

TEST(CondenseTest, EffectiveHistoryDropsOrphanResultsAfterSummary) {
  History h = {
      MsgJson(R"({"role":"user","content":"x","condenseParent":"c"})"),
      MsgJson(R"({"role":"user","content":[{"type":"text","text":"S"}],"isSummary":true,"condenseId":"c"})"),
      MsgJson(R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"old"},{"type":"text","text":"k"}]})"),
      MsgJson(R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"old"}]})"),
      MsgJson(R"({"role":"user","content":[]})"),
  };
  History e = GetEffectiveApiHistory(h);
  ASSERT_EQ(e.size(), 2u);  // the summary, and "k" without its orphan result
  EXPECT_EQ(HistoryToJson({e[1]}), R"([{"role":"user","content":[{"type":"text","text":"k"}]}])");
}

// --- properties over random conversations -----------------------------------

TEST(PropertyTest, RandomConversations) {
  std::mt19937 rng(6);
  for (int round = 0; round < 300; ++round) {
    SequentialIds ids;
    const int n = 1 + static_cast<int>(rng() % 40);
    History h = Alternating(n);
    const std::string original = HistoryToJson(h);
    History snapshot = h;
    std::vector<size_t> marker_positions;
    for (int step = 0; step < 4; ++step) {
      ManageOptions o = Options(&ids, 60001 + (rng() % 1000));
      o.auto_condense_context = false;
      const size_t before_visible = GetEffectiveApiHistory(h).size();
      absl::StatusOr<ManageResult> r = ManageContext(h, o);
      ASSERT_TRUE(r.ok());
      ASSERT_TRUE(r->truncated);
      // The number hidden is even.
      EXPECT_EQ(r->messages_removed % 2, 0u);
      // The first visible message is always kept.
      EXPECT_FALSE(Tagged(h[0]));
      History effective = GetEffectiveApiHistory(h);
      ASSERT_FALSE(effective.empty());
      EXPECT_EQ(effective[0].content().string_value(), "Initial task");
      if (r->messages_removed > 0) {
        EXPECT_EQ(effective.size(), before_visible - r->messages_removed + 1);
        // Effective history alternates as the reference's does: the first
        // user message, then markers (users), then an assistant turn, then
        // strict alternation.
        size_t i = 1;
        while (i < effective.size() && effective[i].is_truncation_marker()) ++i;
        for (bool want_assistant = true; i < effective.size(); ++i, want_assistant = !want_assistant) {
          EXPECT_EQ(effective[i].is_assistant(), want_assistant);
        }
      }
    }
    // Nothing is deleted: without markers and tags, the stored history is the
    // original.
    History stripped;
    for (Message m : h) {
      if (m.is_truncation_marker()) continue;
      m.Remove(kTruncationParent);
      stripped.push_back(m);
    }
    EXPECT_EQ(HistoryToJson(stripped), original);
    // Rewind to the first marker restores everything before it.
    size_t first_marker = h.size();
    for (size_t i = 0; i < h.size(); ++i) {
      if (h[i].is_truncation_marker()) {
        first_marker = i;
        break;
      }
    }
    RewindHistory(h, first_marker);
    EXPECT_EQ(HistoryToJson(h), HistoryToJson(History(snapshot.begin(), snapshot.begin() + h.size())));
    EXPECT_EQ(GetEffectiveApiHistory(h).size(), h.size());
  }
}

}  // namespace
}  // namespace ctxmem::context
