#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "profiler/html_report.h"
#include "profiler/json_report.h"
#include "profiler/leak_report.h"
#include "profiler/prometheus_report.h"
#include "profiler/report_files.h"

namespace ctxmem::profiler {
namespace {

// Two components over three snapshots, the second with a hostile name and a
// hit rate. The first also holds mapped memory (as a file cache or an
// interner's index does), which the tracked heap never sees.
Profile MakeProfile() {
  Profile profile;
  profile.interval = std::chrono::milliseconds(10);
  profile.components = {"arena", "pool \"<b>\"\n\\x"};
  for (int i = 0; i < 3; ++i) {
    Snapshot s;
    s.time_ns = i * 10'000'000;
    s.tracked_live_bytes = 100000 + i * 1000;
    s.tracked_peak_bytes = 200000;
    s.tracked_allocations = 50 + i;
    s.process_ok = true;
    s.process.resident_bytes = 8 << 20;
    s.process.anonymous_bytes = 4 << 20;
    s.num_components = 2;
    s.components[0] = {.bytes_reserved = 65536u + i, .bytes_mapped = 1u << 20, .bytes_used = 1000};
    s.components[1] = {.bytes_reserved = 4096, .bytes_used = 2048, .hit_rate = 0.75};
    profile.snapshots.push_back(s);
  }
  profile.samples = 5;
  return profile;
}

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

TEST(JsonReportTest, EscapesStrings) {
  std::string out;
  AppendJsonString(&out, std::string("a\"b\\c\nd\te\x01 \xc3\xa9", 14));
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\te\\u0001 \xc3\xa9\\u0000\"");
}

TEST(JsonReportTest, Structure) {
  const std::string json = JsonReport(MakeProfile());
  EXPECT_TRUE(absl::StartsWith(json, "{\"interval_ms\": 10, \"samples\": 5, \"dropped\": 2,"))
      << json;
  EXPECT_TRUE(absl::StrContains(json, "\"components\": [\"arena\", \"pool \\\"<b>\\\"\\n\\\\x\"]"))
      << json;
  EXPECT_EQ(Count(json, "{\"time_ms\": "), 3);
  EXPECT_TRUE(absl::StrContains(json, "\"tracked\": {\"live_bytes\": 102000, \"peak_bytes\": 200000"));
  EXPECT_TRUE(absl::StrContains(json, "\"resident_bytes\": 8388608"));
  EXPECT_TRUE(absl::StrContains(
      json, "\"reserved_bytes\": 65538, \"mapped_bytes\": 1048576, \"used_bytes\": 1000, \"hit_rate\": null"));
  EXPECT_TRUE(absl::StrContains(json, "\"hit_rate\": 0.75"));
  // Balanced brackets outside strings, and no raw control characters.
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      ASSERT_GE(static_cast<unsigned char>(c), 0x20) << "raw control character at " << i;
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') --depth;
    ASSERT_GE(depth, 0);
  }
  EXPECT_FALSE(in_string);
  EXPECT_EQ(depth, 0);
}

TEST(JsonReportTest, EmptyProfile) {
  EXPECT_EQ(JsonReport(Profile{}),
            "{\"interval_ms\": 0, \"samples\": 0, \"dropped\": 0,\n \"components\": [],\n "
            "\"snapshots\": []}\n");
}

