#include "profiler/html_report.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ctxmem::profiler {
namespace {

// Distinguishable on white, enough for kMaxSources components.
constexpr const char* kColors[] = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
};
constexpr int kNumColors = sizeof(kColors) / sizeof(kColors[0]);

constexpr double kWidth = 960, kHeight = 280;
constexpr double kLeft = 80, kRight = 20, kTop = 16, kBottom = 36;

struct Series {
  std::string name;
  std::string css_class;  // "series", "component" or "hit-rate"
  std::vector<double> values;
  int color = -1;  // index into kColors; -1: the series' position
};

const char* ColorOf(const Series& s, size_t i) {
  return kColors[(s.color >= 0 ? static_cast<size_t>(s.color) : i) % kNumColors];
}

std::string Bytes(double bytes) {
  if (bytes >= 1 << 30) return absl::StrFormat("%.2f GiB", bytes / (1 << 30));
  if (bytes >= 1 << 20) return absl::StrFormat("%.2f MiB", bytes / (1 << 20));
  if (bytes >= 1 << 10) return absl::StrFormat("%.1f KiB", bytes / (1 << 10));
  return absl::StrFormat("%.0f B", bytes);
}

// A round upper bound for the y axis in binary units, chosen so that the
// quarter gridlines land on round figures too (4 MiB: 1, 2, 3, 4 MiB).
double NiceMax(double max) {
  if (max <= 0) return 1024;
  double unit = 1;
  while (unit * 1024 <= max) unit *= 1024;
  for (double m : {1.0, 2.0, 4.0, 8.0, 10.0, 20.0, 40.0, 80.0, 100.0, 200.0, 400.0, 800.0}) {
    if (m * unit >= max) return m * unit;
  }
  return 1024 * unit;
}

// What a chart's values are: byte counts (axis rounded to binary units,
// legend with the peak) or ratios in [0, 1] (axis 0..100%, legend with the
// lowest value, since a pool's or cache's hit rate matters most when it dips).
enum class Unit { kBytes, kRatio };

std::string Format(Unit unit, double v) {
  return unit == Unit::kBytes ? Bytes(v) : absl::StrFormat("%.1f%%", v * 100);
}

