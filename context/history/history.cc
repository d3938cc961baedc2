#include "context/history/history.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ctxmem::context {

absl::StatusOr<History> ParseHistory(const json::JsValue& messages) {
  if (!messages.is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"messages\" must be an array, not ", std::string(json::JsTypeName(messages.type()))));
  }
  History history;
  history.reserve(messages.size());
  for (size_t i = 0; i < messages.size(); ++i) {
    absl::StatusOr<Message> message = Message::FromJson(messages[i]);
    if (!message.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("messages[", i, "]: ", std::string(message.status().message())));
    }
    history.push_back(*std::move(message));
  }
  return history;
}

void AppendHistoryJson(const History& messages, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < messages.size(); ++i) {
    if (i > 0) out->push_back(',');
    messages[i].AppendJson(out);
  }
  out->push_back(']');
}

std::string HistoryToJson(const History& messages) {
  std::string out;
  AppendHistoryJson(messages, &out);
  return out;
}

}  // namespace ctxmem::context
