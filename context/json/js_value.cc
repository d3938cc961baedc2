#include "context/json/js_value.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "context/json/internal/js_storage.h"

namespace ctxmem::json {

using internal::JsNode;
using internal::JsStorage;
using internal::KeyOf;

std::string_view JsTypeName(JsType type) {
  switch (type) {
    case JsType::kUndefined:
      return "undefined";
    case JsType::kNull:
      return "null";
    case JsType::kBool:
      return "boolean";
    case JsType::kNumber:
      return "number";
    case JsType::kString:
      return "string";
    case JsType::kArray:
      return "array";
    case JsType::kObject:
      return "object";
  }
  return "?";
}

namespace internal {

JsStorage::~JsStorage() {
  // A value built by nesting builders 100,000 deep is a chain of storages;
  // letting each one's `parts` release the next would recurse that deep. So
  // the last owner of a part takes over its parts before releasing it
  // (use_count() == 1 is stable: no one else holds it, and there are no
  // weak pointers). Every storage is made non-const, so the const_cast is
  // sound.
  std::vector<std::shared_ptr<const JsStorage>> pending = std::move(parts);
  while (!pending.empty()) {
    std::shared_ptr<const JsStorage> part = std::move(pending.back());
    pending.pop_back();
    if (part.use_count() == 1) {
      auto& inner = const_cast<JsStorage&>(*part).parts;
      for (auto& p : inner) pending.push_back(std::move(p));
      inner.clear();
    }
  }
}

bool IsArrayIndex(std::string_view key, uint32_t* index) {
  if (key.empty() || key.size() > 10) return false;
  if (key[0] == '0' && key.size() > 1) return false;  // "01" is a name
  uint64_t value = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  // 2^32 - 1 is not an array index (array lengths stop at 2^32 - 1).
  if (value > 4294967294u) return false;
  *index = static_cast<uint32_t>(value);
  return true;
}

uint32_t OrderMembers(JsNode* pairs, uint32_t count) {
  // Duplicates first: JSON.parse assigns members one by one, so a repeated
  // key overwrites the value of the property its first occurrence created.
  uint32_t n = 0;
  auto keep = [&](uint32_t from) {
    if (n != from) {
      pairs[2 * n] = pairs[2 * from];
      pairs[2 * n + 1] = pairs[2 * from + 1];
    }
    ++n;
  };
  if (count <= 16) {  // messages are small objects: no table for them
    for (uint32_t i = 0; i < count; ++i) {
      const std::string_view key = KeyOf(pairs[2 * i]);
      uint32_t j = 0;
      while (j < n && KeyOf(pairs[2 * j]) != key) ++j;
      if (j < n) {
        pairs[2 * j + 1] = pairs[2 * i + 1];
      } else {
        keep(i);
      }
    }
  } else {
    absl::flat_hash_map<std::string_view, uint32_t> first;
    first.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      auto [it, inserted] = first.try_emplace(KeyOf(pairs[2 * i]), n);
      if (inserted) {
        keep(i);
      } else {
        pairs[2 * it->second + 1] = pairs[2 * i + 1];
      }
    }
  }

  // Then array-index keys move to the front in numeric order; the others
  // keep their insertion order. Most objects have none: one cheap scan.
  std::vector<std::pair<uint32_t, uint32_t>> indexed;  // (index, position)
  for (uint32_t i = 0; i < n; ++i) {
    const std::string_view key = KeyOf(pairs[2 * i]);
    uint32_t index;
    if (!key.empty() && key[0] >= '0' && key[0] <= '9' &&
        IsArrayIndex(key, &index)) {
      indexed.emplace_back(index, i);
    }
  }
  if (indexed.empty()) return n;
  std::sort(indexed.begin(), indexed.end());  // indices are unique now
  std::vector<JsNode> ordered;
  ordered.reserve(2 * size_t{n});
  for (auto [index, i] : indexed) {
    ordered.push_back(pairs[2 * i]);
    ordered.push_back(pairs[2 * i + 1]);
  }
  size_t next_indexed = 0;
  std::sort(indexed.begin(), indexed.end(),
            [](auto a, auto b) { return a.second < b.second; });
  for (uint32_t i = 0; i < n; ++i) {
    if (next_indexed < indexed.size() && indexed[next_indexed].second == i) {
      ++next_indexed;
      continue;
    }
    ordered.push_back(pairs[2 * i]);
    ordered.push_back(pairs[2 * i + 1]);
  }
  std::copy(ordered.begin(), ordered.end(), pairs);
  return n;
}

}  // namespace internal

