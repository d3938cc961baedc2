// `ctxmem tokens`: token counts and id hashes for a JSONL file, in the fixed
// format of the conformance spec, so users can prove ctxmem counts exactly as
// tiktoken does on their own data.
//
//   input:  one {"id": "<string>", "text": "<string>"} per line
//   output: "<id> <count> <hash>" per line, in order; <hash> is FNV-1a 64 over
//           the ids, each as 4 little-endian bytes, as 16 lowercase hex digits.
//
// Lone surrogates in `text` reach the tokenizer as U+FFFD, as they do when a
// JavaScript string crosses into tiktoken's WASM core. A malformed line stops
// the run with an error naming its line and position.

#ifndef CTXMEM_CLI_TOKENS_COMMAND_H_
#define CTXMEM_CLI_TOKENS_COMMAND_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace ctxmem::cli {

// FNV-1a 64-bit over `ids`, each as 4 bytes little-endian.
uint64_t HashTokenIds(const std::vector<uint32_t>& ids);

absl::Status RunTokensCommand(const std::string& encoding, const std::string& jsonl_path,
                              std::FILE* out);

}  // namespace ctxmem::cli

#endif  // CTXMEM_CLI_TOKENS_COMMAND_H_
