#include "cli/limits_command.h"

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "context/json/js_number.h"
#include "context/json/js_value.h"
#include "context/json/parse_json.h"
#include "context/models/model_info.h"
#include "context/models/model_registry.h"
#include "context/models/output_limits.h"

namespace ctxmem::cli {
namespace {

struct LimitsSettings {
  models::ProviderSettings provider;
  std::optional<models::ApiFormat> format;
};

absl::Status WrongType(std::string_view member, std::string_view expected,
                       const json::JsValue& got) {
  return absl::InvalidArgumentError("--settings: " + std::string(member) + " must be " +
                                    std::string(expected) + ", not " +
                                    std::string(json::JsTypeName(got.type())));
}

absl::StatusOr<LimitsSettings> ParseSettings(std::string_view text) {
  LimitsSettings settings;
  if (text.empty()) return settings;
  absl::StatusOr<json::JsValue> doc = json::ParseJson(text);
  if (!doc.ok()) {
    return absl::InvalidArgumentError("--settings: " + std::string(doc.status().message()));
  }
  if (!doc->is_object()) return WrongType("the settings", "a JSON object", *doc);
  // null is read as absent, like a member that is not there.
  auto present = [&](std::string_view name) {
    const json::JsValue v = doc->Find(name);
    return v.is_undefined() || v.is_null() ? std::optional<json::JsValue>() : v;
  };
  if (auto v = present("enableReasoningEffort")) {
    if (!v->is_bool()) return WrongType("enableReasoningEffort", "a boolean", *v);
    settings.provider.enable_reasoning_effort = v->bool_value();
  }
  if (auto v = present("modelMaxTokens")) {
    if (!v->is_number()) return WrongType("modelMaxTokens", "a number", *v);
    settings.provider.model_max_tokens = v->number_value();
  }
  if (auto v = present("format")) {
    settings.format = models::ParseApiFormat(v->string_value());
    if (!v->is_string() || !settings.format.has_value()) {
      return absl::InvalidArgumentError(
          "--settings: format must be \"anthropic\", \"openai\", \"gemini\" or \"openrouter\"");
    }
  }
  // The reference's getModelMaxOutputTokens never reads apiProvider (the
  // claude-code rule is Kilo's only); it is checked for shape and ignored.
  if (auto v = present("apiProvider"); v.has_value() && !v->is_string()) {
    return WrongType("apiProvider", "a string", *v);
  }
  return settings;
}

}  // namespace

absl::StatusOr<std::string> LimitsJson(std::string_view model_id, std::string_view settings_json) {
  absl::StatusOr<const models::ModelInfo*> found = models::FindModel(model_id);
  if (!found.ok()) return found.status();
  absl::StatusOr<LimitsSettings> settings = ParseSettings(settings_json);
  if (!settings.ok()) return settings.status();
  const models::ModelInfo& model = **found;

  const double reserved = models::ReservedTokens(
      models::GetModelMaxOutputTokens(model.id, model, settings->provider, settings->format));
  const double context_window = static_cast<double>(model.context_window);
  const double allowed = models::AllowedTokens(context_window, reserved);

  // Registry ids are printable ASCII without '"' or '\\' (models_table_gen
  // checks), so they need no JSON escaping.
  std::string out = "{\"model\":\"" + std::string(model.id) + "\",\"contextWindow\":";
  json::AppendJsNumber(context_window, &out);
  out += ",\"maxTokens\":";
  if (model.max_tokens.has_value()) {
    json::AppendJsNumber(static_cast<double>(*model.max_tokens), &out);
  } else {
    out += "null";
  }
  out += ",\"reservedTokens\":";
  json::AppendJsNumber(reserved, &out);
  out += ",\"allowedTokens\":";
  json::AppendJsNumber(allowed, &out);
  out += "}";
  return out;
}

absl::Status RunLimitsCommand(std::string_view model_id, std::string_view settings_json,
                              std::FILE* out) {
  absl::StatusOr<std::string> line = LimitsJson(model_id, settings_json);
  if (!line.ok()) return line.status();
  std::fprintf(out, "%s\n", line->c_str());
  return absl::OkStatus();
}

}  // namespace ctxmem::cli
