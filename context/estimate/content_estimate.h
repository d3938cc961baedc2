// The reference assistant's token estimate of message content.
//
// The reference counts a content array with tiktoken's o200k_base and then
// multiplies the sum by a fudge factor, once per call:
//
//   estimate = ceil(1.5 * sum of the blocks' token counts)
//
// Each block counts as (context-reference.md §3.1):
//   text         the tokens of its text ("" if absent);
//   image        ceil(sqrt(length of source.data in UTF-16 units)), or 300
//                when the image carries no data;
//   tool_use     the tokens of "Tool: <name>" followed, when `input` is
//                present, by "\nArguments: " + JSON.stringify(input);
//   tool_result  the tokens of "Tool Result (<tool_use_id>)", "[Error]" when
//                is_error, and the content (a string, or per block: its
//                text, "[Image content]", or "[Unsupported content block:
//                <type>]"), joined by "\n";
//   other types  0.
// Strings are the WTF-8 a JSON.parse would have made (json/js_value.h); a
// lone surrogate reaches the tokenizer as U+FFFD, as in the reference's WASM
// boundary. JSON.stringify and JavaScript's string conversions are
// reproduced byte for byte (json/stringify_json.h).
//
//   absl::StatusOr<json::JsValue> doc = json::ParseJson(R"({"content": [...]})");
//   uint64_t n = EstimateContentTokens(doc->Find("content"));

#ifndef CTXMEM_CONTEXT_ESTIMATE_CONTENT_ESTIMATE_H_
#define CTXMEM_CONTEXT_ESTIMATE_CONTENT_ESTIMATE_H_

#include <cstdint>
#include <string>

#include "context/json/js_value.h"
#include "context/tokenizer/encoding.h"

namespace ctxmem::context {

// The factor the reference applies to the summed block counts.
inline constexpr double kTokenFudgeFactor = 1.5;
// The count of an image block without data.
inline constexpr uint64_t kImageWithoutDataTokens = 300;

// The estimate of `content`: an array of blocks, or a string (counted as one
// text block); null, undefined or an empty array count 0 (no fudge).
uint64_t EstimateContentTokens(const json::JsValue& content,
                               const tokenizer::Encoding& encoding =
                                   tokenizer::Encoding::Get(tokenizer::EncodingName::kO200kBase));

// One block's count before the fudge factor.
uint64_t CountBlockTokens(const json::JsValue& block, const tokenizer::Encoding& encoding);

// The text the reference tokenizes for a tool_use / tool_result block (WTF-8).
std::string ToolUseText(const json::JsValue& block);
std::string ToolResultText(const json::JsValue& block);

// JavaScript's String(value) for a parsed JSON value ("undefined", "null",
// "true", numbers as JavaScript prints them, arrays joined by ",", objects as
// "[object Object]").
std::string JsToString(const json::JsValue& value);

}  // namespace ctxmem::context

#endif  // CTXMEM_CONTEXT_ESTIMATE_CONTENT_ESTIMATE_H_