TEST(PrometheusReportTest, Lines) {
  const std::string text = PrometheusReport(MakeProfile());
  for (const char* line : {
           "# HELP ctxmem_tracked_live_bytes Heap bytes live in the tracking allocator.",
           "# TYPE ctxmem_tracked_live_bytes gauge",
           "ctxmem_tracked_live_bytes 102000",
           "# TYPE ctxmem_tracked_allocations_total counter",
           "ctxmem_tracked_allocations_total 52",
           "ctxmem_process_resident_bytes 8388608",
           "ctxmem_process_anonymous_bytes 4194304",
           "# TYPE ctxmem_component_reserved_bytes gauge",
           "ctxmem_component_reserved_bytes{component=\"arena\"} 65538",
           "ctxmem_component_reserved_bytes{component=\"pool \\\"<b>\\\"\\n\\\\x\"} 4096",
           "ctxmem_component_used_bytes{component=\"arena\"} 1000",
           "# TYPE ctxmem_component_mapped_bytes gauge",
           "ctxmem_component_mapped_bytes{component=\"arena\"} 1048576",
           "ctxmem_component_hit_ratio{component=\"pool \\\"<b>\\\"\\n\\\\x\"} 0.75",
           "ctxmem_profiler_samples_total 5",
       }) {
    EXPECT_TRUE(absl::StrContains(text, absl::StrCat(line, "\n"))) << line << "\n" << text;
  }
  EXPECT_FALSE(absl::StrContains(text, "ctxmem_component_hit_ratio{component=\"arena\"}"));
  // Every line is a comment or `name[{labels}] value`; every metric has a TYPE.
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    if (absl::StartsWith(line, "#")) {
      EXPECT_TRUE(absl::StartsWith(line, "# HELP ctxmem_") || absl::StartsWith(line, "# TYPE ctxmem_"))
          << line;
      continue;
    }
    EXPECT_TRUE(absl::StartsWith(line, "ctxmem_")) << line;
    const std::string name(line.substr(0, line.find_first_of("{ ")));
    EXPECT_TRUE(absl::StrContains(text, absl::StrCat("# TYPE ", name, " "))) << name;
  }
  EXPECT_EQ(PrometheusLabelValue("a\"\\\nb"), "a\\\"\\\\\\nb");
}

TEST(HtmlReportTest, SelfContainedChartsPerComponent) {
  const std::string html = HtmlReport(MakeProfile());
  EXPECT_TRUE(absl::StartsWith(html, "<!DOCTYPE html>"));
  EXPECT_TRUE(absl::StrContains(html, "</html>"));
  // Process, components, hit rates.
  EXPECT_EQ(Count(html, "<svg"), 3);
  EXPECT_EQ(Count(html, "</svg>"), 3);
  EXPECT_EQ(Count(html, "<polyline class=\"component\""), 2);  // one per component
  EXPECT_EQ(Count(html, "<polyline class=\"series\""), 3);     // resident, anonymous, tracked
  EXPECT_EQ(Count(html, "<polyline class=\"hit-rate\""), 1);   // only the pool has one
  EXPECT_EQ(Count(html, "<polyline"), 6);
  // Three points per line; a component's line is heap + mapped: 65536 +
  // 1 MiB on a 2 MiB axis, just above the middle of the plot.
  const size_t at = html.find("<polyline class=\"component\"");
  const std::string points = html.substr(at, html.find("\"/>", at) - at);
  EXPECT_EQ(Count(points, ","), 3) << points;
  EXPECT_TRUE(absl::StrContains(html, "arena: 1.06 MiB at the end")) << html;
  // The hit rate is charted on a 0..100% axis, and the table splits heap,
  // mapped and used.
  EXPECT_TRUE(absl::StrContains(html, "Hit rate per pool and cache"));
  EXPECT_TRUE(absl::StrContains(html, ">100%</text>"));
  EXPECT_TRUE(absl::StrContains(html, "75.0% at the end, lowest 75.0%"));
  EXPECT_TRUE(absl::StrContains(
      html, "<tr><td>arena</td><td>64.0 KiB</td><td>1.00 MiB</td><td>1000 B</td><td>-</td></tr>"))
      << html;
  // Nothing fetched from anywhere.
  EXPECT_FALSE(absl::StrContains(html, "http"));
  EXPECT_FALSE(absl::StrContains(html, "<script"));
  EXPECT_FALSE(absl::StrContains(html, "<link"));
  EXPECT_FALSE(absl::StrContains(html, "url("));
  EXPECT_FALSE(absl::StrContains(html, "@import"));
  // The hostile name is escaped everywhere.
  EXPECT_FALSE(absl::StrContains(html, "<b>"));
  EXPECT_TRUE(absl::StrContains(html, "pool &quot;&lt;b&gt;&quot;"));
  // Tags balance for the elements we open.
  for (const char* tag : {"html", "head", "body", "style", "ul", "table", "h1", "h2", "p"}) {
    EXPECT_EQ(Count(html, absl::StrCat("<", tag, ">")) + Count(html, absl::StrCat("<", tag, " ")),
              Count(html, absl::StrCat("</", tag, ">")))
        << tag;
  }
}

