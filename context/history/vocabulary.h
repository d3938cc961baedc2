// Vocabulary: the process-wide table of strings that recur in every
// conversation (object keys, roles, block types, tool names, paths).
//
// A stored message (message.h) writes such a string as a small symbol of
// this table instead of its bytes: "role":"assistant" costs two or three
// bytes, not eighteen, and the bytes of "assistant" exist once per process
// however many conversations hold it. Strings that do not recur (text, ids,
// file contents) are never put here, so the table stays the size of the
// vocabulary, not of the history.
//
// The table only grows (an interned view must stay valid for the process's
// life), so it is bounded: strings longer than kMaxVocabularyString bytes
// are never interned, and past kVocabularyByteLimit bytes or
// kMaxVocabularyStrings strings TryIntern() returns no symbol and callers
// store the bytes inline. Thread-safe: every function may be called from
// any thread.

#ifndef CTXMEM_CONTEXT_HISTORY_VOCABULARY_H_
#define CTXMEM_CONTEXT_HISTORY_VOCABULARY_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ctxmem::context {

// Longest string interned: the interner's symbol index holds strings up to
// 39 bytes inline, so a symbol never costs a second allocation.
inline constexpr size_t kMaxVocabularyString = 39;
inline constexpr size_t kMaxVocabularyStrings = size_t{1} << 16;
inline constexpr size_t kVocabularyByteLimit = size_t{8} << 20;

// Whether values of member `key` are vocabulary (role, type, name,
// media_type, path): enumerations and names that repeat across messages.
bool IsVocabularyKey(std::string_view key);

// The symbol of `text` (never 0), interning it if needed; 0 if `text` is
// longer than kMaxVocabularyString or the table is full.
uint32_t VocabularyIntern(std::string_view text);

// The string of a symbol VocabularyIntern() returned; valid forever.
std::string_view VocabularyResolve(uint32_t symbol);

// Bytes the table holds (heap and mapped), for memory reports.
size_t VocabularyReservedBytes();
size_t VocabularySize();

}  // namespace ctxmem::context

#endif  // CTXMEM_CONTEXT_HISTORY_VOCABULARY_H_
