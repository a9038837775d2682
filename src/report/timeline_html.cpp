// HTML rendering of `extriage timeline`: the analysis' answer on top (as in the analyze page),
// the chart of runs, setup errors, events and findings on one axis, then every entry in time
// order with file:line (or file@offset), each chart shape linking to its row.
#include <fmt/format.h>

#include "model/run_labels.hpp"
#include "model/timeline.hpp"
#include "model/version.hpp"
#include "report/html_chart.hpp"
#include "report/html_page.hpp"
#include "report/html_parts.hpp"
#include "report/html_report.hpp"
#include "report/markup.hpp"
#include "report/outline.hpp"
#include "report/report.hpp"
#include "text_util.hpp"

namespace extriage {

namespace {

std::string lane_of(TimelineEntry::Kind kind) {
    using K = TimelineEntry::Kind;
    switch (kind) {
        case K::error: return "Setup errors";
        case K::event: return "Events";
        case K::finding: return "Findings";
        default: return {};
    }
}

std::string when(const TimelineEntry& e) {
    if (e.time_ms == kNoTime) return "(no time)";
    const std::string t = format_time(e.time_ms, e.time_is_utc);
    return e.time_is_utc ? t : t + " local";
}

std::string where(const TimelineEntry& e) {
    return e.line ? fmt::format("{}:{}", e.path, e.line) : fmt::format("{}@{}", e.path, e.offset);
}

}  // namespace

std::string render_timeline_html(const Timeline& tl, const std::vector<Diagnostic>& diags) {
    const ReportOptions options;
    const Outline o = build_outline(tl.analysis, options);
    const FileSection* lead = lead_section(o, summarize_analysis(tl.analysis, options).top);
    size_t findings = 0;
    for (const auto& e : tl.entries) findings += e.kind == TimelineEntry::Kind::finding;

    std::string out = html_page_begin("extriage timeline", "timeline");
    out += "<header>\n<h1>extriage timeline</h1>\n";
    out += fmt::format("<p class=\"meta\">{} file{}, {} run{}, {} finding{}, {} entries (UTC unless marked local)</p>\n</header>\n<main>\n",
                       tl.analysis.files.size(), tl.analysis.files.size() == 1 ? "" : "s", tl.analysis.runs.size(),
                       tl.analysis.runs.size() == 1 ? "" : "s", findings, findings == 1 ? "" : "s", tl.entries.size());
    if (lead) {
        out += headline_html(lead->headline, "headline");
        out += fmt::format("<p class=\"meta small\">From {}</p>\n", html_escape(lead->file->path));
    }

    std::vector<ChartItem> items;
    for (const auto& s : o.sections)
        for (const Segment* r : s.runs) {
            // The bar links to the run's start row.
            std::string href;
            for (size_t i = 0; i < tl.entries.size() && href.empty(); ++i)
                if (tl.entries[i].kind == TimelineEntry::Kind::run_start && tl.entries[i].path == r->path && tl.entries[i].run == r->index)
                    href = fmt::format("#e-{}", i);
            items.push_back(run_chart_item(*r, s.runs.size(), href));
        }
    for (size_t i = 0; i < tl.entries.size(); ++i) {
        const TimelineEntry& e = tl.entries[i];
        const std::string lane = lane_of(e.kind);
        if (lane.empty() || e.time_ms == kNoTime) continue;
        ChartItem it;
        it.lane = lane;
        it.start_ms = e.time_ms;
        it.css = "p-" + std::string(level_name(e.level));
        std::string tip = fmt::format("{} {} {}: {}{}", when(e), level_name(e.level), where(e), e.rule_id.empty() ? "" : "[" + e.rule_id + "] ", e.text);
        if (e.related_run) tip += "; " + related_run_label(*e.related_run);
        it.tooltip = one_line(tip, 600);
        it.href = fmt::format("#e-{}", i);
        it.local_time = !e.time_is_utc;
        items.push_back(std::move(it));
    }
    const std::string chart = render_chart(items);
    if (!chart.empty()) out += "<h2>Chart</h2>\n" + chart;

    out += "<h2>Entries</h2>\n<table class=\"tl\"><thead><tr><th>Time</th><th>Kind</th><th>Severity</th><th>Where</th><th>What</th></tr></thead><tbody>\n";
    for (size_t i = 0; i < tl.entries.size(); ++i) {
        const TimelineEntry& e = tl.entries[i];
        const bool finding = e.kind == TimelineEntry::Kind::finding;
        std::string text = html_escape(e.text);
        if (!e.rule_id.empty()) text = fmt::format("<span class=\"rule\">[{}]</span> {}", html_escape(e.rule_id), text);
        if (e.related_run) text += fmt::format("<br><span class=\"meta small\">{}</span>", html_escape(related_run_label(*e.related_run)));
        out += fmt::format("<tr id=\"e-{}\" class=\"k-{}{}\"><td class=\"t\">{}</td><td>{}</td><td>{}</td><td class=\"small\">{}</td><td>{}</td></tr>\n", i,
                           timeline_kind_name(e.kind), finding ? " finding" : "", html_escape(when(e)), timeline_kind_name(e.kind),
                           severity_badge(e.level), html_escape(where(e)), text);
    }
    out += "</tbody></table>\n";
    if (tl.dropped)
        out += fmt::format("<p class=\"meta\">{} more record(s) not shown (cap {}; --max-entries raises it).</p>\n", tl.dropped, tl.max_entries);
    out += diagnostics_html(diags);
    out += fmt::format("</main>\n<footer id=\"summary\" data-findings=\"{}\" data-entries=\"{}\">extriage {}: {} file(s), {} run(s), {} "
                       "finding(s), {} timeline entries</footer>\n",
                       findings, tl.entries.size(), html_escape(tool_version()), tl.analysis.files.size(), tl.analysis.runs.size(), findings,
                       tl.entries.size());
    return out + html_page_end();
}

}  // namespace extriage
