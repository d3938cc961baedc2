#include "context/management/provider_errors.h"

#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
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

// The reference's patterns are JavaScript regular expressions with the `i`
// flag and without `u`, run on UTF-16 strings. RE2 differs in three ways
// that matter for them: its `\s` is ASCII, its `.` also matches \r, U+2028
// and U+2029, and its case folding maps U+017F (long s) to s and U+212A
// (Kelvin) to k where JavaScript's non-Unicode folding does not. So each
// pattern is compiled for Latin-1 (one byte, one character) and run on the
// message's WTF-8 bytes, with JavaScript's classes spelled out as byte
// sequences and case handled by ASCII-only classes; `\b` is ASCII in both.
//
// JavaScript's \s: White_Space plus U+FEFF.
constexpr char kJsSpace[] =
    "(?:[\\t\\n\\x0b\\x0c\\r ]|\\xc2\\xa0|\\xe1\\x9a\\x80|\\xe2\\x80[\\x80-\\x8a\\xa8\\xa9\\xaf]|"
    "\\xe2\\x81\\x9f|\\xe3\\x80\\x80|\\xef\\xbb\\xbf)";
// JavaScript's `.`: any code unit but \n, \r, U+2028 and U+2029 (E2 80 A8/A9).
// In WTF-8 an E2 byte always leads a 3-byte sequence, so excluding those two
// sequences byte by byte is exact.
constexpr char kJsDot[] = "(?:[^\\n\\r\\xe2]|\\xe2[^\\x80]|\\xe2\\x80[^\\xa8\\xa9])";

// `pattern` with each ASCII letter matching both cases: [Cc][Oo]...; `~`
// stands for kJsSpace and `%` for kJsDot (neither occurs in the patterns).
std::string JsPattern(std::string_view pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {  // an escape (\b) stays as it is
      out += pattern.substr(i, 2);
      ++i;
    } else if (c == '~') {
      out += kJsSpace;
    } else if (c == '%') {
      out += kJsDot;
    } else if (absl::ascii_isalpha(static_cast<unsigned char>(c))) {
      out += '[';
      out += absl::ascii_toupper(static_cast<unsigned char>(c));
      out += absl::ascii_tolower(static_cast<unsigned char>(c));
      out += ']';
    } else {
      out += c;
    }
  }
  return out;
}

RE2::Options Latin1() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  return options;
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
  // /\bcontext\s*(?:length|window)\b/i, /\bmaximum\s*context\b/i,
  // /\b(?:input\s*)?tokens?\s*exceed/i, /\btoo\s*many\s*tokens?\b/i
  static const RE2 kContext(JsPattern("\\bcontext~*(?:length|window)\\b"), Latin1());
  static const RE2 kMaximum(JsPattern("\\bmaximum~*context\\b"), Latin1());
  static const RE2 kExceed(JsPattern("\\b(?:input~*)?tokens?~*exceed"), Latin1());
  static const RE2 kTooMany(JsPattern("\\btoo~*many~*tokens?\\b"), Latin1());
  return JsToString(status) == "400" &&
         AnyMatch(message, {&kContext, &kMaximum, &kExceed, &kTooMany});
}

bool IsAnthropicContextWindowError(const ProviderError& e) {
  const json::JsValue inner = e.error.Find("error").Find("error");
  if (inner.Find("type").string_value() != "invalid_request_error") return false;
  // `String(err.error?.error?.message || "")`: the inner message only.
  const std::string message = JsToString(Or(inner.Find("message"), json::JsValue::String("")));
  static const RE2 kTooLong(JsPattern("prompt is too long"), Latin1());
  static const RE2 kMaxTokens(JsPattern("maximum%*tokens"), Latin1());
  static const RE2 kContextLong(JsPattern("context%*too%*long"), Latin1());
  static const RE2 kExceeds(JsPattern("exceeds%*context"), Latin1());
  static const RE2 kLimit(JsPattern("token%*limit"), Latin1());
  static const RE2 kExceeded(JsPattern("context_length_exceeded"), Latin1());
  static const RE2 kSample(JsPattern("max_tokens_to_sample"), Latin1());
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
