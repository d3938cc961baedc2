#include "context/json/internal/prepared_input.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/strings/str_format.h"
#include "context/json/internal/number_text.h"

namespace ctxmem::json::internal {
namespace {

constexpr size_t kPadding = 16;

// Literals RapidJSON refuses as too big lie beyond these (it accepts
// exponents up to 308 plus the fraction's digits, and integers while they
// stay below 1.8e307); everything past them is converted here instead.
constexpr unsigned kMaxReaderExponent = 300;
constexpr size_t kMaxReaderIntegerDigits = 300;

// String bytes that need no attention: printable ASCII but '"' and '\\'.
constexpr std::array<bool, 256> MakePlainTable() {
  std::array<bool, 256> table{};
  for (int c = 0x20; c < 0x80; ++c) table[c] = true;
  table['"'] = false;
  table['\\'] = false;
  return table;
}
constexpr std::array<bool, 256> kPlain = MakePlainTable();

// Copies the run of plain string bytes at `in` to `out` and returns its
// length. Most of a conversation is string bytes, so 16 are checked at a
// time where SSE2 is there; `out` may receive up to 15 bytes past the run
// (never past the input's length: the buffer has room for that).
size_t CopyPlain(const unsigned char* in, size_t n, char* out) {
  size_t j = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i control_max = _mm_set1_epi8(0x1F);
  for (; j + 16 <= n; j += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + j));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + j), v);
    const __m128i special = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
        _mm_cmpeq_epi8(_mm_max_epu8(v, control_max), control_max));
    // The sign bit marks bytes >= 0x80.
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(special) |
                                                _mm_movemask_epi8(v));
    if (mask != 0) return j + static_cast<size_t>(__builtin_ctz(mask));
  }
#endif
  while (j < n && kPlain[in[j]]) {
    out[j] = static_cast<char>(in[j]);
    ++j;
  }
  return j;
}

bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }

