#include "context/tokenizer/pretokenizer.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "context/tokenizer/unicode_classes.h"
#include "context/tokenizer/utf8.h"

// How the regexes are compiled by hand.
//
// At every position some alternative of either pattern matches (a letter, a
// number, White_Space, or anything else via ` ?[^\s\p{L}\p{N}]+`), and none
// matches the empty string, so find_iter's next match always starts where the
// previous one ended, and it is the first alternative that matches there, with
// the first way of matching it that the backtracking engine tries. Each scan
// below computes that match directly:
//
// * `X?A+` with X = [^\r\n\p{L}\p{N}]: greedy, so if the first character is
//   in X the engine first tries the rest after it, and retries without it
//   only if that fails.
// * `[U]*[W]+` (o200k, U = Lu|Lt|Lm|Lo|M, W = Ll|Lm|Lo|M, overlapping): U*
//   takes the whole U-run, then gives characters back until W+ can start. If
//   the character after the U-run is in W (an Ll), W+ takes the W-run from
//   there; otherwise W+ starts at the last W character inside the U-run and
//   takes just it (what follows it is Lu/Lt or not W), so the match ends right
//   after the U-run's last W character.
// * `[U]+[W]*`: reached only when the above failed; the U-run then W-run.
// * `\s*[\r\n]+`: \s* takes the whole White_Space run and gives back until a
//   \r or \n follows, so the match ends after the run's last \r or \n.
// * `\s+(?!\S)`: the whole run if it reaches the end of the text; otherwise
//   the run minus its last character, which fails for a run of one.
// * `\s+`: the whole run (a single character followed by non-space).
// * `(?i:'s|'t|'re|'ve|'m|'ll|'d)`: the ASCII letters in either case, and
//   U+017F for s; tools/gen_unicode_classes.mjs checks that nothing else
//   case-folds to these letters.
//
// Every scan moves forward, each character is looked at a bounded number of
// times, so a piece costs time linear in its length: no input is quadratic.

namespace ctxmem::context::tokenizer::internal {
namespace {

using namespace char_class;

constexpr size_t kNone = ~size_t{0};

struct Char {
  uint8_t cls;  // char_class bits
  size_t len;   // bytes
};

class Scanner {
 public:
  explicit Scanner(std::string_view text)
      : text_(text), data_(text.data()), size_(text.size()) {}

  size_t size() const { return size_; }
  unsigned char Byte(size_t pos) const {
    return static_cast<unsigned char>(data_[pos]);
  }

  // The character at pos < size().
  Char At(size_t pos) const {
    const unsigned char b = Byte(pos);
    if (b < 0x80) return {kClassStage2[b], 1};  // block 0 of stage 2 is ASCII
    uint32_t cp;
    const size_t len = DecodeUtf8(text_, pos, &cp);
    if (len == 0) return {0, 1};  // ill-formed: one byte, in no class
    return {CharClassOf(cp), len};
  }

  // First position >= pos whose character has none of `mask`'s bits.
  size_t SkipWith(size_t pos, uint8_t mask) const {
    while (pos < size_) {
      const unsigned char b = Byte(pos);
      if (b < 0x80) {
        if (!(kClassStage2[b] & mask)) break;
        ++pos;
        continue;
      }
      const Char c = At(pos);
      if (!(c.cls & mask)) break;
      pos += c.len;
    }
    return pos;
  }

  // First position >= pos whose character has any of `mask`'s bits.
  size_t SkipWithout(size_t pos, uint8_t mask) const {
    while (pos < size_) {
      const unsigned char b = Byte(pos);
      if (b < 0x80) {
        if (kClassStage2[b] & mask) break;
        ++pos;
        continue;
      }
      const Char c = At(pos);
      if (c.cls & mask) break;
      pos += c.len;
    }
    return pos;
  }

  // Length of `(?i:'s|'t|'re|'ve|'m|'ll|'d)` at pos, or 0.
  size_t Contraction(size_t pos) const {
    if (pos + 1 >= size_ || data_[pos] != '\'') return 0;
    const unsigned char c = Byte(pos + 1) | 0x20;  // ASCII letters to lower case
    switch (c) {
      case 's':
      case 't':
      case 'm':
      case 'd':
        return 2;
      case 'r':
      case 'v':
        return pos + 2 < size_ && (Byte(pos + 2) | 0x20) == 'e' ? 3 : 0;
      case 'l':
        return pos + 2 < size_ && (Byte(pos + 2) | 0x20) == 'l' ? 3 : 0;
      default:
        break;
    }
    // U+017F LATIN SMALL LETTER LONG S folds to s.
    if (Byte(pos + 1) == 0xC5 && pos + 2 < size_ && Byte(pos + 2) == 0xBF) return 3;
    return 0;
  }

  // `\p{N}{1,3}` at pos, whose character `c` is a number.
  size_t Numbers(size_t pos, Char c) const {
    size_t end = pos + c.len;
    for (int i = 1; i < 3 && end < size_; ++i) {
      const Char d = At(end);
      if (!(d.cls & kNumber)) break;
      end += d.len;
    }
    return end;
  }

