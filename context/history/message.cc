#include "context/history/message.h"

#include <cmath>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "context/estimate/content_estimate.h"
#include "context/json/stringify_json.h"

namespace ctxmem::context {

bool JsTruthy(const json::JsValue& value) {
  switch (value.type()) {
    case json::JsType::kUndefined:
    case json::JsType::kNull:
      return false;
    case json::JsType::kBool:
      return value.bool_value();
    case json::JsType::kNumber: {
      const double x = value.number_value();
      return x != 0 && !std::isnan(x);
    }
    case json::JsType::kString:
      return !value.string_value().empty();
    case json::JsType::kArray:
    case json::JsType::kObject:
      return true;
  }
  return false;
}

bool JsSameValueZero(const json::JsValue& a, const json::JsValue& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case json::JsType::kUndefined:
    case json::JsType::kNull:
      return true;
    case json::JsType::kBool:
      return a.bool_value() == b.bool_value();
    case json::JsType::kNumber: {
      const double x = a.number_value(), y = b.number_value();
      return x == y || (std::isnan(x) && std::isnan(y));
    }
    case json::JsType::kString:
      return a.string_value() == b.string_value();
    case json::JsType::kArray:
    case json::JsType::kObject:
      return false;
  }
  return false;
}

double JsToNumber(const json::JsValue& value) {
  switch (value.type()) {
    case json::JsType::kUndefined:
      return NAN;
    case json::JsType::kNull:
      return 0;
    case json::JsType::kBool:
      return value.bool_value() ? 1 : 0;
    case json::JsType::kNumber:
      return value.number_value();
    case json::JsType::kString: {
      // Number("  12 ") is 12, Number("") is 0; strtod also takes hex,
      // "inf" and "nan" spellings JavaScript rejects: refuse those.
      std::string_view view = value.string_value();
      while (!view.empty() && absl::ascii_isspace(view.front())) view.remove_prefix(1);
      while (!view.empty() && absl::ascii_isspace(view.back())) view.remove_suffix(1);
      const std::string text(view);
      if (text.empty()) return 0;
      if (text == "Infinity" || text == "+Infinity") return INFINITY;
      if (text == "-Infinity") return -INFINITY;
      for (char c : text) {
        if (!(absl::ascii_isdigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
          return NAN;
        }
      }
      char* end = nullptr;
      const double x = std::strtod(text.c_str(), &end);
      return end == text.c_str() + text.size() ? x : NAN;
    }
    case json::JsType::kArray:
    case json::JsType::kObject:
      return NAN;  // ids and timestamps are never arrays or objects
  }
  return NAN;
}

absl::StatusOr<Message> Message::FromJson(const json::JsValue& object) {
  if (!object.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("a message must be an object, not ", std::string(json::JsTypeName(object.type()))));
  }
  Message message;
  message.source_ = object;
  message.fields_.reserve(object.size());
  for (size_t i = 0; i < object.size(); ++i) {
    message.fields_.push_back(Field{object.key(i), object.value(i)});
  }
  message.content_ = object.Find(kContent);
  return message;
}

Message Message::Make(std::initializer_list<Field> fields) {
  Message message;
  for (const Field& field : fields) message.Set(field.key, field.value);
  return message;
}

json::JsValue Message::ToJson() const {
  std::vector<std::pair<std::string_view, json::JsValue>> members;
  members.reserve(fields_.size());
  for (const Field& field : fields_) members.emplace_back(field.key, field.value);
  return json::JsValue::Object(members);
}

void Message::AppendJson(std::string* out) const {
  // Fields are already in property order (FromJson keeps the parsed order,
  // Set appends new keys last, and none of the policies' keys is an array
  // index), so the object is written directly.
  out->push_back('{');
  bool first = true;
  for (const Field& field : fields_) {
    if (field.value.is_undefined()) continue;
    if (!first) out->push_back(',');
    first = false;
    json::AppendJsonString(field.key, out);
    out->push_back(':');
    json::AppendJson(field.value, out);
  }
  out->push_back('}');
}

json::JsValue Message::Get(std::string_view key) const {
  for (const Field& field : fields_) {
    if (field.key == key) return field.value;
  }
  return json::JsValue();
}

bool Message::Has(std::string_view key) const {
  for (const Field& field : fields_) {
    if (field.key == key) return true;
  }
  return false;
}

void Message::Set(std::string_view key, json::JsValue value) {
  if (key == kContent) {
    content_ = value;
    estimate_ = kNoEstimate;
  }
  for (Field& field : fields_) {
    if (field.key == key) {
      field.value = std::move(value);
      return;
    }
  }
  fields_.push_back(Field{key, std::move(value)});
}

void Message::Remove(std::string_view key) {
  for (auto it = fields_.begin(); it != fields_.end(); ++it) {
    if (it->key == key) {
      fields_.erase(it);
      break;
    }
  }
  if (key == kContent) {
    content_ = json::JsValue();
    estimate_ = kNoEstimate;
  }
}

uint64_t Message::EstimateTokens() const {
  if (estimate_ == kNoEstimate) estimate_ = EstimateContentTokens(content_);
  return estimate_;
}

}  // namespace ctxmem::context
