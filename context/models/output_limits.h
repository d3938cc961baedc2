// How many tokens a request may hold: the output reservation of the
// reference's getModelMaxOutputTokens (context-reference.md §1.7, as the
// reference runs it: `apiProvider` plays no part, `format` does) and the
// allowed-token bound of manageContext (§1.5 step 4).
//
// Numbers are doubles because the reference computes in JavaScript numbers:
// settings may carry any number, and allowedTokens is deliberately not
// rounded (1 048 576 × 0.9 − 16 384 = 927 334.4).
//
//   const double reserved = ReservedTokens(GetModelMaxOutputTokens(id, model, {}));
//   const double allowed = AllowedTokens(model.context_window, reserved);

#ifndef CTXMEM_CONTEXT_MODELS_OUTPUT_LIMITS_H_
#define CTXMEM_CONTEXT_MODELS_OUTPUT_LIMITS_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "context/models/model_info.h"

namespace ctxmem::models {

// The reference's ANTHROPIC_DEFAULT_MAX_TOKENS, and manageContext's fallback
// reservation.
inline constexpr double kAnthropicDefaultMaxTokens = 8192;
// DEFAULT_HYBRID_REASONING_MODEL_MAX_TOKENS: the reservation of a reasoning
// budget when the settings give no modelMaxTokens.
inline constexpr double kDefaultHybridReasoningModelMaxTokens = 16384;

// The provider-settings fields these rules read; unset is `undefined`.
struct ProviderSettings {
  std::optional<bool> enable_reasoning_effort;
  std::optional<double> model_max_tokens;
  std::optional<ReasoningEffort> reasoning_effort;
};

// The wire format of the request (getModelMaxOutputTokens's `format`).
enum class ApiFormat : std::uint8_t { kAnthropic, kOpenAi, kGemini, kOpenRouter };

// "anthropic", "openai", "gemini", "openrouter"; nullopt for anything else.
std::optional<ApiFormat> ParseApiFormat(std::string_view name);

// shouldUseReasoningBudget: the model requires a thinking budget, or supports
// one and the settings enable reasoning.
bool ShouldUseReasoningBudget(const ModelInfo& model, const ProviderSettings& settings);

// shouldUseReasoningEffort: whether a reasoning-effort parameter is sent.
// An explicit enableReasoningEffort=false or a "disable" selection turns it
// off; a listed capability needs the selected effort (settings, else the
// model's default) in its list; `true` needs any selection; no capability
// follows the model's own default alone.
bool ShouldUseReasoningEffort(const ModelInfo& model, const ProviderSettings& settings);

// getModelMaxOutputTokens: the output tokens reserved for a request to
// `model_id`. Rules in order, the first that applies wins:
//   1. reasoning budget in use        → settings.model_max_tokens || 16384
//   2. an Anthropic context (id contains "claude", format anthropic, or
//      format openrouter with an "anthropic/" id) and the model supports a
//      reasoning budget               → 8192
//   3. an Anthropic context and no maxTokens → 8192
//   4. maxTokens set: an id containing "gpt-5" (any case) → maxTokens,
//      otherwise min(maxTokens, ceil(contextWindow × 0.2))
//   5. a format given                 → nullopt (the reference's undefined)
//   6. otherwise                      → 8192
std::optional<double> GetModelMaxOutputTokens(std::string_view model_id, const ModelInfo& model,
                                              const ProviderSettings& settings,
                                              std::optional<ApiFormat> format = std::nullopt);

// manageContext's `maxTokens || 8192`: nothing, 0 (or NaN) reserve 8192.
double ReservedTokens(std::optional<double> max_output_tokens);

// contextWindow * (1 - 0.1) - reserved, evaluated in that order in IEEE
// doubles: bit for bit the reference's allowedTokens.
double AllowedTokens(double context_window, double reserved_tokens);

}  // namespace ctxmem::models

#endif  // CTXMEM_CONTEXT_MODELS_OUTPUT_LIMITS_H_
