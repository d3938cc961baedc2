// ModelInfo: what the reference assistant knows about one model (its
// ModelInfo type), as one row of models.csv.
//
// Optional fields are the reference's optional properties: an empty CSV cell
// is `undefined` there, and the rules of output_limits.h test them for
// truthiness, so "absent" and "0" behave alike where the reference says so.
// Prices are USD per million tokens.

#ifndef CTXMEM_CONTEXT_MODELS_MODEL_INFO_H_
#define CTXMEM_CONTEXT_MODELS_MODEL_INFO_H_

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>

namespace ctxmem::models {

// A reasoning-effort level, as the reference names them ("disable" is a
// setting only: it turns reasoning off).
enum class ReasoningEffort : std::uint8_t {
  kDisable,
  kNone,
  kMinimal,
  kLow,
  kMedium,
  kHigh,
  kXHigh,
};

// The reference's spellings, indexed by ReasoningEffort.
inline constexpr std::string_view kReasoningEffortNames[] = {
    "disable", "none", "minimal", "low", "medium", "high", "xhigh",
};

constexpr std::string_view ReasoningEffortName(ReasoningEffort effort) {
  return kReasoningEffortNames[static_cast<std::size_t>(effort)];
}

// nullopt for anything but the spellings above. constexpr: the generated
// model table spells efforts as the CSV does.
constexpr std::optional<ReasoningEffort> ParseReasoningEffort(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kReasoningEffortNames); ++i) {
    if (kReasoningEffortNames[i] == name) return static_cast<ReasoningEffort>(i);
  }
  return std::nullopt;
}

// A set of efforts (a model's supportsReasoningEffort list).
class ReasoningEffortSet {
 public:
  constexpr ReasoningEffortSet() = default;
  constexpr explicit ReasoningEffortSet(std::uint8_t bits) : bits_(bits) {}

  constexpr bool Contains(ReasoningEffort e) const { return (bits_ & Bit(e)) != 0; }
  constexpr void Insert(ReasoningEffort e) { bits_ |= Bit(e); }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr std::uint8_t bits() const { return bits_; }

  friend constexpr bool operator==(ReasoningEffortSet, ReasoningEffortSet) = default;

 private:
  static constexpr std::uint8_t Bit(ReasoningEffort e) {
    return static_cast<std::uint8_t>(1u << static_cast<unsigned>(e));
  }
  std::uint8_t bits_ = 0;
};

// supportsReasoningEffort is `boolean | effort[]` in the reference, and
// shouldUseReasoningEffort treats the two shapes differently.
enum class ReasoningEffortCapability : std::uint8_t {
  kAbsent,  // undefined or false
  kAny,     // true: any effort the settings select
  kListed,  // an array: only the efforts in ModelInfo::reasoning_efforts
};

struct ModelInfo {
  std::string_view provider;  // "anthropic", "openai", "gemini", ...
  std::string_view id;        // e.g. "claude-sonnet-4-5"

  std::int64_t context_window = 0;
  std::optional<std::int64_t> max_tokens;  // the model's own output limit
  bool supports_images = false;
  bool supports_prompt_cache = false;

  std::optional<double> input_price;
  std::optional<double> output_price;
  std::optional<double> cache_writes_price;
  std::optional<double> cache_reads_price;

  bool supports_reasoning_budget = false;
  bool required_reasoning_budget = false;
  ReasoningEffortCapability reasoning_effort_capability = ReasoningEffortCapability::kAbsent;
  ReasoningEffortSet reasoning_efforts;  // when kListed
  std::optional<ReasoningEffort> default_reasoning_effort;  // the model's reasoningEffort
  std::optional<std::int64_t> max_thinking_tokens;

  // Where the row was read (provenance of the facts, not used by the rules).
  std::string_view source_repo;
  std::string_view source_commit;
  std::string_view source_file;
  int source_line = 0;
};

}  // namespace ctxmem::models

#endif  // CTXMEM_CONTEXT_MODELS_MODEL_INFO_H_
