#include "context/models/output_limits.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

#include "context/models/model_info.h"

namespace ctxmem::models {
namespace {

// JavaScript truthiness of a number: 0, -0 and NaN are false.
bool Truthy(double x) { return x != 0 && !std::isnan(x); }
bool Truthy(const std::optional<double>& x) { return x.has_value() && Truthy(*x); }

// modelId.toLowerCase().includes("gpt-5"). The reference lower-cases with
// full Unicode rules; ASCII lower-casing decides this identically, since no
// non-ASCII character lower-cases to 'g', 'p' or 't'.
bool IsGpt5Id(std::string_view model_id) {
  std::string lower(model_id);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower.find("gpt-5") != std::string::npos;
}

}  // namespace

std::optional<ApiFormat> ParseApiFormat(std::string_view name) {
  if (name == "anthropic") return ApiFormat::kAnthropic;
  if (name == "openai") return ApiFormat::kOpenAi;
  if (name == "gemini") return ApiFormat::kGemini;
  if (name == "openrouter") return ApiFormat::kOpenRouter;
  return std::nullopt;
}

bool ShouldUseReasoningBudget(const ModelInfo& model, const ProviderSettings& settings) {
  return model.required_reasoning_budget ||
         (model.supports_reasoning_budget && settings.enable_reasoning_effort.value_or(false));
}

bool ShouldUseReasoningEffort(const ModelInfo& model, const ProviderSettings& settings) {
  if (settings.enable_reasoning_effort == false) return false;
  const std::optional<ReasoningEffort> selected =
      settings.reasoning_effort.has_value() ? settings.reasoning_effort
                                            : model.default_reasoning_effort;
  if (selected == ReasoningEffort::kDisable) return false;
  switch (model.reasoning_effort_capability) {
    case ReasoningEffortCapability::kListed:
      return selected.has_value() && model.reasoning_efforts.Contains(*selected);
    case ReasoningEffortCapability::kAny:
      return selected.has_value();
    case ReasoningEffortCapability::kAbsent:
      // A selection in the settings alone does not count without capability.
      return model.default_reasoning_effort.has_value();
  }
  return false;
}

std::optional<double> GetModelMaxOutputTokens(std::string_view model_id, const ModelInfo& model,
                                              const ProviderSettings& settings,
                                              std::optional<ApiFormat> format) {
  if (ShouldUseReasoningBudget(model, settings)) {
    return Truthy(settings.model_max_tokens) ? *settings.model_max_tokens
                                             : kDefaultHybridReasoningModelMaxTokens;
  }
  const bool anthropic_context =
      model_id.find("claude") != std::string_view::npos || format == ApiFormat::kAnthropic ||
      (format == ApiFormat::kOpenRouter && model_id.starts_with("anthropic/"));
  // The reference discards a hybrid-reasoning model's own maxTokens here.
  if (model.supports_reasoning_budget && anthropic_context) return kAnthropicDefaultMaxTokens;
  const bool has_max_tokens = model.max_tokens.has_value() && *model.max_tokens != 0;
  if (anthropic_context && !has_max_tokens) return kAnthropicDefaultMaxTokens;
  if (has_max_tokens) {
    const double max_tokens = static_cast<double>(*model.max_tokens);
    if (IsGpt5Id(model_id)) return max_tokens;
    return std::min(max_tokens, std::ceil(static_cast<double>(model.context_window) * 0.2));
  }
  if (format.has_value()) return std::nullopt;
  return kAnthropicDefaultMaxTokens;
}

double ReservedTokens(std::optional<double> max_output_tokens) {
  return Truthy(max_output_tokens) ? *max_output_tokens : kAnthropicDefaultMaxTokens;
}

double AllowedTokens(double context_window, double reserved_tokens) {
  // Built with -ffp-contract=off: a fused multiply-add would skip the
  // rounding of the product and differ from JavaScript in the last bit.
  return context_window * (1 - 0.1) - reserved_tokens;
}

}  // namespace ctxmem::models
