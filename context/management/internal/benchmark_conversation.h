// A deterministic agent conversation for the context-management benchmarks.
//
// Issue 6 times manageContext on a long coding session: alternating user and
// assistant messages with text, tool_use blocks carrying file contents and
// diffs, and tool_result blocks with code-like output. The text is drawn
// from a fixed vocabulary with a fixed-seed std::mt19937 (whose sequence
// the standard specifies), so every build and machine times the same bytes.
//
//   std::string json = BenchmarkConversationJson({});  // a JSON message array
//   std::string prompt = BenchmarkSystemPrompt();

#ifndef CTXMEM_CONTEXT_MANAGEMENT_INTERNAL_BENCHMARK_CONVERSATION_H_
#define CTXMEM_CONTEXT_MANAGEMENT_INTERNAL_BENCHMARK_CONVERSATION_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace ctxmem::context {

struct BenchmarkConversationOptions {
  size_t messages = 300;  // user first, then alternating
  // Rough UTF-8 bytes of text per message; the default gives about 150k
  // tokens by the o200k estimate for 300 messages.
  size_t bytes_per_message = 1530;
  uint32_t seed = 6;
};

// The conversation as a JSON array of {role, content, ts} objects.
std::string BenchmarkConversationJson(const BenchmarkConversationOptions& options);

// A system prompt of about `bytes` bytes of instructions-like prose.
std::string BenchmarkSystemPrompt(size_t bytes = 40'000);

}  // namespace ctxmem::context

#endif  // CTXMEM_CONTEXT_MANAGEMENT_INTERNAL_BENCHMARK_CONVERSATION_H_
