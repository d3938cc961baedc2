// The legacy policy: the reference as of v3.25.0 (July 2025), for users
// porting from those versions (context-reference.md §1.3 "Pre-v3.36.3",
// §2.4, with the corrections of §0.1; conformance.md §3).
//
// Truncation deletes: [m0, ...messages.slice(N + 1)], no marker, no id.
// Condensing keeps the last 3 messages, inserts an assistant summary (string
// content, ts of the first kept message) before them, deletes nothing, and
// fails with condense_context_grew when the new context would not be smaller.
// What is sent is getMessagesSinceLastSummary of that era: from the last
// summary on, behind a synthetic user message.
//
// Token counts use the current estimate (conformance.md §3); a summarising
// call that throws counts as an empty summary (v3.25.0 had no try/catch, so
// the reference itself would have thrown out of manageContext).

#ifndef CTXMEM_CONTEXT_MANAGEMENT_LEGACY_POLICY_H_
#define CTXMEM_CONTEXT_MANAGEMENT_LEGACY_POLICY_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "context/history/history.h"
#include "context/management/condense.h"
#include "context/management/manage_types.h"

namespace ctxmem::context {

inline constexpr size_t kLegacyMessagesToKeep = 3;
// The synthetic user message that opens a history after a summary (v3.25.0).
inline constexpr char kLegacyContinueText[] = "Please continue from the following summary:";

// Deletes floor((len - 1) * frac) rounded down to even messages after the
// first; returns how many.
uint64_t LegacyTruncateConversation(History& messages, double frac_to_remove);

// getMessagesSinceLastSummary @v3.25.0.
History LegacyGetMessagesSinceLastSummary(const History& messages, double now_ms);

// summarizeConversation @v3.25.0 (legacy A).
SummarizeOutcome LegacySummarizeConversation(History& messages, const SummarizeOptions& options,
                                             double prev_context_tokens);

// truncateConversationIfNeeded @v3.25.0. Fails on an empty history.
absl::StatusOr<ManageResult> LegacyManageContext(History& messages, const ManageOptions& options);

}  // namespace ctxmem::context

#endif  // CTXMEM_CONTEXT_MANAGEMENT_LEGACY_POLICY_H_
