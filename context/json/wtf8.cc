#include "context/json/wtf8.h"

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
