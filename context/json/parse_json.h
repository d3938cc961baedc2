// ParseJson: JSON.parse, with JavaScript's results and one-line errors.
//
//   absl::StatusOr<JsValue> doc = ParseJson(text);
//   if (!doc.ok()) ... doc.status().message() is e.g.
//       "line 3, column 17 (byte 52): expected ',' or '}'"
//
// Accepts exactly what JSON.parse accepts (RFC 8259 JSON; whitespace is
// space, tab, CR, LF; no BOM, comments or trailing commas) and gives the
// value it gives (js_value.h): lone surrogate escapes are kept (as WTF-8),
// numbers are the nearest double, with literals beyond the double range as
// ±Infinity or ±0. Two differences, both errors where JavaScript would go on:
//  * the text must be UTF-8 (JavaScript would have decoded bad bytes to
//    U+FFFD before parsing); invalid UTF-8 is an error naming its position;
//  * arrays and objects nest at most ParseJsonOptions::max_depth deep.
//
// Errors are InvalidArgument with one line: the position as a 1-based line
// (lines end at LF), a 1-based column counted in code points, and the
// 0-based byte offset into `text`; then what was expected or found.
//
// The parse is one pass over the text to check it (internal/prepared_input.h)
// and RapidJSON's SAX reader over a copy in which strings are decoded in
// place: the whole tree is that copy plus one array of 16-byte nodes.

#ifndef CTXMEM_CONTEXT_JSON_PARSE_JSON_H_
#define CTXMEM_CONTEXT_JSON_PARSE_JSON_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "context/json/js_value.h"

namespace ctxmem::json {

struct ParseJsonOptions {
  // Deepest nesting of arrays and objects accepted ("[[1]]" is 2 deep).
  int max_depth = 1000;
};

absl::StatusOr<JsValue> ParseJson(std::string_view text,
                                  const ParseJsonOptions& options = {});

}  // namespace ctxmem::json

#endif  // CTXMEM_CONTEXT_JSON_PARSE_JSON_H_
