// The packed form of a JSON value: how a stored message keeps its fields.
//
// A parsed JSON tree costs 16 bytes a node plus the input text it points
// into; a conversation's structure (objects of two to four members, arrays
// of one or two blocks) would cost more than its text. The packed form is
// the tree written as one byte string in document order, with every length
// and count a varint and every object key, and every string value of a
// vocabulary key (vocabulary.h), a symbol of the process-wide vocabulary:
//
//   tag 0x00 undefined   0x01 null   0x02 false   0x03 true
//       0x04 number: 8 bytes, the double's bits, little-endian
//       0x05 number: varint of the zigzagged integer (integral, |x| <= 2^53, not -0)
//       0x06 string: varint vocabulary symbol
//       0x07 string: varint byte length, then the WTF-8 bytes
//       0x08 array:  varint count, then the elements
//       0x09 object: varint count, then (key, value) pairs in property order
//       0x20+n string of n < 32 bytes, the bytes follow
//       0x40+n the number n (0 <= n < 64)
//       0x80+n array of n < 16 elements   0x90+n object of n < 16 members
//   key: varint (symbol << 1), or varint (length << 1 | 1) then the bytes
//
// It holds exactly what the tree holds (WTF-8 bytes, doubles bit for bit,
// property order), so writing it as JSON gives JSON.stringify's bytes of
// the tree it was packed from. Reading it back as a JsValue goes through
// that JSON text; the policies do so only for the few messages they inspect.
//
// Packed bytes come only from PackValue(); the readers trust them.

#ifndef CTXMEM_CONTEXT_HISTORY_INTERNAL_PACKED_VALUE_H_
#define CTXMEM_CONTEXT_HISTORY_INTERNAL_PACKED_VALUE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "context/json/js_value.h"

namespace ctxmem::context::internal {

// Appends the packed form of `value`. `vocabulary_strings`: pack a string
// value as a vocabulary symbol when it can be (the value of a vocabulary key).
void PackValue(const json::JsValue& value, bool vocabulary_strings, std::string* out);

// Appends the header of an object of `count` members; the members (each
// PackKey() then PackValue()) follow it.
void PackObjectHeader(size_t count, std::string* out);

// Appends a packed object key.
void PackKey(std::string_view key, std::string* out);

// The end of the packed value starting at `p`.
const uint8_t* SkipValue(const uint8_t* p);

// Reads the key at `p` (a view into the packed bytes or the vocabulary) and
// returns what follows it.
const uint8_t* ReadKey(const uint8_t* p, std::string_view* key);

// For an object or array at `p`: its member or element count, and sets
// `*first` to the first member (key) or element.
uint32_t ReadContainer(const uint8_t* p, const uint8_t** first);

json::JsType PackedType(const uint8_t* p);

// A string value's bytes (views into the packed bytes or the vocabulary);
// "" for other types.
std::string_view PackedString(const uint8_t* p);

// Appends JSON.stringify's text of the value at `p` (nothing for undefined).
void AppendPackedJson(const uint8_t* p, std::string* out);

// The value at `p` as a JsValue (copied out of the packed bytes).
json::JsValue UnpackValue(const uint8_t* p);

}  // namespace ctxmem::context::internal

#endif  // CTXMEM_CONTEXT_HISTORY_INTERNAL_PACKED_VALUE_H_
