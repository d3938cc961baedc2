// PrepareInput: the one pass over a JSON text before RapidJSON reads it.
//
// RapidJSON's SAX reader does the JSON grammar; this pass covers the few
// places where it cannot follow JavaScript's JSON.parse, and copies the text
// into the buffer the reader decodes strings in place in (one allocation for
// every string of the document):
//  * A lone surrogate escape ("\ud800" not followed by a low surrogate
//    escape) is accepted by JSON.parse but rejected by RapidJSON, so the
//    escape is replaced by its 3-byte WTF-8 form, which RapidJSON copies
//    unchanged (it does not validate string bytes without
//    kParseValidateEncodingFlag). A lone low surrogate ("\udc00") needs
//    nothing: RapidJSON already writes it as WTF-8.
//  * A number literal RapidJSON refuses as too big (`1e400`, `0e999`, a
//    400-digit integer) is Infinity or 0 to JSON.parse, so a literal with an
//    exponent above 300 or more than 300 integer digits is converted here
//    and blanked to "0" plus spaces of the same length; the parser takes its
//    value from `numbers`.
//  * UTF-8 is validated here, with the position of the first bad byte (the
//    reader would not). A NUL byte, which would end RapidJSON's in-situ
//    stream early, is reported here too. The copy stops at the first such
//    byte, so the reader sees only the text before it.
// It also counts the nodes the document can have, so the tree is one array.

#ifndef CTXMEM_CONTEXT_JSON_INTERNAL_PREPARED_INPUT_H_
#define CTXMEM_CONTEXT_JSON_INTERNAL_PREPARED_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ctxmem::json::internal {

struct PreparedInput {
  // The prepared text, NUL-terminated at `size`, followed by 16 zero bytes
  // (so vector loads near the end stay inside the allocation).
  std::unique_ptr<char[]> bytes;
  size_t size = 0;

  // At least the number of nodes (values and keys) other than the root:
  // every one follows a '[', '{', ',' or ':' outside strings.
  size_t node_bound = 0;

  // From `prepared_offset` on, original offset = prepared offset + `shift`.
  struct Shift {
    size_t prepared_offset;
    size_t shift;
  };
  std::vector<Shift> shifts;  // ascending

  // Literals converted here, by their prepared offset.
  struct Number {
    size_t prepared_offset;
    double value;
  };
  std::vector<Number> numbers;  // ascending

  // The first byte the reader must not see (invalid UTF-8 or NUL), as an
  // offset into the original text, and what is wrong with it.
  bool has_bad_byte = false;
  size_t bad_offset = 0;
  std::string bad_message;
};

PreparedInput PrepareInput(std::string_view text);

// The original offset of a prepared offset.
size_t OriginalOffset(const PreparedInput& input, size_t prepared_offset);

}  // namespace ctxmem::json::internal

#endif  // CTXMEM_CONTEXT_JSON_INTERNAL_PREPARED_INPUT_H_
