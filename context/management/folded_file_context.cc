#include "context/management/folded_file_context.h"

#include <string_view>

#include "context/json/wtf8.h"

namespace ctxmem::context {
namespace {

bool IsParserErrorText(std::string_view definitions) {
  for (std::string_view marker :
       {"This file does not exist", "do not have permission", "Unsupported file type:"}) {
    if (definitions.find(marker) != std::string_view::npos) return true;
  }
  return false;
}

std::string Section(std::string_view path, std::string_view definitions) {
  std::string out = "<system-reminder>\n## File Context: ";
  out.append(path);
  out.push_back('\n');
  out.append(definitions);
  out.append("\n</system-reminder>");
  return out;
}

}  // namespace

std::vector<std::string> FoldedFileSections(const std::vector<FileDefinitions>& files,
                                            size_t max_characters) {
  std::vector<std::string> sections;
  size_t used = 0;  // UTF-16 units of the sections so far
  for (const FileDefinitions& file : files) {
    if (!file.definitions || file.definitions->empty() || IsParserErrorText(*file.definitions)) {
      continue;
    }
    std::string section = Section(file.path, *file.definitions);
    const size_t length = json::Utf16Length(section);
    if (used + length > max_characters) {
      const size_t remaining = max_characters - used;
      if (remaining < 200) break;
      sections.push_back(Section(
          file.path, json::Utf16Prefix(*file.definitions, remaining - 100) + "\n... (truncated)"));
      break;
    }
    used += length;
    sections.push_back(std::move(section));
  }
  return sections;
}

}  // namespace ctxmem::context
