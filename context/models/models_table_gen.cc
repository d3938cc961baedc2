// models_table_gen: turns models.csv into model_table.cc, the registry's
// compiled-in table (internal/model_table.h).
//
//   models_table_gen models.csv model_table.cc
//
// models.csv holds the reference's provider tables (context-reference.md §4):
// a header row, then one model per row, comma separated, without quoting.
// Every cell is checked here, so a malformed one fails the build with its
// line and column instead of becoming a wrong value in the binary, and a new
// column fails it until this tool knows its type. The two derived columns
// (reserved and allowed tokens under default settings) are what the code
// computes; they are checked to be numbers and left to models_csv_test.
//
// A build tool, so only the standard library: it runs in the host
// configuration before anything else exists.

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "context/models/model_info.h"

namespace {

using ctxmem::models::ParseReasoningEffort;

// The kind of one column, and how it is written into a ModelInfo.
enum class Kind {
  kText,          // required string
  kInt,           // required integer
  kOptionalInt,   // integer or empty
  kPrice,         // non-negative decimal or empty, kept as written
  kBool,          // "true", "false" or empty (false)
  kEffortList,    // supportsReasoningEffort: empty, "true", "false" or "a|b|c"
  kOptionalEffort,
  kDerived,       // a number the code computes; not emitted
};

struct Column {
  std::string_view csv_name;
  std::string_view field;  // ModelInfo member; empty for kDerived
  Kind kind;
};

// In ModelInfo's declaration order (designated initializers need it).
constexpr Column kColumns[] = {
    {"provider", "provider", Kind::kText},
    {"model_id", "id", Kind::kText},
    {"contextWindow", "context_window", Kind::kInt},
    {"maxTokens", "max_tokens", Kind::kOptionalInt},
    {"supportsImages", "supports_images", Kind::kBool},
    {"supportsPromptCache", "supports_prompt_cache", Kind::kBool},
    {"inputPrice_usd_per_Mtok", "input_price", Kind::kPrice},
    {"outputPrice_usd_per_Mtok", "output_price", Kind::kPrice},
    {"cacheWritesPrice", "cache_writes_price", Kind::kPrice},
    {"cacheReadsPrice", "cache_reads_price", Kind::kPrice},
    {"supportsReasoningBudget", "supports_reasoning_budget", Kind::kBool},
    {"requiredReasoningBudget", "required_reasoning_budget", Kind::kBool},
    {"supportsReasoningEffort", "", Kind::kEffortList},  // two members, see below
    {"defaultReasoningEffort", "default_reasoning_effort", Kind::kOptionalEffort},
    {"maxThinkingTokens", "max_thinking_tokens", Kind::kOptionalInt},
    {"reservedTokens_defaultSettings", "", Kind::kDerived},
    {"allowedTokens_defaultSettings", "", Kind::kDerived},
    {"source_repo", "source_repo", Kind::kText},
    {"source_commit", "source_commit", Kind::kText},
    {"source_file", "source_file", Kind::kText},
    {"source_line", "source_line", Kind::kInt},
};
constexpr std::size_t kColumnCount = std::size(kColumns);

std::vector<std::string> Split(std::string_view line, char sep) {
  std::vector<std::string> out;
  for (std::size_t start = 0;;) {
    const std::size_t end = line.find(sep, start);
    out.emplace_back(line.substr(start, end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

bool IsInteger(std::string_view s) {
  std::int64_t v;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size() && s[0] != '-' &&
         (s.size() == 1 || s[0] != '0');
}

// digits [. digits]: the only number shape the table uses; a C++ double
// literal of that text rounds exactly as JavaScript's Number() of it.
bool IsDecimal(std::string_view s) {
  const std::size_t dot = s.find('.');
  auto digits = [](std::string_view d) {
    return !d.empty() && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (dot == std::string_view::npos) return digits(s);
  return digits(s.substr(0, dot)) && digits(s.substr(dot + 1));
}

// Printable ASCII without '"' and '\\': emitted as C++ literals and printed
// in JSON by `ctxmem limits` without escaping.
bool IsPlainText(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\';
  });
}

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Reports a malformed cell: sets *error, and Emit returns nothing.
std::string Bad(std::string* error, std::string message) {
  *error = std::move(message);
  return {};
}

// The designated initializer(s) for one cell, without a trailing comma;
// empty for a derived column. On a malformed cell, sets *error.
std::string Emit(const Column& column, const std::string& cell, std::string* error) {
  switch (column.kind) {
    case Kind::kText:
      if (!IsPlainText(cell)) return Bad(error, "expected non-empty printable ASCII without quotes");
      return "." + std::string(column.field) + " = " + Quote(cell);
    case Kind::kInt:
      if (!IsInteger(cell)) return Bad(error, "expected a non-negative integer");
      return "." + std::string(column.field) + " = " + cell;
    case Kind::kOptionalInt:
      if (cell.empty()) return "." + std::string(column.field) + " = std::nullopt";
      if (!IsInteger(cell)) return Bad(error, "expected a non-negative integer or nothing");
      return "." + std::string(column.field) + " = " + cell;
    case Kind::kPrice:
      if (cell.empty()) return "." + std::string(column.field) + " = std::nullopt";
      if (!IsDecimal(cell)) return Bad(error, "expected a non-negative decimal number or nothing");
      return "." + std::string(column.field) + " = " + cell;
    case Kind::kBool:
      if (cell != "true" && cell != "false" && !cell.empty()) {
        return Bad(error, "expected true, false or nothing");
      }
      return "." + std::string(column.field) + " = " + (cell == "true" ? "true" : "false");
    case Kind::kEffortList: {
      std::string capability = "ReasoningEffortCapability::kAbsent";
      std::string efforts = "{}";
      if (cell == "true") {
        capability = "ReasoningEffortCapability::kAny";
      } else if (!cell.empty() && cell != "false") {
        capability = "ReasoningEffortCapability::kListed";
        efforts = "Efforts({";
        std::vector<std::string> seen;
        for (const std::string& name : Split(cell, '|')) {
          if (!ParseReasoningEffort(name)) return Bad(error, "unknown reasoning effort '" + name + "'");
          if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
            return Bad(error, "reasoning effort '" + name + "' listed twice");
          }
          efforts += (seen.empty() ? "" : ", ") + Quote(name);
          seen.push_back(name);
        }
        efforts += "})";
      }
      return ".reasoning_effort_capability = " + capability + ",\n        .reasoning_efforts = " +
             efforts;
    }
    case Kind::kOptionalEffort:
      if (cell.empty()) return "." + std::string(column.field) + " = std::nullopt";
      if (!ParseReasoningEffort(cell)) return Bad(error, "unknown reasoning effort '" + cell + "'");
      return "." + std::string(column.field) + " = Effort(" + Quote(cell) + ")";
    case Kind::kDerived:
      if (!IsDecimal(cell)) return Bad(error, "expected a non-negative decimal number");
      return "";
  }
  return "";
}

int Fail(const std::string& where, const std::string& message) {
  std::fprintf(stderr, "models_table_gen: %s: %s\n", where.c_str(), message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fputs("usage: models_table_gen models.csv model_table.cc\n", stderr);
    return 2;
  }
  const std::string csv_path = argv[1];
  std::ifstream in(csv_path);
  if (!in) return Fail(csv_path, "cannot open");

  std::string line;
  if (!std::getline(in, line)) return Fail(csv_path, "empty file");
  // Where each known column sits in this file.
  const std::vector<std::string> header = Split(line, ',');
  std::vector<std::size_t> position(kColumnCount);
  if (header.size() != kColumnCount) {
    return Fail(csv_path + ":1", "expected " + std::to_string(kColumnCount) + " columns, found " +
                                     std::to_string(header.size()));
  }
  for (std::size_t c = 0; c < kColumnCount; ++c) {
    const auto it = std::find(header.begin(), header.end(), kColumns[c].csv_name);
    if (it == header.end()) {
      return Fail(csv_path + ":1", "missing column " + std::string(kColumns[c].csv_name));
    }
    position[c] = static_cast<std::size_t>(it - header.begin());
  }

  std::string rows_text;
  std::vector<std::pair<std::string, std::string>> keys;  // (id, provider) per row
  std::map<std::pair<std::string, std::string>, int> first_line;
  int line_number = 1;
  while (std::getline(in, line)) {
    ++line_number;
    const std::string where = csv_path + ":" + std::to_string(line_number);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (line.find('"') != std::string::npos) return Fail(where, "quoted cells are not supported");
    const std::vector<std::string> cells = Split(line, ',');
    if (cells.size() != kColumnCount) {
      return Fail(where, "expected " + std::to_string(kColumnCount) + " cells, found " +
                             std::to_string(cells.size()));
    }
    rows_text += "    {\n";
    for (std::size_t c = 0; c < kColumnCount; ++c) {
      std::string error;
      const std::string init = Emit(kColumns[c], cells[position[c]], &error);
      if (!error.empty()) {
        return Fail(where, std::string(kColumns[c].csv_name) + " '" + cells[position[c]] +
                               "': " + error);
      }
      if (!init.empty()) rows_text += "        " + init + ",\n";
    }
    rows_text += "    },\n";
    const std::string& provider = cells[position[0]];
    const std::string& id = cells[position[1]];
    auto [it, inserted] = first_line.emplace(std::make_pair(provider, id), line_number);
    if (!inserted) {
      return Fail(where, "model '" + id + "' of '" + provider + "' repeats line " +
                             std::to_string(it->second));
    }
    keys.emplace_back(id, provider);
  }
  if (keys.empty()) return Fail(csv_path, "no models");
  if (keys.size() > UINT16_MAX) return Fail(csv_path, "too many models for 16-bit positions");

  std::vector<std::size_t> order(keys.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });

  std::string out =
      "// Generated by //context/models:models_table_gen from context/models/models.csv.\n"
      "// Do not edit: change the CSV.\n"
      "\n"
      "#include \"context/models/internal/model_table.h\"\n"
      "\n"
      "#include <cstddef>\n"
      "#include <cstdint>\n"
      "#include <initializer_list>\n"
      "#include <iterator>\n"
      "#include <optional>\n"
      "#include <string_view>\n"
      "\n"
      "#include \"context/models/model_info.h\"\n"
      "\n"
      "namespace ctxmem::models::internal {\n"
      "namespace {\n"
      "\n"
      "// Effort names were checked by the generator; a bad one would not compile.\n"
      "constexpr ReasoningEffort Effort(std::string_view name) { return *ParseReasoningEffort(name); }\n"
      "\n"
      "constexpr ReasoningEffortSet Efforts(std::initializer_list<std::string_view> names) {\n"
      "  ReasoningEffortSet set;\n"
      "  for (std::string_view name : names) set.Insert(Effort(name));\n"
      "  return set;\n"
      "}\n"
      "\n"
      "}  // namespace\n"
      "\n"
      "constexpr ModelInfo kModelTable[] = {\n" +
      rows_text +
      "};\n"
      "\n"
      "constexpr std::size_t kModelTableSize = std::size(kModelTable);\n"
      "\n"
      "constexpr std::uint16_t kModelOrderById[] = {\n";
  for (std::size_t i = 0; i < order.size(); ++i) {
    out += (i % 12 == 0 ? "    " : " ") + std::to_string(order[i]) + ",";
    if (i % 12 == 11 || i + 1 == order.size()) out += "\n";
  }
  out +=
      "};\n"
      "static_assert(std::size(kModelOrderById) == std::size(kModelTable));\n"
      "\n"
      "}  // namespace ctxmem::models::internal\n";

  std::ofstream file(argv[2], std::ios::binary);
  file << out;
  file.close();
  if (!file) return Fail(argv[2], "cannot write");
  return 0;
}
