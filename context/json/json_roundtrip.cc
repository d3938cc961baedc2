// json_roundtrip: StringifyJson(ParseJson(x)) for each record on stdin.
//
// The C++ half of tools/differential.mjs, which compares it with Node.js's
// JSON.stringify(JSON.parse(x)). Records in and out are "<length>\n<bytes>"
// (length in bytes, decimal), so texts may hold any byte, newlines included.
// A text that does not parse answers "!" and the one-line error.

#include <charconv>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>
#include <string_view>

#include "context/json/parse_json.h"
#include "context/json/stringify_json.h"

int main() {
  std::ios::sync_with_stdio(false);
  const std::string input((std::istreambuf_iterator<char>(std::cin)),
                          std::istreambuf_iterator<char>());
  std::string output;
  std::string answer;
  size_t pos = 0;
  while (pos < input.size()) {
    const size_t newline = input.find('\n', pos);
    size_t length = 0;
    const auto [ptr, ec] =
        std::from_chars(input.data() + pos, input.data() + newline, length);
    if (newline == std::string::npos || ec != std::errc() ||
        ptr != input.data() + newline || newline + 1 + length > input.size()) {
      std::fprintf(stderr, "json_roundtrip: bad record header at byte %zu\n",
                   pos);
      return 2;
    }
    const std::string_view text(input.data() + newline + 1, length);
    pos = newline + 1 + length;

    answer.clear();
    auto value = ctxmem::json::ParseJson(text);
    if (value.ok()) {
      ctxmem::json::AppendJson(*value, &answer);
    } else {
      answer = "!";
      answer.append(value.status().message().data(),
                    value.status().message().size());
    }
    output.append(std::to_string(answer.size()));
    output.push_back('\n');
    output.append(answer);
  }
  std::fwrite(output.data(), 1, output.size(), stdout);
  return 0;
}
