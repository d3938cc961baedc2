// JsValue: a JSON value with the shape JavaScript gives it after JSON.parse.
//
// ctxmem re-implements a TypeScript assistant whose outputs are
// JSON.stringify(JSON.parse(input)) of parts of its input, so the tree keeps
// exactly what JavaScript keeps:
//  * numbers are doubles (big integers round, `1e400` is Infinity);
//  * strings are WTF-8 bytes: UTF-8 that may also hold lone surrogates
//    (U+D800..U+DFFF as 3-byte sequences), since a JavaScript string can;
//  * object members are in JavaScript's property order: array-index keys
//    ("0" … "4294967294", no leading zeros) first in ascending numeric order,
//    then the other keys in insertion order; a duplicate key keeps its last
//    value at its first position. "__proto__" is an ordinary key.
//
//   absl::StatusOr<JsValue> doc = ParseJson(text);       // parse_json.h
//   for (size_t i = 0; i < doc->Find("messages").size(); ++i) {
//     JsValue message = doc->Find("messages")[i];
//     if (message.Find("content").is_string()) ...
//   }
//   std::string out = StringifyJson(message);           // stringify_json.h
//
// A JsValue is a small handle (32 bytes): the node itself plus shared
// ownership of the immutable storage its children and string bytes live in.
// Copies are cheap and thread-safe; the tree is never modified after it is
// made, so a value may be read from any number of threads. Reading never
// fails: asking an absent member, an index out of range or a value of the
// wrong type gives `undefined`, false, 0 or "" (as JavaScript gives
// undefined), so lookups chain without checks.
//
// `undefined` is JavaScript's absent value: what a lookup of an absent member
// returns and what JsValue() is. It is never produced by the parser.
// StringifyJson treats it as JSON.stringify does (omitted as an object
// member, null in an array, no text at all on its own).

#ifndef CTXMEM_CONTEXT_JSON_JS_VALUE_H_
#define CTXMEM_CONTEXT_JSON_JS_VALUE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctxmem::json {

enum class JsType : uint8_t {
  kUndefined,
  kNull,
  kBool,
  kNumber,
  kString,
  kArray,
  kObject,
};

// "undefined", "null", "boolean", "number", "string", "array", "object".
std::string_view JsTypeName(JsType type);

namespace internal {

// One node of the tree: 16 bytes. Arrays point at `size` consecutive element
// nodes, objects at `size` consecutive (key, value) node pairs whose keys
// are string nodes. Children and string bytes live in a JsStorage.
struct JsNode {
  JsType type;
  uint32_t size;  // string bytes, array elements or object members
  union {
    bool boolean;
    double number;
    const char* chars;
    const JsNode* children;
  };
};
static_assert(sizeof(JsNode) == 16);

struct JsStorage;  // internal/js_storage.h

}  // namespace internal

class JsValue {
 public:
  // undefined.
  JsValue() : node_{JsType::kUndefined, 0, {.chars = nullptr}} {}

  // Values made in code (for outputs that extend what was parsed). Strings
  // are copied and must be WTF-8 (valid UTF-8, plus lone surrogates).
  static JsValue Null();
  static JsValue Bool(bool value);
  static JsValue Number(double value);
  static JsValue String(std::string_view wtf8);
  static JsValue Array(const std::vector<JsValue>& elements);
  // Members in the order given; the result has JavaScript's property order
  // and duplicate rule, as if built by assigning them one by one.
  static JsValue Object(
      const std::vector<std::pair<std::string_view, JsValue>>& members);

  JsType type() const { return node_.type; }
  bool is_undefined() const { return node_.type == JsType::kUndefined; }
  bool is_null() const { return node_.type == JsType::kNull; }
  bool is_bool() const { return node_.type == JsType::kBool; }
  bool is_number() const { return node_.type == JsType::kNumber; }
  bool is_string() const { return node_.type == JsType::kString; }
  bool is_array() const { return node_.type == JsType::kArray; }
  bool is_object() const { return node_.type == JsType::kObject; }

  // The value if of that type; otherwise false, 0 and "".
  bool bool_value() const { return is_bool() && node_.boolean; }
  double number_value() const { return is_number() ? node_.number : 0; }
  // WTF-8 bytes, valid as long as any JsValue of this tree exists.
  std::string_view string_value() const {
    return is_string() ? std::string_view(node_.chars, node_.size)
                       : std::string_view();
  }

  // Elements of an array or members of an object; 0 for anything else.
  size_t size() const { return is_array() || is_object() ? node_.size : 0; }

  // Array element `i`; undefined if this is not an array or i >= size().
  JsValue operator[](size_t i) const;

  // Object member `i` in property order (i < size()); "" / undefined if this
  // is not an object or i >= size().
  std::string_view key(size_t i) const;
  JsValue value(size_t i) const;

  // The member named `key` (WTF-8 bytes, compared exactly); undefined if
  // absent or if this is not an object. Linear in size().
  JsValue Find(std::string_view key) const;

  // For the parser, the builders and the writer (internal/js_storage.h).
  const internal::JsNode& node() const { return node_; }
  JsValue(internal::JsNode node,
          std::shared_ptr<const internal::JsStorage> storage)
      : node_(node), storage_(std::move(storage)) {}
  const std::shared_ptr<const internal::JsStorage>& storage() const {
    return storage_;
  }

 private:
  internal::JsNode node_;
  std::shared_ptr<const internal::JsStorage> storage_;  // null for scalars
};

}  // namespace ctxmem::json

#endif  // CTXMEM_CONTEXT_JSON_JS_VALUE_H_
