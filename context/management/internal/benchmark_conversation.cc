#include "context/management/internal/benchmark_conversation.h"

#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "context/json/js_value.h"
#include "context/json/stringify_json.h"

namespace ctxmem::context {
namespace {

using json::JsValue;

constexpr std::string_view kIdentifiers[] = {
    "context",  "history", "message",  "tokens",   "window", "estimate", "result",
    "options",  "buffer",  "index",    "count",    "marker", "summary",  "parent",
    "request",  "reply",   "status",   "encoder",  "cache",  "value",    "offset",
    "children", "storage", "fields",   "visible",  "threshold", "percent", "allowed"};
constexpr std::string_view kTypes[] = {"int",      "size_t",      "double", "bool",
                                       "std::string", "const Message&", "auto", "uint64_t"};
constexpr std::string_view kWords[] = {
    "the",   "function", "returns", "a",      "new",     "value",   "when",  "tests",
    "fail",  "because",  "of",      "this",   "change",  "I",       "will",  "update",
    "file",  "and",      "then",    "run",    "again",   "to",      "check", "that",
    "build", "passes",   "with",    "error",  "message", "in",      "line",  "café",
    "naïve", "résumé",   "→",       "✓",      "東京",     "données", "über",  "größe"};
constexpr std::string_view kTools[] = {"read_file", "apply_diff", "write_to_file",
                                       "execute_command", "search_files"};

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  size_t Pick(size_t n) { return static_cast<size_t>(rng_() % n); }

  template <size_t N>
  std::string_view Pick(const std::string_view (&items)[N]) {
    return items[Pick(N)];
  }

  std::string Prose(size_t bytes) {
    std::string out;
    while (out.size() < bytes) {
      if (!out.empty()) out += Pick(12) == 0 ? ". " : " ";
      out += Pick(kWords);
    }
    out += '.';
    return out;
  }

  std::string CodeLine(int indent) {
    std::string line(static_cast<size_t>(indent) * 2, ' ');
    switch (Pick(6)) {
      case 0:
        line += std::string(Pick(kTypes)) + " " + std::string(Pick(kIdentifiers)) + "_" +
                std::to_string(Pick(100)) + " = " + std::string(Pick(kIdentifiers)) + ".size();";
        break;
      case 1:
        line += "if (" + std::string(Pick(kIdentifiers)) + " > " + std::to_string(Pick(4096)) +
                ") return " + std::string(Pick(kIdentifiers)) + ";";
        break;
      case 2:
        line += "for (size_t i = 0; i < " + std::string(Pick(kIdentifiers)) + ".size(); ++i) {";
        break;
      case 3:
        line += "// " + Prose(30 + Pick(40));
        break;
      case 4:
        line += std::string(Pick(kIdentifiers)) + "->" + std::string(Pick(kIdentifiers)) + "(" +
                std::string(Pick(kIdentifiers)) + ", \"" + std::string(Pick(kWords)) + "\");";
        break;
      default:
        line += "}";
        break;
    }
    return line;
  }

  std::string Code(size_t bytes, bool numbered) {
    std::string out;
    int n = 1;
    while (out.size() < bytes) {
      if (numbered) out += std::to_string(n++) + " | ";
      out += CodeLine(static_cast<int>(Pick(4)));
      out += '\n';
    }
    return out;
  }

  std::string Diff(size_t bytes) {
    std::string out;
    while (out.size() < bytes) {
      out += "<<<<<<< SEARCH\n:start_line:" + std::to_string(1 + Pick(400)) + "\n-------\n";
      out += CodeLine(1) + "\n" + CodeLine(2) + "\n=======\n";
      out += CodeLine(1) + "\n" + CodeLine(2) + "\n" + CodeLine(2) + "\n>>>>>>> REPLACE\n";
    }
    return out;
  }

