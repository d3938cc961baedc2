#include "context/history/internal/packed_value.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "absl/status/statusor.h"
#include "context/history/vocabulary.h"
#include "context/json/js_number.h"
#include "context/json/parse_json.h"
#include "context/json/stringify_json.h"

namespace ctxmem::context::internal {
namespace {

enum Tag : uint8_t {
  kUndefined = 0x00,
  kNull = 0x01,
  kFalse = 0x02,
  kTrue = 0x03,
  kDouble = 0x04,
  kInteger = 0x05,
  kSymbol = 0x06,
  kString = 0x07,
  kArray = 0x08,
  kObject = 0x09,
  kShortString = 0x20,  // + length < 32
  kSmallNumber = 0x40,  // + value < 64
  kShortArray = 0x80,   // + count < 16
  kShortObject = 0x90,  // + count < 16
};

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

const uint8_t* GetVarint(const uint8_t* p, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0;; shift += 7) {
    const uint8_t byte = *p++;
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) break;
  }
  *v = result;
  return p;
}

void PutBytes(std::string_view bytes, std::string* out) { out->append(bytes.data(), bytes.size()); }

void PackString(std::string_view s, bool vocabulary, std::string* out) {
  if (vocabulary) {
    if (const uint32_t symbol = VocabularyIntern(s); symbol != 0) {
      out->push_back(static_cast<char>(kSymbol));
      PutVarint(symbol, out);
      return;
    }
  }
  if (s.size() < 32) {
    out->push_back(static_cast<char>(kShortString + s.size()));
  } else {
    out->push_back(static_cast<char>(kString));
    PutVarint(s.size(), out);
  }
  PutBytes(s, out);
}

void PackNumber(double x, std::string* out) {
  constexpr double kMaxExact = 9007199254740992.0;  // 2^53
  if (x == std::floor(x) && std::fabs(x) <= kMaxExact && !(x == 0 && std::signbit(x))) {
    const int64_t i = static_cast<int64_t>(x);
    if (i >= 0 && i < 64) {
      out->push_back(static_cast<char>(kSmallNumber + i));
      return;
    }
    out->push_back(static_cast<char>(kInteger));
    PutVarint((static_cast<uint64_t>(i) << 1) ^ static_cast<uint64_t>(i >> 63), out);
    return;
  }
  // NaN and the infinities land here too (floor(NaN) != NaN, |inf| > 2^53).
  out->push_back(static_cast<char>(kDouble));
  char bits[8];
  std::memcpy(bits, &x, 8);
  out->append(bits, 8);
}

void PackContainerHeader(uint8_t short_tag, uint8_t long_tag, size_t count, std::string* out) {
  if (count < 16) {
    out->push_back(static_cast<char>(short_tag + count));
  } else {
    out->push_back(static_cast<char>(long_tag));
    PutVarint(count, out);
  }
}

double ReadNumber(const uint8_t* p) {
  const uint8_t tag = *p;
  if (tag >= kSmallNumber && tag < kShortArray) return tag - kSmallNumber;
  if (tag == kInteger) {
    uint64_t z;
    GetVarint(p + 1, &z);
    return static_cast<double>(static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1)));
  }
  double x;
  std::memcpy(&x, p + 1, 8);
  return x;
}

}  // namespace

void PackObjectHeader(size_t count, std::string* out) {
  PackContainerHeader(kShortObject, kObject, count, out);
}

void PackKey(std::string_view key, std::string* out) {
  if (const uint32_t symbol = VocabularyIntern(key); symbol != 0) {
    PutVarint(uint64_t{symbol} << 1, out);
    return;
  }
  PutVarint((uint64_t{key.size()} << 1) | 1, out);
  PutBytes(key, out);
}

void PackValue(const json::JsValue& value, bool vocabulary_strings, std::string* out) {
  switch (value.type()) {
    case json::JsType::kUndefined:
      out->push_back(static_cast<char>(kUndefined));
      return;
    case json::JsType::kNull:
      out->push_back(static_cast<char>(kNull));
      return;
    case json::JsType::kBool:
      out->push_back(static_cast<char>(value.bool_value() ? kTrue : kFalse));
      return;
    case json::JsType::kNumber:
      PackNumber(value.number_value(), out);
      return;
    case json::JsType::kString:
      PackString(value.string_value(), vocabulary_strings, out);
      return;
    case json::JsType::kArray:
      PackContainerHeader(kShortArray, kArray, value.size(), out);
      for (size_t i = 0; i < value.size(); ++i) PackValue(value[i], false, out);
      return;
    case json::JsType::kObject:
      PackContainerHeader(kShortObject, kObject, value.size(), out);
      for (size_t i = 0; i < value.size(); ++i) {
        const std::string_view key = value.key(i);
        PackKey(key, out);
        PackValue(value.value(i), IsVocabularyKey(key), out);
      }
      return;
  }
}

json::JsType PackedType(const uint8_t* p) {
  const uint8_t tag = *p;
  if (tag >= kShortObject) return json::JsType::kObject;
  if (tag >= kShortArray) return json::JsType::kArray;
  if (tag >= kSmallNumber) return json::JsType::kNumber;
  if (tag >= kShortString) return json::JsType::kString;
  switch (tag) {
    case kNull:
      return json::JsType::kNull;
    case kFalse:
    case kTrue:
      return json::JsType::kBool;
    case kDouble:
    case kInteger:
      return json::JsType::kNumber;
    case kSymbol:
    case kString:
      return json::JsType::kString;
    case kArray:
      return json::JsType::kArray;
    case kObject:
      return json::JsType::kObject;
    default:
      return json::JsType::kUndefined;
  }
}

