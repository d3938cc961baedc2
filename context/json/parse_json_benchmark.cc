// ParseJson / StringifyJson on a synthetic 400 KB conversation, the size
// `ctxmem manage` reads, against RapidJSON's own DOM (the floor: the same
// reader, no JavaScript semantics) on the same text.
//
//   bazel run --config=opt //context/json:parse_json_benchmark
//
// Counter MB_per_s is input bytes per second.

#include <cstring>
#include <memory>
#include <random>
#include <string>

#include "benchmark/benchmark.h"
#include "context/json/internal/rapidjson.h"  // first: the shared configuration
#include "context/json/parse_json.h"
#include "context/json/stringify_json.h"
#include "rapidjson/document.h"

namespace ctxmem::json {
namespace {

// {"messages":[...]} with user/assistant turns: prose with escapes and
// non-ASCII, tool_use blocks with nested inputs, tool_result with code.
std::string Conversation(size_t target_bytes) {
  std::mt19937_64 rng(400);
  static constexpr const char* kWords[] = {
      "the",  "context",        "window",         "token",    "file",
      "read", "édition",        "中文",           "function", "return",
      "\\n",  "\\\"quoted\\\"", "path/to/src.cc", "😀"};
  auto prose = [&](int words) {
    std::string s;
    for (int i = 0; i < words; ++i) {
      if (i) s += ' ';
      s += kWords[rng() % std::size(kWords)];
    }
    return s;
  };
  std::string out = R"({"messages":[)";
  for (int turn = 0; out.size() < target_bytes; ++turn) {
    if (turn) out += ',';
    out += R"({"role":")";
    out += turn % 2 ? "assistant" : "user";
    out += R"(","ts":)" + std::to_string(1700000000000 + turn * 1337) +
           R"(,"content":[{"type":"text","text":")" + prose(60) + R"("})";
    if (turn % 2) {
      out += R"(,{"type":"tool_use","id":"toolu_)" + std::to_string(turn) +
             R"(","name":"read_file","input":{"path":"src/)" +
             std::to_string(turn) + R"(.ts","start_line":)" +
             std::to_string(rng() % 900) +
             R"(,"end_line":1e3,"flags":[true,false,null]}})";
    } else if (turn > 0) {
      out += R"(,{"type":"tool_result","tool_use_id":"toolu_)" +
             std::to_string(turn - 1) + R"(","content":")" + prose(300) +
             R"(","is_error":false})";
    }
    out += "]}";
  }
  out += R"(],"totalTokens":123456,"contextWindow":200000,"maxTokens":null})";
  return out;
}

const std::string& Text() {
  static const std::string* text = new std::string(Conversation(400 << 10));
  return *text;
}

void BM_ParseJson(benchmark::State& state) {
  const std::string& text = Text();
  for (auto _ : state) {
    absl::StatusOr<JsValue> value = ParseJson(text);
    benchmark::DoNotOptimize(value);
    if (!value.ok()) state.SkipWithError("parse failed");
  }
  state.counters["MB_per_s"] = benchmark::Counter(
      static_cast<double>(text.size()) * state.iterations() / 1e6,
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParseJson);

void BM_RapidJsonDomInsitu(benchmark::State& state) {
  const std::string& text = Text();
  for (auto _ : state) {
    auto copy = std::make_unique<char[]>(text.size() + 17);  // SSE2 padding
    std::memcpy(copy.get(), text.c_str(), text.size() + 1);
    rapidjson::Document doc;
    doc.ParseInsitu(copy.get());
    benchmark::DoNotOptimize(doc);
    if (doc.HasParseError()) state.SkipWithError("parse failed");
  }
  state.counters["MB_per_s"] = benchmark::Counter(
      static_cast<double>(text.size()) * state.iterations() / 1e6,
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RapidJsonDomInsitu);

void BM_StringifyJson(benchmark::State& state) {
  const std::string& text = Text();
  const JsValue value = *ParseJson(text);
  std::string out;
  for (auto _ : state) {
    out.clear();
    AppendJson(value, &out);
    benchmark::DoNotOptimize(out);
  }
  state.counters["MB_per_s"] = benchmark::Counter(
      static_cast<double>(out.size()) * state.iterations() / 1e6,
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StringifyJson);

}  // namespace
}  // namespace ctxmem::json
