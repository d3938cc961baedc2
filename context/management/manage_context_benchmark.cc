// Issue 6's benchmarks of context management on a long coding session.
//
//   bazel run --config=opt //context/management:manage_context_benchmark
//
// The conversation (internal/benchmark_conversation.h): 300 alternating
// messages, about 150k tokens by the o200k estimate, in a 200k window with
// 8,192 tokens reserved for the reply (allowed: 171,808).
//
//  * BM_ManageContextUnchanged: manageContext below every threshold
//    (autoCondense on at 100%), warm. Counters: heap allocations and bytes
//    per call, counted by //alloc's ThreadAllocationScope (the target is 0).
//  * BM_ManageContextTruncates: manageContext above the allowed tokens with
//    autoCondense off, so it truncates (hides half the visible messages,
//    inserts a marker, re-counts what is visible). Each iteration restores
//    the pristine history by copy-assignment inside PauseTiming/ResumeTiming,
//    so the copy is not timed. The per-message estimates are cached in the
//    copied messages, as they are in a live session. /1 is with the ~40 KB
//    system prompt (re-counted on every truncation, as the reference does),
//    /0 without it.
//  * BM_HistoryFromJson: builds the History from the JSON text (parse and
//    ParseHistory) and reports the tracked heap the built history holds,
//    the raw UTF-8 bytes of its strings, and the difference per message.
//
// Each runs 3 repetitions; read the _median rows.

#include <cstdint>
#include <string>

#include "alloc/stats.h"
#include "benchmark/benchmark.h"
#include "context/history/history.h"
#include "context/history/vocabulary.h"
#include "context/json/js_value.h"
#include "context/json/parse_json.h"
#include "context/management/current_policy.h"
#include "context/management/internal/benchmark_conversation.h"
#include "context/management/manage_types.h"

namespace ctxmem::context {
namespace {

constexpr double kContextWindow = 200'000;
constexpr double kMaxTokens = 8192;
constexpr double kTokensAboveAllowed = 175'000;

struct Fixture {
  std::string json;
  std::string system_prompt;
  History history;
  double history_tokens = 0;  // sum of the messages' estimates
};

const Fixture& GetFixture() {
  static const Fixture* fixture = [] {
    auto* f = new Fixture;
    f->json = BenchmarkConversationJson({});
    f->system_prompt = BenchmarkSystemPrompt();
    absl::StatusOr<json::JsValue> doc = json::ParseJson(f->json);
    if (!doc.ok()) return f;
    absl::StatusOr<History> history = ParseHistory(*doc);
    if (!history.ok()) return f;
    f->history = *std::move(history);
    for (const Message& m : f->history) f->history_tokens += static_cast<double>(m.EstimateTokens());
    return f;
  }();
  return *fixture;
}

bool CheckSetup(benchmark::State& state, const Fixture& f) {
  if (!alloc::TrackingEnabled()) {
    state.SkipWithError("//alloc:tracking is not linked");
    return false;
  }
  if (f.history.size() != 300) {
    state.SkipWithError("the benchmark conversation did not parse");
    return false;
  }
  return true;
}

ManageOptions BaseOptions(const Fixture& f, IdSource* ids) {
  ManageOptions options;
  options.context_window = kContextWindow;
  options.max_tokens = kMaxTokens;
  options.system_prompt = f.system_prompt;
  options.ids = ids;
  options.now_ms = [] { return 1'770'000'000'000.0; };
  return options;
}

void BM_ManageContextUnchanged(benchmark::State& state) {
  const Fixture& f = GetFixture();
  if (!CheckSetup(state, f)) return;
  History history = f.history;
  SequentialIds ids;
  ManageOptions options = BaseOptions(f, &ids);
  options.auto_condense_context = true;
  options.auto_condense_context_percent = 100;
  options.total_tokens = f.history_tokens;  // 75% of the window, below 171,808
  // Warm: the last message's estimate is cached after the first call.
  absl::StatusOr<ManageResult> warm = ManageContext(history, options);
  if (!warm.ok() || warm->truncated || warm->condense_triggered) {
    state.SkipWithError("manageContext acted on a history below its thresholds");
    return;
  }
  alloc::ThreadAllocationScope scope;
  for (auto _ : state) {
    absl::StatusOr<ManageResult> result = ManageContext(history, options);
    benchmark::DoNotOptimize(result);
  }
  const double calls = static_cast<double>(state.iterations());
  state.counters["allocs_per_call"] = static_cast<double>(scope.allocations()) / calls;
  state.counters["alloc_bytes_per_call"] = static_cast<double>(scope.allocated_bytes()) / calls;
  state.counters["history_tokens"] = f.history_tokens;
  state.counters["messages"] = static_cast<double>(history.size());
}
BENCHMARK(BM_ManageContextUnchanged)->Repetitions(3)->ReportAggregatesOnly(true);

void BM_ManageContextTruncates(benchmark::State& state) {
  const Fixture& f = GetFixture();
  if (!CheckSetup(state, f)) return;
  History history = f.history;
  SequentialIds ids;
  ManageOptions options = BaseOptions(f, &ids);
  options.auto_condense_context = false;
  options.total_tokens = kTokensAboveAllowed;
  // Arg 0: no system prompt, to show what re-counting the prompt costs.
  if (state.range(0) == 0) options.system_prompt.clear();
  uint64_t removed = 0;
  double tokens_after = 0;
  uint64_t allocations = 0;
  for (auto _ : state) {
    state.PauseTiming();
    history = f.history;
    state.ResumeTiming();
    alloc::ThreadAllocationScope scope;
    absl::StatusOr<ManageResult> result = ManageContext(history, options);
    allocations += scope.allocations();
    if (!result.ok() || !result->truncated) {
      state.SkipWithError("manageContext did not truncate");
      return;
    }
    removed = result->messages_removed;
    tokens_after = result->new_context_tokens_after_truncation.value_or(0);
    benchmark::DoNotOptimize(result);
  }
  state.counters["messages_removed"] = static_cast<double>(removed);
  state.counters["tokens_after"] = tokens_after;
  state.counters["allocs_per_call"] =
      static_cast<double>(allocations) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ManageContextTruncates)->Arg(1)->Arg(0)->Repetitions(3)->ReportAggregatesOnly(true)->Unit(benchmark::kMicrosecond);

// Bytes of every string value (not keys) in `value`.
uint64_t StringBytes(const json::JsValue& value) {
  if (value.is_string()) return value.string_value().size();
  uint64_t bytes = 0;
  if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) bytes += StringBytes(value[i]);
  } else if (value.is_object()) {
    for (size_t i = 0; i < value.size(); ++i) bytes += StringBytes(value.value(i));
  }
  return bytes;
}