  // `\s*[\r\n]+|\s+(?!\S)|\s+` at pos, whose character is White_Space.
  size_t Whitespace(size_t pos) const {
    size_t last_newline_end = kNone;
    size_t last_start = pos;
    size_t p = pos;
    while (p < size_) {
      const Char c = At(p);
      if (!(c.cls & kSpace)) break;
      if (c.cls & kNewline) last_newline_end = p + 1;
      last_start = p;
      p += c.len;
    }
    if (last_newline_end != kNone) return last_newline_end;  // \s*[\r\n]+
    if (p == size_) return p;                  // \s+(?!\S) at the end of text
    if (last_start > pos) return last_start;   // \s+(?!\S) backs off one
    return p;                                  // \s+
  }

  // ASCII fast paths. In ASCII the classes are simple: letters are Lu or Ll
  // (never Lm/Lo/M), so [U] is [A-Z] and [W] is [a-z], and no prefix
  // character is a mark. A fast path returns kNone as soon as it meets a
  // non-ASCII byte (which could be a letter, mark or space) and the general
  // scan then redoes the piece.

#if defined(__SSE2__)
  // Bit i set if byte i of v is in [lo, hi] (ASCII).
  static uint32_t AsciiRangeMask(__m128i v, char lo, char hi) {
    // Shift [lo, hi] to the bottom of the signed range, then one compare.
    const __m128i shifted = _mm_add_epi8(v, _mm_set1_epi8(static_cast<char>(-128 - lo)));
    const __m128i in = _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(-128 + (hi - lo) + 1)));
    return static_cast<uint32_t>(_mm_movemask_epi8(in));
  }
#endif

  bool IsNonAscii(size_t pos) const { return pos < size_ && Byte(pos) >= 0x80; }

  // First position >= pos that is not an ASCII character with `mask` bits.
  size_t AsciiRun(size_t pos, uint8_t mask) const {
    while (pos < size_) {
      const unsigned char b = Byte(pos);
      if (b >= 0x80 || !(kClassStage2[b] & mask)) break;
      ++pos;
    }
    return pos;
  }

  // First position >= pos that is not an ASCII letter.
  size_t AsciiLetters(size_t pos) const {
#if defined(__SSE2__)
    // As in O200kAsciiWord: no per-byte loop for words of up to 16 bytes.
    if (pos + 16 <= size_) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data_ + pos));
      const uint32_t letters = AsciiRangeMask(v, 'A', 'Z') | AsciiRangeMask(v, 'a', 'z');
      const uint32_t n = __builtin_ctz(~letters);
      if (n < 16) return pos + n;
      pos += 16;
    }
#endif
    return AsciiRun(pos, kLetter);
  }

  // The o200k letter alternatives plus contraction at pos, an ASCII letter.
  size_t O200kAsciiWord(size_t pos) const {
    size_t end;
#if defined(__SSE2__)
    // Most words fit in 16 bytes: find the end of [A-Z]*[a-z]* without a
    // per-byte loop, whose exit branch the CPU mispredicts at every word.
    if (pos + 16 <= size_) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data_ + pos));
      const uint32_t upper = AsciiRangeMask(v, 'A', 'Z');
      const uint32_t lower = AsciiRangeMask(v, 'a', 'z');
      const uint32_t u = __builtin_ctz(~upper);         // [A-Z]*, at most 16
      const uint32_t w = __builtin_ctz(~(lower >> u));  // then [a-z]*, at most 16 - u
      end = pos + u + w;
      if (u + w == 16) {  // the word goes on past the vector
        if (u == 16) end = AsciiRun(end, kUpperish);
        end = AsciiRun(end, kLowerish);
      }
    } else
