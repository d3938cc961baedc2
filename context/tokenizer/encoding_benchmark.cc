// Throughput of exact token counting, in MB/s and tokens/s.
//
//   bazel run --config=opt //context/tokenizer:encoding_benchmark
//   CTXMEM_TOKENIZER_CORPUS=/path/corpus.jsonl bazel run --config=opt ...
//
// With CTXMEM_TOKENIZER_CORPUS (JSONL of {"id","text"}, as tools/node/corpus.mjs
// writes it, the same file the npm peers are timed on by
// scripts/bench_tokenizer.sh), documents whose id starts with "adv-"
// form the adversarial set and the rest the realistic set. Without it, a
// built-in synthetic corpus is used. Also reports the resident memory an
// encoding adds and the time to open it.

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "context/json/parse_json.h"
#include "context/json/wtf8.h"
#include "context/tokenizer/encoding.h"
#include "profiler/process_memory.h"

namespace ctxmem::context::tokenizer {
namespace {

struct Corpus {
  std::vector<std::string> realistic;
  std::vector<std::string> adversarial;
  std::vector<std::string> adversarial_ids;
  size_t realistic_bytes = 0;
  size_t adversarial_bytes = 0;
};

Corpus SyntheticCorpus() {
  Corpus corpus;
  std::mt19937 rng(42);
  const char* words[] = {"the", "context", "window", "of", "a", "model", "is", "measured", "in",
                         "tokens", "function", "return", "const", "std::vector<int>", "{", "}",
                         "(x)", "=", "42", "3.14", "\n", "\n\n", "  ", "naïve", "東京", "Привет",
                         "don't", "I'm", "JSON", "\"key\":", "// comment", "if", "else", "😀"};
  for (int d = 0; d < 400; ++d) {
    std::string doc;
    while (doc.size() < 4096) {
      doc += words[rng() % std::size(words)];
      doc += ' ';
    }
    corpus.realistic_bytes += doc.size();
    corpus.realistic.push_back(std::move(doc));
  }
  std::string letters;
  for (int i = 0; i < 100'000; ++i) letters += static_cast<char>('a' + rng() % 26);
  for (std::string doc : {letters, std::string(5000, '7'), std::string(1500, ' '),
                          std::string(100'000, 'x')}) {
    corpus.adversarial_bytes += doc.size();
    corpus.adversarial.push_back(std::move(doc));
    corpus.adversarial_ids.push_back("adv-synthetic-" + std::to_string(corpus.adversarial_ids.size()));
  }
  return corpus;
}

Corpus LoadCorpus() {
  const char* path = std::getenv("CTXMEM_TOKENIZER_CORPUS");
  if (path == nullptr || *path == '\0') return SyntheticCorpus();
  Corpus corpus;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot open corpus %s\n", path);
    std::exit(2);
  }
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    absl::StatusOr<json::JsValue> doc = json::ParseJson(line);
    if (!doc.ok()) {
      std::fprintf(stderr, "corpus: %s\n", std::string(doc.status().message()).c_str());
      std::exit(2);
    }
    std::string text = json::ToWellFormedUtf8(doc->Find("text").string_value());
    if (doc->Find("id").string_value().substr(0, 4) == "adv-") {
      corpus.adversarial_bytes += text.size();
      corpus.adversarial.push_back(std::move(text));
      corpus.adversarial_ids.emplace_back(doc->Find("id").string_value());
    } else {
      corpus.realistic_bytes += text.size();
      corpus.realistic.push_back(std::move(text));
    }
  }
  return corpus;
}

const Corpus& TheCorpus() {
  static const Corpus* corpus = new Corpus(LoadCorpus());
  return *corpus;
}

void CountSet(benchmark::State& state, EncodingName name, bool adversarial) {
  const Encoding& encoding = Encoding::Get(name);
  const Corpus& corpus = TheCorpus();
  const std::vector<std::string>& docs = adversarial ? corpus.adversarial : corpus.realistic;
  const size_t bytes = adversarial ? corpus.adversarial_bytes : corpus.realistic_bytes;
  size_t tokens = 0;
  for (auto _ : state) {
    tokens = 0;
    for (const std::string& doc : docs) tokens += encoding.CountValidUtf8(doc);
    benchmark::DoNotOptimize(tokens);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["tokens/s"] = benchmark::Counter(
      static_cast<double>(tokens) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
  state.counters["MB/s"] = benchmark::Counter(
      static_cast<double>(bytes) * static_cast<double>(state.iterations()) / 1e6,
      benchmark::Counter::kIsRate);
}

void BM_CountRealistic_O200k(benchmark::State& state) {
  CountSet(state, EncodingName::kO200kBase, false);
}
void BM_CountAdversarial_O200k(benchmark::State& state) {
  CountSet(state, EncodingName::kO200kBase, true);
}
void BM_CountRealistic_Cl100k(benchmark::State& state) {
  CountSet(state, EncodingName::kCl100kBase, false);
}
void BM_CountAdversarial_Cl100k(benchmark::State& state) {
  CountSet(state, EncodingName::kCl100kBase, true);
}
// Per-thread figures; the aggregate is threads x the per-thread rate.
BENCHMARK(BM_CountRealistic_O200k)->Unit(benchmark::kMillisecond)->UseRealTime()->Threads(1)->Threads(2);
BENCHMARK(BM_CountAdversarial_O200k)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CountRealistic_Cl100k)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CountAdversarial_Cl100k)->Unit(benchmark::kMillisecond)->UseRealTime();

// The adversarial shapes, one at a time (o200k): 100 KB of random
// letters with no space, 5,000 digits, 1,500 spaces, 100 KB of one letter,
// 100 KB of random punctuation.
std::string LongPiece(int kind) {
  std::mt19937 rng(5);
  std::string text;
  switch (kind) {
    case 0:
      for (int i = 0; i < 100'000; ++i) text += static_cast<char>('a' + rng() % 26);
      return text;
    case 1:
      for (int i = 0; i < 5'000; ++i) text += static_cast<char>('0' + rng() % 10);
      return text;
    case 2:
      return std::string(1'500, ' ');
    case 3:
      return std::string(100'000, 'x');
    default:
      for (int i = 0; i < 100'000; ++i) text += "!#$%&*+-./:;<=>?@^_|~"[rng() % 21];
      return text;
  }
}

void BM_CountLongPiece_O200k(benchmark::State& state) {
  const Encoding& encoding = Encoding::Get(EncodingName::kO200kBase);
  const std::string text = LongPiece(static_cast<int>(state.range(0)));
  size_t tokens = 0;
  for (auto _ : state) {
    tokens = encoding.CountValidUtf8(text);
    benchmark::DoNotOptimize(tokens);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.SetLabel(std::to_string(tokens) + " tokens");
}
BENCHMARK(BM_CountLongPiece_O200k)->DenseRange(0, 4)->Unit(benchmark::kMicrosecond);

void BM_Encode_O200k(benchmark::State& state) {
  const Encoding& encoding = Encoding::Get(EncodingName::kO200kBase);
  const Corpus& corpus = TheCorpus();
  std::vector<uint32_t> ids;
  for (auto _ : state) {
    for (const std::string& doc : corpus.realistic) {
      ids.clear();
      encoding.EncodeValidUtf8(doc, ids);
      benchmark::DoNotOptimize(ids.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.realistic_bytes));
}
BENCHMARK(BM_Encode_O200k)->Unit(benchmark::kMillisecond);

// The bytes of [offset, offset + size) of `encoding`'s image that are
// mapped into this process, from the present bits of /proc/self/pagemap: the
// part of the resident-set growth that is the encoding itself, as opposed to
// the calling thread's caches and scratch. (mincore would answer for the page
// cache, not for this process.)
double ImageResidentMiB(const Encoding& encoding, uint64_t offset, uint64_t size) {
  const auto& header = encoding.encoder().image().header();
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const uintptr_t start = reinterpret_cast<uintptr_t>(&header) + offset;
  const uintptr_t begin = start / page;
  const uintptr_t end = (start + size + page - 1) / page;
  std::vector<uint64_t> entries(end - begin);
  const int fd = open("/proc/self/pagemap", O_RDONLY);
  if (fd < 0) return -1;
  const ssize_t want = static_cast<ssize_t>(entries.size() * sizeof(uint64_t));
  const ssize_t got = pread(fd, entries.data(), static_cast<size_t>(want),
                            static_cast<off_t>(begin * sizeof(uint64_t)));
  close(fd);
  if (got != want) return -1;
  size_t pages = 0;
  for (uint64_t entry : entries) pages += entry >> 63;
  return static_cast<double>(pages * page) / 1048576.0;
}

}  // namespace
}  // namespace ctxmem::context::tokenizer

// Load time and resident memory of each encoding, measured before any
// benchmark has touched it: open (header check), then a cold pass over the
// realistic corpus, reading /proc/self/status around each step.
int main(int argc, char** argv) {
  using ctxmem::context::tokenizer::Encoding;
  using ctxmem::context::tokenizer::EncodingName;
  const auto& corpus = ctxmem::context::tokenizer::TheCorpus();
  if (std::getenv("CTXMEM_TOKENIZER_COUNT_ONCE") != nullptr) {
    // One pass over the realistic set with o200k and nothing else: for
    // instruction counts under callgrind, which do not depend on the load.
    size_t tokens = 0;
    const Encoding& encoding = Encoding::Get(EncodingName::kO200kBase);
    for (const std::string& doc : corpus.realistic) tokens += encoding.CountValidUtf8(doc);
    std::printf("%zu tokens, %zu bytes\n", tokens, corpus.realistic_bytes);
    return 0;
  }
  if (const char* id = std::getenv("CTXMEM_TOKENIZER_DOCUMENT_ONCE"); id != nullptr) {
    // One pass over the adversarial document with that id, likewise for
    // callgrind: the long-piece path's instruction count on its own.
    const Encoding& encoding = Encoding::Get(EncodingName::kO200kBase);
    for (size_t i = 0; i < corpus.adversarial.size(); ++i) {
      if (corpus.adversarial_ids[i] != id) continue;
      std::printf("%zu tokens, %zu bytes\n", encoding.CountValidUtf8(corpus.adversarial[i]),
                  corpus.adversarial[i].size());
      return 0;
    }
    std::fprintf(stderr, "no adversarial document %s\n", id);
    return 2;
  }
  for (EncodingName name : {EncodingName::kO200kBase, EncodingName::kCl100kBase}) {
    const auto before = ctxmem::profiler::ReadProcessMemory();
    const auto start = std::chrono::steady_clock::now();
    const Encoding& encoding = Encoding::Get(name);
    const auto opened = std::chrono::steady_clock::now();
    size_t tokens = 0;
    for (const std::string& doc : corpus.realistic) tokens += encoding.CountValidUtf8(doc);
    const auto after_realistic = ctxmem::profiler::ReadProcessMemory();
    for (const std::string& doc : corpus.adversarial) tokens += encoding.CountValidUtf8(doc);
    const auto after_all = ctxmem::profiler::ReadProcessMemory();
    if (before.ok() && after_realistic.ok() && after_all.ok()) {
      const auto& header = encoding.encoder().image().header();
      std::printf(
          "%s: open %.1f us; resident added after the realistic corpus %.2f MiB, after the "
          "adversarial one too %.2f MiB (%zu tokens); of that, image pages %.2f MiB, of "
          "which in Decode's sections %.2f MiB (image %.2f MiB, counting sections %.2f MiB)\n",
          std::string(encoding.name()).c_str(),
          std::chrono::duration<double, std::micro>(opened - start).count(),
          (static_cast<double>(after_realistic->resident_bytes) - before->resident_bytes) / 1048576.0,
          (static_cast<double>(after_all->resident_bytes) - before->resident_bytes) / 1048576.0,
          tokens, ctxmem::context::tokenizer::ImageResidentMiB(encoding, 0, header.total_size),
          ctxmem::context::tokenizer::ImageResidentMiB(encoding, header.offsets_offset,
                                                       header.total_size - header.offsets_offset),
          static_cast<double>(header.total_size) / 1048576.0,
          static_cast<double>(header.offsets_offset) / 1048576.0);
    }
  }
  // Each adversarial document on its own, named by its id, so a runner can
  // put it beside the npm peers' figure for the same document.
  for (size_t i = 0; i < corpus.adversarial.size(); ++i) {
    benchmark::RegisterBenchmark(
        ("BM_AdversarialDocument_O200k/" + corpus.adversarial_ids[i]).c_str(),
        [i](benchmark::State& state) {
          const Encoding& encoding = Encoding::Get(EncodingName::kO200kBase);
          const std::string& text = ctxmem::context::tokenizer::TheCorpus().adversarial[i];
          size_t tokens = 0;
          for (auto _ : state) {
            tokens = encoding.CountValidUtf8(text);
            benchmark::DoNotOptimize(tokens);
          }
          state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
          state.counters["tokens"] = static_cast<double>(tokens);
        })
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
