// The reference's current context management (context-reference.md §1.3-§1.5,
// §2.2; ROO-HEAD with the corrections of §0.1): nothing is ever deleted.
// Truncation tags the oldest half of the visible messages with a
// truncationParent and inserts a marker; condensing appends a summary and
// tags what it replaces; GetEffectiveApiHistory filters what the model sees.
//
//   SequentialIds ids;
//   ManageOptions options{.total_tokens = 70001, .context_window = 100000,
//                         .max_tokens = 30000, .auto_condense_context = false,
//                         .ids = &ids};
//   absl::StatusOr<ManageResult> r = ManageContext(history, options);
//   History sent = GetEffectiveApiHistory(history);
//
// The functions edit the history in place where the reference returns a new
// array; the results are the same messages in the same order.

#ifndef CTXMEM_CONTEXT_MANAGEMENT_CURRENT_POLICY_H_
#define CTXMEM_CONTEXT_MANAGEMENT_CURRENT_POLICY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "context/history/history.h"
#include "context/management/manage_types.h"

namespace ctxmem::context {

struct TruncationResult {
  std::string truncation_id;  // made even when nothing is hidden
  uint64_t messages_removed = 0;
};

// Hides floor((visible - 1) * frac_to_remove) rounded down to even visible
// messages after the first, and inserts the marker before the first kept one.
TruncationResult TruncateConversation(History& messages, double frac_to_remove, IdSource& ids,
                                      double now_ms);

// The marker's text for `count` hidden messages.
std::string TruncationMarkerText(uint64_t count);

// willManageContext: whether manageContext would condense or truncate.
bool WillManageContext(const ManageOptions& options, double last_message_tokens);

// manageContext. Fails (InvalidArgument) on an empty history, where the
// reference throws.
absl::StatusOr<ManageResult> ManageContext(History& messages, const ManageOptions& options);

// What is sent to the model (getEffectiveApiHistory).
History GetEffectiveApiHistory(const History& messages);

// Index of the last summary (isSummary truthy), or 0 when there is none:
// getMessagesSinceLastSummary(messages) is the slice from there.
size_t MessagesSinceLastSummaryStart(const History& messages);
History GetMessagesSinceLastSummary(const History& messages);

// Clears condenseParent / truncationParent tags whose summary or marker is
// gone (after a rewind or delete).
void CleanupAfterTruncation(History& messages);

// Rewinds to before `index` (keeps messages [0, index)) and cleans up.
void RewindHistory(History& messages, size_t index);

// Task.ts's recovery after a provider's "context window exceeded":
// manageContext forced to condense at 75% (a profile threshold still
// overrides it), with no custom prompt.
absl::StatusOr<ManageResult> HandleContextWindowExceeded(History& messages,
                                                         const ManageOptions& options,
                                                         double context_tokens);

}  // namespace ctxmem::context

#endif  // CTXMEM_CONTEXT_MANAGEMENT_CURRENT_POLICY_H_
