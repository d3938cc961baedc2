// The pre-tokenizer of OpenAI's tiktoken for o200k_base and cl100k_base.
//
// Before byte-pair encoding, tiktoken splits text into pieces with a regex run
// by fancy_regex (backtracking, leftmost-first alternation, find_iter):
//
// o200k_base:
//   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//   |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//   |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
// cl100k_base:
//   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}
//   | ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
//
// ForEachPiece() yields exactly the pieces those regexes find, without a regex
// engine: each alternative is compiled by hand into a scan that lands where
// the backtracking engine would (pretokenizer.cc says how, alternative by
// alternative), in one linear pass with no allocation. Classes are Unicode
// 16.0's (unicode_classes.h); \s is White_Space, so U+0085 is a space and
// U+FEFF and U+200B are not; (?i:) is simple case folding, so 's also matches
// 'S and 'ſ (U+017F).
//
//   ForEachPiece(PretokenPattern::kO200k, "Hello world's\n", [](std::string_view p) {
//     // "Hello", " world's", "\n"
//   });
//
// `text` must be well-formed UTF-8 (check it once with ValidateUtf8() from
// utf8.h). Ill-formed bytes do not crash or read out of bounds: each is taken
// as a one-byte character in no class, and the pieces still cover `text`.
//
// Thread safety: stateless; call from any thread.

#ifndef CTXMEM_CONTEXT_TOKENIZER_PRETOKENIZER_H_
#define CTXMEM_CONTEXT_TOKENIZER_PRETOKENIZER_H_

#include <cstddef>
#include <string_view>

namespace ctxmem::context::tokenizer {

enum class PretokenPattern { kO200k, kCl100k };

namespace internal {
inline constexpr size_t kPieceBatch = 64;

// Stores the end offsets of up to `capacity` consecutive pieces of `text`,
// the first one starting at `pos` (a piece boundary, < text.size()), in
// `ends`, and returns how many it stored (at least 1). Out of line so that
// ForEachPiece() instantiations stay small; batching keeps the call off the
// per-piece path.
size_t NextPieceEnds(PretokenPattern pattern, std::string_view text, size_t pos,
                     size_t* ends, size_t capacity);
}  // namespace internal

// Calls `sink(std::string_view piece)` for each piece of `text`, in order.
// The pieces are non-empty views into `text` and concatenate to it.
template <typename Sink>
void ForEachPiece(PretokenPattern pattern, std::string_view text, Sink&& sink) {
  size_t ends[internal::kPieceBatch];
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t count =
        internal::NextPieceEnds(pattern, text, pos, ends, internal::kPieceBatch);
    for (size_t i = 0; i < count; ++i) {
      sink(text.substr(pos, ends[i] - pos));
      pos = ends[i];
    }
  }
}

}  // namespace ctxmem::context::tokenizer

#endif  // CTXMEM_CONTEXT_TOKENIZER_PRETOKENIZER_H_
