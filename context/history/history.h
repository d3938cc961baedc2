// History: the stored API conversation, and its JSON form.
//
// The reference keeps the whole conversation in one array that context
// management tags but (since v3.36) never shortens; ctxmem keeps it as a
// vector of Messages (message.h) in the same order. Conversion reads the
// JSON message array of conformance.md §3 and writes it back with every
// field, known or not, in its original place.
//
//   absl::StatusOr<History> h = ParseHistory(doc.Find("messages"));
//   std::string out; AppendHistoryJson(*h, &out);

#ifndef CTXMEM_CONTEXT_HISTORY_HISTORY_H_
#define CTXMEM_CONTEXT_HISTORY_HISTORY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "context/history/message.h"
#include "context/json/js_value.h"

namespace ctxmem::context {

using History = std::vector<Message>;

// `messages` must be an array of objects; errors name the bad index.
absl::StatusOr<History> ParseHistory(const json::JsValue& messages);

// Appends the JSON array of `messages` (JSON.stringify's bytes).
void AppendHistoryJson(const History& messages, std::string* out);
std::string HistoryToJson(const History& messages);

}  // namespace ctxmem::context

#endif  // CTXMEM_CONTEXT_HISTORY_HISTORY_H_