#endif
    {
      end = AsciiRun(pos, kUpperish);    // [A-Z]*
      end = AsciiRun(end, kLowerish);    // [a-z]* (+ for [U]*[W]+)
    }
    if (IsNonAscii(end)) return kNone;
    return end + Contraction(end);
  }

  size_t O200kAscii(size_t pos, unsigned char b) const {
    const uint8_t cls = kClassStage2[b];
    if (cls & kLetter) return O200kAsciiWord(pos);
    if (cls & (kNumber | kNewline)) return kNone;
    // b is in [^\r\n\p{L}\p{N}]: a prefix if a letter follows.
    if (pos + 1 >= size_) return kNone;
    const unsigned char next = Byte(pos + 1);
    if (next >= 0x80) return kNone;
    if (kClassStage2[next] & kLetter) return O200kAsciiWord(pos + 1);
    if (cls & kSpace) return kNone;  // whitespace: the general scan is as fast
    // ` ?[^\s\p{L}\p{N}]+[\r\n/]*`, here with b itself punctuation.
    size_t end = pos + 1;
    while (end < size_ && Byte(end) < 0x80 &&
           !(kClassStage2[Byte(end)] & (kSpace | kLetter | kNumber))) {
      ++end;
    }
    if (IsNonAscii(end)) return kNone;
    while (end < size_ && (data_[end] == '\r' || data_[end] == '\n' || data_[end] == '/')) {
      ++end;
    }
    return end;
  }

  size_t Cl100kAscii(size_t pos, unsigned char b) const {
    const uint8_t cls = kClassStage2[b];
    size_t start;
    if (cls & kLetter) {
      start = pos + 1;
    } else if (!(cls & (kNumber | kNewline)) && b != '\'' && pos + 1 < size_ &&
               Byte(pos + 1) < 0x80 && (kClassStage2[Byte(pos + 1)] & kLetter)) {
      start = pos + 2;  // [^\r\n\p{L}\p{N}]\p{L}+
    } else {
      return kNone;
    }
    const size_t end = AsciiLetters(start);
    return IsNonAscii(end) ? kNone : end;
  }

  // The o200k letter alternatives (both, without the contraction) at pos,
  // whose character `c` is neither \p{N} nor [\r\n]; kNone if neither matches.
  size_t O200kLetters(size_t pos, Char c) const {
    // A non-letter first character can only be the optional X prefix (or a
    // mark, which X? gives back to [U]* / [W]+ below).
    const bool prefixed = !(c.cls & kLetter);
    const size_t start = prefixed ? pos + c.len : pos;
    size_t p = start;
    size_t last_lower_end = kNone;
    while (p < size_) {
      const Char d = At(p);
      if (!(d.cls & kUpperish)) {
        // [U]*[W]+ with W+ starting after the whole U-run.
        if (d.cls & kLowerish) return SkipWith(p + d.len, kLowerish);
        break;
      }
      p += d.len;
      if (d.cls & kLowerish) last_lower_end = p;
    }
    // [U]*[W]+ with W+ on the U-run's last W character.
    if (last_lower_end != kNone) return last_lower_end;
    // Retry without the prefix: a mark alone is [U]*[W]+ (U* empty).
    if (prefixed && (c.cls & kUpperish)) return pos + c.len;
    // [U]+[W]*: the character at p is not in W, so W* is empty.
    if (p > start) return p;
    return kNone;
  }

  size_t O200kPiece(size_t pos) const {
    if (const unsigned char b = Byte(pos); b < 0x80) {
      if (const size_t end = O200kAscii(pos, b); end != kNone) return end;
    }
    const Char c = At(pos);
    if (!(c.cls & (kNumber | kNewline))) {
      const size_t end = O200kLetters(pos, c);
      if (end != kNone) return end + Contraction(end);
    }
    if (c.cls & kNumber) return Numbers(pos, c);
    // ` ?[^\s\p{L}\p{N}]+[\r\n/]*`
    const size_t p = Byte(pos) == ' ' ? pos + 1 : pos;
    size_t end = SkipWithout(p, kSpace | kLetter | kNumber);
    if (end > p) {
      while (end < size_ && (data_[end] == '\r' || data_[end] == '\n' || data_[end] == '/')) {
        ++end;
      }
      return end;
    }
    return Whitespace(pos);
  }

  size_t Cl100kPiece(size_t pos) const {
    if (const unsigned char b = Byte(pos); b < 0x80) {
      if (const size_t end = Cl100kAscii(pos, b); end != kNone) return end;
    }
    if (const size_t n = Contraction(pos)) return pos + n;
    const Char c = At(pos);
    if (c.cls & kLetter) return SkipWith(pos + c.len, kLetter);
    if (!(c.cls & (kNumber | kNewline))) {
      // [^\r\n\p{L}\p{N}]\p{L}+ (without the prefix it cannot match: c is no letter).
      const size_t next = pos + c.len;
      if (next < size_ && (At(next).cls & kLetter)) return SkipWith(next, kLetter);
    }
    if (c.cls & kNumber) return Numbers(pos, c);
    // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
    const size_t p = Byte(pos) == ' ' ? pos + 1 : pos;
    const size_t end = SkipWithout(p, kSpace | kLetter | kNumber);
    if (end > p) return SkipWith(end, kNewline);
    return Whitespace(pos);
  }

 private:
  std::string_view text_;
  const char* data_;
  size_t size_;
};

template <PretokenPattern kPattern>
size_t Split(const Scanner& scanner, size_t pos, size_t* ends, size_t capacity) {
  size_t count = 0;
  while (count < capacity && pos < scanner.size()) {
    pos = kPattern == PretokenPattern::kO200k ? scanner.O200kPiece(pos)
                                               : scanner.Cl100kPiece(pos);
    ends[count++] = pos;
  }
  return count;
}

}  // namespace

size_t NextPieceEnds(PretokenPattern pattern, std::string_view text, size_t pos,
                     size_t* ends, size_t capacity) {
  const Scanner scanner(text);
  switch (pattern) {
    case PretokenPattern::kO200k:
      return Split<PretokenPattern::kO200k>(scanner, pos, ends, capacity);
    case PretokenPattern::kCl100k:
      return Split<PretokenPattern::kCl100k>(scanner, pos, ends, capacity);
  }
  // Not a PretokenPattern: one piece, so that ForEachPiece() still ends.
  ends[0] = text.size();
  return 1;
}

}  // namespace ctxmem::context::tokenizer::internal