// A hit rate the component did not report yet (before its first lookup) is
// a gap in its line, not a 0% point, and does not count as the lowest.
TEST(HtmlReportTest, MissingHitRateIsAGap) {
  Profile profile = MakeProfile();
  profile.snapshots[0].components[1].hit_rate.reset();
  profile.snapshots[2].components[1].hit_rate = 0.5;
  const std::string html = HtmlReport(profile);
  const size_t at = html.find("<polyline class=\"hit-rate\"");
  ASSERT_NE(at, std::string::npos);
  const std::string points = html.substr(at, html.find("\"/>", at) - at);
  EXPECT_EQ(Count(points, ","), 2) << points;
  EXPECT_TRUE(absl::StrContains(html, "50.0% at the end, lowest 50.0%")) << html;
}

TEST(HtmlReportTest, EmptyProfileStillRenders) {
  const std::string html = HtmlReport(Profile{});
  EXPECT_TRUE(absl::StrContains(html, "nothing to chart"));
  EXPECT_FALSE(absl::StrContains(html, "<polyline"));
}

TEST(LeakReportTest, AttributesLiveBytes) {
  const LeakSummary summary = SummarizeLeaks(MakeProfile());
  EXPECT_EQ(summary.tracked_live_bytes, 102000);
  ASSERT_EQ(summary.components.size(), 2u);
  EXPECT_EQ(summary.components[0].name, "arena");
  EXPECT_EQ(summary.components[0].reserved_bytes, 65538u);
  EXPECT_EQ(summary.components[0].mapped_bytes, 1u << 20);
  // Heap against heap: the mapped MiB is listed, not subtracted (it would
  // make the figure negative: 102000 - 65538 - 4096 - 1048576).
  EXPECT_EQ(summary.attributed_bytes, 65538u + 4096u);
  EXPECT_EQ(summary.mapped_bytes, 1u << 20);
  EXPECT_EQ(summary.unattributed_bytes, 102000 - 65538 - 4096);
  EXPECT_GT(summary.unattributed_bytes, 0);
  const std::string text = LeakReport(MakeProfile());
  EXPECT_TRUE(absl::StrContains(text, "tracked heap live: 102000 bytes\n")) << text;
  EXPECT_TRUE(absl::StrContains(
      text, "component arena: 65538 heap bytes, 1048576 mapped bytes, 1000 bytes used\n"));
  EXPECT_TRUE(absl::StrContains(text, "heap attributed to components: 69634 bytes\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "\nnot attributed to any component: 32366 bytes\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "mapped by components (not heap, not tracked): 1048576 bytes\n"))
      << text;
  EXPECT_TRUE(absl::StrContains(LeakReport(Profile{}), "no snapshot taken"));
}

TEST(ReportFilesTest, WritesAllFour) {
  const std::string dir = absl::StrCat(testing::TempDir(), "/reports/nested");
  const absl::StatusOr<ReportPaths> paths = WriteReportFiles(MakeProfile(), dir);
  ASSERT_TRUE(paths.ok()) << paths.status();
  for (const std::string* path : {&paths->json, &paths->prometheus, &paths->html, &paths->leaks}) {
    std::ifstream in(*path);
    std::stringstream contents;
    contents << in.rdbuf();
    EXPECT_GT(contents.str().size(), 50u) << *path;
  }
  EXPECT_TRUE(absl::EndsWith(paths->html, "/report.html"));
  EXPECT_FALSE(WriteReportFiles(MakeProfile(), "/proc/no/such/dir").ok());
}

}  // namespace
}  // namespace ctxmem::profiler
