#include "cli/manage_command.h"

#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "context/history/history.h"
#include "context/json/js_number.h"
#include "context/json/parse_json.h"
#include "context/json/stringify_json.h"
#include "context/management/current_policy.h"
#include "context/management/legacy_policy.h"

namespace ctxmem::cli {
namespace {

using context::History;
using json::JsType;
using json::JsValue;

absl::Status FieldError(std::string_view field, std::string_view want, const JsValue& got) {
  return absl::InvalidArgumentError(absl::StrCat("\"", std::string(field), "\" must be ",
                                                 std::string(want), ", not ",
                                                 std::string(json::JsTypeName(got.type()))));
}

// A required number field.
absl::StatusOr<double> Number(const JsValue& doc, std::string_view field) {
  const JsValue v = doc.Find(field);
  if (!v.is_number()) return FieldError(field, "a number", v);
  return v.number_value();
}

void AppendOptionalNumber(const std::optional<double>& x, std::string* out) {
  if (x.has_value()) {
    json::AppendJsNumber(*x, out);
  } else {
    out->append("null");
  }
}

}  // namespace

absl::StatusOr<std::string> RunManage(const std::string& json_text) {
  absl::StatusOr<JsValue> doc = json::ParseJson(json_text);
  if (!doc.ok()) return doc.status();
  if (!doc->is_object()) return FieldError("input", "an object", *doc);

  absl::StatusOr<History> history = context::ParseHistory(doc->Find("messages"));
  if (!history.ok()) return history.status();
  if (history->empty()) {
    return absl::InvalidArgumentError(
        "\"messages\" is empty: manageContext needs at least one message (the last one is the "
        "incoming user message)");
  }

  context::SequentialIds ids;
  context::ManageOptions options;
  options.ids = &ids;
  absl::StatusOr<double> total = Number(*doc, "totalTokens");
  if (!total.ok()) return total.status();
  options.total_tokens = *total;
  absl::StatusOr<double> window = Number(*doc, "contextWindow");
  if (!window.ok()) return window.status();
  options.context_window = *window;

  const JsValue max_tokens = doc->Find("maxTokens");
  if (max_tokens.is_number()) {
    options.max_tokens = max_tokens.number_value();
  } else if (!max_tokens.is_null() && !max_tokens.is_undefined()) {
    return FieldError("maxTokens", "a number or null", max_tokens);
  }
  const JsValue auto_condense = doc->Find("autoCondenseContext");
  if (auto_condense.is_bool()) {
    options.auto_condense_context = auto_condense.bool_value();
  } else if (!auto_condense.is_undefined()) {
    return FieldError("autoCondenseContext", "a boolean", auto_condense);
  }
  const JsValue percent = doc->Find("autoCondenseContextPercent");
  if (percent.is_number()) {
    options.auto_condense_context_percent = percent.number_value();
  } else if (!percent.is_undefined()) {
    return FieldError("autoCondenseContextPercent", "a number", percent);
  }
  const JsValue system_prompt = doc->Find("systemPrompt");
  if (system_prompt.is_string()) {
    options.system_prompt = std::string(system_prompt.string_value());
  } else if (!system_prompt.is_undefined()) {
    return FieldError("systemPrompt", "a string", system_prompt);
  }
  const JsValue thresholds = doc->Find("profileThresholds");
  if (thresholds.is_object()) {
    options.profile_thresholds = thresholds;
  } else if (!thresholds.is_undefined()) {
    return FieldError("profileThresholds", "an object", thresholds);
  }
  const JsValue profile = doc->Find("currentProfileId");
  if (profile.is_string()) {
    options.current_profile_id = std::string(profile.string_value());
  } else if (!profile.is_undefined()) {
    return FieldError("currentProfileId", "a string", profile);
  }

  // The summarising call: "fail" throws; {"summary", "cost"} streams them.
  const JsValue summarizer = doc->Find("summarizer");
  context::SummarizerReply reply;
  if (summarizer.is_undefined() || summarizer.string_value() == "fail") {
    reply.threw = true;
    reply.error_message = "summarizer: fail";
  } else if (summarizer.is_object()) {
    const JsValue summary = summarizer.Find("summary");
    const JsValue cost = summarizer.Find("cost");
    if (!summary.is_string()) return FieldError("summarizer.summary", "a string", summary);
    if (!cost.is_number() && !cost.is_undefined()) {
      return FieldError("summarizer.cost", "a number", cost);
    }
    reply.text = std::string(summary.string_value());
    reply.cost = cost.number_value();
  } else {
    return FieldError("summarizer", "\"fail\" or {\"summary\", \"cost\"}", summarizer);
  }
  options.summarizer = [reply](const context::SummarizationRequest&) { return reply; };

  const JsValue policy = doc->Find("policy");
  bool legacy = false;
  if (policy.string_value() == "legacy") {
    legacy = true;
  } else if (!policy.is_undefined() && policy.string_value() != "current") {
    return absl::InvalidArgumentError(
        "\"policy\" must be \"current\" or \"legacy\"");
  }

  absl::StatusOr<context::ManageResult> result =
      legacy ? context::LegacyManageContext(*history, options)
             : context::ManageContext(*history, options);
  if (!result.ok()) return result.status();
  const History effective =
      legacy ? context::LegacyGetMessagesSinceLastSummary(*history, 0)
             : context::GetEffectiveApiHistory(*history);

  std::string out = "{\"prevContextTokens\":";
  json::AppendJsNumber(result->prev_context_tokens, &out);
  out += ",\"allowedTokens\":";
  json::AppendJsNumber(result->allowed_tokens, &out);
  out += result->condense_triggered ? ",\"condenseTriggered\":true" : ",\"condenseTriggered\":false";
  out += result->condensed ? ",\"condensed\":true" : ",\"condensed\":false";
  out += result->truncated ? ",\"truncated\":true" : ",\"truncated\":false";
  out += ",\"messagesRemoved\":";
  json::AppendJsNumber(static_cast<double>(result->messages_removed), &out);
  out += ",\"newContextTokensAfterTruncation\":";
  AppendOptionalNumber(result->new_context_tokens_after_truncation, &out);
  out += ",\"newContextTokens\":";
  AppendOptionalNumber(result->new_context_tokens, &out);
  out += ",\"error\":";
  if (result->error.has_value()) {
    json::AppendJsonString(*result->error, &out);
  } else {
    out += "null";
  }
  out += ",\"messages\":";
  context::AppendHistoryJson(*history, &out);
  out += ",\"effectiveHistory\":";
  context::AppendHistoryJson(effective, &out);
  out += "}";
  return out;
}

absl::Status RunManageCommand(const std::string& json_path, std::FILE* out) {
  std::ifstream in(json_path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", json_path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading ", json_path));
  absl::StatusOr<std::string> text = RunManage(buffer.str());
  if (!text.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(json_path, ": ", std::string(text.status().message())));
  }
  std::fwrite(text->data(), 1, text->size(), out);
  std::fputc('\n', out);
  return absl::OkStatus();
}

}  // namespace ctxmem::cli
