#include "context/json/parse_json.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "context/json/internal/js_storage.h"
#include "context/json/internal/number_text.h"
#include "context/json/internal/prepared_input.h"
#include "context/json/internal/rapidjson.h"
#include "context/json/js_value.h"

namespace ctxmem::json {
namespace {

using internal::JsNode;
using internal::PreparedInput;
using rapidjson::SizeType;

// RapidJSON's reader, iterative (no recursion however deep the input),
// decoding strings in place, handing numbers over as their text.
constexpr unsigned kReaderFlags = rapidjson::kParseInsituFlag |
                                  rapidjson::kParseIterativeFlag |
                                  rapidjson::kParseNumbersAsStringsFlag;

// SAX handler that builds the tree: values wait on a stack until their
// container ends, then move as one block into the node array.
class TreeBuilder {
 public:
  TreeBuilder(const PreparedInput& input, JsNode* nodes, size_t capacity,
              int max_depth)
      : input_(input),
        nodes_(nodes),
        capacity_(capacity),
        max_depth_(max_depth) {}

  bool Null() { return Push(JsNode{JsType::kNull, 0, {.chars = nullptr}}); }
  bool Bool(bool b) { return Push(JsNode{JsType::kBool, 0, {.boolean = b}}); }
  // kParseNumbersAsStringsFlag: numbers arrive through RawNumber only.
  bool Int(int) { return false; }
  bool Uint(unsigned) { return false; }
  bool Int64(int64_t) { return false; }
  bool Uint64(uint64_t) { return false; }
  bool Double(double) { return false; }

  bool RawNumber(const char* text, SizeType length, bool /*copy*/) {
    const size_t offset = static_cast<size_t>(text - input_.bytes.get());
    double value;
    if (next_number_ < input_.numbers.size() &&
        input_.numbers[next_number_].prepared_offset == offset) {
      value = input_.numbers[next_number_++].value;  // blanked: see there
    } else {
      value = internal::NumberFromJsonText(text, text + length);
    }
    return Push(JsNode{JsType::kNumber, 0, {.number = value}});
  }

  // In situ: `text` points into the input copy and stays valid.
  bool String(const char* text, SizeType length, bool /*copy*/) {
    return Push(JsNode{JsType::kString, length, {.chars = text}});
  }
  bool Key(const char* text, SizeType length, bool copy) {
    return String(text, length, copy);
  }

  bool StartObject() { return Enter(); }
  bool StartArray() { return Enter(); }

  bool EndObject(SizeType members) {
    JsNode* pairs = stack_.data() + stack_.size() - 2 * size_t{members};
    const uint32_t count = internal::OrderMembers(pairs, members);
    return Close(JsType::kObject, 2 * size_t{members}, count, 2 * count);
  }
  bool EndArray(SizeType elements) {
    return Close(JsType::kArray, elements, elements, elements);
  }

  bool too_deep() const { return too_deep_; }
  bool out_of_nodes() const { return out_of_nodes_; }
  size_t nodes_used() const { return used_; }
  const JsNode& root() const { return stack_.front(); }

 private:
  bool Push(const JsNode& node) {
    stack_.push_back(node);
    return true;
  }

  bool Enter() {
    if (++depth_ > max_depth_) {
      too_deep_ = true;
      return false;
    }
    return true;
  }

  // Replaces the last `popped` stack nodes by a container of `size` members
  // or elements whose first `kept` nodes go to the node array.
  bool Close(JsType type, size_t popped, uint32_t size, size_t kept) {
    --depth_;
    if (used_ + kept > capacity_) {  // the bound is exact; never expected
      out_of_nodes_ = true;
      return false;
    }
    JsNode* block = nodes_ + used_;
    const JsNode* first = stack_.data() + stack_.size() - popped;
    if (kept > 0) std::memcpy(block, first, kept * sizeof(JsNode));
    used_ += kept;
    stack_.resize(stack_.size() - popped);
    return Push(JsNode{type, size, {.children = block}});
  }

