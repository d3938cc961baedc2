// `ctxmem limits --model=ID [--settings=JSON]`: a model's window and the
// output tokens the reference reserves from it (conformance.md §4).
//
// Prints one line, JSON.stringify of
//   {"model", "contextWindow", "maxTokens", "reservedTokens", "allowedTokens"}
// where maxTokens is the model's own value (null if it has none),
// reservedTokens is getModelMaxOutputTokens under the settings (8192 where
// it gives nothing) and allowedTokens = contextWindow × 0.9 − reservedTokens,
// unrounded; numbers as JavaScript prints them.
//
// The settings object may carry enableReasoningEffort (boolean),
// modelMaxTokens (number), format ("anthropic", "openai", "gemini",
// "openrouter") and apiProvider (a string, ignored as the reference ignores
// it); null counts as absent and other members are ignored.

#ifndef CTXMEM_CLI_LIMITS_COMMAND_H_
#define CTXMEM_CLI_LIMITS_COMMAND_H_

#include <cstdio>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace ctxmem::cli {

// The output line without its newline. NotFound for an unknown model,
// InvalidArgument for malformed settings; an empty `settings_json` is {}.
absl::StatusOr<std::string> LimitsJson(std::string_view model_id, std::string_view settings_json);

// Writes LimitsJson and a newline to `out`.
absl::Status RunLimitsCommand(std::string_view model_id, std::string_view settings_json,
                              std::FILE* out);

}  // namespace ctxmem::cli

#endif  // CTXMEM_CLI_LIMITS_COMMAND_H_
