#include "context/management/legacy_policy.h"

#include <cmath>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "context/estimate/content_estimate.h"

namespace ctxmem::context {
namespace {

// The closing request of the legacy summarising call (this project's text;
// the instruction itself goes in the system prompt in this era).
constexpr char kLegacyFinalRequest[] =
    "Write the notes on the conversation above now, as the system prompt describes.";

}  // namespace

uint64_t LegacyTruncateConversation(History& messages, double frac_to_remove) {
  if (messages.empty()) return 0;
  const double raw = std::floor((static_cast<double>(messages.size()) - 1) * frac_to_remove);
  const double to_remove = raw - std::fmod(raw, 2.0);
  if (!(to_remove > 0)) return 0;
  const size_t n = std::min(static_cast<size_t>(to_remove), messages.size() - 1);
  messages.erase(messages.begin() + 1, messages.begin() + 1 + static_cast<std::ptrdiff_t>(n));
  return static_cast<uint64_t>(to_remove);
}

History LegacyGetMessagesSinceLastSummary(const History& messages, double now_ms) {
  size_t last = messages.size();
  for (size_t i = messages.size(); i-- > 0;) {
    if (messages[i].is_summary()) {
      last = i;
      break;
    }
  }
  if (last == messages.size()) return messages;
  // `messages[0]?.ts ? messages[0].ts - 1 : Date.now()`
  const json::JsValue first_ts = messages.front().ts();
  const double ts = JsTruthy(first_ts) ? JsToNumber(first_ts) - 1 : now_ms;
  History out;
  out.reserve(messages.size() - last + 1);
  out.push_back(Message::Make({{kRole, json::JsValue::String("user")},
                               {kContent, json::JsValue::String(kLegacyContinueText)},
                               {kTs, json::JsValue::Number(ts)}}));
  out.insert(out.end(), messages.begin() + static_cast<std::ptrdiff_t>(last), messages.end());
  return out;
}

SummarizeOutcome LegacySummarizeConversation(History& messages, const SummarizeOptions& options,
                                             double prev_context_tokens) {
  SummarizeOutcome outcome;
  const size_t keep_start =
      messages.size() > kLegacyMessagesToKeep ? messages.size() - kLegacyMessagesToKeep : 0;
  const History before_keep(messages.begin(),
                            messages.begin() + static_cast<std::ptrdiff_t>(keep_start));
  const History to_summarize = LegacyGetMessagesSinceLastSummary(before_keep, NowMs(options.now_ms));
  if (to_summarize.size() <= 1) {
    outcome.error = messages.size() <= kLegacyMessagesToKeep + 1 ? kErrorNotEnoughMessages
                                                                  : kErrorCondensedRecently;
    return outcome;
  }
  for (size_t i = keep_start; i < messages.size(); ++i) {
    if (messages[i].is_summary()) {
      outcome.error = kErrorCondensedRecently;
      return outcome;
    }
  }
  SummarizationRequest request;
  const std::string custom = JsTrim(options.custom_condensing_prompt);
  request.system_prompt = custom.empty() ? std::string(kSummarySystemPrompt) + "\n\n" +
                                               kDefaultCondenseInstruction
                                         : custom;
  for (const Message& m : to_summarize) {
    json::JsValue content = m.content();
    if (!options.model_supports_images) content = RemoveImageBlocks(content);
    request.messages.push_back(Message::Make({{kRole, m.Get(kRole)}, {kContent, content}}));
  }
  request.messages.push_back(Message::Make({{kRole, json::JsValue::String("user")},
                                            {kContent, json::JsValue::String(kLegacyFinalRequest)}}));
  SummarizerReply reply;
  if (options.summarizer) reply = options.summarizer(request);
  if (reply.threw) reply = SummarizerReply{};  // an empty summary (conformance.md §3)
  outcome.cost = reply.cost;
  const std::string summary = JsTrim(reply.text);
  if (summary.empty()) {
    outcome.error = kErrorCondenseFailed;
    return outcome;
  }
  Message summary_message = Message::Make({{kRole, json::JsValue::String("assistant")},
                                           {kContent, json::JsValue::String(summary)},
                                           {kTs, messages[keep_start].ts()},
                                           {kIsSummary, json::JsValue::Bool(true)}});
  // [system prompt, (summary unless the call reported output tokens), ...keep]
  // as one list of blocks, counted once.
  std::vector<json::JsValue> blocks;
  auto add_content = [&blocks](const json::JsValue& content) {
    if (content.is_string()) {
      blocks.push_back(json::JsValue::Object(
          {{"text", content}, {"type", json::JsValue::String("text")}}));
    } else if (content.is_array()) {
      for (size_t i = 0; i < content.size(); ++i) blocks.push_back(content[i]);
    }
  };
  add_content(json::JsValue::String(options.system_prompt));
  if (reply.output_tokens == 0 || std::isnan(reply.output_tokens)) {
    add_content(summary_message.content());
  }
  for (size_t i = keep_start; i < messages.size(); ++i) add_content(messages[i].content());
  const double new_tokens =
      reply.output_tokens + static_cast<double>(EstimateContentTokens(json::JsValue::Array(blocks)));
  if (new_tokens >= prev_context_tokens) {
    outcome.error = kErrorContextGrew;
    return outcome;
  }
  messages.insert(messages.begin() + static_cast<std::ptrdiff_t>(keep_start),
                  std::move(summary_message));
  outcome.summary = summary;
  outcome.new_context_tokens = new_tokens;
  return outcome;
}

absl::StatusOr<ManageResult> LegacyManageContext(History& messages, const ManageOptions& options) {
  if (messages.empty()) {
    return absl::InvalidArgumentError(
        "manageContext needs at least one message (the reference throws on an empty history)");
  }
  ManageResult result;
  result.prev_context_tokens =
      options.total_tokens + static_cast<double>(messages.back().EstimateTokens());
  result.allowed_tokens = AllowedTokens(options.context_window, options.max_tokens);
  const double prev = result.prev_context_tokens;
  if (options.auto_condense_context) {
    const double percent = 100 * prev / options.context_window;
    if (percent >= EffectiveCondenseThreshold(options) || prev > result.allowed_tokens) {
      result.condense_triggered = true;
      const SummarizeOptions summarize = AutomaticSummarizeOptions(options);
      SummarizeOutcome outcome = LegacySummarizeConversation(messages, summarize, prev);
      result.cost = outcome.cost;
      if (!outcome.error) {
        result.condensed = true;
        result.summary = std::move(outcome.summary);
        result.new_context_tokens = outcome.new_context_tokens;
        return result;
      }
      result.error = std::move(outcome.error);
    }
  }
  if (prev > result.allowed_tokens) {
    result.truncated = true;
    result.messages_removed = LegacyTruncateConversation(messages, 0.5);
  }
  return result;
}

}  // namespace ctxmem::context
