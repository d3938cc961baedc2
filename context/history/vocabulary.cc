#include "context/history/vocabulary.h"

#include "absl/status/statusor.h"
#include "intern/interner.h"

namespace ctxmem::context {
namespace {

intern::Interner& Table() {
  // Destroyed at exit like any static (its table pointers are tagged, so
  // LeakSanitizer would call a never-destroyed one a leak); nothing reads
  // the vocabulary during static destruction.
  static intern::Interner table(intern::InternerOptions{
      .byte_limit = kVocabularyByteLimit,
      .max_strings = kMaxVocabularyStrings,
  });
  return table;
}

}  // namespace

bool IsVocabularyKey(std::string_view key) {
  return key == "role" || key == "type" || key == "name" || key == "media_type" ||
         key == "path";
}

uint32_t VocabularyIntern(std::string_view text) {
  if (text.size() > kMaxVocabularyString) return 0;
  // TryIntern finds a present string without locking before it inserts.
  absl::StatusOr<intern::Symbol> symbol = Table().TryIntern(text);
  return symbol.ok() ? symbol->id : 0;
}

std::string_view VocabularyResolve(uint32_t symbol) {
  return Table().Resolve(intern::Symbol{symbol});
}

size_t VocabularyReservedBytes() { return Table().reserved_bytes(); }
size_t VocabularySize() { return Table().size(); }

}  // namespace ctxmem::context
