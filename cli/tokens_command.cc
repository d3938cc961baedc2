#include "cli/tokens_command.h"

#include <fstream>
#include <sstream>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "context/json/parse_json.h"
#include "context/json/wtf8.h"
#include "context/tokenizer/encoding.h"

namespace ctxmem::cli {

uint64_t HashTokenIds(const std::vector<uint32_t>& ids) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (uint32_t id : ids) {
    for (int shift = 0; shift < 32; shift += 8) {
      hash ^= (id >> shift) & 0xff;
      hash *= 0x100000001b3ULL;
    }
  }
  return hash;
}

absl::Status RunTokensCommand(const std::string& encoding_name, const std::string& jsonl_path,
                              std::FILE* out) {
  absl::StatusOr<context::tokenizer::EncodingName> name =
      context::tokenizer::Encoding::ParseName(encoding_name);
  if (!name.ok()) return name.status();
  const context::tokenizer::Encoding& encoding = context::tokenizer::Encoding::Get(*name);

  std::ifstream in(jsonl_path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", jsonl_path));
  std::string line;
  std::string text;
  std::vector<uint32_t> ids;
  std::string output;
  for (int line_number = 1; std::getline(in, line); ++line_number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank line
    auto where = [&](absl::string_view what) {
      return absl::InvalidArgumentError(absl::StrCat(jsonl_path, ": line ", line_number, ": ", what));
    };
    absl::StatusOr<json::JsValue> object = json::ParseJson(line);
    if (!object.ok()) return where(object.status().message());
    const json::JsValue id = object->Find("id");
    const json::JsValue text_value = object->Find("text");
    if (!object->is_object() || !id.is_string() || !text_value.is_string()) {
      return where(R"(expected {"id": "<string>", "text": "<string>"})");
    }
    text = json::ToWellFormedUtf8(text_value.string_value());
    ids.clear();
    if (absl::Status status = encoding.Encode(text, ids); !status.ok()) {
      return where(status.message());
    }
    output.clear();
    absl::StrAppendFormat(&output, "%s %d %016x\n", json::ToWellFormedUtf8(id.string_value()),
                          ids.size(), HashTokenIds(ids));
    if (std::fwrite(output.data(), 1, output.size(), out) != output.size()) {
      return absl::UnavailableError("cannot write the output");
    }
  }
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading ", jsonl_path));
  return absl::OkStatus();
}

}  // namespace ctxmem::cli
