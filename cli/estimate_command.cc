#include "cli/estimate_command.h"

#include <fstream>
#include <sstream>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "context/estimate/content_estimate.h"
#include "context/json/parse_json.h"

namespace ctxmem::cli {

absl::Status RunEstimateCommand(const std::string& json_path, std::FILE* out) {
  std::ifstream in(json_path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", json_path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("error reading ", json_path));
  absl::StatusOr<json::JsValue> doc = json::ParseJson(buffer.str());
  if (!doc.ok()) return absl::InvalidArgumentError(absl::StrCat(json_path, ": ", doc.status().message()));
  const json::JsValue content = doc->Find("content");
  if (!doc->is_object() || !content.is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat(json_path, R"(: expected {"content": [ <block>, ... ]})"));
  }
  std::fprintf(out, "%llu\n",
               static_cast<unsigned long long>(context::EstimateContentTokens(content)));
  return absl::OkStatus();
}

}  // namespace ctxmem::cli
