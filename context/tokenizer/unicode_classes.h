// Unicode character classes of the tiktoken pre-tokenizer patterns.
//
// tiktoken's regexes (pretokenizer.h) test only a few classes: letters and
// their case groups, numbers, marks and White_Space. CharClassOf() returns
// them as bits for any code point, from Unicode 16.0.0 tables generated into
// unicode_classes_table.cc by tools/gen_unicode_classes.mjs (no ICU: Debian's
// is older, and the tables here are ~38 KB).
//
//   uint8_t c = CharClassOf(U'é');   // kLetter | kLowerish
//   bool space = c & char_class::kSpace;
//
// Unassigned code points, surrogates and values above U+10FFFF are in no class.

#ifndef CTXMEM_CONTEXT_TOKENIZER_UNICODE_CLASSES_H_
#define CTXMEM_CONTEXT_TOKENIZER_UNICODE_CLASSES_H_

#include <cstddef>
#include <cstdint>

namespace ctxmem::context::tokenizer {

namespace char_class {
inline constexpr uint8_t kLetter = 1;     // \p{L}
inline constexpr uint8_t kNumber = 2;     // \p{N}
inline constexpr uint8_t kUpperish = 4;   // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
inline constexpr uint8_t kLowerish = 8;   // [\p{Ll}\p{Lm}\p{Lo}\p{M}]
inline constexpr uint8_t kSpace = 16;     // \s: the White_Space property
inline constexpr uint8_t kNewline = 32;   // [\r\n]
}  // namespace char_class

namespace internal {
// Stage 1 maps each block of 2^kClassBlockShift code points to a block of
// stage 2, which holds the class bits. Both are generated.
inline constexpr int kClassBlockShift = 7;
inline constexpr size_t kClassStage1Size = size_t{0x110000} >> kClassBlockShift;
extern const uint8_t kClassStage1[kClassStage1Size];
extern const uint8_t kClassStage2[];
}  // namespace internal

// The class bits of code point `cp`.
inline uint8_t CharClassOf(uint32_t cp) {
  if (cp >= 0x110000) return 0;
  constexpr uint32_t kMask = (uint32_t{1} << internal::kClassBlockShift) - 1;
  const size_t block = internal::kClassStage1[cp >> internal::kClassBlockShift];
  return internal::kClassStage2[(block << internal::kClassBlockShift) | (cp & kMask)];
}

}  // namespace ctxmem::context::tokenizer

#endif  // CTXMEM_CONTEXT_TOKENIZER_UNICODE_CLASSES_H_