void AppendChart(std::string* out, absl::string_view title, const std::vector<double>& times_s,
                 const std::vector<Series>& series, Unit unit = Unit::kBytes) {
  absl::StrAppend(out, "<h2>", HtmlEscape(title), "</h2>\n");
  if (series.empty() || times_s.empty()) {
    out->append("<p class=\"empty\">nothing to chart</p>\n");
    return;
  }
  // A NaN value is a gap: nothing to plot at that time (a hit rate before
  // the first lookup, say).
  double max_value = 0;
  for (const Series& s : series) {
    for (double v : s.values) {
      if (!std::isnan(v)) max_value = std::max(max_value, v);
    }
  }
  const double y_max = unit == Unit::kBytes ? NiceMax(max_value) : 1.0;
  const double t0 = times_s.front();
  const double t_span = std::max(times_s.back() - t0, 1e-3);
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  auto x = [&](double t) { return kLeft + (t - t0) / t_span * plot_w; };
  auto y = [&](double v) { return kTop + plot_h - v / y_max * plot_h; };

  absl::StrAppendFormat(out,
                        "<svg width=\"%.0f\" height=\"%.0f\" "
                        "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"%s\">\n",
                        kWidth, kHeight, kWidth, kHeight, HtmlEscape(title));
  // Grid and axis labels: five horizontal lines, start/middle/end times.
  for (int i = 0; i <= 4; ++i) {
    const double v = y_max * i / 4;
    absl::StrAppendFormat(out,
                          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                          "<text x=\"%.1f\" y=\"%.1f\" class=\"ylabel\">%s</text>\n",
                          kLeft, y(v), kWidth - kRight, y(v), kLeft - 6, y(v) + 4,
                          unit == Unit::kBytes ? Bytes(v) : absl::StrFormat("%.0f%%", v * 100));
  }
  for (int i = 0; i <= 4; ++i) {
    const double t = t0 + t_span * i / 4;
    absl::StrAppendFormat(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"xlabel\">%.2f s</text>\n",
                          x(t), kHeight - kBottom + 18, t);
  }
  absl::StrAppendFormat(out,
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"axis\"/>\n",
                        kLeft, y(0), kWidth - kRight, y(0));
  for (size_t i = 0; i < series.size(); ++i) {
    const Series& s = series[i];
    absl::StrAppendFormat(out, "<polyline class=\"%s\" data-name=\"%s\" stroke=\"%s\" points=\"",
                          s.css_class, HtmlEscape(s.name), ColorOf(s, i));
    bool first = true;
    for (size_t j = 0; j < s.values.size(); ++j) {
      if (std::isnan(s.values[j])) continue;
      absl::StrAppendFormat(out, "%s%.1f,%.1f", first ? "" : " ", x(times_s[j]), y(s.values[j]));
      first = false;
    }
    out->append("\"/>\n");
  }
  out->append("</svg>\n<ul class=\"legend\">\n");
  for (size_t i = 0; i < series.size(); ++i) {
    double last = 0;
    double peak = 0;
    double lowest = std::numeric_limits<double>::infinity();
    for (double v : series[i].values) {
      if (std::isnan(v)) continue;
      last = v;
      peak = std::max(peak, v);
      lowest = std::min(lowest, v);
    }
    if (std::isinf(lowest)) lowest = 0;
    absl::StrAppendFormat(out,
                          "<li><span class=\"swatch\" style=\"background:%s\"></span>%s: "
                          "%s at the end, %s %s</li>\n",
                          ColorOf(series[i], i), HtmlEscape(series[i].name),
                          Format(unit, last), unit == Unit::kBytes ? "peak" : "lowest",
                          Format(unit, unit == Unit::kBytes ? peak : lowest));
  }
  out->append("</ul>\n");
}

}  // namespace

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out.append("&amp;"); break;
      case '<': out.append("&lt;"); break;
      case '>': out.append("&gt;"); break;
      case '"': out.append("&quot;"); break;
      case '\'': out.append("&#39;"); break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string HtmlReport(const Profile& profile) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>ctxmem memory profile</title>\n<style>\n"
      "body { font-family: sans-serif; margin: 24px; color: #222; background: #fff; }\n"
      "h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; }\n"
      "svg { border: 1px solid #ddd; background: #fcfcfc; }\n"
      "polyline { fill: none; stroke-width: 2; stroke-linejoin: round; }\n"
      ".grid { stroke: #e4e4e4; } .axis { stroke: #888; }\n"
      ".ylabel { font-size: 11px; text-anchor: end; fill: #555; }\n"
      ".xlabel { font-size: 11px; text-anchor: middle; fill: #555; }\n"
      ".legend { list-style: none; padding: 0; font-size: 13px; }\n"
      ".legend li { margin: 3px 0; }\n"
      ".swatch { display: inline-block; width: 14px; height: 4px; margin: 0 8px 3px 0; }\n"
      "table { border-collapse: collapse; font-size: 13px; }\n"
      "td, th { border: 1px solid #ddd; padding: 4px 10px; text-align: right; }\n"
      "td:first-child, th:first-child { text-align: left; }\n"
      "</style>\n</head>\n<body>\n<h1>ctxmem memory profile</h1>\n";

  std::vector<double> times;
  for (const Snapshot& s : profile.snapshots) times.push_back(s.time_ns / 1e9);
  const double duration = times.empty() ? 0 : times.back() - times.front();
  absl::StrAppendFormat(&out,
                        "<p>%d snapshots kept of %d taken, every %.0f ms, over %.2f s.</p>\n",
                        profile.snapshots.size(), profile.samples,
                        std::chrono::duration<double, std::milli>(profile.interval).count(),
                        duration);

  std::vector<Series> process = {{"resident (VmRSS)", "series", {}},
                                 {"anonymous (RssAnon)", "series", {}},
                                 {"tracked heap live", "series", {}}};
  for (const Snapshot& s : profile.snapshots) {
    process[0].values.push_back(static_cast<double>(s.process.resident_bytes));
    process[1].values.push_back(static_cast<double>(s.process.anonymous_bytes));
    process[2].values.push_back(static_cast<double>(std::max<int64_t>(s.tracked_live_bytes, 0)));
  }
  AppendChart(&out, "Process memory and tracked heap", times, process);

  // A component's line is all it holds: heap plus mapped bytes (the table
  // below splits them).
  std::vector<Series> components;
  for (size_t c = 0; c < profile.components.size(); ++c) {
    Series series{profile.components[c], "component", {}};
    for (const Snapshot& s : profile.snapshots) {
      series.values.push_back(c < s.num_components
                                  ? static_cast<double>(s.components[c].bytes_reserved +
                                                        s.components[c].bytes_mapped)
                                  : 0);
    }
    components.push_back(std::move(series));
  }
  AppendChart(&out, "Memory held per component (heap + mapped)", times, components);

  // Hit rates over time, for the components that report one (pools, caches).
  std::vector<Series> hit_rates;
  for (size_t c = 0; c < profile.components.size(); ++c) {
    bool any = false;
    for (const Snapshot& s : profile.snapshots) {
      any |= c < s.num_components && s.components[c].hit_rate.has_value();
    }
    if (!any) continue;
    // Same colour as the component's line in the chart above.
    Series series{profile.components[c], "hit-rate", {}, static_cast<int>(c)};
    for (const Snapshot& s : profile.snapshots) {
      const bool has = c < s.num_components && s.components[c].hit_rate.has_value();
      series.values.push_back(has ? *s.components[c].hit_rate
                                  : std::numeric_limits<double>::quiet_NaN());
    }
    hit_rates.push_back(std::move(series));
  }
  if (!hit_rates.empty()) {
    AppendChart(&out, "Hit rate per pool and cache", times, hit_rates, Unit::kRatio);
  }

  if (!profile.snapshots.empty() && !profile.components.empty()) {
    const Snapshot& last = profile.snapshots.back();
    out.append(
        "<h2>At the last snapshot</h2>\n<table>\n"
        "<tr><th>component</th><th>heap</th><th>mapped</th><th>used</th><th>hit rate</th></tr>\n");
    for (int c = 0; c < last.num_components && c < profile.components.size(); ++c) {
      const ComponentSample& sample = last.components[c];
      absl::StrAppend(&out, "<tr><td>", HtmlEscape(profile.components[c]), "</td><td>",
                      Bytes(sample.bytes_reserved), "</td><td>", Bytes(sample.bytes_mapped),
                      "</td><td>", Bytes(sample.bytes_used), "</td><td>",
                      sample.hit_rate.has_value()
                          ? absl::StrFormat("%.2f%%", *sample.hit_rate * 100)
                          : std::string("-"),
                      "</td></tr>\n");
    }
    out.append("</table>\n");
  }
  out.append("</body>\n</html>\n");
  return out;
}

}  // namespace ctxmem::profiler
