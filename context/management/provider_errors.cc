#include "context/management/provider_errors.h"

#include <string>

#include "context/estimate/content_estimate.h"
#include "context/history/message.h"
#include "context/management/manage_types.h"
#include "re2/re2.h"

namespace ctxmem::context {
namespace {

// `a ?? b`: b when a is undefined or null.
json::JsValue Coalesce(const json::JsValue& a, const json::JsValue& b) {
  return (a.is_undefined() || a.is_null()) ? b : a;
}

// `a || b`: b when a is falsy.
json::JsValue Or(const json::JsValue& a, const json::JsValue& b) { return JsTruthy(a) ? a : b; }

bool AnyMatch(const std::string& text, std::initializer_list<const RE2*> patterns) {
  for (const RE2* p : patterns) {
    if (RE2::PartialMatch(text, *p)) return true;
  }
  return false;
}

}  // namespace

bool IsOpenAiContextWindowError(const ProviderError& e) {
  if (e.error.Find("name").string_value() == "LengthFinishReasonError") return true;
  if (!e.is_openai_api_error) return false;
  const json::JsValue code = e.error.Find("code");
  if (code.is_undefined() || code.is_null() || JsToString(code) != "400") return false;
  const std::string message = JsToString(e.error.Find("message"));
  return message.find("token") != std::string::npos ||
         message.find("context length") != std::string::npos;
}

bool IsOpenRouterContextWindowError(const ProviderError& e) {
  if (!e.error.is_object()) return false;
  const json::JsValue& err = e.error;
  const json::JsValue status =
      Coalesce(Coalesce(Coalesce(err.Find("status"), err.Find("code")),
                        err.Find("error").Find("status")),
               err.Find("response").Find("status"));
  const json::JsValue message_value =
      Or(Or(err.Find("message"), err.Find("error").Find("message")), json::JsValue::String(""));
  const std::string message = JsToString(message_value);
  static const RE2 kContext("(?i)\\bcontext\\s*(?:length|window)\\b");
  static const RE2 kMaximum("(?i)\\bmaximum\\s*context\\b");
  static const RE2 kExceed("(?i)\\b(?:input\\s*)?tokens?\\s*exceed");
  static const RE2 kTooMany("(?i)\\btoo\\s*many\\s*tokens?\\b");
  return JsToString(status) == "400" &&
         AnyMatch(message, {&kContext, &kMaximum, &kExceed, &kTooMany});
}

bool IsAnthropicContextWindowError(const ProviderError& e) {
  const json::JsValue inner = e.error.Find("error").Find("error");
  if (inner.Find("type").string_value() != "invalid_request_error") return false;
  const std::string message =
      JsToString(Or(inner.Find("message"), Or(e.error.Find("message"), json::JsValue::String(""))));
  static const RE2 kTooLong("(?i)prompt is too long");
  static const RE2 kMaxTokens("(?i)maximum.*tokens");
  static const RE2 kContextLong("(?i)context.*too.*long");
  static const RE2 kExceeds("(?i)exceeds.*context");
  static const RE2 kLimit("(?i)token.*limit");
  static const RE2 kExceeded("(?i)context_length_exceeded");
  static const RE2 kSample("(?i)max_tokens_to_sample");
  return AnyMatch(message,
                  {&kTooLong, &kMaxTokens, &kContextLong, &kExceeds, &kLimit, &kExceeded, &kSample});
}

bool IsContextWindowExceededError(const ProviderError& e) {
  return IsOpenAiContextWindowError(e) || IsOpenRouterContextWindowError(e) ||
         IsAnthropicContextWindowError(e);
}

bool ShouldRetryAfterContextError(const ProviderError& e, int retry_attempt) {
  return retry_attempt < kMaxContextWindowRetries && IsContextWindowExceededError(e);
}

}  // namespace ctxmem::context