namespace {

// Keeps `value`'s storage alive from `storage`, once per distinct storage in
// a row (siblings usually share one).
void KeepPart(const JsValue& value, JsStorage* storage) {
  const auto& part = value.storage();
  if (part == nullptr) return;
  if (!storage->parts.empty() && storage->parts.back() == part) return;
  storage->parts.push_back(part);
}

}  // namespace

JsValue JsValue::Null() {
  return JsValue(JsNode{JsType::kNull, 0, {.chars = nullptr}}, nullptr);
}

JsValue JsValue::Bool(bool value) {
  return JsValue(JsNode{JsType::kBool, 0, {.boolean = value}}, nullptr);
}

JsValue JsValue::Number(double value) {
  return JsValue(JsNode{JsType::kNumber, 0, {.number = value}}, nullptr);
}

JsValue JsValue::String(std::string_view wtf8) {
  auto storage = std::make_shared<JsStorage>();
  storage->bytes = std::make_unique_for_overwrite<char[]>(wtf8.size() + 1);
  std::memcpy(storage->bytes.get(), wtf8.data(), wtf8.size());
  storage->bytes[wtf8.size()] = '\0';
  const JsNode node{JsType::kString,
                    static_cast<uint32_t>(wtf8.size()),
                    {.chars = storage->bytes.get()}};
  return JsValue(node, std::move(storage));
}

JsValue JsValue::Array(const std::vector<JsValue>& elements) {
  auto storage = std::make_shared<JsStorage>();
  storage->nodes = std::make_unique_for_overwrite<JsNode[]>(elements.size());
  for (size_t i = 0; i < elements.size(); ++i) {
    storage->nodes[i] = elements[i].node();
    KeepPart(elements[i], storage.get());
  }
  const JsNode node{JsType::kArray,
                    static_cast<uint32_t>(elements.size()),
                    {.children = storage->nodes.get()}};
  return JsValue(node, std::move(storage));
}

JsValue JsValue::Object(
    const std::vector<std::pair<std::string_view, JsValue>>& members) {
  auto storage = std::make_shared<JsStorage>();
  size_t key_bytes = 0;
  for (const auto& [key, value] : members) key_bytes += key.size();
  storage->bytes = std::make_unique_for_overwrite<char[]>(key_bytes + 1);
  storage->nodes = std::make_unique_for_overwrite<JsNode[]>(2 * members.size());
  char* bytes = storage->bytes.get();
  JsNode* pairs = storage->nodes.get();
  for (size_t i = 0; i < members.size(); ++i) {
    const auto& [key, value] = members[i];
    if (!key.empty()) std::memcpy(bytes, key.data(), key.size());
    pairs[2 * i] = JsNode{
        JsType::kString, static_cast<uint32_t>(key.size()), {.chars = bytes}};
    pairs[2 * i + 1] = value.node();
    bytes += key.size();
    KeepPart(value, storage.get());
  }
  const uint32_t count =
      internal::OrderMembers(pairs, static_cast<uint32_t>(members.size()));
  const JsNode node{JsType::kObject, count, {.children = pairs}};
  return JsValue(node, std::move(storage));
}

JsValue JsValue::operator[](size_t i) const {
  if (!is_array() || i >= node_.size) return JsValue();
  return JsValue(node_.children[i], storage_);
}

std::string_view JsValue::key(size_t i) const {
  if (!is_object() || i >= node_.size) return std::string_view();
  return KeyOf(node_.children[2 * i]);
}

JsValue JsValue::value(size_t i) const {
  if (!is_object() || i >= node_.size) return JsValue();
  return JsValue(node_.children[2 * i + 1], storage_);
}

JsValue JsValue::Find(std::string_view key) const {
  if (!is_object()) return JsValue();
  for (uint32_t i = 0; i < node_.size; ++i) {
    if (KeyOf(node_.children[2 * i]) == key) {
      return JsValue(node_.children[2 * i + 1], storage_);
    }
  }
  return JsValue();
}

}  // namespace ctxmem::json