 private:
  std::mt19937 rng_;
};

JsValue Block(std::vector<std::pair<std::string_view, JsValue>> members) {
  return JsValue::Object(members);
}

JsValue Text(std::string_view text) {
  return Block({{"type", JsValue::String("text")}, {"text", JsValue::String(text)}});
}

std::string ToolUseId(size_t turn) { return "toolu_" + std::to_string(100000 + turn); }

}  // namespace

std::string BenchmarkConversationJson(const BenchmarkConversationOptions& options) {
  Generator gen(options.seed);
  const size_t size = options.bytes_per_message;
  std::string out = "[";
  double ts = 1'760'000'000'000;
  std::string last_tool;
  for (size_t i = 0; i < options.messages; ++i) {
    if (i > 0) out += ',';
    ts += 1000 + static_cast<double>(gen.Pick(20'000));
    const size_t turn = i / 2;
    JsValue content;
    if (i == 0) {
      content = JsValue::Array(
          {Text("<task>\n" + gen.Prose(size / 2) + "\n</task>"),
           Text("<environment_details>\n# Current Workspace Directory (/work/app) Files\n" +
                gen.Code(size / 2, false) + "</environment_details>")});
    } else if (i % 2 == 1) {
      // Assistant: some reasoning, then one tool call with a file or a diff.
      last_tool = std::string(gen.Pick(kTools));
      const std::string path = "src/" + std::string(gen.Pick(kIdentifiers)) + "/" +
                               std::string(gen.Pick(kIdentifiers)) + ".cc";
      std::vector<std::pair<std::string_view, JsValue>> input = {
          {"path", JsValue::String(path)}};
      if (last_tool == "write_to_file") {
        input.emplace_back("content", JsValue::String(gen.Code(size * 3 / 4, false)));
        input.emplace_back("line_count", JsValue::Number(static_cast<double>(gen.Pick(300))));
      } else if (last_tool == "apply_diff") {
        input.emplace_back("diff", JsValue::String(gen.Diff(size * 3 / 4)));
      } else if (last_tool == "execute_command") {
        input = {{"command", JsValue::String("bazel test //" + std::string(gen.Pick(kIdentifiers)) +
                                             "/...")}};
      } else if (last_tool == "search_files") {
        input.emplace_back("regex", JsValue::String(std::string(gen.Pick(kIdentifiers)) + "\\(.*\\)"));
      }
      content = JsValue::Array(
          {Text(gen.Prose(size / 4)),
           Block({{"type", JsValue::String("tool_use")},
                  {"id", JsValue::String(ToolUseId(turn))},
                  {"name", JsValue::String(last_tool)},
                  {"input", JsValue::Object(input)}})});
    } else {
      // User: the tool's output (code-like), then environment details.
      const bool file_like = last_tool == "read_file" || last_tool == "search_files";
      std::string output = file_like ? gen.Code(size * 3 / 4, true)
                                     : "Exit code: 0\nOutput:\n" + gen.Code(size * 3 / 4, false);
      content = JsValue::Array(
          {Block({{"type", JsValue::String("tool_result")},
                  {"tool_use_id", JsValue::String(ToolUseId(turn - 1))},
                  {"content", JsValue::String(output)}}),
           Text("<environment_details>\n# VSCode Open Tabs\n" + gen.Prose(size / 5) +
                "\n</environment_details>")});
    }
    json::AppendJson(JsValue::Object({{"role", JsValue::String(i % 2 == 0 ? "user" : "assistant")},
                                      {"content", content},
                                      {"ts", JsValue::Number(ts)}}),
                     &out);
  }
  out += ']';
  return out;
}

std::string BenchmarkSystemPrompt(size_t bytes) {
  Generator gen(1);
  std::string out = "You are Roo, a highly skilled software engineer.\n\n";
  while (out.size() < bytes) {
    out += "## " + std::string(gen.Pick(kIdentifiers)) + "\n\n" + gen.Prose(400) + "\n\n";
  }
  return out;
}

}  // namespace ctxmem::context
