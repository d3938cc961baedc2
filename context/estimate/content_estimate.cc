#include "context/estimate/content_estimate.h"

#include <cmath>
#include <string_view>

#include "context/json/js_number.h"
#include "context/json/stringify_json.h"
#include "context/json/wtf8.h"

namespace ctxmem::context {
namespace {

uint64_t CountText(std::string_view wtf8, const tokenizer::Encoding& encoding) {
  if (wtf8.empty()) return 0;
  // Parsed JSON strings are WTF-8: well-formed once lone surrogates are
  // replaced, so the unchecked path is safe here.
  return encoding.CountValidUtf8(json::ToWellFormedUtf8(wtf8));
}

// JavaScript's `.length` of a string: UTF-16 code units. A 4-byte UTF-8
// sequence is a surrogate pair (2 units); every other sequence, lone
// surrogates' 3-byte WTF-8 included, is one unit.
uint64_t Utf16Length(std::string_view wtf8) {
  uint64_t units = 0;
  for (unsigned char c : wtf8) {
    if ((c & 0xC0) != 0x80) units += c >= 0xF0 ? 2 : 1;
  }
  return units;
}

}  // namespace

std::string JsToString(const json::JsValue& value) {
  switch (value.type()) {
    case json::JsType::kUndefined:
      return "undefined";
    case json::JsType::kNull:
      return "null";
    case json::JsType::kBool:
      return value.bool_value() ? "true" : "false";
    case json::JsType::kNumber:
      return json::FormatJsNumberString(value.number_value());
    case json::JsType::kString:
      return std::string(value.string_value());
    case json::JsType::kArray: {
      // Array.prototype.join(","): null and undefined elements are empty.
      std::string joined;
      for (size_t i = 0; i < value.size(); ++i) {
        if (i > 0) joined += ',';
        const json::JsValue element = value[i];
        if (!element.is_null() && !element.is_undefined()) joined += JsToString(element);
      }
      return joined;
    }
    case json::JsType::kObject:
      return "[object Object]";
  }
  return "";
}

std::string ToolUseText(const json::JsValue& block) {
  std::string text = "Tool: " + JsToString(block.Find("name"));
  if (const json::JsValue input = block.Find("input"); !input.is_undefined()) {
    text += "\nArguments: ";
    text += json::StringifyJson(input);
  }
  return text;
}

std::string ToolResultText(const json::JsValue& block) {
  std::string text = "Tool Result (" + JsToString(block.Find("tool_use_id")) + ")";
  // `if (block.is_error)`: JavaScript truthiness of the parsed value.
  const json::JsValue is_error = block.Find("is_error");
  const bool truthy = (is_error.is_bool() && is_error.bool_value()) ||
                      (is_error.is_number() && is_error.number_value() != 0 &&
                       !std::isnan(is_error.number_value())) ||
                      (is_error.is_string() && !is_error.string_value().empty()) ||
                      is_error.is_array() || is_error.is_object();
  if (truthy) text += "\n[Error]";
  const json::JsValue content = block.Find("content");
  if (content.is_string()) {
    text += '\n';
    text += content.string_value();
  } else if (content.is_array()) {
    for (size_t i = 0; i < content.size(); ++i) {
      const json::JsValue part = content[i];
      const std::string_view type = part.Find("type").string_value();
      text += '\n';
      if (type == "text") {
        text += part.Find("text").string_value();
      } else if (type == "image") {
        text += "[Image content]";
      } else {
        text += "[Unsupported content block: " + JsToString(part.Find("type")) + "]";
      }
    }
  }
  return text;
}

uint64_t CountBlockTokens(const json::JsValue& block, const tokenizer::Encoding& encoding) {
  const std::string_view type = block.Find("type").string_value();
  if (type == "text") return CountText(block.Find("text").string_value(), encoding);
  if (type == "image") {
    const json::JsValue source = block.Find("source");
    const json::JsValue data = source.Find("data");
    if (!data.is_string()) return kImageWithoutDataTokens;
    return static_cast<uint64_t>(
        std::ceil(std::sqrt(static_cast<double>(Utf16Length(data.string_value())))));
  }
  if (type == "tool_use") return CountText(ToolUseText(block), encoding);
  if (type == "tool_result") return CountText(ToolResultText(block), encoding);
  return 0;
}

uint64_t EstimateContentTokens(const json::JsValue& content, const tokenizer::Encoding& encoding) {
  uint64_t total = 0;
  if (content.is_string()) {
    total = CountText(content.string_value(), encoding);
  } else if (content.is_array()) {
    for (size_t i = 0; i < content.size(); ++i) total += CountBlockTokens(content[i], encoding);
  }
  if (total == 0) return 0;
  return static_cast<uint64_t>(std::ceil(static_cast<double>(total) * kTokenFudgeFactor));
}

}  // namespace ctxmem::context