void BM_HistoryFromJson(benchmark::State& state) {
  const Fixture& f = GetFixture();
  if (!CheckSetup(state, f)) return;
  int64_t held = 0;
  uint64_t raw = 0;
  size_t messages = 0;
  double message_structs = 0;
  for (auto _ : state) {
    alloc::ThreadAllocationScope scope;
    History history;
    {
      absl::StatusOr<json::JsValue> doc = json::ParseJson(f.json);
      if (!doc.ok()) {
        state.SkipWithError("parse failed");
        return;
      }
      absl::StatusOr<History> parsed = ParseHistory(*doc);
      if (!parsed.ok()) {
        state.SkipWithError("ParseHistory failed");
        return;
      }
      history = *std::move(parsed);
    }  // the document handle is gone; the messages keep what they use
    held = scope.net_bytes();
    state.PauseTiming();
    raw = 0;
    for (const Message& m : history) {
      for (const Message::Field& field : m.fields()) raw += StringBytes(field.value);
    }
    messages = history.size();
    // The Message handles and their records' requested bytes (the allocator
    // adds its own header and rounding on top; held_bytes counts those).
    message_structs = static_cast<double>(history.capacity() * sizeof(Message));
    for (const Message& m : history) message_structs += static_cast<double>(m.record_bytes());
    state.ResumeTiming();
    benchmark::DoNotOptimize(history);
  }
  const double n = static_cast<double>(messages);
  state.counters["held_bytes"] = static_cast<double>(held);
  state.counters["raw_text_bytes"] = static_cast<double>(raw);
  state.counters["json_bytes"] = static_cast<double>(f.json.size());
  state.counters["record_bytes_per_msg"] = message_structs / n;
  state.counters["vocabulary_bytes"] = static_cast<double>(VocabularyReservedBytes());
  state.counters["vocabulary_strings"] = static_cast<double>(VocabularySize());
  state.counters["bytes_per_msg_above_raw"] = (static_cast<double>(held) - static_cast<double>(raw)) / n;
}
BENCHMARK(BM_HistoryFromJson)->Repetitions(3)->ReportAggregatesOnly(true)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace ctxmem::context
