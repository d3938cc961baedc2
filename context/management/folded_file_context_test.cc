#include "context/management/folded_file_context.h"

#include <string>
#include <vector>

#include "context/history/history.h"
#include "context/json/parse_json.h"
#include "context/json/wtf8.h"
#include "context/management/condense.h"
#include "gtest/gtest.h"

namespace ctxmem::context {
namespace {

std::string Expected(const std::string& path, const std::string& definitions) {
  return "<system-reminder>\n## File Context: " + path + "\n" + definitions + "\n</system-reminder>";
}

TEST(FoldedFileContextTest, OneSectionPerUsableFileInOrder) {
  const std::vector<FileDefinitions> files = {
      {"src/a.ts", "1--15 | export function a()"},
      {"src/missing.ts", std::nullopt},  // the parser threw
      {"src/empty.ts", ""},
      {"src/gone.ts", "This file does not exist or you do not have permission to access it."},
      {"img.png", "Unsupported file type: img.png"},
      {"src/b.py", "3--9 | def b():"},
  };
  EXPECT_EQ(FoldedFileSections(files),
            (std::vector<std::string>{Expected("src/a.ts", "1--15 | export function a()"),
                                      Expected("src/b.py", "3--9 | def b():")}));
  EXPECT_TRUE(FoldedFileSections({}).empty());
}

TEST(FoldedFileContextTest, TheLastFileIsCutToTheBudget) {
  // Sections of 1,000 units each: the header and footer are 60 units for
  // "f0.ts" .. "f9.ts", so 940 units of definitions.
  std::vector<FileDefinitions> files;
  for (int i = 0; i < 10; ++i) files.push_back({"f" + std::to_string(i) + ".ts", std::string(940, 'x')});
  ASSERT_EQ(json::Utf16Length(FoldedFileSections(files)[0]), 1000u);
  // Budget 3,500: three whole sections, then 500 left: the fourth is cut to
  // 400 units of definitions and the list ends.
  const std::vector<std::string> sections = FoldedFileSections(files, 3500);
  ASSERT_EQ(sections.size(), 4u);
  EXPECT_EQ(sections[3], Expected("f3.ts", std::string(400, 'x') + "\n... (truncated)"));
  // 199 left: the list just ends; 200 left: a cut section of 100 units.
  EXPECT_EQ(FoldedFileSections(files, 3199).size(), 3u);
  const std::vector<std::string> at_200 = FoldedFileSections(files, 3200);
  ASSERT_EQ(at_200.size(), 4u);
  EXPECT_EQ(at_200[3], Expected("f3.ts", std::string(100, 'x') + "\n... (truncated)"));
  // Exactly at the budget is not over it.
  EXPECT_EQ(FoldedFileSections(files, 3000).size(), 3u);
  EXPECT_EQ(FoldedFileSections(files).size(), 10u) << "10,000 units fit the default 50,000";
}

TEST(FoldedFileContextTest, BudgetIsCountedInUtf16UnitsAndCutsLikeSubstring) {
  // 😀 is two units: 470 of them make 940 units of definitions.
  std::string emoji;
  for (int i = 0; i < 470; ++i) emoji += "\xF0\x9F\x98\x80";
  const std::vector<FileDefinitions> files = {{"f0.ts", emoji}, {"f1.ts", "x" + emoji}};
  // 1,000 + 1,001 > 1,302: 302 left, cut at 202 units: "x", 100 emoji and
  // the high surrogate of the next one.
  const std::vector<std::string> sections = FoldedFileSections(files, 1302);
  ASSERT_EQ(sections.size(), 2u);
  std::string cut = "x";
  for (int i = 0; i < 100; ++i) cut += "\xF0\x9F\x98\x80";
  cut += "\xED\xA0\xBD";
  EXPECT_EQ(sections[1], Expected("f1.ts", cut + "\n... (truncated)"));
}

TEST(FoldedFileContextTest, SummaryHasTheFileBlocksAfterWorkflowsBeforeEnvironment) {
  absl::StatusOr<json::JsValue> doc = json::ParseJson(
      R"([{"role":"user","content":"<command name=\"x\">run</command> go","ts":1},)"
      R"({"role":"assistant","content":"ok","ts":2},{"role":"user","content":"more","ts":3}])");
  ASSERT_TRUE(doc.ok());
  absl::StatusOr<History> history = ParseHistory(*doc);
  ASSERT_TRUE(history.ok());
  SequentialIds ids;
  SummarizeOptions options;
  options.ids = &ids;
  options.is_automatic_trigger = true;
  options.environment_details = "<environment_details>env</environment_details>";
  options.files_read = {{"src/a.ts", "1--2 | a"}, {"src/b.ts", std::nullopt}};
  SummarizerReply reply;
  reply.text = "the summary";
  const SummarizeOutcome outcome = ApplySummary(*history, reply, options);
  ASSERT_FALSE(outcome.error) << *outcome.error;
  const json::JsValue content = history->back().content();
  ASSERT_EQ(content.size(), 4u);
  EXPECT_EQ(content[0].Find("text").string_value(), "## Conversation Summary\nthe summary");
  EXPECT_NE(content[1].Find("text").string_value().find("## Active Workflows"), std::string::npos);
  EXPECT_EQ(content[2].Find("text").string_value(), Expected("src/a.ts", "1--2 | a"));
  EXPECT_EQ(content[3].Find("text").string_value(), options.environment_details);
}

}  // namespace
}  // namespace ctxmem::context
