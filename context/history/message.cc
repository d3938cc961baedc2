#include "context/history/message.h"

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "context/estimate/content_estimate.h"
#include "context/history/internal/packed_value.h"
#include "context/history/vocabulary.h"

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

namespace internal {

// A message's record: one heap block, header then packed object.
struct PackedRecord {
  std::atomic<uint32_t> refs;
  uint32_t size;                    // packed bytes after the header
  std::atomic<uint64_t> estimate;   // kNoEstimate until computed

  const uint8_t* bytes() const { return reinterpret_cast<const uint8_t*>(this + 1); }
  uint8_t* bytes() { return reinterpret_cast<uint8_t*>(this + 1); }
};

}  // namespace internal

namespace {

using internal::PackedRecord;

constexpr uint64_t kNoEstimate = ~uint64_t{0};

// A record of `size` packed bytes, one reference, its bytes to be written.
PackedRecord* AllocateRecord(size_t size, uint64_t estimate) {
  void* block = ::operator new(sizeof(PackedRecord) + size);
  return new (block) PackedRecord{{1}, static_cast<uint32_t>(size), {estimate}};
}

PackedRecord* NewRecord(std::string_view packed, uint64_t estimate) {
  PackedRecord* record = AllocateRecord(packed.size(), estimate);
  std::memcpy(record->bytes(), packed.data(), packed.size());
  return record;
}

void Unref(PackedRecord* record) {
  if (record != nullptr && record->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    record->~PackedRecord();
    ::operator delete(record);
  }
}

PackedRecord* Ref(PackedRecord* record) {
  if (record != nullptr) record->refs.fetch_add(1, std::memory_order_relaxed);
  return record;
}

// Visits the members of the packed object at `p`: fn(key, value, end).
template <typename Fn>
void ForEachMember(const uint8_t* p, Fn fn) {
  const uint8_t* q;
  const uint32_t count = internal::ReadContainer(p, &q);
  for (uint32_t i = 0; i < count; ++i) {
    std::string_view key;
    const uint8_t* value = internal::ReadKey(q, &key);
    const uint8_t* end = internal::SkipValue(value);
    if (!fn(key, q, value, end)) return;
    q = end;
  }
}

}  // namespace

Message::Message(const Message& other) : record_(Ref(other.record_)) {}

Message& Message::operator=(const Message& other) {
  if (this != &other) {
    PackedRecord* old = record_;
    record_ = Ref(other.record_);
    Unref(old);
  }
  return *this;
}

Message& Message::operator=(Message&& other) noexcept {
  if (this != &other) {
    Unref(record_);
    record_ = other.record_;
    other.record_ = nullptr;
  }
  return *this;
}

Message::~Message() { Unref(record_); }

absl::StatusOr<Message> Message::FromJson(const json::JsValue& object) {
  if (!object.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("a message must be an object, not ", std::string(json::JsTypeName(object.type()))));
  }
  std::string packed;
  internal::PackValue(object, false, &packed);
  return Message(NewRecord(packed, kNoEstimate));
}

Message Message::Make(std::initializer_list<Field> fields) {
  Message message;
  for (const Field& field : fields) message.Set(field.key, field.value);
  return message;
}

json::JsValue Message::ToJson() const {
  if (record_ == nullptr) return json::JsValue::Object({});
  return internal::UnpackValue(record_->bytes());
}

void Message::AppendJson(std::string* out) const {
  if (record_ == nullptr) {
    out->append("{}");
    return;
  }
  internal::AppendPackedJson(record_->bytes(), out);
}

const uint8_t* Message::FindField(std::string_view key) const {
  if (record_ == nullptr) return nullptr;
  const uint8_t* found = nullptr;
  ForEachMember(record_->bytes(), [&](std::string_view k, const uint8_t*, const uint8_t* value,
                                      const uint8_t*) {
    if (k != key) return true;
    found = value;
    return false;
  });
  return found;
}

json::JsValue Message::Get(std::string_view key) const {
  const uint8_t* value = FindField(key);
  return value == nullptr ? json::JsValue() : internal::UnpackValue(value);
}

std::string_view Message::GetString(std::string_view key) const {
  const uint8_t* value = FindField(key);
  return value == nullptr ? std::string_view() : internal::PackedString(value);
}

bool Message::FieldTruthy(std::string_view key) const {
  const uint8_t* value = FindField(key);
  if (value == nullptr) return false;
  switch (internal::PackedType(value)) {
    case json::JsType::kArray:
    case json::JsType::kObject:
      return true;
    case json::JsType::kString:
      return !internal::PackedString(value).empty();
    default:
      return JsTruthy(internal::UnpackValue(value));  // a scalar: no allocation
  }
}

