#include "context/management/manage_types.h"

#include <chrono>
#include <cmath>

namespace ctxmem::context {

double NowMs(const std::function<double()>& now_ms) {
  if (now_ms) return now_ms();
  return static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count());
}

double AllowedTokens(double context_window, double max_tokens) {
  const double reserved =
      (max_tokens != 0 && !std::isnan(max_tokens)) ? max_tokens : kAnthropicDefaultMaxTokens;
  return context_window * (1 - kTokenBufferPercentage) - reserved;
}

double EffectiveCondenseThreshold(const ManageOptions& options) {
  const double global = options.auto_condense_context_percent;
  const json::JsValue profile = options.profile_thresholds.Find(options.current_profile_id);
  if (profile.is_undefined()) return global;
  // `=== -1` is strict: only the number -1 means "use the global value".
  if (profile.is_number() && profile.number_value() == -1) return global;
  // `p >= 5 && p <= 100` converts p to a number, as JavaScript does.
  const double p = JsToNumber(profile);
  if (p >= kMinCondenseThreshold && p <= kMaxCondenseThreshold) return p;
  return global;  // the reference logs a warning and falls back
}

}  // namespace ctxmem::context
