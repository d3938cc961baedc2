// Deterministic inputs for the interner's test and benchmark.
//
//  * Words(): ~1,237 distinct words of ~10 bytes (the size of lasso's
//    published benchmark input), for the hot-set workload H.
//  * DistinctStrings(n): n distinct strings of 20..38 bytes (~29 on average,
//    the length measured for identifiers and paths in agent histories).
//  * ZipfIndices(n, ops): `ops` draws of Zipf(1.0) ranks over n items.
//  * MessageHistory(): the strings of a synthetic agent conversation, one
//    entry per occurrence: roles, model ids, tool names, JSON keys, file
//    paths and lines of code that the agent reads again and again.
// Everything comes from fixed-seed generators, so every run sees the same data.

#ifndef CTXMEM_INTERN_INTERNAL_WORKLOADS_H_
#define CTXMEM_INTERN_INTERNAL_WORKLOADS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace ctxmem::intern::workloads {

inline std::vector<std::string> Words(size_t count = 1237) {
  static constexpr const char* kSyllables[] = {
      "ka", "ro", "mi", "tse", "lun", "dor", "ae", "vin", "qu", "sha", "pel", "ost",
      "ri",  "na", "gl", "bet", "um", "hy", "fra", "zo", "ci", "wex", "ja", "tor"};
  std::mt19937_64 rng(0x1237);
  std::uniform_int_distribution<int> syllable(0, std::size(kSyllables) - 1);
  std::uniform_int_distribution<int> syllables(2, 6);
  std::vector<std::string> words;
  while (words.size() < count) {
    std::string w;
    for (int i = syllables(rng); i > 0; --i) w += kSyllables[syllable(rng)];
    if (std::find(words.begin(), words.end(), w) == words.end()) words.push_back(std::move(w));
  }
  return words;
}

inline std::vector<std::string> DistinctStrings(size_t count, uint64_t seed = 29) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789_/.";
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> length(20, 38);
  std::uniform_int_distribution<int> letter(0, sizeof(kAlphabet) - 2);
  std::vector<std::string> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    // A base-36 index and a '-' (not in the alphabet) make every string distinct.
    std::string s;
    for (size_t v = i;; v /= 36) {
      s += "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
      if (v < 36) break;
    }
    s += '-';
    for (size_t n = length(rng); s.size() < n;) s += kAlphabet[letter(rng)];
    out.push_back(std::move(s));
  }
  return out;
}

inline std::vector<uint32_t> ZipfIndices(size_t n, size_t ops, uint64_t seed = 1) {
  std::vector<double> cdf(n);
  double sum = 0;
  for (size_t k = 0; k < n; ++k) cdf[k] = (sum += 1.0 / double(k + 1));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, sum);
  std::vector<uint32_t> out(ops);
  for (uint32_t& i : out) {
    i = static_cast<uint32_t>(std::lower_bound(cdf.begin(), cdf.end(), u(rng)) - cdf.begin());
    if (i >= n) i = n - 1;
  }
  return out;
}

// One agent session: `turns` user/assistant exchanges with tool calls.
inline std::vector<std::string> MessageHistory(size_t turns = 2000) {
  static constexpr const char* kRoles[] = {"user", "assistant", "tool"};
  static constexpr const char* kModels[] = {"claude-3-5-sonnet-20241022", "gpt-4o-2024-08-06",
                                            "claude-3-5-haiku-20241022", "o1-mini-2024-09-12"};
  static constexpr const char* kTools[] = {
      "read_file", "write_file", "edit_file", "list_directory", "grep_search", "run_terminal_cmd",
      "codebase_search", "file_search", "delete_file", "web_search", "create_diagram", "reapply"};
  static constexpr const char* kKeys[] = {
      "\"role\"", "\"content\"", "\"type\"", "\"text\"", "\"tool_use_id\"", "\"name\"",
      "\"input\"", "\"id\"", "\"path\"", "\"start_line\"", "\"end_line\"", "\"command\"",
      "\"is_error\"", "\"stop_reason\"", "\"usage\"", "\"input_tokens\"", "\"output_tokens\"",
      "\"model\"", "\"cache_read_input_tokens\"", "\"explanation\""};
  static constexpr const char* kDirs[] = {"src", "src/core", "src/ui", "lib", "test", "tools",
                                          "include/ctx", "src/net", "docs", "scripts"};
  static constexpr const char* kExts[] = {".cc", ".h", ".ts", ".py", ".rs", ".md", ".json"};
  std::mt19937_64 rng(0x4157);
  auto pick = [&rng](size_t n) { return static_cast<size_t>(rng() % n); };

  std::vector<std::string> paths;
  for (int i = 0; i < 400; ++i) {
    paths.push_back(std::string(kDirs[pick(std::size(kDirs))]) + "/module_" + std::to_string(i) +
                    "/handler" + kExts[pick(std::size(kExts))]);
  }
  static constexpr const char* kCode[] = {
      "  for (size_t i = 0; i < items_%.size(); ++i) {", "  return absl::OkStatus();",
      "  if (!status.ok()) return status;", "}", "", "  const auto& entry = table_[%];",
      "#include \"src/core/module_%.h\"", "  std::string_view name = entry.name();",
      "    total += weights[%] * values[i];", "  // Keep the cache warm for request %.",
      "  LOG(INFO) << \"handled \" << count_%;", "namespace ctx {", "}  // namespace ctx"};
  std::vector<std::string> lines;
  for (int i = 0; i < 3000; ++i) {
    std::string line = kCode[pick(std::size(kCode))];
    if (size_t at = line.find('%'); at != std::string::npos) line.replace(at, 1, std::to_string(i % 700));
    lines.push_back(std::move(line));
  }
  // Agents re-read the same files: lines are drawn from a skewed distribution.
  std::vector<uint32_t> line_draws = ZipfIndices(lines.size(), turns * 40, 7);
  size_t next_line = 0;

  std::vector<std::string> out;
  for (size_t t = 0; t < turns; ++t) {
    out.push_back(kRoles[0]);
    out.push_back(kKeys[1]);
    out.push_back(kRoles[1]);
    out.push_back(kModels[t / 500 % std::size(kModels)]);
    out.push_back(kKeys[17]);
    for (size_t call = pick(3); call > 0; --call) {
      out.push_back(kTools[pick(std::size(kTools))]);
      for (int k = 0; k < 5; ++k) out.push_back(kKeys[pick(std::size(kKeys))]);
      out.push_back(paths[pick(paths.size())]);
      out.push_back(kRoles[2]);
      for (size_t l = pick(40); l > 0 && next_line < line_draws.size(); --l) {
        out.push_back(lines[line_draws[next_line++]]);
      }
    }
  }
  return out;
}

}  // namespace ctxmem::intern::workloads

#endif  // CTXMEM_INTERN_INTERNAL_WORKLOADS_H_
