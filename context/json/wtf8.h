// WTF-8: how ctxmem holds JavaScript strings.
//
// A JavaScript string is UTF-16 code units and may hold a lone surrogate
// (JSON.parse('"\ud800"') gives one). ctxmem keeps strings as UTF-8 and
// writes a lone surrogate U+D800..U+DFFF as its 3-byte generalized UTF-8
// form (ED A0..BF 80..BF), which is WTF-8: valid UTF-8 stays as it is, a
// surrogate pair is always the 4-byte sequence of its code point, and the
// JSON writer can turn a lone surrogate back into "\udxxx".

#ifndef CTXMEM_CONTEXT_JSON_WTF8_H_
#define CTXMEM_CONTEXT_JSON_WTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace ctxmem::json {

// `wtf8` with each lone surrogate replaced by U+FFFD (EF BF BD), as
// JavaScript's TextEncoder does: the bytes a UTF-8 consumer (the tokenizer,
// the reference's tiktoken WASM boundary) receives for that string.
std::string ToWellFormedUtf8(std::string_view wtf8);

// Whether `wtf8` holds a lone surrogate (what ToWellFormedUtf8 replaces).
bool HasLoneSurrogate(std::string_view wtf8);

// Appends the WTF-8 encoding of `code_point` (0 … 0x10FFFF, surrogates
// included) to *out.
void AppendWtf8(char32_t code_point, std::string* out);

// The string's `length` in JavaScript: UTF-16 code units (a code point
// above U+FFFF counts 2, everything else 1).
size_t Utf16Length(std::string_view wtf8);

// JavaScript's `s.substring(0, units)`: the first `units` UTF-16 code units.
// A cut through a surrogate pair keeps its high surrogate, alone, as
// JavaScript does.
std::string Utf16Prefix(std::string_view wtf8, size_t units);

}  // namespace ctxmem::json

#endif  // CTXMEM_CONTEXT_JSON_WTF8_H_