bool Message::Has(std::string_view key) const { return FindField(key) != nullptr; }

std::vector<Message::Field> Message::fields() const {
  std::vector<Field> out;
  if (record_ == nullptr) return out;
  ForEachMember(record_->bytes(), [&](std::string_view key, const uint8_t*, const uint8_t* value,
                                      const uint8_t*) {
    out.push_back(Field{key, internal::UnpackValue(value)});
    return true;
  });
  return out;
}

size_t Message::field_count() const {
  if (record_ == nullptr) return 0;
  const uint8_t* first;
  return internal::ReadContainer(record_->bytes(), &first);
}

void Message::Rewrite(std::string_view key, const std::string* value) {
  // The new record is the old one's members copied as they are packed, with
  // `key` keeping its place (or going last when new) holding the new value,
  // or dropped; sized first so it is written in one allocation.
  const uint8_t* members_begin = nullptr;
  const uint8_t* members_end = nullptr;
  const uint8_t* key_begin = nullptr;  // the member `key`, if present
  const uint8_t* value_begin = nullptr;
  const uint8_t* member_end = nullptr;
  uint32_t count = 0;
  if (record_ != nullptr) {
    count = internal::ReadContainer(record_->bytes(), &members_begin);
    members_end = record_->bytes() + record_->size;
    ForEachMember(record_->bytes(), [&](std::string_view k, const uint8_t* begin,
                                        const uint8_t* v, const uint8_t* end) {
      if (k != key) return true;
      key_begin = begin;
      value_begin = v;
      member_end = end;
      return false;
    });
  }
  if (key_begin == nullptr && value == nullptr) return;  // removing an absent key
  std::string new_key;
  if (key_begin == nullptr) {
    internal::PackKey(key, &new_key);
    ++count;
  } else if (value == nullptr) {
    --count;
  }
  std::string header;
  internal::PackObjectHeader(count, &header);
  const size_t old_members = static_cast<size_t>(members_end - members_begin);
  const size_t size = header.size() + old_members + new_key.size() +
                      (value != nullptr ? value->size() : 0) -
                      (key_begin != nullptr ? static_cast<size_t>(
                                                  (value != nullptr ? member_end - value_begin
                                                                    : member_end - key_begin))
                                            : 0);
  // The estimate belongs to the content: it carries over unless `key` is it.
  const uint64_t estimate = key == kContent || record_ == nullptr
                                ? kNoEstimate
                                : record_->estimate.load(std::memory_order_relaxed);
  PackedRecord* record = AllocateRecord(size, estimate);
  uint8_t* out = record->bytes();
  auto put = [&out](const void* data, size_t n) {
    if (n > 0) std::memcpy(out, data, n);
    out += n;
  };
  put(header.data(), header.size());
  if (key_begin == nullptr) {
    put(members_begin, old_members);
    put(new_key.data(), new_key.size());
    put(value->data(), value->size());
  } else {
    const uint8_t* kept_until = value != nullptr ? value_begin : key_begin;
    put(members_begin, static_cast<size_t>(kept_until - members_begin));
    if (value != nullptr) put(value->data(), value->size());
    put(member_end, static_cast<size_t>(members_end - member_end));
  }
  PackedRecord* old = record_;
  record_ = record;
  Unref(old);
}

void Message::Set(std::string_view key, const json::JsValue& value) {
  std::string packed;
  internal::PackValue(value, IsVocabularyKey(key), &packed);
  Rewrite(key, &packed);
}

void Message::Remove(std::string_view key) { Rewrite(key, nullptr); }

uint64_t Message::EstimateTokens() const {
  if (record_ == nullptr) return EstimateContentTokens(json::JsValue());
  uint64_t estimate = record_->estimate.load(std::memory_order_relaxed);
  if (estimate == kNoEstimate) {
    estimate = EstimateContentTokens(content());
    // Racing threads compute the same figure; either store is right.
    record_->estimate.store(estimate, std::memory_order_relaxed);
  }
  return estimate;
}

bool Message::estimate_cached() const {
  return record_ != nullptr && record_->estimate.load(std::memory_order_relaxed) != kNoEstimate;
}

size_t Message::record_bytes() const {
  return record_ == nullptr ? 0 : sizeof(PackedRecord) + record_->size;
}

}  // namespace ctxmem::context
