// The double JavaScript's JSON.parse gives for a JSON number literal.

#ifndef CTXMEM_CONTEXT_JSON_INTERNAL_NUMBER_TEXT_H_
#define CTXMEM_CONTEXT_JSON_INTERNAL_NUMBER_TEXT_H_

namespace ctxmem::json::internal {

// [begin, end) is a valid JSON number (-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?).
// Correctly rounded; a literal beyond the double range becomes ±Infinity
// (1e400) or ±0 (1e-400), as in JavaScript, instead of an error.
double NumberFromJsonText(const char* begin, const char* end);

}  // namespace ctxmem::json::internal

#endif  // CTXMEM_CONTEXT_JSON_INTERNAL_NUMBER_TEXT_H_
