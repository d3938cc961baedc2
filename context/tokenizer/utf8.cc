#include "context/tokenizer/utf8.h"

#include <cstdint>
#include <cstring>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace ctxmem::context::tokenizer {

size_t ValidUtf8PrefixLength(std::string_view text) {
  const size_t n = text.size();
  size_t pos = 0;
  while (pos < n) {
    // Most text the tokenizer sees is ASCII: skip it eight bytes at a time.
    while (pos + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, text.data() + pos, sizeof(word));
      if (word & 0x8080808080808080ULL) break;
      pos += 8;
    }
    if (pos >= n) break;
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    uint32_t cp;
    const size_t len = DecodeUtf8(text, pos, &cp);
    if (len == 0) return pos;
    pos += len;
  }
  return n;
}

absl::Status ValidateUtf8(std::string_view text) {
  const size_t valid = ValidUtf8PrefixLength(text);
  if (valid == text.size()) return absl::OkStatus();
  const auto byte = static_cast<unsigned char>(text[valid]);
  const char* why = (byte & 0xC0) == 0x80 ? "unexpected continuation byte"
                    : byte >= 0xF5 || byte == 0xC0 || byte == 0xC1
                        ? "byte never used in UTF-8"
                        : "ill-formed or truncated sequence";
  return absl::InvalidArgumentError(absl::StrFormat(
      "invalid UTF-8 at byte offset %d (byte 0x%02x: %s)", valid, byte, why));
}

}  // namespace ctxmem::context::tokenizer
