// `ctxmem estimate --json=FILE`: the reference assistant's token estimate of
// {"content": [blocks]} (context/estimate/content_estimate.h), printed as one
// integer, for parity checks on users' own data (conformance.md §2).

#ifndef CTXMEM_CLI_ESTIMATE_COMMAND_H_
#define CTXMEM_CLI_ESTIMATE_COMMAND_H_

#include <cstdio>
#include <string>

#include "absl/status/status.h"

namespace ctxmem::cli {

absl::Status RunEstimateCommand(const std::string& json_path, std::FILE* out);

}  // namespace ctxmem::cli

#endif  // CTXMEM_CLI_ESTIMATE_COMMAND_H_
