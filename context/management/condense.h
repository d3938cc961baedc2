// Condensing: the reference's "fresh start" summarisation (context-reference.md
// §2.1, v3.43+), split so a caller can run the model call itself.
//
//   std::optional<std::string> error = CondensePrecondition(history);
//   SummarizationRequest request = BuildSummarizationRequest(history, options);
//   ... send request.system_prompt + request.messages to a model ...
//   SummarizeOutcome done = ApplySummary(history, reply, options);
//
// or SummarizeConversation(history, options), which does all three with
// options.summarizer. On success the history gains one user message (the
// summary, isSummary, a new condenseId) at its end, and every message that
// had no condenseParent is tagged with that id: nothing is deleted, and the
// effective history (current_policy.h) is the summary alone.
//
// The texts that go to the summarising model (its system prompt and the
// closing instruction) are this project's own; the reference's are not
// reproduced. The literal strings that reach stored history or decide
// parity (markers, headings) are the reference's.

#ifndef CTXMEM_CONTEXT_MANAGEMENT_CONDENSE_H_
#define CTXMEM_CONTEXT_MANAGEMENT_CONDENSE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "context/history/history.h"
#include "context/json/js_value.h"
#include "context/management/folded_file_context.h"
#include "context/management/manage_types.h"

namespace ctxmem::context {

// The system prompt of the summarising call and the default closing
// instruction (written for ctxmem).
extern const char kSummarySystemPrompt[];
extern const char kDefaultCondenseInstruction[];

// The tool_result content given to tool calls that have no result yet.
inline constexpr char kSyntheticToolResultText[] =
    "Context condensation triggered. Tool execution deferred.";
// What an image becomes for a model without image input.
inline constexpr char kImagePlaceholderText[] = "[Referenced image in conversation]";

struct SummarizeOptions {
  std::string system_prompt;             // the agent's, for newContextTokens
  std::string custom_condensing_prompt;  // used when non-blank
  std::string environment_details;       // last summary block if automatic
  // Files read during the task (filesReadByRoo), with their definitions:
  // one summary block each (folded_file_context.h).
  std::vector<FileDefinitions> files_read;
  bool is_automatic_trigger = false;
  bool model_supports_images = true;
  Summarizer summarizer;  // for SummarizeConversation; null: the call throws
  IdSource* ids = nullptr;
  std::function<double()> now_ms;
};

// The options manageContext passes when it condenses on its own (both
// policies): ManageOptions' prompt, model and summarizer fields, automatic.
SummarizeOptions AutomaticSummarizeOptions(const ManageOptions& options);

struct SummarizeOutcome {
  std::optional<std::string> error;  // an error key (manage_types.h)
  std::string error_details;
  double cost = 0;
  std::string summary;  // trimmed
  std::optional<double> new_context_tokens;
  std::optional<std::string> condense_id;
};

// The error summarising would stop with before calling the model
// (condense_not_enough_messages / condensed_recently), if any.
std::optional<std::string> CondensePrecondition(const History& messages);

// The request for the messages since the last summary: orphan tool calls
// answered, images replaced when the model cannot see them, tool blocks
// turned to text, and the instruction as a final user message.
SummarizationRequest BuildSummarizationRequest(const History& messages,
                                               const SummarizeOptions& options);

// Applies the model's reply: an error for a thrown call or an empty
// summary, else the summary message appended and the history tagged.
SummarizeOutcome ApplySummary(History& messages, const SummarizerReply& reply,
                              const SummarizeOptions& options);

SummarizeOutcome SummarizeConversation(History& messages, const SummarizeOptions& options);

// Helpers of the request, as the reference names them.
std::string ToolUseToText(const json::JsValue& block);
std::string ToolResultToText(const json::JsValue& block);
json::JsValue ConvertToolBlocksToText(const json::JsValue& content);
json::JsValue RemoveImageBlocks(const json::JsValue& content);
// Messages with one synthetic user message appended when some assistant
// tool_use id has no tool_result.
History InjectSyntheticToolResults(const History& messages, double now_ms);
// Every <command ...>...</command> block of the message's text, joined by "\n".
std::string ExtractCommandBlocks(const Message& message);

// String.prototype.trim (JavaScript's white space and line terminators).
std::string JsTrim(std::string_view s);

// JSON.stringify(value, null, 2).
std::string StringifyJsonIndented(const json::JsValue& value);

}  // namespace ctxmem::context

#endif  // CTXMEM_CONTEXT_MANAGEMENT_CONDENSE_H_
