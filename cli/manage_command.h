// `ctxmem manage --json=FILE`: one manageContext step of the reference
// assistant on the user's own conversation, printed as one JSON object
// (conformance.md §3): the decision (prevContextTokens, allowedTokens,
// whether it condensed or truncated, the error key), the stored history
// after the step and what would be sent to the model. Policy "current"
// (default) is context/management/current_policy.h, "legacy" is
// context/management/legacy_policy.h.

#ifndef CTXMEM_CLI_MANAGE_COMMAND_H_
#define CTXMEM_CLI_MANAGE_COMMAND_H_

#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace ctxmem::cli {

// The output document for the input document `json_text` (without the
// trailing newline); errors are one line, naming the position or field.
absl::StatusOr<std::string> RunManage(const std::string& json_text);

absl::Status RunManageCommand(const std::string& json_path, std::FILE* out);

}  // namespace ctxmem::cli

#endif  // CTXMEM_CLI_MANAGE_COMMAND_H_
