// Every row of models.csv, read at test time, against the compiled table
// (so the generator dropped or bent nothing) and against the limits the code
// computes: the CSV's reservedTokens_defaultSettings and
// allowedTokens_defaultSettings are the reference's values under default
// settings (context-reference.md §4).

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "absl/strings/str_split.h"
#include "context/json/js_number.h"
#include "context/models/model_info.h"
#include "context/models/model_registry.h"
#include "context/models/output_limits.h"
#include "gtest/gtest.h"

namespace ctxmem::models {
namespace {

using Row = std::map<std::string, std::string>;  // column name → cell

std::vector<Row> ReadCsv() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const std::string path =
      std::string(srcdir != nullptr ? srcdir : ".") + "/ctxmem/context/models/models.csv";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = absl::StrSplit(line, ',');
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const std::vector<std::string> cells = absl::StrSplit(line, ',');
    EXPECT_EQ(cells.size(), header.size()) << line;
    Row row;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

double Number(const std::string& text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  EXPECT_TRUE(ec == std::errc() && end == text.data() + text.size()) << "'" << text << "'";
  return value;
}

std::optional<double> OptionalNumber(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return Number(text);
}

template <typename T>
std::optional<double> AsDouble(const std::optional<T>& x) {
  if (!x.has_value()) return std::nullopt;
  return static_cast<double>(*x);
}

TEST(ModelsCsv, HasTheRowsOfTheReference) {
  EXPECT_EQ(ReadCsv().size(), 85u);
  EXPECT_EQ(ReadCsv().size(), AllModels().size());
}

TEST(ModelsCsv, EveryRowIsInTheCompiledTableAsWritten) {
  for (const Row& row : ReadCsv()) {
    SCOPED_TRACE(row.at("model_id"));
    absl::StatusOr<const ModelInfo*> found = FindModel(row.at("provider"), row.at("model_id"));
    ASSERT_TRUE(found.ok()) << found.status();
    const ModelInfo& m = **found;
    EXPECT_EQ(static_cast<double>(m.context_window), Number(row.at("contextWindow")));
    EXPECT_EQ(AsDouble(m.max_tokens), OptionalNumber(row.at("maxTokens")));
    EXPECT_EQ(m.supports_images, row.at("supportsImages") == "true");
    EXPECT_EQ(m.supports_prompt_cache, row.at("supportsPromptCache") == "true");
    EXPECT_EQ(m.input_price, OptionalNumber(row.at("inputPrice_usd_per_Mtok")));
    EXPECT_EQ(m.output_price, OptionalNumber(row.at("outputPrice_usd_per_Mtok")));
    EXPECT_EQ(m.cache_writes_price, OptionalNumber(row.at("cacheWritesPrice")));
    EXPECT_EQ(m.cache_reads_price, OptionalNumber(row.at("cacheReadsPrice")));
    EXPECT_EQ(m.supports_reasoning_budget, row.at("supportsReasoningBudget") == "true");
    EXPECT_EQ(m.required_reasoning_budget, row.at("requiredReasoningBudget") == "true");

    const std::string& efforts = row.at("supportsReasoningEffort");
    if (efforts.empty()) {
      EXPECT_EQ(m.reasoning_effort_capability, ReasoningEffortCapability::kAbsent);
    } else {
      EXPECT_EQ(m.reasoning_effort_capability, ReasoningEffortCapability::kListed);
      ReasoningEffortSet expected;
      for (absl::string_view name : absl::StrSplit(efforts, '|')) {
        const std::optional<ReasoningEffort> e =
            ParseReasoningEffort(std::string_view(name.data(), name.size()));
        ASSERT_TRUE(e.has_value()) << name;
        expected.Insert(*e);
      }
      EXPECT_EQ(m.reasoning_efforts, expected);
    }
    const std::string& default_effort = row.at("defaultReasoningEffort");
    EXPECT_EQ(m.default_reasoning_effort, default_effort.empty()
                                              ? std::nullopt
                                              : ParseReasoningEffort(default_effort));
    EXPECT_EQ(AsDouble(m.max_thinking_tokens), OptionalNumber(row.at("maxThinkingTokens")));
    EXPECT_EQ(m.source_repo, row.at("source_repo"));
    EXPECT_EQ(m.source_commit, row.at("source_commit"));
    EXPECT_EQ(m.source_file, row.at("source_file"));
    EXPECT_EQ(m.source_line, Number(row.at("source_line")));
  }
}

TEST(ModelsCsv, ReservedAndAllowedTokensUnderDefaultSettingsMatchTheReference) {
  int rows = 0;
  int unrounded = 0;
  for (const Row& row : ReadCsv()) {
    const std::string& id = row.at("model_id");
    SCOPED_TRACE(id);
    absl::StatusOr<const ModelInfo*> found = FindModel(row.at("provider"), id);
    ASSERT_TRUE(found.ok()) << found.status();
    const double reserved = ReservedTokens(GetModelMaxOutputTokens(id, **found, {}));
    const double allowed =
        AllowedTokens(static_cast<double>((*found)->context_window), reserved);
    const std::string& want_reserved = row.at("reservedTokens_defaultSettings");
    const std::string& want_allowed = row.at("allowedTokens_defaultSettings");
    EXPECT_EQ(reserved, Number(want_reserved));
    EXPECT_EQ(json::FormatJsNumber(reserved), want_reserved);
    EXPECT_EQ(allowed, Number(want_allowed));
    EXPECT_EQ(json::FormatJsNumber(allowed), want_allowed);
    ++rows;
    if (want_allowed.find('.') != std::string::npos) ++unrounded;
  }
  EXPECT_EQ(rows, 85);
  EXPECT_GT(unrounded, 0);  // the fractional values are among those checked
}

}  // namespace
}  // namespace ctxmem::models
