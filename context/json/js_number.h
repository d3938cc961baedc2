// FormatJsNumber: a double printed exactly as JavaScript prints it.
//
// The reference assistant is a TypeScript program, and its outputs carry
// numbers written by Number.prototype.toString / JSON.stringify. ctxmem's
// outputs must match them byte for byte, so this follows ECMA-262's
// Number::toString (radix 10): the shortest digit string that reads back as
// the same double, laid out as
//
//   integer form    123, 100000000000000000000 (up to 21 digits)
//   decimal form    0.5, 123.25, 0.000001
//   exponent form   1e+21, 1e-7, 1.2345678901234568e+29, 5e-324
//
// with "-0" printed as "0". JSON has no NaN or Infinity, so FormatJsNumber
// returns "null" for them as JSON.stringify does; FormatJsNumberString gives
// the String(x) text ("NaN", "Infinity", "-Infinity") where that is wanted.

#ifndef CTXMEM_CONTEXT_JSON_JS_NUMBER_H_
#define CTXMEM_CONTEXT_JSON_JS_NUMBER_H_

#include <string>

namespace ctxmem::json {

// JSON.stringify(x) for a number x: "null" for NaN and ±Infinity.
std::string FormatJsNumber(double x);

// Appends FormatJsNumber(x) to *out (no temporary string; for writers).
void AppendJsNumber(double x, std::string* out);

// String(x): like FormatJsNumber but "NaN", "Infinity", "-Infinity".
std::string FormatJsNumberString(double x);

}  // namespace ctxmem::json

#endif  // CTXMEM_CONTEXT_JSON_JS_NUMBER_H_
