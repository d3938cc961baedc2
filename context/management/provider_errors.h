// Which provider errors mean "the request did not fit the context window"
// (context-reference.md §1.9), and the retry rule around them.
//
// The reference inspects the thrown JavaScript error object; ctxmem takes
// the same object as parsed JSON ({"name", "message", "status", "code",
// "error": {...}, "response": {...}}) plus whether the OpenAI SDK threw it
// as an APIError (a class the JSON cannot show).
//
//   if (ShouldRetryAfterContextError(error, attempt)) {
//     HandleContextWindowExceeded(history, options, context_tokens);  // current_policy.h
//     ... retry with attempt + 1
//   }

#ifndef CTXMEM_CONTEXT_MANAGEMENT_PROVIDER_ERRORS_H_
#define CTXMEM_CONTEXT_MANAGEMENT_PROVIDER_ERRORS_H_

#include "context/json/js_value.h"

namespace ctxmem::context {

struct ProviderError {
  json::JsValue error;               // the error object's properties
  bool is_openai_api_error = false;  // `error instanceof OpenAI.APIError`
};

bool IsOpenAiContextWindowError(const ProviderError& e);
bool IsOpenRouterContextWindowError(const ProviderError& e);
bool IsAnthropicContextWindowError(const ProviderError& e);

// checkContextWindowExceededError: any of the three.
bool IsContextWindowExceededError(const ProviderError& e);

// Task.ts: recover and retry while retry_attempt < 3.
bool ShouldRetryAfterContextError(const ProviderError& e, int retry_attempt);

}  // namespace ctxmem::context

#endif  // CTXMEM_CONTEXT_MANAGEMENT_PROVIDER_ERRORS_H_
