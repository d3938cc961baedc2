#include "context/json/wtf8.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

namespace ctxmem::json {
namespace {

// A lone surrogate starts with ED followed by A0..BF (ED 80..9F is the
// ordinary range U+D000..U+D7FF).
bool IsSurrogateAt(std::string_view s, size_t i) {
  return static_cast<unsigned char>(s[i]) == 0xED && i + 2 < s.size() &&
         (static_cast<unsigned char>(s[i + 1]) & 0xE0) == 0xA0;
}

}  // namespace

bool HasLoneSurrogate(std::string_view wtf8) {
  for (size_t i = wtf8.find('\xED'); i != std::string_view::npos;
       i = wtf8.find('\xED', i + 1)) {
    if (IsSurrogateAt(wtf8, i)) return true;
  }
  return false;
}

std::string ToWellFormedUtf8(std::string_view wtf8) {
  std::string out;
  out.reserve(wtf8.size());
  size_t done = 0;
  for (size_t i = wtf8.find('\xED'); i != std::string_view::npos;
       i = wtf8.find('\xED', i + 1)) {
    if (!IsSurrogateAt(wtf8, i)) continue;
    out.append(wtf8.data() + done, i - done);
    out.append("\xEF\xBF\xBD");
    done = i + 3;
    i += 2;
  }
  out.append(wtf8.data() + done, wtf8.size() - done);
  return out;
}

void AppendWtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

}  // namespace ctxmem::json

namespace ctxmem::json {
namespace {

// Bytes of the WTF-8 sequence led by `lead` (1 for a stray continuation
// byte, which valid WTF-8 never has).
size_t SequenceBytes(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

}  // namespace

size_t Utf16Length(std::string_view wtf8) {
  // Every byte but continuation bytes starts a code unit; a 4-byte lead
  // starts two.
  size_t units = 0;
  for (const char c : wtf8) {
    const auto byte = static_cast<unsigned char>(c);
    units += (byte & 0xC0) != 0x80;
    units += byte >= 0xF0;
  }
  return units;
}

std::string Utf16Prefix(std::string_view wtf8, size_t units) {
  size_t i = 0;
  while (i < wtf8.size() && units > 0) {
    const size_t n = std::min(SequenceBytes(static_cast<unsigned char>(wtf8[i])), wtf8.size() - i);
    if (n == 4) {
      if (units == 1) {
        // Half of a surrogate pair: the high surrogate of the code point.
        const char32_t cp = (char32_t(wtf8[i] & 0x07) << 18) | (char32_t(wtf8[i + 1] & 0x3F) << 12) |
                            (char32_t(wtf8[i + 2] & 0x3F) << 6) | char32_t(wtf8[i + 3] & 0x3F);
        std::string out(wtf8.substr(0, i));
        AppendWtf8(0xD800 + ((cp - 0x10000) >> 10), &out);
        return out;
      }
      units -= 2;
    } else {
      units -= 1;
    }
    i += n;
  }
  return std::string(wtf8.substr(0, i));
}

}  // namespace ctxmem::json