int HexValue(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of "\uXXXX" at `p` (6 bytes available), or -1.
int EscapedUnit(const unsigned char* p) {
  if (p[0] != '\\' || p[1] != 'u') return -1;
  int unit = 0;
  for (int k = 2; k < 6; ++k) {
    const int digit = HexValue(p[k]);
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

// Length of the well-formed UTF-8 sequence at p[0..n), or 0 (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF).
size_t Utf8SequenceLength(const unsigned char* p, size_t n) {
  const unsigned char c = p[0];
  auto cont = [&](size_t k) { return k < n && (p[k] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (n < 2) return 0;
    const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
    return p[1] >= lo && p[1] <= hi && cont(2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (n < 2) return 0;
    const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
    return p[1] >= lo && p[1] <= hi && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

// The end of the JSON number literal starting at p[i], or i when the bytes
// there are not one. Sets *too_big when RapidJSON would refuse it.
size_t ScanNumber(const unsigned char* p, size_t i, size_t n, bool* too_big) {
  size_t j = i;
  if (p[j] == '-') ++j;
  const size_t int_start = j;
  if (j < n && p[j] == '0') {
    ++j;
  } else if (j < n && IsDigit(p[j])) {
    while (j < n && IsDigit(p[j])) ++j;
  } else {
    return i;
  }
  const size_t int_digits = j - int_start;
  if (j < n && p[j] == '.') {
    if (j + 1 >= n || !IsDigit(p[j + 1])) return i;
    j += 2;
    while (j < n && IsDigit(p[j])) ++j;
  }
  unsigned exponent = 0;
  bool negative_exponent = false;
  if (j < n && (p[j] == 'e' || p[j] == 'E')) {
    size_t k = j + 1;
    if (k < n && (p[k] == '+' || p[k] == '-')) {
      negative_exponent = p[k] == '-';
      ++k;
    }
    if (k >= n || !IsDigit(p[k])) return i;
    while (k < n && IsDigit(p[k])) {
      if (exponent <= kMaxReaderExponent)
        exponent = exponent * 10 + (p[k] - '0');
      ++k;
    }
    j = k;
  }
  *too_big = int_digits > kMaxReaderIntegerDigits ||
             (!negative_exponent && exponent > kMaxReaderExponent);
  return j;
}

bool ContinuesToken(unsigned char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         c == '.' || c == '+' || c == '-';
}

}  // namespace

PreparedInput PrepareInput(std::string_view text) {
  PreparedInput result;
  const size_t n = text.size();
  result.bytes = std::make_unique_for_overwrite<char[]>(n + 1 + kPadding);
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  char* out = result.bytes.get();
  size_t i = 0;  // next input byte
  size_t o = 0;  // next output byte
  size_t nodes = 0;
  size_t shift = 0;
  bool in_string = false;
  auto bad = [&](std::string message) {
    result.has_bad_byte = true;
    result.bad_offset = i;
    result.bad_message = std::move(message);
  };

  while (i < n) {
    if (in_string) {
      const size_t plain = CopyPlain(in + i, n - i, out + o);
      o += plain;
      i += plain;
      if (i == n) break;
      const unsigned char c = in[i];
      if (c == '"') {
        in_string = false;
        out[o++] = '"';
        ++i;
      } else if (c == '\\') {
        if (i + 6 <= n) {
          const int unit = EscapedUnit(in + i);
          if (unit >= 0xD800 && unit <= 0xDBFF) {
            const int next = i + 12 <= n ? EscapedUnit(in + i + 6) : -1;
            if (next >= 0xDC00 && next <= 0xDFFF) {  // a pair: reader's job
              std::memcpy(out + o, in + i, 12);
              o += 12;
              i += 12;
              continue;
            }
            // Lone: 6 bytes of escape become 3 bytes of WTF-8.
            out[o++] = static_cast<char>(0xE0 | (unit >> 12));
            out[o++] = static_cast<char>(0x80 | ((unit >> 6) & 0x3F));
            out[o++] = static_cast<char>(0x80 | (unit & 0x3F));
            i += 6;
            shift += 3;
            result.shifts.push_back({o, shift});
            continue;
          }
        }
        out[o++] = '\\';
        ++i;
        // The escaped byte, so that \" does not end the string here; other
        // bytes are left to the loop (validation) and to the reader (error).
        if (i < n && in[i] >= 0x20 && in[i] < 0x80) out[o++] = in[i++];
      } else if (c >= 0x80) {
        const size_t length = Utf8SequenceLength(in + i, n - i);
        if (length == 0) {
          bad(absl::StrFormat("invalid UTF-8 (byte 0x%02x)", c));
          break;
        }
        std::memcpy(out + o, in + i, length);
        o += length;
        i += length;
      } else if (c == 0) {
        bad("unescaped control character U+0000 in string");
        break;
      } else {  // another control byte: the reader reports it
        out[o++] = static_cast<char>(c);
        ++i;
      }
      continue;
    }

    const unsigned char c = in[i];
    switch (c) {
      case '"':
        in_string = true;
        out[o++] = '"';
        ++i;
        continue;
      case '[':
      case '{':
      case ',':
      case ':':
        ++nodes;
        out[o++] = static_cast<char>(c);
        ++i;
        continue;
      case 0:
        bad("unexpected character U+0000");
        break;
      default:
        break;
    }
    if (result.has_bad_byte) break;
    if ((c == '-' || IsDigit(c)) && (i == 0 || !ContinuesToken(in[i - 1]))) {
      bool too_big = false;
      const size_t end = ScanNumber(in, i, n, &too_big);
      if (end > i) {
        if (too_big) {
          result.numbers.push_back(
              {o, NumberFromJsonText(text.data() + i, text.data() + end)});
          out[o] = '0';
          std::memset(out + o + 1, ' ', end - i - 1);
        } else {
          std::memcpy(out + o, in + i, end - i);
        }
        o += end - i;
        i = end;
        continue;
      }
    }
    if (c >= 0x80) {
      const size_t length = Utf8SequenceLength(in + i, n - i);
      if (length == 0) {
        bad(absl::StrFormat("invalid UTF-8 (byte 0x%02x)", c));
        break;
      }
      std::memcpy(out + o, in + i, length);
      o += length;
      i += length;
      continue;
    }
    out[o++] = static_cast<char>(c);
    ++i;
  }
  std::memset(out + o, 0, 1 + kPadding);
  result.size = o;
  result.node_bound = nodes;
  return result;
}

size_t OriginalOffset(const PreparedInput& input, size_t prepared_offset) {
  auto it = std::upper_bound(input.shifts.begin(), input.shifts.end(),
                             prepared_offset,
                             [](size_t offset, const PreparedInput::Shift& s) {
                               return offset < s.prepared_offset;
                             });
  if (it == input.shifts.begin()) return prepared_offset;
  return prepared_offset + std::prev(it)->shift;
}

}  // namespace ctxmem::json::internal
