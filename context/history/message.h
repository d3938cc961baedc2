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
// Content (string or block array) is an immutable json::JsValue: the bytes
// of every string live once in the parsed document's storage, shared by all
// copies of the message. The token estimate is computed once per content
// and cached, so a policy that looks at an unchanged message again never
// re-tokenizes it.
//
// Not thread-safe for writes; const methods other than EstimateTokens() may
// be called from several threads (EstimateTokens() fills a cache).

#ifndef CTXMEM_CONTEXT_HISTORY_MESSAGE_H_
#define CTXMEM_CONTEXT_HISTORY_MESSAGE_H_

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

class Message {
 public:
  struct Field {
    // Points at a kXxx constant, or into `source_`'s storage for fields read
    // from input; either outlives the message.
    std::string_view key;
    json::JsValue value;
  };

  Message() = default;

  // A message from a parsed JSON object (any fields; role and content are
  // not checked here: the reference does not check them either).
  static absl::StatusOr<Message> FromJson(const json::JsValue& object);

  // A message built in code, fields in the order given. Keys must outlive
  // the message (use the kXxx constants or string literals).
  static Message Make(std::initializer_list<Field> fields);

  // The object as the reference would serialise it.
  json::JsValue ToJson() const;
  void AppendJson(std::string* out) const;

  // The field's value; undefined when absent.
  json::JsValue Get(std::string_view key) const;
  bool Has(std::string_view key) const;
  // Sets `key` in place if present, else appends it ({...msg, key: value}).
  // `key` must outlive the message.
  void Set(std::string_view key, json::JsValue value);
  // Removes `key` if present (const {key, ...rest} = msg).
  void Remove(std::string_view key);

  const std::vector<Field>& fields() const { return fields_; }

  std::string_view role() const { return Get(kRole).string_value(); }
  bool is_user() const { return role() == "user"; }
  bool is_assistant() const { return role() == "assistant"; }
  const json::JsValue& content() const { return content_; }
  json::JsValue ts() const { return Get(kTs); }

  bool is_summary() const { return JsTruthy(Get(kIsSummary)); }
  bool is_truncation_marker() const { return JsTruthy(Get(kIsTruncationMarker)); }
  json::JsValue truncation_parent() const { return Get(kTruncationParent); }
  json::JsValue condense_parent() const { return Get(kCondenseParent); }
  json::JsValue truncation_id() const { return Get(kTruncationId); }
  json::JsValue condense_id() const { return Get(kCondenseId); }

  // The reference's estimateTokenCount of this message's content (string
  // content counted as one text block), computed on first use and cached.
  uint64_t EstimateTokens() const;
  // Whether EstimateTokens() would answer from its cache (for tests).
  bool estimate_cached() const { return estimate_ != kNoEstimate; }

 private:
  static constexpr uint64_t kNoEstimate = ~uint64_t{0};

  std::vector<Field> fields_;
  json::JsValue content_;      // a copy of the "content" field, for speed
  json::JsValue source_;       // keeps the parsed keys' storage alive
  mutable uint64_t estimate_ = kNoEstimate;
};

}  // namespace ctxmem::context

#endif  // CTXMEM_CONTEXT_HISTORY_MESSAGE_H_
