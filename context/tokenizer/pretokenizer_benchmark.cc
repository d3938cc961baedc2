// Throughput of ForEachPiece() in MB/s (bytes_per_second) on 1 MiB inputs:
// prose, code, CJK, and adversarial shapes that make backtracking regex
// engines slow (one long piece, long digit and whitespace runs).
//
//   bazel run --config=opt //context/tokenizer:pretokenizer_benchmark
//
// Measured (CPU time, median of 3, on the 2-core dev machine while other
// builds ran, so read as lower bounds), o200k / cl100k in MB/s:
//   prose 374 / 428, code 553 / 560, CJK 507 / 514, one 1 MiB piece
//   2,890 / 1,740, 1 MiB of digits 1,010 / 960, 1500-space runs 1,080 / 1,080.

#include <cstdint>
#include <string>
#include <string_view>

#include "benchmark/benchmark.h"
#include "context/tokenizer/pretokenizer.h"

namespace ctxmem::context::tokenizer {
namespace {

constexpr size_t kSize = 1 << 20;

// Deterministic pseudo-random numbers (the inputs must not change between runs).
class Lcg {
 public:
  uint32_t Next(uint32_t n) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state_ >> 33) % n;
  }

 private:
  uint64_t state_ = 42;
};

std::string Prose() {
  static const char* const kWords[] = {
      "the", "of", "and", "to", "in", "is", "you", "that", "it", "he", "was", "for",
      "on", "are", "with", "they", "be", "at", "one", "have", "this", "from", "by",
      "context", "window", "token", "memory", "engine", "assistant", "request"};
  Lcg rng;
  std::string s;
  while (s.size() < kSize) {
    std::string word = kWords[rng.Next(30)];
    if (rng.Next(12) == 0) word[0] = static_cast<char>(word[0] - 'a' + 'A');
    if (rng.Next(25) == 0) word += "'s";
    if (rng.Next(30) == 0) word = std::to_string(rng.Next(100000));
    s += word;
    switch (rng.Next(16)) {
      case 0: s += ". "; break;
      case 1: s += ", "; break;
      case 2: s += ".\n\n"; break;
      default: s += ' '; break;
    }
  }
  return s;
}

std::string Code() {
  static const char* const kLines[] = {
      "  for (size_t i = 0; i < pieces.size(); ++i) {\n",
      "    const auto& piece = pieces[i];  // the next piece\n",
      "    if (piece.empty()) return absl::InvalidArgumentError(\"empty\");\n",
      "#include \"context/tokenizer/pretokenizer.h\"\n",
      "\tresult.push_back({.offset = 0x1F, .length = 1024});\n",
      "  }\n",
      "\n",
      "def handle(self, request: dict[str, int]) -> None:\n",
      "    return self._cache.get(request[\"path\"], None)\n",
      "{\"name\": \"read_file\", \"arguments\": {\"path\": \"/src/main.cc\"}}\r\n",
  };
  Lcg rng;
  std::string s;
  while (s.size() < kSize) s += kLines[rng.Next(10)];
  return s;
}

std::string Cjk() {
  // Han ideographs (3 bytes each) with full-width punctuation and some ASCII.
  Lcg rng;
  std::string s;
  while (s.size() < kSize) {
    const uint32_t choice = rng.Next(20);
    uint32_t cp = 0x4E00 + rng.Next(0x5000);
    if (choice == 0) cp = 0x3002;  // 。
    if (choice == 1) cp = 0xFF0C;  // ，
    if (choice == 2) {
      s += " GPU ";
      continue;
    }
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

std::string LongPiece() {
  Lcg rng;
  std::string s;
  while (s.size() < kSize) s += static_cast<char>('a' + rng.Next(26));
  return s;
}

std::string Digits() { return std::string(kSize, '7'); }

std::string Spaces() {
  std::string s;
  while (s.size() < kSize) s += std::string(1500, ' ') + "x";
  return s;
}

void Run(benchmark::State& state, const std::string& text) {
  const auto pattern = static_cast<PretokenPattern>(state.range(0));
  size_t pieces = 0;
  for (auto _ : state) {
    size_t count = 0;
    ForEachPiece(pattern, text, [&](std::string_view piece) {
      ++count;
      benchmark::DoNotOptimize(piece.data());
    });
    pieces = count;
    benchmark::DoNotOptimize(count);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["pieces"] = static_cast<double>(pieces);
  state.counters["bytes/piece"] = static_cast<double>(text.size()) / pieces;
}

#define CTXMEM_PRETOKENIZER_BENCHMARK(Input)                        \
  void BM_##Input(benchmark::State& state) {                        \
    static const std::string* const text = new std::string(Input()); \
    Run(state, *text);                                               \
  }                                                                  \
  BENCHMARK(BM_##Input)                                              \
      ->Arg(static_cast<int>(PretokenPattern::kO200k))               \
      ->Arg(static_cast<int>(PretokenPattern::kCl100k))

CTXMEM_PRETOKENIZER_BENCHMARK(Prose);
CTXMEM_PRETOKENIZER_BENCHMARK(Code);
CTXMEM_PRETOKENIZER_BENCHMARK(Cjk);
CTXMEM_PRETOKENIZER_BENCHMARK(LongPiece);
CTXMEM_PRETOKENIZER_BENCHMARK(Digits);
CTXMEM_PRETOKENIZER_BENCHMARK(Spaces);

}  // namespace
}  // namespace ctxmem::context::tokenizer
