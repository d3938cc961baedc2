// StringifyJson: JSON.stringify, byte for byte.
//
// The text JavaScript's JSON.stringify(value) gives for a value JSON.parse
// made (no replacer, no indent), as UTF-8:
//  * compact: no whitespace anywhere;
//  * members in the value's property order (js_value.h);
//  * numbers as FormatJsNumber prints them (js_number.h): -0 is 0, NaN and
//    ±Infinity are null;
//  * strings with exactly JSON.stringify's escapes: \" \\ \b \f \n \r \t,
//    the other controls below U+0020 as \u00xx (lowercase hex), lone
//    surrogates as \udxxx (lowercase hex); everything else, U+007F, U+2028
//    and U+2029 included, as raw UTF-8;
//  * undefined: omitted as an object member, null as an array element, and
//    no text at all on its own.
// The writer is iterative: no depth of nesting can overflow the stack.

#ifndef CTXMEM_CONTEXT_JSON_STRINGIFY_JSON_H_
#define CTXMEM_CONTEXT_JSON_STRINGIFY_JSON_H_

#include <string>
#include <string_view>

#include "context/json/js_value.h"

namespace ctxmem::json {

std::string StringifyJson(const JsValue& value);

// Appends StringifyJson(value) to *out, for writers that assemble a larger
// document around parsed values.
void AppendJson(const JsValue& value, std::string* out);

// Appends JSON.stringify(s) of a string: the quoted, escaped form of the
// WTF-8 bytes `wtf8`. Bytes that are not WTF-8 are copied as they are.
void AppendJsonString(std::string_view wtf8, std::string* out);

}  // namespace ctxmem::json

#endif  // CTXMEM_CONTEXT_JSON_STRINGIFY_JSON_H_
