#include "context/management/provider_errors.h"

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

TEST(ProviderErrorsTest, AtMostThreeRetries) {
  const ProviderError e = Err(R"({"name":"LengthFinishReasonError"})");
  EXPECT_TRUE(ShouldRetryAfterContextError(e, 0));
  EXPECT_TRUE(ShouldRetryAfterContextError(e, 2));
  EXPECT_FALSE(ShouldRetryAfterContextError(e, 3));
  EXPECT_FALSE(ShouldRetryAfterContextError(Err(R"({"message":"x"})"), 0));
}

}  // namespace
}  // namespace ctxmem::context
