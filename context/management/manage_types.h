// Options and results shared by the context-management policies.
//
// These are the inputs of the reference's manageContext (context-reference.md
// §1.5) minus what ctxmem has no use for (telemetry task ids, VS Code
// handles), plus the two things the reference takes from its runtime and a
// re-implementation must be told: where new ids come from (randomUUID) and
// what time it is (Date.now), so that runs can be reproduced byte for byte.

#ifndef CTXMEM_CONTEXT_MANAGEMENT_MANAGE_TYPES_H_
#define CTXMEM_CONTEXT_MANAGEMENT_MANAGE_TYPES_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "context/history/message.h"
#include "context/json/js_value.h"
#include "context/management/folded_file_context.h"

namespace ctxmem::context {

// Constants of context-reference.md §1.1.
inline constexpr double kTokenBufferPercentage = 0.1;
inline constexpr double kAnthropicDefaultMaxTokens = 8192;
inline constexpr double kMinCondenseThreshold = 5;
inline constexpr double kMaxCondenseThreshold = 100;
inline constexpr double kForcedContextReductionPercent = 75;
inline constexpr int kMaxContextWindowRetries = 3;

// The reference's error keys (i18n keys with their namespace).
inline constexpr char kErrorCondenseFailed[] = "common:errors.condense_failed";
inline constexpr char kErrorCondenseApiFailed[] = "common:errors.condense_api_failed";
inline constexpr char kErrorNotEnoughMessages[] = "common:errors.condense_not_enough_messages";
inline constexpr char kErrorCondensedRecently[] = "common:errors.condensed_recently";
inline constexpr char kErrorContextGrew[] = "common:errors.condense_context_grew";

// Makes the ids the reference gets from crypto.randomUUID().
class IdSource {
 public:
  virtual ~IdSource() = default;
  virtual std::string NextId() = 0;
};

// "id-1", "id-2", … in order of creation (conformance.md §3).
class SequentialIds : public IdSource {
 public:
  std::string NextId() override { return "id-" + std::to_string(++count_); }

 private:
  uint64_t count_ = 0;
};

// Date.now(): `now_ms()` when given (reproducible runs), else the clock.
double NowMs(const std::function<double()>& now_ms);

// What the summarising model is sent (context-reference.md §2.1 steps 5-8).
struct SummarizationRequest {
  std::string system_prompt;
  std::vector<Message> messages;  // {role, content} only
};

// What the summarising call gave back.
struct SummarizerReply {
  bool threw = false;          // the call (or its stream) threw
  std::string error_message;   // its message, when it threw
  std::string text;            // the streamed text, concatenated
  double cost = 0;             // usage.totalCost ?? 0
  double output_tokens = 0;    // usage.outputTokens ?? 0
};

using Summarizer = std::function<SummarizerReply(const SummarizationRequest&)>;

struct ManageOptions {
  double total_tokens = 0;
  double context_window = 0;
  // `maxTokens || 8192`: 0 and NaN (JavaScript's falsy numbers) and absent
  // all mean 8192.
  double max_tokens = 0;
  bool auto_condense_context = true;
  double auto_condense_context_percent = 100;
  std::string system_prompt;
  // {"<profile id>": <percent>} as the reference's settings hold it.
  json::JsValue profile_thresholds;
  std::string current_profile_id = "default";
  std::string custom_condensing_prompt;
  // Added as the summary's last block when condensing (automatic trigger).
  std::string environment_details;
  // Files read during the task with their definitions (filesReadByRoo): a
  // summary block each. HandleContextWindowExceeded passes none, as the
  // reference does.
  std::vector<FileDefinitions> files_read;
  bool model_supports_images = true;
  // The summarising call; null makes it throw (condense_api_failed).
  Summarizer summarizer;
  IdSource* ids = nullptr;  // required
  // Date.now(), used only where the reference has no ts to start from.
  std::function<double()> now_ms;
};

struct ManageResult {
  double prev_context_tokens = 0;
  double allowed_tokens = 0;
  bool condense_triggered = false;  // summarising was attempted
  bool condensed = false;           // a summary was added
  bool truncated = false;           // the truncation step ran
  uint64_t messages_removed = 0;
  std::optional<double> new_context_tokens_after_truncation;
  std::optional<double> new_context_tokens;
  std::optional<std::string> error;  // an error key above
  std::string error_details;
  std::string summary;
  double cost = 0;
  std::optional<std::string> truncation_id;
  std::optional<std::string> condense_id;
};

// `contextWindow * (1 - 0.1) - (maxTokens || 8192)`, unrounded.
double AllowedTokens(double context_window, double max_tokens);

// The threshold in percent manageContext compares with (§1.5 step 5).
double EffectiveCondenseThreshold(const ManageOptions& options);

}  // namespace ctxmem::context

#endif  // CTXMEM_CONTEXT_MANAGEMENT_MANAGE_TYPES_H_
