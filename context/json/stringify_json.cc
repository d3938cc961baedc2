#include "context/json/stringify_json.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "context/json/js_number.h"
#include "context/json/js_value.h"

namespace ctxmem::json {
namespace {

using internal::JsNode;

constexpr char kHex[] = "0123456789abcdef";

// What a string byte needs: 0 copy, 'u' \u00xx, 'S' maybe a lone surrogate
// (lead byte ED), anything else the letter after a backslash.
constexpr std::array<char, 256> MakeEscapeTable() {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 'u';
  table['\b'] = 'b';
  table['\f'] = 'f';
  table['\n'] = 'n';
  table['\r'] = 'r';
  table['\t'] = 't';
  table['"'] = '"';
  table['\\'] = '\\';
  table[0xED] = 'S';
  return table;
}
constexpr std::array<char, 256> kEscape = MakeEscapeTable();

// The number of bytes at `p` before the first one kEscape marks (or n),
// 16 at a time where SSE2 is there: most string bytes need nothing.
size_t PlainRun(const unsigned char* p, size_t n) {
  size_t j = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i lead = _mm_set1_epi8(static_cast<char>(0xED));
  const __m128i control_max = _mm_set1_epi8(0x1F);
  for (; j + 16 <= n; j += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + j));
    const __m128i special = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
        _mm_or_si128(
            _mm_cmpeq_epi8(v, lead),
            _mm_cmpeq_epi8(_mm_max_epu8(v, control_max), control_max)));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(special));
    if (mask != 0) return j + static_cast<size_t>(__builtin_ctz(mask));
  }
#endif
  while (j < n && kEscape[p[j]] == 0) ++j;
  return j;
}

// One open array or object: its children and how far the writer got.
struct Frame {
  const JsNode* children;
  uint32_t size;
  uint32_t next;
  bool object;
  bool wrote_member;  // objects: whether a comma is due before the next
};

// Writes a scalar or string; containers are opened by the caller.
void AppendScalar(const JsNode& node, std::string* out) {
  switch (node.type) {
    case JsType::kNull:
    case JsType::kUndefined:  // only reached as an array element
      out->append("null");
      break;
    case JsType::kBool:
      out->append(node.boolean ? "true" : "false");
      break;
    case JsType::kNumber:
      AppendJsNumber(node.number, out);
      break;
    case JsType::kString:
      AppendJsonString(std::string_view(node.chars, node.size), out);
      break;
    case JsType::kArray:
    case JsType::kObject:
      break;
  }
}

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  out->reserve(out->size() + s.size() + 2);
  out->push_back('"');
  const auto* bytes = reinterpret_cast<const unsigned char*>(s.data());
  size_t done = 0;  // bytes of s already written
  for (size_t i = 0; i < s.size(); ++i) {
    i += PlainRun(bytes + i, s.size() - i);
    if (i == s.size()) break;
    const char e = kEscape[bytes[i]];
    if (e == 0) continue;
    if (e == 'S') {
      if (i + 2 >= s.size() || (bytes[i + 1] & 0xE0) != 0xA0) continue;
      out->append(s.data() + done, i - done);
      const unsigned unit =
          0xD000 | ((bytes[i + 1] & 0x3Fu) << 6) | (bytes[i + 2] & 0x3Fu);
      const char escaped[6] = {'\\',
                               'u',
                               kHex[unit >> 12],
                               kHex[(unit >> 8) & 0xF],
                               kHex[(unit >> 4) & 0xF],
                               kHex[unit & 0xF]};
      out->append(escaped, 6);
      i += 2;
      done = i + 1;
      continue;
    }
    out->append(s.data() + done, i - done);
    done = i + 1;
    if (e == 'u') {
      const char escaped[6] = {
          '\\', 'u', '0', '0', kHex[bytes[i] >> 4], kHex[bytes[i] & 0xF]};
      out->append(escaped, 6);
    } else {
      out->push_back('\\');
      out->push_back(e);
    }
  }
  out->append(s.data() + done, s.size() - done);
  out->push_back('"');
}

void AppendJson(const JsValue& value, std::string* out) {
  const JsNode& root = value.node();
  if (root.type != JsType::kArray && root.type != JsType::kObject) {
    if (root.type != JsType::kUndefined) AppendScalar(root, out);
    return;
  }
  std::vector<Frame> stack;
  auto open = [&](const JsNode& node) {
    const bool object = node.type == JsType::kObject;
    out->push_back(object ? '{' : '[');
    stack.push_back(Frame{node.children, node.size, 0, object, false});
  };
  open(root);
  while (!stack.empty()) {
    Frame& frame = stack.back();
    if (frame.next == frame.size) {
      out->push_back(frame.object ? '}' : ']');
      stack.pop_back();
      continue;
    }
    const uint32_t i = frame.next++;
    const JsNode* child;
    if (frame.object) {
      child = &frame.children[2 * i + 1];
      if (child->type == JsType::kUndefined) continue;  // as JavaScript
      if (frame.wrote_member) out->push_back(',');
      frame.wrote_member = true;
      const JsNode& key = frame.children[2 * i];
      AppendJsonString(std::string_view(key.chars, key.size), out);
      out->push_back(':');
    } else {
      child = &frame.children[i];
      if (i > 0) out->push_back(',');
    }
    if (child->type == JsType::kArray || child->type == JsType::kObject) {
      open(*child);  // invalidates `frame`
    } else {
      AppendScalar(*child, out);
    }
  }
}

std::string StringifyJson(const JsValue& value) {
  std::string out;
  AppendJson(value, &out);
  return out;
}

}  // namespace ctxmem::json