std::string_view PackedString(const uint8_t* p) {
  const uint8_t tag = *p;
  if (tag >= kShortString && tag < kSmallNumber) {
    return std::string_view(reinterpret_cast<const char*>(p + 1), tag - kShortString);
  }
  uint64_t v;
  if (tag == kSymbol) {
    GetVarint(p + 1, &v);
    return VocabularyResolve(static_cast<uint32_t>(v));
  }
  if (tag == kString) {
    const uint8_t* bytes = GetVarint(p + 1, &v);
    return std::string_view(reinterpret_cast<const char*>(bytes), v);
  }
  return {};
}

const uint8_t* ReadKey(const uint8_t* p, std::string_view* key) {
  uint64_t v;
  p = GetVarint(p, &v);
  if ((v & 1) == 0) {
    *key = VocabularyResolve(static_cast<uint32_t>(v >> 1));
    return p;
  }
  *key = std::string_view(reinterpret_cast<const char*>(p), v >> 1);
  return p + (v >> 1);
}

uint32_t ReadContainer(const uint8_t* p, const uint8_t** first) {
  const uint8_t tag = *p;
  if (tag >= kShortArray) {
    *first = p + 1;
    return tag & 0x0f;
  }
  uint64_t count;
  *first = GetVarint(p + 1, &count);
  return static_cast<uint32_t>(count);
}

const uint8_t* SkipValue(const uint8_t* p) {
  const uint8_t tag = *p;
  uint64_t v;
  if (tag >= kShortArray || tag == kArray || tag == kObject) {
    const uint8_t* q;
    const uint32_t count = ReadContainer(p, &q);
    const bool object = tag >= kShortObject || tag == kObject;
    for (uint32_t i = 0; i < count; ++i) {
      if (object) {
        std::string_view key;
        q = ReadKey(q, &key);
      }
      q = SkipValue(q);
    }
    return q;
  }
  if (tag >= kSmallNumber) return p + 1;
  if (tag >= kShortString) return p + 1 + (tag - kShortString);
  switch (tag) {
    case kDouble:
      return p + 9;
    case kInteger:
    case kSymbol:
      return GetVarint(p + 1, &v);
    case kString: {
      const uint8_t* bytes = GetVarint(p + 1, &v);
      return bytes + v;
    }
    default:
      return p + 1;
  }
}

void AppendPackedJson(const uint8_t* p, std::string* out) {
  switch (PackedType(p)) {
    case json::JsType::kUndefined:
      return;
    case json::JsType::kNull:
      out->append("null");
      return;
    case json::JsType::kBool:
      out->append(*p == kTrue ? "true" : "false");
      return;
    case json::JsType::kNumber:
      // JSON.stringify writes NaN and the infinities as null.
      if (const double x = ReadNumber(p); std::isfinite(x)) {
        json::AppendJsNumber(x, out);
      } else {
        out->append("null");
      }
      return;
    case json::JsType::kString:
      json::AppendJsonString(PackedString(p), out);
      return;
    case json::JsType::kArray: {
      const uint8_t* q;
      const uint32_t count = ReadContainer(p, &q);
      out->push_back('[');
      for (uint32_t i = 0; i < count; ++i) {
        if (i > 0) out->push_back(',');
        if (PackedType(q) == json::JsType::kUndefined) out->append("null");
        AppendPackedJson(q, out);
        q = SkipValue(q);
      }
      out->push_back(']');
      return;
    }
    case json::JsType::kObject: {
      const uint8_t* q;
      const uint32_t count = ReadContainer(p, &q);
      out->push_back('{');
      bool first = true;
      for (uint32_t i = 0; i < count; ++i) {
        std::string_view key;
        q = ReadKey(q, &key);
        if (PackedType(q) != json::JsType::kUndefined) {
          if (!first) out->push_back(',');
          first = false;
          json::AppendJsonString(key, out);
          out->push_back(':');
          AppendPackedJson(q, out);
        }
        q = SkipValue(q);
      }
      out->push_back('}');
      return;
    }
  }
}

json::JsValue UnpackValue(const uint8_t* p) {
  switch (PackedType(p)) {
    case json::JsType::kUndefined:
      return json::JsValue();
    case json::JsType::kNull:
      return json::JsValue::Null();
    case json::JsType::kBool:
      return json::JsValue::Bool(*p == kTrue);
    case json::JsType::kNumber:
      return json::JsValue::Number(ReadNumber(p));
    case json::JsType::kString:
      return json::JsValue::String(PackedString(p));
    case json::JsType::kArray:
    case json::JsType::kObject:
      break;
  }
  // Containers come back through their JSON text: one parse gives one
  // storage for the whole tree, where building it node by node would
  // allocate per string. The text is JSON.stringify's, so the tree is the
  // one packed, except that nested undefined, NaN and infinities read back
  // as null (as any JSON round trip of that tree gives).
  std::string text;
  AppendPackedJson(p, &text);
  absl::StatusOr<json::JsValue> value =
      json::ParseJson(text, json::ParseJsonOptions{.max_depth = std::numeric_limits<int>::max()});
  return value.ok() ? *std::move(value) : json::JsValue();
}

}  // namespace ctxmem::context::internal
