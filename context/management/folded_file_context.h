// The summary's file blocks: what each file read earlier in the task
// defines, folded to its signatures, within a character budget
// (context-reference.md §2.1 step 11.3).
//
// The reference parses the files with tree-sitter when it condenses; ctxmem
// takes the definitions from its caller (the editor side already has the
// parsers and the workspace) and makes the reference's decisions about
// them: which files are skipped, the section text, the budget in UTF-16
// characters, where the last file is cut.
//
//   std::vector<std::string> sections = FoldedFileSections(files);
//   // each: "<system-reminder>\n## File Context: <path>\n<definitions>\n</system-reminder>"

#ifndef CTXMEM_CONTEXT_MANAGEMENT_FOLDED_FILE_CONTEXT_H_
#define CTXMEM_CONTEXT_MANAGEMENT_FOLDED_FILE_CONTEXT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ctxmem::context {

// One file read during the task, in the order the task read them.
struct FileDefinitions {
  std::string path;  // as the task named it (shown in the section heading)
  // The definitions text the parser gave; nullopt when it failed (the
  // reference's thrown error or missing result). Empty text, and the
  // parser's error strings ("This file does not exist", "do not have
  // permission", "Unsupported file type:"), skip the file too.
  std::optional<std::string> definitions;
};

// The reference's default budget, in UTF-16 code units.
inline constexpr size_t kFoldedFileContextMaxCharacters = 50000;

// One section per usable file, in order, until the budget: a section that
// would pass it is cut to fit (its definitions shortened to the remaining
// budget less 100 characters, plus "\n... (truncated)") and ends the list,
// or, with fewer than 200 characters left, the list just ends.
std::vector<std::string> FoldedFileSections(
    const std::vector<FileDefinitions>& files,
    size_t max_characters = kFoldedFileContextMaxCharacters);

}  // namespace ctxmem::context

#endif  // CTXMEM_CONTEXT_MANAGEMENT_FOLDED_FILE_CONTEXT_H_
