// Message: one entry of an agent conversation, in the reference's shape.
//
// The reference assistant stores its API history as plain JavaScript
// objects: {role, content, ts} plus the context-management tags
// (truncationParent, isTruncationMarker, truncationId, condenseParent,
// isSummary, condenseId) and whatever else its callers added. Its policies
// copy such objects with spreads ({...msg, truncationParent: id}) and drop
// keys with rest patterns, so the property order of what it writes is a
// function of the order it read. A Message keeps exactly that: every field
// in JavaScript property order, unknown fields included, so that
// ToJson(FromJson(x)) == x byte for byte and tag edits land where the
// reference's spreads put them (an existing key in place, a new key last).
//
//   absl::StatusOr<Message> m = Message::FromJson(parsed_object);
//   if (m->is_summary()) ...
//   m->Set(kTruncationParent, json::JsValue::String("id-1"));
//   uint64_t tokens = m->EstimateTokens();   // cached until content changes
//
// Storage. A conversation is mostly text, and the history should cost about
// that text: a Message is one pointer to an immutable, reference-counted
// record holding the whole object in packed form (internal/packed_value.h):
// keys, roles, block types and tool names as vocabulary symbols
// (vocabulary.h), everything else as its bytes, lengths as varints. Copies
// share the record; Set() and Remove() write a new one (copy on write), so a
// copy handed to another thread never changes under it. One record per
// message rather than one arena per history, so that rewinding or dropping
// messages gives their memory back at once.
//
// Reading a container field (content(), Get() of an object, ToJson())
// unpacks it into a fresh JsValue: cheap, but not free, so take it once per
// use. Scalars, role() and the tags read without allocating. The token
// estimate is cached in the record, computed once per content and shared by
// every copy: a policy that looks at an unchanged message again never
// re-tokenizes it.
//
// Thread safety: const methods may be called from any number of threads
// (the estimate cache is atomic); Set() and Remove() need exclusive access to
// this Message object only.

#ifndef CTXMEM_CONTEXT_HISTORY_MESSAGE_H_
#define CTXMEM_CONTEXT_HISTORY_MESSAGE_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "context/json/js_value.h"

namespace ctxmem::context {

// Field names the policies read or write.
inline constexpr std::string_view kRole = "role";
inline constexpr std::string_view kContent = "content";
inline constexpr std::string_view kTs = "ts";
inline constexpr std::string_view kTruncationParent = "truncationParent";
inline constexpr std::string_view kIsTruncationMarker = "isTruncationMarker";
inline constexpr std::string_view kTruncationId = "truncationId";
inline constexpr std::string_view kCondenseParent = "condenseParent";
inline constexpr std::string_view kIsSummary = "isSummary";
inline constexpr std::string_view kCondenseId = "condenseId";

// JavaScript's Boolean(value): false for undefined, null, false, ±0, NaN
// and "", true for everything else.
bool JsTruthy(const json::JsValue& value);

// SameValueZero(a, b) for the primitive values ids are (strings, numbers,
// booleans, null); arrays and objects compare unequal (they are never the
// same object after a parse).
bool JsSameValueZero(const json::JsValue& a, const json::JsValue& b);

// JavaScript's ToNumber for a parsed value (strings as Number("...") reads
// them; undefined and unparsable strings give NaN).
double JsToNumber(const json::JsValue& value);

namespace internal {
struct PackedRecord;  // message.cc
}  // namespace internal

class Message {
 public:
  struct Field {
    std::string_view key;
    json::JsValue value;
  };

  // An empty object, {}.
  Message() = default;
  Message(const Message& other);
  Message(Message&& other) noexcept : record_(other.record_) { other.record_ = nullptr; }
  Message& operator=(const Message& other);
  Message& operator=(Message&& other) noexcept;
  ~Message();

  // A message from a parsed JSON object (any fields; role and content are
  // not checked here: the reference does not check them either).
  static absl::StatusOr<Message> FromJson(const json::JsValue& object);

  // A message built in code, fields in the order given (a repeated key keeps
  // its first place and its last value, as assignments would).
  static Message Make(std::initializer_list<Field> fields);

  // The object as the reference would serialise it.
  json::JsValue ToJson() const;
  void AppendJson(std::string* out) const;

  // The field's value; undefined when absent.
  json::JsValue Get(std::string_view key) const;
  bool Has(std::string_view key) const;
  // Sets `key` in place if present, else appends it ({...msg, key: value}).
  void Set(std::string_view key, const json::JsValue& value);
  // Removes `key` if present (const {key, ...rest} = msg).
  void Remove(std::string_view key);

  // The fields in order. Keys stay valid until this message is modified or
  // destroyed; values are unpacked copies.
  std::vector<Field> fields() const;
  size_t field_count() const;

  // The role string ("" if absent or not a string), valid until this
  // message is modified or destroyed. Never allocates.
  std::string_view role() const { return GetString(kRole); }
  bool is_user() const { return role() == "user"; }
  bool is_assistant() const { return role() == "assistant"; }
  json::JsValue content() const { return Get(kContent); }
  json::JsValue ts() const { return Get(kTs); }

  // Tags, read without unpacking the record.
  bool is_summary() const { return FieldTruthy(kIsSummary); }
  bool is_truncation_marker() const { return FieldTruthy(kIsTruncationMarker); }
  json::JsValue truncation_parent() const { return Get(kTruncationParent); }
  json::JsValue condense_parent() const { return Get(kCondenseParent); }
  json::JsValue truncation_id() const { return Get(kTruncationId); }
  json::JsValue condense_id() const { return Get(kCondenseId); }

  // The reference's estimateTokenCount of this message's content (string
  // content counted as one text block), computed on first use and cached.
  uint64_t EstimateTokens() const;
  // Whether EstimateTokens() would answer from its cache (for tests).
  bool estimate_cached() const;

  // Heap bytes of this message's record (shared by its copies), for memory
  // reports: the packed bytes plus the record header.
  size_t record_bytes() const;

 private:
  explicit Message(internal::PackedRecord* record) : record_(record) {}

  // The packed value of `key`, or null when absent.
  const uint8_t* FindField(std::string_view key) const;
  std::string_view GetString(std::string_view key) const;
  bool FieldTruthy(std::string_view key) const;
  // Replaces the record with one whose field `key` is `value` (packed), or
  // without `key` when `value` is null.
  void Rewrite(std::string_view key, const std::string* value);

  internal::PackedRecord* record_ = nullptr;  // null: {}
};

}  // namespace ctxmem::context

#endif  // CTXMEM_CONTEXT_HISTORY_MESSAGE_H_
