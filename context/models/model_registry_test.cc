#include "context/models/model_registry.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "context/models/model_info.h"
#include "gtest/gtest.h"

namespace ctxmem::models {
namespace {

TEST(ModelRegistry, HoldsEveryRowOfEachProviderTable) {
  std::map<std::string_view, int> per_provider;
  for (const ModelInfo& m : AllModels()) ++per_provider[m.provider];
  // context-reference.md §4: 85 rows.
  EXPECT_EQ(AllModels().size(), 85u);
  EXPECT_EQ(per_provider["anthropic"], 14);
  EXPECT_EQ(per_provider["openai"], 38);
  EXPECT_EQ(per_provider["gemini"], 13);
  EXPECT_EQ(per_provider["deepseek"], 2);
  EXPECT_EQ(per_provider["mistral"], 9);
  EXPECT_EQ(per_provider["xai"], 9);
}

TEST(ModelRegistry, FindsEveryModelByIdAndByProvider) {
  for (const ModelInfo& m : AllModels()) {
    absl::StatusOr<const ModelInfo*> by_id = FindModel(m.id);
    ASSERT_TRUE(by_id.ok()) << m.id << ": " << by_id.status();
    EXPECT_EQ(*by_id, &m);
    absl::StatusOr<const ModelInfo*> by_provider = FindModel(m.provider, m.id);
    ASSERT_TRUE(by_provider.ok()) << m.id;
    EXPECT_EQ(*by_provider, &m);
  }
}

TEST(ModelRegistry, UnknownModels) {
  absl::StatusOr<const ModelInfo*> m = FindModel("gpt-4o-turbo-nonexistent");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(m.status().message().find("gpt-4o-turbo-nonexistent"), std::string_view::npos);
  EXPECT_EQ(FindModel("").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FindModel("GPT-4O").status().code(), absl::StatusCode::kNotFound);  // ids are exact
  EXPECT_EQ(FindModel("anthropic", "gpt-4o").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FindModel("zzz-after-everything").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FindModel("000-before-everything").status().code(), absl::StatusCode::kNotFound);
}

TEST(ModelRegistry, IdsAreUniqueAcrossProvidersToday) {
  // FindModel(id) reports a collision instead of picking one; the CSV has none.
  std::set<std::string_view> ids;
  for (const ModelInfo& m : AllModels()) EXPECT_TRUE(ids.insert(m.id).second) << m.id;
}

TEST(ModelRegistry, EveryColumnIsTyped) {
  absl::StatusOr<const ModelInfo*> sonnet = FindModel("claude-3-7-sonnet-20250219:thinking");
  ASSERT_TRUE(sonnet.ok());
  const ModelInfo& s = **sonnet;
  EXPECT_EQ(s.provider, "anthropic");
  EXPECT_EQ(s.context_window, 200'000);
  EXPECT_EQ(s.max_tokens, 128'000);
  EXPECT_TRUE(s.supports_images);
  EXPECT_TRUE(s.supports_prompt_cache);
  EXPECT_EQ(s.input_price, 3.0);
  EXPECT_EQ(s.output_price, 15.0);
  EXPECT_EQ(s.cache_writes_price, 3.75);
  EXPECT_EQ(s.cache_reads_price, 0.3);
  EXPECT_TRUE(s.supports_reasoning_budget);
  EXPECT_TRUE(s.required_reasoning_budget);
  EXPECT_EQ(s.reasoning_effort_capability, ReasoningEffortCapability::kAbsent);
  EXPECT_EQ(s.default_reasoning_effort, std::nullopt);
  EXPECT_EQ(s.source_file, "packages/types/src/providers/anthropic.ts");
  EXPECT_EQ(s.source_line, 127);

  absl::StatusOr<const ModelInfo*> codex = FindModel("gpt-5.1-codex-max");
  ASSERT_TRUE(codex.ok());
  const ModelInfo& c = **codex;
  EXPECT_EQ(c.provider, "openai");
  EXPECT_EQ(c.context_window, 400'000);
  EXPECT_EQ(c.cache_writes_price, std::nullopt);
  EXPECT_EQ(c.cache_reads_price, 0.125);
  EXPECT_EQ(c.reasoning_effort_capability, ReasoningEffortCapability::kListed);
  ReasoningEffortSet expected;
  for (ReasoningEffort e : {ReasoningEffort::kLow, ReasoningEffort::kMedium, ReasoningEffort::kHigh,
                            ReasoningEffort::kXHigh}) {
    expected.Insert(e);
  }
  EXPECT_EQ(c.reasoning_efforts, expected);
  EXPECT_EQ(c.default_reasoning_effort, ReasoningEffort::kXHigh);
  EXPECT_FALSE(c.supports_reasoning_budget);

  absl::StatusOr<const ModelInfo*> flash = FindModel("gemini-2.5-flash");
  ASSERT_TRUE(flash.ok());
  EXPECT_EQ((*flash)->max_thinking_tokens, 24'576);
  absl::StatusOr<const ModelInfo*> codestral = FindModel("codestral-latest");
  ASSERT_TRUE(codestral.ok());
  EXPECT_FALSE((*codestral)->supports_images);
  EXPECT_EQ((*codestral)->cache_reads_price, std::nullopt);
  EXPECT_EQ((*codestral)->max_thinking_tokens, std::nullopt);
}

TEST(ReasoningEffort, NamesRoundTrip) {
  for (std::string_view name : kReasoningEffortNames) {
    std::optional<ReasoningEffort> e = ParseReasoningEffort(name);
    ASSERT_TRUE(e.has_value()) << name;
    EXPECT_EQ(ReasoningEffortName(*e), name);
  }
  EXPECT_EQ(ParseReasoningEffort("High"), std::nullopt);
  EXPECT_EQ(ParseReasoningEffort(""), std::nullopt);
}

}  // namespace
}  // namespace ctxmem::models
