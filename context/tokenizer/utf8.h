// UTF-8 validation for text entering the tokenizer.
//
// The pre-tokenizer and the BPE encoder take `std::string_view`s that must be
// well-formed UTF-8, as tiktoken's Rust core takes `&str`. Callers check once,
// at the boundary:
//
//   absl::Status s = ValidateUtf8(text);
//   // InvalidArgument: "invalid UTF-8 at byte offset 17 (byte 0xc3 ...)"
//
// Well-formed means the Unicode standard's definition (D92): no overlong
// forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated
// or stray continuation bytes.
//
// Written by hand rather than taken from a library: Debian's candidates are
// LLVM Support or protobuf internals (too heavy for the product to link for
// this) and neither reports where the text went wrong.

#ifndef CTXMEM_CONTEXT_TOKENIZER_UTF8_H_
#define CTXMEM_CONTEXT_TOKENIZER_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/status/status.h"

namespace ctxmem::context::tokenizer {

// OK if `text` is well-formed UTF-8; otherwise InvalidArgument naming the byte
// offset of the first ill-formed sequence.
absl::Status ValidateUtf8(std::string_view text);

// Length in bytes of the longest well-formed prefix of `text` (text.size()
// when all of it is well-formed).
size_t ValidUtf8PrefixLength(std::string_view text);

// Decodes the character that starts at text[pos] (pos < text.size()). Returns
// its length in bytes (1 to 4) and stores the code point in *cp, or returns 0
// if the bytes there are not a well-formed sequence.
inline size_t DecodeUtf8(std::string_view text, size_t pos, uint32_t* cp) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + pos;
  const size_t avail = text.size() - pos;
  const uint32_t b0 = p[0];
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  auto cont = [](uint32_t b) { return (b & 0xC0) == 0x80; };
  if (b0 < 0xC2) return 0;  // stray continuation byte or overlong 2-byte form
  if (b0 < 0xE0) {
    if (avail < 2 || !cont(p[1])) return 0;
    *cp = ((b0 & 0x1F) << 6) | (p[1] & 0x3F);
    return 2;
  }
  if (b0 < 0xF0) {
    if (avail < 3) return 0;
    const uint32_t b1 = p[1];
    // E0 needs A0..BF (no overlong); ED needs 80..9F (no surrogates).
    const uint32_t lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const uint32_t hi = b0 == 0xED ? 0x9F : 0xBF;
    if (b1 < lo || b1 > hi || !cont(p[2])) return 0;
    *cp = ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (p[2] & 0x3F);
    return 3;
  }
  if (b0 < 0xF5) {
    if (avail < 4) return 0;
    const uint32_t b1 = p[1];
    // F0 needs 90..BF (no overlong); F4 needs 80..8F (nothing past U+10FFFF).
    const uint32_t lo = b0 == 0xF0 ? 0x90 : 0x80;
    const uint32_t hi = b0 == 0xF4 ? 0x8F : 0xBF;
    if (b1 < lo || b1 > hi || !cont(p[2]) || !cont(p[3])) return 0;
    *cp = ((b0 & 0x07) << 18) | ((b1 & 0x3F) << 12) | ((p[2] & 0x3F) << 6) |
          (p[3] & 0x3F);
    return 4;
  }
  return 0;
}

}  // namespace ctxmem::context::tokenizer

#endif  // CTXMEM_CONTEXT_TOKENIZER_UTF8_H_
