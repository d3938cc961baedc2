#include "context/management/provider_errors.h"

#include <string>

#include "context/json/parse_json.h"
#include "gtest/gtest.h"

namespace ctxmem::context {
namespace {

ProviderError Err(const char* json, bool api_error = false) {
  return ProviderError{*json::ParseJson(json), api_error};
}

TEST(ProviderErrorsTest, OpenAi) {
  EXPECT_TRUE(IsContextWindowExceededError(Err(R"({"name":"LengthFinishReasonError"})")));
  EXPECT_TRUE(IsOpenAiContextWindowError(
      Err(R"({"code":400,"message":"This model's maximum context length is 8192 tokens"})", true)));
  EXPECT_TRUE(IsOpenAiContextWindowError(Err(R"({"code":"400","message":"too many token"})", true)));
  // Not an APIError: the OpenAI rule does not apply.
  EXPECT_FALSE(IsOpenAiContextWindowError(Err(R"({"code":400,"message":"token"})")));
  EXPECT_FALSE(IsOpenAiContextWindowError(Err(R"({"code":401,"message":"token"})", true)));
}

TEST(ProviderErrorsTest, OpenRouter) {
  EXPECT_TRUE(IsOpenRouterContextWindowError(
      Err(R"({"status":400,"message":"Input tokens exceed the configured limit"})")));
  EXPECT_TRUE(IsOpenRouterContextWindowError(
      Err(R"({"code":"400","message":"Please reduce the length: context window is full"})")));
  EXPECT_TRUE(IsOpenRouterContextWindowError(
      Err(R"({"error":{"status":400,"message":"This exceeds the MAXIMUM CONTEXT"}})")));
  EXPECT_TRUE(IsOpenRouterContextWindowError(
      Err(R"({"response":{"status":400},"message":"too many tokens"})")));
  EXPECT_FALSE(IsOpenRouterContextWindowError(Err(R"({"status":500,"message":"context length"})")));
  EXPECT_FALSE(IsOpenRouterContextWindowError(Err(R"({"status":400,"message":"rate limited"})")));
  // `status ?? code`: a present status wins over code.
  EXPECT_FALSE(IsOpenRouterContextWindowError(
      Err(R"({"status":429,"code":400,"message":"context length"})")));
}

TEST(ProviderErrorsTest, Anthropic) {
  EXPECT_TRUE(IsAnthropicContextWindowError(Err(
      R"({"error":{"error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}})")));
  EXPECT_TRUE(IsAnthropicContextWindowError(Err(
      R"({"error":{"error":{"type":"invalid_request_error","message":"input exceeds the context window"}}})")));
  EXPECT_FALSE(IsAnthropicContextWindowError(Err(
      R"({"error":{"error":{"type":"invalid_request_error","message":"messages: roles must alternate"}}})")));
  EXPECT_FALSE(IsAnthropicContextWindowError(
      Err(R"({"error":{"error":{"type":"overloaded_error","message":"prompt is too long"}}})")));
}

// What the patterns match is JavaScript's (non-Unicode, case-insensitive)
// regular-expression semantics, not RE2's; every expectation here was
// checked with Node.js 20.
TEST(ProviderErrorsTest, PatternsMatchAsJavaScriptDoes) {
  auto open_router = [](const std::string& message) {
    return IsOpenRouterContextWindowError(ProviderError{
        json::JsValue::Object({{"status", json::JsValue::Number(400)},
                               {"message", json::JsValue::String(message)}}),
        false});
  };
  EXPECT_TRUE(open_router("context\u00a0window"));     // JavaScript's \s has NBSP,
  EXPECT_TRUE(open_router("context\u3000length"));     // ideographic space,
  EXPECT_TRUE(open_router("context\ufeffwindow"));     // U+FEFF,
  EXPECT_TRUE(open_router("too\u2028many tokens"));    // line separators,
  EXPECT_FALSE(open_router("maximum\u0085context"));   // but not U+0085
  EXPECT_FALSE(open_router("tokens\u200bexceed"));     // nor U+200B.
  EXPECT_FALSE(open_router("to\u212Aens exceed"));     // Kelvin sign is not k
  EXPECT_FALSE(open_router("CONTEXT_LENGTH"));          // no \b: "_" is a word character
  EXPECT_TRUE(open_router("The CONTEXT LENGTH is 8k"));
  auto anthropic = [](const std::string& message) {
    return IsAnthropicContextWindowError(ProviderError{
        json::JsValue::Object(
            {{"error", json::JsValue::Object(
                           {{"error", json::JsValue::Object(
                                          {{"type", json::JsValue::String("invalid_request_error")},
                                           {"message", json::JsValue::String(message)}})}})}}),
        false});
  };
  EXPECT_FALSE(anthropic("context\rtoo long"));         // `.` stops at \r,
  EXPECT_FALSE(anthropic("context\u2028 too long"));    // and at U+2028
  EXPECT_TRUE(anthropic("context window too long"));
  EXPECT_FALSE(anthropic("max_tokens_to_\u017Fample"));  // long s is not s
  EXPECT_TRUE(anthropic("MAXIMUM 5 TOKENS"));
  EXPECT_TRUE(anthropic("token\u00e9limit"));           // `.` takes any other character
  EXPECT_FALSE(anthropic("\u212Aontext too long x"));
  EXPECT_TRUE(anthropic("prompt is too lonG"));
  // The message is the inner error's only (`err.error?.error?.message || ""`).
  EXPECT_FALSE(IsAnthropicContextWindowError(
      Err(R"({"message":"prompt is too long","error":{"error":{"type":"invalid_request_error"}}})")));
}

TEST(ProviderErrorsTest, AtMostThreeRetries) {
  const ProviderError e = Err(R"({"name":"LengthFinishReasonError"})");
  EXPECT_TRUE(ShouldRetryAfterContextError(e, 0));
  EXPECT_TRUE(ShouldRetryAfterContextError(e, 2));
  EXPECT_FALSE(ShouldRetryAfterContextError(e, 3));
  EXPECT_FALSE(ShouldRetryAfterContextError(Err(R"({"message":"x"})"), 0));
}

}  // namespace
}  // namespace ctxmem::context
