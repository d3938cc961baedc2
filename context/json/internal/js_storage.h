// What a JsValue tree's nodes and bytes live in, and the member-order rule
// shared by the parser and JsValue::Object.

#ifndef CTXMEM_CONTEXT_JSON_INTERNAL_JS_STORAGE_H_
#define CTXMEM_CONTEXT_JSON_INTERNAL_JS_STORAGE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "context/json/js_value.h"

namespace ctxmem::json::internal {

// Immutable once a JsValue points into it. A parsed document is one storage:
// `bytes` is the input copy whose strings were decoded in place (keys and
// string values point into it) and `nodes` holds every node but the root.
// A built value copies its children's nodes into `nodes` and keeps their
// storages alive through `parts` (children's children stay where they are).
struct JsStorage {
  JsStorage() = default;
  JsStorage(const JsStorage&) = delete;
  JsStorage& operator=(const JsStorage&) = delete;
  // Releases `parts` without recursion, however deep built values nest.
  ~JsStorage();

  std::unique_ptr<char[]> bytes;
  std::unique_ptr<JsNode[]> nodes;
  std::vector<std::shared_ptr<const JsStorage>> parts;
};

inline std::string_view KeyOf(const JsNode& key) {
  return std::string_view(key.chars, key.size);
}

// Whether `key` is a canonical array index, "0" … "4294967294": JavaScript
// lists such keys first, in numeric order. Sets *index when it is.
bool IsArrayIndex(std::string_view key, uint32_t* index);

// Puts `count` (key, value) node pairs at `pairs` into JavaScript's property
// order, dropping duplicate keys (the last value stays at the first key's
// place). Returns the number of pairs left at the front of `pairs`.
uint32_t OrderMembers(JsNode* pairs, uint32_t count);

}  // namespace ctxmem::json::internal

#endif  // CTXMEM_CONTEXT_JSON_INTERNAL_JS_STORAGE_H_
