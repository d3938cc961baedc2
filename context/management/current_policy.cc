#include "context/management/current_policy.h"

#include <cmath>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "context/estimate/content_estimate.h"
#include "context/management/condense.h"

namespace ctxmem::context {
namespace {

bool Contains(const std::vector<json::JsValue>& set, const json::JsValue& value) {
  for (const json::JsValue& v : set) {
    if (JsSameValueZero(v, value)) return true;
  }
  return false;
}

void AddTo(std::vector<json::JsValue>& set, const json::JsValue& value) {
  if (!Contains(set, value)) set.push_back(value);
}

// Ids of summaries (isSummary && condenseId) and markers (isTruncationMarker
// && truncationId) among `messages`.
void CollectParentIds(const Message* begin, const Message* end,
                      std::vector<json::JsValue>* summary_ids,
                      std::vector<json::JsValue>* truncation_ids) {
  for (const Message* m = begin; m != end; ++m) {
    if (summary_ids != nullptr && m->is_summary() && JsTruthy(m->condense_id())) {
      AddTo(*summary_ids, m->condense_id());
    }
    if (m->is_truncation_marker() && JsTruthy(m->truncation_id())) {
      AddTo(*truncation_ids, m->truncation_id());
    }
  }
}

bool IsVisibleForTruncation(const Message& m) {
  return !JsTruthy(m.truncation_parent()) && !m.is_truncation_marker();
}

}  // namespace

std::string TruncationMarkerText(uint64_t count) {
  return "[Sliding window truncation: " + std::to_string(count) +
         " messages hidden to reduce context]";
}

TruncationResult TruncateConversation(History& messages, double frac_to_remove, IdSource& ids,
                                      double now_ms) {
  TruncationResult result;
  result.truncation_id = ids.NextId();
  std::vector<size_t> visible;
  visible.reserve(messages.size());
  for (size_t i = 0; i < messages.size(); ++i) {
    if (IsVisibleForTruncation(messages[i])) visible.push_back(i);
  }
  const double raw = std::floor((static_cast<double>(visible.size()) - 1) * frac_to_remove);
  const double to_remove = raw - std::fmod(raw, 2.0);
  if (!(to_remove > 0)) return result;
  const size_t n = static_cast<size_t>(to_remove);
  const json::JsValue id = json::JsValue::String(result.truncation_id);
  for (size_t pos = 1; pos <= n; ++pos) messages[visible[pos]].Set(kTruncationParent, id);
  const size_t first_kept = n + 1 < visible.size() ? visible[n + 1] : messages.size();
  const double ts = first_kept < messages.size() ? JsToNumber(messages[first_kept].ts()) - 1
                                                 : now_ms - 1;
  Message marker = Message::Make({
      {kRole, json::JsValue::String("user")},
      {kContent, json::JsValue::String(TruncationMarkerText(n))},
      {kTs, json::JsValue::Number(ts)},
      {kIsTruncationMarker, json::JsValue::Bool(true)},
      {kTruncationId, id},
  });
  messages.insert(messages.begin() + static_cast<std::ptrdiff_t>(first_kept), std::move(marker));
  result.messages_removed = n;
  return result;
}

bool WillManageContext(const ManageOptions& options, double last_message_tokens) {
  const double prev = options.total_tokens + last_message_tokens;
  const double allowed = AllowedTokens(options.context_window, options.max_tokens);
  if (!options.auto_condense_context) return prev > allowed;
  const double percent = 100 * prev / options.context_window;
  return percent >= EffectiveCondenseThreshold(options) || prev > allowed;
}

absl::StatusOr<ManageResult> ManageContext(History& messages, const ManageOptions& options) {
  if (messages.empty()) {
    return absl::InvalidArgumentError(
        "manageContext needs at least one message (the reference throws on an empty history)");
  }
  if (options.ids == nullptr) return absl::InvalidArgumentError("ManageOptions::ids is required");
  ManageResult result;
  const double last_tokens = static_cast<double>(messages.back().EstimateTokens());
  result.prev_context_tokens = options.total_tokens + last_tokens;
  result.allowed_tokens = AllowedTokens(options.context_window, options.max_tokens);
  const double prev = result.prev_context_tokens;

  if (options.auto_condense_context) {
    const double percent = 100 * prev / options.context_window;
    if (percent >= EffectiveCondenseThreshold(options) || prev > result.allowed_tokens) {
      result.condense_triggered = true;
      const SummarizeOptions summarize = AutomaticSummarizeOptions(options);
      SummarizeOutcome outcome = SummarizeConversation(messages, summarize);
      result.cost = outcome.cost;
      if (!outcome.error) {
        result.condensed = true;
        result.summary = std::move(outcome.summary);
        result.new_context_tokens = outcome.new_context_tokens;
        result.condense_id = std::move(outcome.condense_id);
        return result;
      }
      result.error = std::move(outcome.error);
      result.error_details = std::move(outcome.error_details);
    }
  }

  if (prev > result.allowed_tokens) {
    result.truncated = true;
    TruncationResult truncation =
        TruncateConversation(messages, 0.5, *options.ids, NowMs(options.now_ms));
    result.truncation_id = std::move(truncation.truncation_id);
    result.messages_removed = truncation.messages_removed;
    // One estimate for the system prompt, one per visible message, each
    // rounded up on its own (§0.1).
    double tokens = static_cast<double>(
        EstimateContentTokens(json::JsValue::String(options.system_prompt)));
    for (const Message& m : messages) {
      if (IsVisibleForTruncation(m)) tokens += static_cast<double>(m.EstimateTokens());
    }
    result.new_context_tokens_after_truncation = tokens;
  }
  return result;
}

History GetEffectiveApiHistory(const History& messages) {
  size_t last_summary = messages.size();
  for (size_t i = messages.size(); i-- > 0;) {
    const json::JsValue flag = messages[i].Get(kIsSummary);
    if (flag.is_bool() && flag.bool_value()) {  // `isSummary === true`
      last_summary = i;
      break;
    }
  }
  History out;
  if (last_summary < messages.size()) {
    std::vector<json::JsValue> tool_use_ids;
    for (size_t i = last_summary; i < messages.size(); ++i) {
      const Message& m = messages[i];
      if (!m.is_assistant()) continue;
      const json::JsValue content = m.content();  // unpacked once per message
      if (!content.is_array()) continue;
      for (size_t b = 0; b < content.size(); ++b) {
        const json::JsValue block = content[b];
        if (block.Find("type").string_value() == "tool_use" && JsTruthy(block.Find("id"))) {
          AddTo(tool_use_ids, block.Find("id"));
        }
      }
    }
    History from_summary;
    for (size_t i = last_summary; i < messages.size(); ++i) {
      const Message& m = messages[i];
      const json::JsValue content = m.is_user() ? m.content() : json::JsValue();
      if (!content.is_array()) {
        from_summary.push_back(m);
        continue;
      }
      std::vector<json::JsValue> kept;
      for (size_t b = 0; b < content.size(); ++b) {
        const json::JsValue block = content[b];
        if (block.Find("type").string_value() == "tool_result" &&
            !Contains(tool_use_ids, block.Find("tool_use_id"))) {
          continue;
        }
        kept.push_back(block);
      }
      if (kept.empty()) continue;
      from_summary.push_back(m);
      if (kept.size() != content.size()) {
        from_summary.back().Set(kContent, json::JsValue::Array(kept));
      }
    }
    std::vector<json::JsValue> truncation_ids;
    CollectParentIds(from_summary.data(), from_summary.data() + from_summary.size(), nullptr,
                     &truncation_ids);
    for (Message& m : from_summary) {
      const json::JsValue parent = m.truncation_parent();
      if (JsTruthy(parent) && Contains(truncation_ids, parent)) continue;
      out.push_back(std::move(m));
    }
    return out;
  }
  std::vector<json::JsValue> summary_ids, truncation_ids;
  CollectParentIds(messages.data(), messages.data() + messages.size(), &summary_ids,
                   &truncation_ids);
  for (const Message& m : messages) {
    const json::JsValue condense_parent = m.condense_parent();
    if (JsTruthy(condense_parent) && Contains(summary_ids, condense_parent)) continue;
    const json::JsValue truncation_parent = m.truncation_parent();
    if (JsTruthy(truncation_parent) && Contains(truncation_ids, truncation_parent)) continue;
    out.push_back(m);
  }
  return out;
}

size_t MessagesSinceLastSummaryStart(const History& messages) {
  for (size_t i = messages.size(); i-- > 0;) {
    if (messages[i].is_summary()) return i;
  }
  return 0;
}

History GetMessagesSinceLastSummary(const History& messages) {
  return History(messages.begin() + static_cast<std::ptrdiff_t>(
                                        MessagesSinceLastSummaryStart(messages)),
                 messages.end());
}

void CleanupAfterTruncation(History& messages) {
  std::vector<json::JsValue> summary_ids, truncation_ids;
  CollectParentIds(messages.data(), messages.data() + messages.size(), &summary_ids,
                   &truncation_ids);
  for (Message& m : messages) {
    const json::JsValue condense_parent = m.condense_parent();
    const json::JsValue truncation_parent = m.truncation_parent();
    const bool condense_orphan =
        JsTruthy(condense_parent) && !Contains(summary_ids, condense_parent);
    const bool truncation_orphan =
        JsTruthy(truncation_parent) && !Contains(truncation_ids, truncation_parent);
    if (!condense_orphan && !truncation_orphan) continue;
    // The reference rebuilds the object without both keys and puts back the
    // ones that are still valid, at the end.
    m.Remove(kCondenseParent);
    m.Remove(kTruncationParent);
    if (JsTruthy(condense_parent) && Contains(summary_ids, condense_parent)) {
      m.Set(kCondenseParent, condense_parent);
    }
    if (JsTruthy(truncation_parent) && Contains(truncation_ids, truncation_parent)) {
      m.Set(kTruncationParent, truncation_parent);
    }
  }
}

void RewindHistory(History& messages, size_t index) {
  if (index < messages.size()) messages.erase(messages.begin() + static_cast<std::ptrdiff_t>(index), messages.end());
  CleanupAfterTruncation(messages);
}

absl::StatusOr<ManageResult> HandleContextWindowExceeded(History& messages,
                                                         const ManageOptions& options,
                                                         double context_tokens) {
  ManageOptions forced = options;
  forced.auto_condense_context = true;
  forced.auto_condense_context_percent = kForcedContextReductionPercent;
  forced.total_tokens = std::isnan(context_tokens) ? 0 : context_tokens;  // `contextTokens || 0`
  forced.custom_condensing_prompt.clear();
  forced.files_read.clear();
  return ManageContext(messages, forced);
}

}  // namespace ctxmem::context