  const PreparedInput& input_;
  JsNode* nodes_;
  size_t capacity_;
  size_t used_ = 0;
  int max_depth_;
  int depth_ = 0;
  size_t next_number_ = 0;
  bool too_deep_ = false;
  bool out_of_nodes_ = false;
  std::vector<JsNode> stack_;
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// "character 'x'" for printable ASCII, "character U+XXXX" otherwise (the
// text before a reader error is valid UTF-8).
std::string Describe(std::string_view text, size_t offset) {
  const auto c = static_cast<unsigned char>(text[offset]);
  if (c >= 0x20 && c < 0x7F) return absl::StrFormat("character '%c'", c);
  char32_t code_point = c;
  size_t length = 1;
  if (c >= 0xF0) {
    code_point = c & 0x07;
    length = 4;
  } else if (c >= 0xE0) {
    code_point = c & 0x0F;
    length = 3;
  } else if (c >= 0xC0) {
    code_point = c & 0x1F;
    length = 2;
  }
  for (size_t k = 1; k < length && offset + k < text.size(); ++k) {
    code_point = (code_point << 6) | (text[offset + k] & 0x3F);
  }
  return absl::StrFormat("character U+%04X", static_cast<uint32_t>(code_point));
}

// Whether the digit at `offset` follows a number's leading '0' ("01",
// "-007"): JSON forbids that; the reader only sees an unexpected digit.
bool AfterLeadingZero(std::string_view text, size_t offset) {
  if (offset < 1 || offset >= text.size()) return false;
  if (text[offset] < '0' || text[offset] > '9' || text[offset - 1] != '0') {
    return false;
  }
  if (offset < 2) return true;
  const char before = text[offset - 2];
  return !(before >= '0' && before <= '9') && before != '.' && before != 'e' &&
         before != 'E' && before != '+';
}

// Whether the closing bracket at `offset` follows a comma.
bool AfterComma(std::string_view text, size_t offset) {
  size_t k = offset;
  while (k > 0 && IsSpace(text[k - 1])) --k;
  return k > 0 && text[k - 1] == ',';
}

std::string ReaderMessage(rapidjson::ParseErrorCode code, std::string_view text,
                          size_t offset) {
  using namespace rapidjson;  // NOLINT: the error codes
  const bool at_end = offset >= text.size();
  if (code == kParseErrorStringMissQuotationMark) return "unterminated string";
  if (at_end) return "unexpected end of input";
  const char c = text[offset];
  if (AfterLeadingZero(text, offset)) return "leading zero in a number";
  if ((c == ']' || c == '}') && AfterComma(text, offset)) {
    return absl::StrFormat("trailing comma before '%c'", c);
  }
  switch (code) {
    case kParseErrorDocumentEmpty:
      return "unexpected end of input";
    case kParseErrorDocumentRootNotSingular:
      return absl::StrCat("unexpected ", Describe(text, offset),
                          " after the JSON value");
    case kParseErrorValueInvalid:
      return absl::StrCat("unexpected ", Describe(text, offset));
    case kParseErrorObjectMissName:
      return absl::StrCat("expected a string key, found ",
                          Describe(text, offset));
    case kParseErrorObjectMissColon:
      return "expected ':' after the key";
    case kParseErrorObjectMissCommaOrCurlyBracket:
      return "expected ',' or '}'";
    case kParseErrorArrayMissCommaOrSquareBracket:
      return "expected ',' or ']'";
    case kParseErrorStringUnicodeEscapeInvalidHex:
      return "invalid \\u escape: expected 4 hex digits";
    case kParseErrorStringEscapeInvalid:
      if (c == '\\' && offset + 1 < text.size()) {
        const auto next = static_cast<unsigned char>(text[offset + 1]);
        if (next >= 0x20 && next < 0x7F) {
          return absl::StrFormat("invalid escape '\\%c'", next);
        }
        return absl::StrCat("invalid escape: a backslash before ",
                            Describe(text, offset + 1));
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        return absl::StrFormat("unescaped control character U+%04X in string",
                               static_cast<unsigned>(c));
      }
      break;
    case kParseErrorNumberMissFraction:
      return "expected a digit after '.'";
    case kParseErrorNumberMissExponent:
      return "expected a digit in the exponent";
    default:
      break;
  }
  return GetParseError_En(code);  // not expected after PrepareInput
}

absl::Status PositionedError(std::string_view text, size_t offset,
                             std::string_view message) {
  offset = std::min(offset, text.size());
  size_t line = 1;
  size_t line_start = 0;
  for (size_t k = text.find('\n'); k != std::string_view::npos && k < offset;
       k = text.find('\n', k + 1)) {
    ++line;
    line_start = k + 1;
  }
  size_t column = 1;
  for (size_t k = line_start; k < offset; ++k) {
    if ((static_cast<unsigned char>(text[k]) & 0xC0) != 0x80) ++column;
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "line %d, column %d (byte %d): %s", line, column, offset, message));
}

}  // namespace

absl::StatusOr<JsValue> ParseJson(std::string_view text,
                                  const ParseJsonOptions& options) {
  // RapidJSON sizes and offsets are 32-bit.
  if (text.size() >= 0xFFFF'FF00u) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "JSON text of %d bytes is too large (limit 4 GiB)", text.size()));
  }
  PreparedInput input = internal::PrepareInput(text);
  auto nodes = std::make_unique_for_overwrite<JsNode[]>(
      std::max<size_t>(input.node_bound, 1));
  TreeBuilder builder(input, nodes.get(), input.node_bound, options.max_depth);
  rapidjson::InsituStringStream stream(input.bytes.get());
  rapidjson::Reader reader;
  const rapidjson::ParseResult result =
      reader.Parse<kReaderFlags>(stream, builder);

  if (result.IsError()) {
    const size_t offset = internal::OriginalOffset(input, result.Offset());
    if (input.has_bad_byte && offset >= input.bad_offset) {
      return PositionedError(text, input.bad_offset, input.bad_message);
    }
    if (builder.too_deep()) {
      return PositionedError(
          text, offset,  // the bracket that went one level too deep
          absl::StrFormat("nesting deeper than %d arrays and objects",
                          options.max_depth));
    }
    if (builder.out_of_nodes()) {
      return absl::InternalError("JSON parser: node bound exceeded");
    }
    return PositionedError(text, offset,
                           ReaderMessage(result.Code(), text, offset));
  }
  if (input.has_bad_byte) {
    return PositionedError(text, input.bad_offset, input.bad_message);
  }

  const JsNode root = builder.root();
  auto storage = std::make_shared<internal::JsStorage>();
  storage->bytes = std::move(input.bytes);
  storage->nodes = std::move(nodes);
  return JsValue(root, std::move(storage));
}

}  // namespace ctxmem::json
