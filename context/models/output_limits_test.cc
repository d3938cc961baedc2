#include "context/models/output_limits.h"

#include <optional>
#include <string>
#include <string_view>

#include "context/json/js_number.h"
#include "context/models/model_info.h"
#include "context/models/model_registry.h"
#include "gtest/gtest.h"

namespace ctxmem::models {
namespace {

using json::FormatJsNumber;

ModelInfo Model(std::int64_t context_window, std::optional<std::int64_t> max_tokens) {
  ModelInfo m;
  m.context_window = context_window;
  m.max_tokens = max_tokens;
  return m;
}

struct Limits {
  double reserved;
  double allowed;
};

// What `ctxmem limits` computes for a registry model.
Limits RegistryLimits(std::string_view id, const ProviderSettings& settings = {}) {
  absl::StatusOr<const ModelInfo*> model = FindModel(id);
  EXPECT_TRUE(model.ok()) << model.status();
  if (!model.ok()) return {0, 0};
  const double reserved = ReservedTokens(GetModelMaxOutputTokens(id, **model, settings));
  return {reserved, AllowedTokens(static_cast<double>((*model)->context_window), reserved)};
}

// §1.8: the worked examples, default settings unless noted. Allowed tokens
// compared as doubles and as JavaScript prints them.
TEST(WorkedExamples, ClaudeSonnet45) {
  const Limits l = RegistryLimits("claude-sonnet-4-5");
  EXPECT_EQ(l.reserved, 8192);  // rule: hybrid reasoning in an Anthropic context
  EXPECT_EQ(l.allowed, 171808);
  EXPECT_EQ(FormatJsNumber(l.allowed), "171808");
}

TEST(WorkedExamples, ClaudeSonnet45WithThinkingEnabled) {
  ProviderSettings settings;
  settings.enable_reasoning_effort = true;
  const Limits l = RegistryLimits("claude-sonnet-4-5", settings);
  EXPECT_EQ(l.reserved, 16384);
  EXPECT_EQ(l.allowed, 163616);
  EXPECT_EQ(FormatJsNumber(l.allowed), "163616");
}

TEST(WorkedExamples, Gpt4o) {
  const Limits l = RegistryLimits("gpt-4o");
  EXPECT_EQ(l.reserved, 16384);  // min(16384, ceil(25600))
  EXPECT_EQ(l.allowed, 98816);
  EXPECT_EQ(FormatJsNumber(l.allowed), "98816");
}

TEST(WorkedExamples, Gpt5KeepsItsOwnMaxTokens) {
  const Limits l = RegistryLimits("gpt-5");
  EXPECT_EQ(l.reserved, 128000);
  EXPECT_EQ(l.allowed, 232000);
  EXPECT_EQ(FormatJsNumber(l.allowed), "232000");
}

TEST(WorkedExamples, Gemini25ProRequiresAReasoningBudget) {
  const Limits l = RegistryLimits("gemini-2.5-pro");
  EXPECT_EQ(l.reserved, 16384);
  EXPECT_EQ(l.allowed, 927334.4);  // not rounded
  EXPECT_EQ(FormatJsNumber(l.allowed), "927334.4");
}

TEST(WorkedExamples, DeepseekChat) {
  const Limits l = RegistryLimits("deepseek-chat");
  EXPECT_EQ(l.reserved, 8192);
  EXPECT_EQ(l.allowed, 107008);
  EXPECT_EQ(FormatJsNumber(l.allowed), "107008");
}

TEST(WorkedExamples, CodestralLatest) {
  const Limits l = RegistryLimits("codestral-latest");
  EXPECT_EQ(l.reserved, 8192);
  EXPECT_EQ(l.allowed, 222208);
  EXPECT_EQ(FormatJsNumber(l.allowed), "222208");
}

TEST(WorkedExamples, NonClaudeNonGpt5TestModelIsCappedAtAFifth) {
  const double reserved =
      ReservedTokens(GetModelMaxOutputTokens("test-model", Model(100'000, 50'000), {}));
  EXPECT_EQ(reserved, 20000);
  EXPECT_EQ(AllowedTokens(100'000, reserved), 70000);
}

TEST(WorkedExamples, ManageContextMaxTokensGivenOrNot) {
  EXPECT_EQ(AllowedTokens(100'000, ReservedTokens(30'000)), 60000);
  EXPECT_EQ(ReservedTokens(std::nullopt), 8192);
  EXPECT_EQ(AllowedTokens(100'000, ReservedTokens(std::nullopt)), 81808);
  EXPECT_EQ(ReservedTokens(0), 8192);  // `maxTokens || 8192`: 0 is falsy
}

// §7.1's getMaxTokens group: the bounds on either side of allowedTokens.
TEST(AllowedTokens, BoundsOfTheGetMaxTokensGroup) {
  struct Case {
    double context_window;
    std::optional<double> max_tokens;
    double unchanged, truncated;
  };
  for (const Case& c : {Case{100'000, 50'000, 39'999, 50'001},
                        Case{100'000, std::nullopt, 81'807, 81'809},
                        Case{50'000, 10'000, 34'999, 40'001},
                        Case{200'000, 30'000, 149'999, 170'001}}) {
    const double allowed = AllowedTokens(c.context_window, ReservedTokens(c.max_tokens));
    EXPECT_FALSE(c.unchanged > allowed) << c.context_window;
    EXPECT_TRUE(c.truncated > allowed) << c.context_window;
  }
}

TEST(AllowedTokens, IsTheUnroundedDoubleJavaScriptComputes) {
  // Values printed by node for contextWindow * (1 - 0.1) - reserved.
  EXPECT_EQ(FormatJsNumber(AllowedTokens(1'048'576, 16'384)), "927334.4");
  EXPECT_EQ(FormatJsNumber(AllowedTokens(1'047'576, 32'768)), "910050.4");
  EXPECT_EQ(FormatJsNumber(AllowedTokens(131'072, 8'192)), "109772.8");
  EXPECT_EQ(AllowedTokens(1'048'576, 0), 943718.4);
}

// §7.4: api.spec.ts, getModelMaxOutputTokens.
TEST(GetModelMaxOutputTokens, Claude35SonnetWithinAFifthOfTheWindow) {
  EXPECT_EQ(GetModelMaxOutputTokens("claude-3-5-sonnet-20241022", Model(200'000, 8192), {}), 8192);
}

TEST(GetModelMaxOutputTokens, RequiredReasoningBudgetTakesModelMaxTokensFromSettings) {
  ModelInfo model = Model(200'000, 8192);
  model.supports_reasoning_budget = true;
  model.required_reasoning_budget = true;
  ProviderSettings settings;
  settings.enable_reasoning_effort = true;
  settings.model_max_tokens = 32'000;
  EXPECT_EQ(GetModelMaxOutputTokens("claude-3-7-sonnet-20250219", model, settings), 32'000);
}

TEST(GetModelMaxOutputTokens, NoMaxTokensDefaultsTo8192) {
  EXPECT_EQ(GetModelMaxOutputTokens("some-model", Model(100'000, std::nullopt), {}), 8192);
}

TEST(GetModelMaxOutputTokens, AnthropicHybridModelWithReasoningOffIgnoresItsMaxTokens) {
  ModelInfo model = Model(200'000, 64'000);
  model.supports_reasoning_budget = true;
  ProviderSettings settings;
  settings.enable_reasoning_effort = false;
  EXPECT_EQ(GetModelMaxOutputTokens("claude-sonnet-4-20250514", model, settings), 8192);
}

TEST(GetModelMaxOutputTokens, NonAnthropicHybridModelWithReasoningOffUsesItsMaxTokens) {
  ModelInfo model = Model(1'048'576, 65'535);
  model.supports_reasoning_budget = true;
  ProviderSettings settings;
  settings.enable_reasoning_effort = false;
  EXPECT_EQ(GetModelMaxOutputTokens("gemini-2.5-flash-preview-04-17", model, settings), 65'535);
}

TEST(GetModelMaxOutputTokens, ClampedToAFifthOfTheWindow) {
  EXPECT_EQ(GetModelMaxOutputTokens("gpt-4", Model(100'000, 50'000), {}, ApiFormat::kOpenAi),
            20'000);
  EXPECT_EQ(GetModelMaxOutputTokens("claude-3-5-sonnet-20241022", Model(100'000, 50'000), {}),
            20'000);
  // Exactly a fifth: the model's own value.
  EXPECT_EQ(GetModelMaxOutputTokens("gpt-4", Model(100'000, 20'000), {}, ApiFormat::kOpenAi),
            20'000);
}

TEST(GetModelMaxOutputTokens, Gpt5IdsBypassTheCap) {
  for (std::string_view id :
       {"gpt-5", "gpt-5-turbo", "GPT-5", "openai/gpt-5-preview", "gpt-5-32k", "GPT-5-TURBO"}) {
    EXPECT_EQ(GetModelMaxOutputTokens(id, Model(200'000, 128'000), {}, ApiFormat::kOpenAi),
              128'000)
        << id;
  }
  for (std::string_view id : {"gpt-4", "gpt-4-turbo", "gpt-3.5-turbo", "claude-3-5-sonnet",
                              "gemini-pro"}) {
    EXPECT_EQ(GetModelMaxOutputTokens(id, Model(200'000, 128'000), {}, ApiFormat::kOpenAi),
              40'000)
        << id;
  }
  struct Case {
    std::int64_t max_tokens, context_window;
  };
  for (const Case& c : {Case{128'000, 200'000}, Case{64'000, 200'000}, Case{256'000, 400'000}}) {
    EXPECT_EQ(GetModelMaxOutputTokens("gpt-5-turbo", Model(c.context_window, c.max_tokens), {},
                                      ApiFormat::kOpenAi),
              c.max_tokens);
  }
}

TEST(GetModelMaxOutputTokens, RequiredReasoningBudgetWithAndWithoutModelMaxTokens) {
  ModelInfo model = Model(200'000, 8000);
  model.required_reasoning_budget = true;
  ProviderSettings settings;
  settings.model_max_tokens = 4000;
  EXPECT_EQ(GetModelMaxOutputTokens("test", model, settings), 4000);
  EXPECT_EQ(GetModelMaxOutputTokens("test", model, {}), 16'384);
  settings.model_max_tokens = 0;  // `modelMaxTokens || 16384`
  EXPECT_EQ(GetModelMaxOutputTokens("test", model, settings), 16'384);
}

// §1.7 rules 2, 3 and 6, where `format` decides.
TEST(GetModelMaxOutputTokens, FormatMakesAnAnthropicContextOrGivesNothing) {
  ModelInfo hybrid = Model(1'048'576, 65'535);
  hybrid.supports_reasoning_budget = true;
  EXPECT_EQ(GetModelMaxOutputTokens("gemini-x", hybrid, {}), 65'535);
  EXPECT_EQ(GetModelMaxOutputTokens("gemini-x", hybrid, {}, ApiFormat::kAnthropic), 8192);
  EXPECT_EQ(GetModelMaxOutputTokens("anthropic/x", hybrid, {}, ApiFormat::kOpenRouter), 8192);
  EXPECT_EQ(GetModelMaxOutputTokens("anthropic/x", hybrid, {}, ApiFormat::kOpenAi), 65'535);

  const ModelInfo bare = Model(100'000, std::nullopt);
  EXPECT_EQ(GetModelMaxOutputTokens("some-model", bare, {}, ApiFormat::kAnthropic), 8192);
  EXPECT_EQ(GetModelMaxOutputTokens("some-model", bare, {}, ApiFormat::kOpenAi), std::nullopt);
  EXPECT_EQ(GetModelMaxOutputTokens("some-model", bare, {}, ApiFormat::kGemini), std::nullopt);
  EXPECT_EQ(ReservedTokens(GetModelMaxOutputTokens("some-model", bare, {}, ApiFormat::kOpenAi)),
            8192);
  EXPECT_EQ(GetModelMaxOutputTokens("claude-x", Model(100'000, 0), {}, ApiFormat::kOpenAi), 8192);
}

TEST(ParseApiFormat, TheFourFormats) {
  EXPECT_EQ(ParseApiFormat("anthropic"), ApiFormat::kAnthropic);
  EXPECT_EQ(ParseApiFormat("openai"), ApiFormat::kOpenAi);
  EXPECT_EQ(ParseApiFormat("gemini"), ApiFormat::kGemini);
  EXPECT_EQ(ParseApiFormat("openrouter"), ApiFormat::kOpenRouter);
  EXPECT_EQ(ParseApiFormat("Anthropic"), std::nullopt);
  EXPECT_EQ(ParseApiFormat(""), std::nullopt);
}

// §7.4: the shouldUseReasoningBudget truth table.
TEST(ShouldUseReasoningBudget, TruthTable) {
  ModelInfo required = Model(200'000, std::nullopt);
  required.required_reasoning_budget = true;
  ProviderSettings off;
  off.enable_reasoning_effort = false;
  ProviderSettings on;
  on.enable_reasoning_effort = true;
  EXPECT_TRUE(ShouldUseReasoningBudget(required, {}));
  EXPECT_TRUE(ShouldUseReasoningBudget(required, off));

  ModelInfo supported = Model(200'000, std::nullopt);
  supported.supports_reasoning_budget = true;
  EXPECT_TRUE(ShouldUseReasoningBudget(supported, on));
  EXPECT_FALSE(ShouldUseReasoningBudget(supported, off));
  EXPECT_FALSE(ShouldUseReasoningBudget(supported, {}));

  const ModelInfo plain = Model(200'000, std::nullopt);
  EXPECT_FALSE(ShouldUseReasoningBudget(plain, on));
  EXPECT_FALSE(ShouldUseReasoningBudget(plain, {}));
}

ProviderSettings Effort(std::optional<bool> enable, std::optional<ReasoningEffort> effort) {
  ProviderSettings s;
  s.enable_reasoning_effort = enable;
  s.reasoning_effort = effort;
  return s;
}

// §7.4: the shouldUseReasoningEffort truth table.
TEST(ShouldUseReasoningEffort, TruthTable) {
  using E = ReasoningEffort;
  ModelInfo with_default = Model(200'000, std::nullopt);
  with_default.default_reasoning_effort = E::kMedium;
  EXPECT_TRUE(ShouldUseReasoningEffort(with_default, {}));
  EXPECT_FALSE(ShouldUseReasoningEffort(with_default, Effort(false, std::nullopt)));

  ModelInfo any = Model(200'000, std::nullopt);
  any.reasoning_effort_capability = ReasoningEffortCapability::kAny;
  EXPECT_FALSE(ShouldUseReasoningEffort(any, Effort(false, E::kMedium)));
  EXPECT_TRUE(ShouldUseReasoningEffort(any, Effort(std::nullopt, E::kHigh)));
  EXPECT_FALSE(ShouldUseReasoningEffort(any, {}));
  for (E e : {E::kLow, E::kMedium, E::kHigh, E::kNone, E::kMinimal}) {
    EXPECT_TRUE(ShouldUseReasoningEffort(any, Effort(std::nullopt, e)))
        << ReasoningEffortName(e);
  }

  const ModelInfo incapable = Model(200'000, std::nullopt);
  EXPECT_FALSE(ShouldUseReasoningEffort(incapable, Effort(std::nullopt, E::kHigh)));
  EXPECT_FALSE(ShouldUseReasoningEffort(incapable, {}));

  ModelInfo listed = Model(100'000, std::nullopt);
  listed.reasoning_effort_capability = ReasoningEffortCapability::kListed;
  for (E e : {E::kDisable, E::kLow, E::kMedium, E::kHigh}) listed.reasoning_efforts.Insert(e);
  EXPECT_FALSE(ShouldUseReasoningEffort(listed, Effort(true, E::kDisable)));
  EXPECT_TRUE(ShouldUseReasoningEffort(listed, Effort(true, E::kLow)));
  EXPECT_FALSE(ShouldUseReasoningEffort(listed, Effort(true, E::kXHigh)));  // not listed

  ModelInfo listed_none = Model(100'000, std::nullopt);
  listed_none.reasoning_effort_capability = ReasoningEffortCapability::kListed;
  for (E e : {E::kNone, E::kMinimal, E::kLow, E::kMedium, E::kHigh}) {
    listed_none.reasoning_efforts.Insert(e);
  }
  EXPECT_TRUE(ShouldUseReasoningEffort(listed_none, Effort(true, E::kNone)));
  EXPECT_TRUE(ShouldUseReasoningEffort(listed_none, Effort(true, E::kMinimal)));
  // No selection and no model default: nothing to send.
  EXPECT_FALSE(ShouldUseReasoningEffort(listed_none, Effort(true, std::nullopt)));
}

TEST(ShouldUseReasoningEffort, RegistryModelsFollowTheirDefaults) {
  // o3-high has a default effort but no capability list: the default alone counts.
  absl::StatusOr<const ModelInfo*> o3_high = FindModel("o3-high");
  ASSERT_TRUE(o3_high.ok());
  EXPECT_TRUE(ShouldUseReasoningEffort(**o3_high, {}));
  // gpt-5.1-codex-max lists low..xhigh and defaults to xhigh; "none" is not listed.
  absl::StatusOr<const ModelInfo*> codex = FindModel("gpt-5.1-codex-max");
  ASSERT_TRUE(codex.ok());
  EXPECT_TRUE(ShouldUseReasoningEffort(**codex, {}));
  EXPECT_FALSE(ShouldUseReasoningEffort(**codex, Effort(std::nullopt, ReasoningEffort::kNone)));
}

}  // namespace
}  // namespace ctxmem::models
