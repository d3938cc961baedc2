// A self-contained HTML page: inline SVG line charts over time (process
// memory and tracked heap; memory held per component, heap + mapped; hit
// rate of each component that reports one), legends and a table of the final
// figures (heap, mapped, used, hit rate). No scripts, fonts, stylesheets or images are
// fetched: the page renders the same with no network access.

#ifndef CTXMEM_PROFILER_HTML_REPORT_H_
#define CTXMEM_PROFILER_HTML_REPORT_H_

#include <string>
#include "absl/strings/string_view.h"

#include "profiler/profiler.h"

namespace ctxmem::profiler {

// Escapes &, <, >, " and ' for text and attribute values.
std::string HtmlEscape(absl::string_view text);

std::string HtmlReport(const Profile& profile);

}  // namespace ctxmem::profiler

#endif  // CTXMEM_PROFILER_HTML_REPORT_H_
