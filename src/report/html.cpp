// HTML reporter for `extriage analyze`: the answer first (the lead file's headline: outcome,
// cause, first step), each file's headline at a glance, the time chart, then per file its runs
// with their metadata and its findings in outline order (report/outline.hpp); at the end the
// problems reading inputs and what was not checked. One self-contained page (report/html_page.hpp).
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "model/run_labels.hpp"
#include "model/version.hpp"
#include "report/html_chart.hpp"
#include "report/html_page.hpp"
#include "report/html_parts.hpp"
#include "report/html_report.hpp"
#include "report/markup.hpp"
#include "report/outline.hpp"
#include "report/report.hpp"

namespace extriage {

namespace {

std::string run_row(const Segment& s, size_t runs_in_file) {
    return fmt::format("<tr><td>{}</td><td>{}-{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", html_escape(run_label(s, runs_in_file)),
                       s.first_line, s.last_line, html_escape(format_time(s.start_ms, s.time_is_utc)),
                       html_escape(format_time(s.end_ms, s.time_is_utc)), outcome_badge(s.outcome));
}

std::string run_facts(const Segment& s) {
    std::string out = "<table class=\"facts\">\n";
    for (const auto& [k, v] : s.facts) out += fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", html_escape(k), html_escape(v));
    out += "</table>\n";
    if (s.last_error) {
        out += "<h4>Last error</h4>\n<div class=\"ev\">";
        for (const auto& c : s.error_context)
            out += fmt::format("<div class=\"loc\">line {}</div><pre>{}</pre>", c.line, html_escape(c.text));
        out += fmt::format("<div class=\"loc\">line {}</div><pre>{}</pre></div>\n", s.last_error->line, html_escape(s.last_error->text));
    }
    return out;
}

std::string runs_html(const std::vector<const Segment*>& runs) {
    if (runs.empty()) return {};
    std::string out = "<h4>Runs</h4>\n<table class=\"runs\"><thead><tr><th>Run</th><th>Lines</th><th>Start</th><th>End</th>"
                      "<th>Outcome</th></tr></thead><tbody>\n";
    for (const Segment* s : runs) out += run_row(*s, runs.size());
    out += "</tbody></table>\n";
    // The metadata of each run, latest first, collapsed: the findings come before the details.
    for (size_t i = runs.size(); i-- > 0;)
        out += fmt::format("<details class=\"run\"><summary>{}: metadata{}</summary>\n{}</details>\n",
                           html_escape(run_label(*runs[i], runs.size())), runs[i]->last_error ? " and last error" : "", run_facts(*runs[i]));
    return out;
}

std::string not_checked_html(const AnalysisResult& result, const Outline& o, const ReportOptions& options) {
    std::string out;
    if (!result.discover.skipped.empty()) {
        out += fmt::format("<details><summary>Skipped {} input{}</summary><ul>\n", result.discover.skipped.size(),
                           result.discover.skipped.size() == 1 ? "" : "s");
        for (const auto& s : result.discover.skipped)
            out += fmt::format("<li>{} {} <span class=\"meta\">({})</span></li>\n", html_escape(s.kind), html_escape(s.path), html_escape(s.reason));
        out += "</ul></details>\n";
    }
    if (!result.missing_inputs.empty()) {
        out += "<h4>Missing inputs</h4>\n<ul>\n";
        for (const auto& m : result.missing_inputs)
            out += fmt::format("<li><strong>{}</strong>: {} <span class=\"meta\">Where: {}</span></li>\n", html_escape(m.what),
                               html_escape(m.why), html_escape(m.where));
        out += "</ul>\n";
    }
    if (!result.live_checks.empty()) {
        out += "<h4>Needs the live server</h4>\n<table class=\"facts\">\n";
        for (const auto& c : result.live_checks)
            out += fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", html_escape(c.check), remediation_step(c.command));
        out += "</table>\n";
    }
    for (const auto& note : hidden_notes(o, options)) out += fmt::format("<p>{}</p>\n", html_escape(note));
    return out.empty() ? out : "<h2 id=\"not-checked\">Not checked</h2>\n" + out;
}

std::string lane_of_run(const Segment& s) {
    if (s.kind == "setup-run") return "Setup runs";
    if (s.kind == "msi-session") return "MSI sessions";
    if (s.kind == "service-control") return "ServiceControl runs";
    return std::string(s.kind);
}

}  // namespace

std::string run_css(std::string_view outcome) {
    return outcome == "succeeded" ? "r-succeeded" : outcome == "failed" ? "r-failed" : "r-other";
}

ChartItem run_chart_item(const Segment& s, size_t runs_in_file, std::string href) {
    ChartItem it;
    it.lane = lane_of_run(s);
    it.start_ms = s.start_ms;
    it.end_ms = s.end_ms;
    it.bar = true;
    it.css = run_css(s.outcome);
    it.tooltip = fmt::format("{} of {}: {} ({} .. {})", run_label(s, runs_in_file), s.path, s.outcome.empty() ? "unknown" : s.outcome,
                             format_time(s.start_ms, s.time_is_utc), format_time(s.end_ms, s.time_is_utc));
    it.href = std::move(href);
    it.local_time = !s.time_is_utc;
    return it;
}

std::string summary_counts(const std::map<Level, size_t>& counts, size_t shown) {
    auto count = [&](Level l) { return counts.count(l) ? counts.at(l) : size_t{0}; };
    std::string out = fmt::format("{} finding{}", shown, shown == 1 ? "" : "s");
    if (shown)
        out += fmt::format(" ({} critical, {} error, {} warning, {} info)", count(Level::critical), count(Level::error),
                           count(Level::warning), count(Level::info));
    return out;
}

std::string diagnostics_html(const std::vector<Diagnostic>& diags) {
    if (diags.empty()) return {};
    std::string out = "<h2 id=\"problems\">Problems reading inputs</h2>\n<ul class=\"diags\">\n";
    for (const auto& d : diags) out += fmt::format("<li><code>{}</code></li>\n", html_escape(d.format()));
    return out + "</ul>\n";
}

std::string render_html(const AnalysisResult& result, const std::vector<Diagnostic>& diags, const ReportOptions& options) {
    const Outline o = build_outline(result, options);
    const BundleSummary summary = summarize_analysis(result, options);
    const FileSection* lead = lead_section(o, summary.top);

    std::string title = "extriage report";
    if (lead) {
        const Headline& h = lead->headline;
        title += ": " + (h.outcome.empty() ? std::string() : h.outcome + ", ") + (h.top ? h.top->title : h.cause_text);
    }
    std::string out = html_page_begin(title, "analyze");
    out += "<header>\n<div class=\"tools\"><button type=\"button\" id=\"expand-all\">Expand all</button> "
           "<button type=\"button\" id=\"collapse-all\">Collapse all</button></div>\n<h1>extriage report</h1>\n";
    out += fmt::format("<p class=\"meta\">{} file{}, {} run{} ({} setup run{}), {}</p>\n</header>\n<main>\n", result.files.size(),
                       result.files.size() == 1 ? "" : "s", result.runs.size(), result.runs.size() == 1 ? "" : "s", o.setup_runs,
                       o.setup_runs == 1 ? "" : "s", summary_counts(o.counts, o.shown));

    // Anchors: file sections "file-<i>", findings "f-<n>" in page order.
    std::map<const Finding*, std::string> anchor;
    std::map<const FileSummary*, size_t> section_index;
    size_t n = 0;
    for (size_t i = 0; i < o.sections.size(); ++i) {
        section_index[o.sections[i].file] = i;
        for (const auto& of : o.sections[i].findings) anchor[of.finding] = finding_anchor("f-", ++n);
    }
    if (lead) {
        out += headline_html(lead->headline, "headline");
        out += fmt::format("<p class=\"meta small\">From <a href=\"#file-{}\">{}</a></p>\n", section_index[lead->file], html_escape(lead->file->path));
    }
    if (o.sections.size() > 1) {
        out += "<h2>At a glance</h2>\n<ul class=\"glance\">\n";
        for (size_t i = 0; i < o.sections.size(); ++i) {
            const FileSection& s = o.sections[i];
            out += fmt::format("<li><a href=\"#file-{}\">{}</a>: {}{}</li>\n", i, html_escape(s.file->path),
                               s.headline.outcome.empty() ? "" : outcome_badge(s.headline.outcome) + " ",
                               s.headline.top ? severity_badge(s.headline.top->severity) + " " + html_escape(s.headline.cause_message)
                                              : html_escape(s.headline.cause_text));
        }
        out += "</ul>\n";
    }

    std::map<std::string, const FileSummary*> file_of;
    for (const auto& f : result.files) file_of.emplace(f.path, &f);
    std::vector<ChartItem> items;
    for (const auto& s : o.sections)
        for (const Segment* r : s.runs) items.push_back(run_chart_item(*r, s.runs.size(), fmt::format("#file-{}", section_index[s.file])));
    for (const auto& s : o.sections)
        for (const auto& of : s.findings) {
            const Finding& f = *of.finding;
            const auto home = file_of.find(f.path);
            const bool event = home != file_of.end() && is_event_parser(home->second->parser);
            for (const auto& e : f.evidence) {
                if (e.time_ms == kNoTime) continue;
                ChartItem it;
                it.lane = event ? "Events" : "Findings";
                it.start_ms = e.time_ms;
                it.css = "p-" + std::string(level_name(f.severity));
                std::string tip = fmt::format("{} [{}] {} ({})", level_name(f.severity), f.rule_id, f.title, evidence_location(e));
                if (f.related_run) tip += "; " + related_run_label(*f.related_run);
                else if (f.nearest_run) tip += "; " + related_run_label(*f.nearest_run);
                it.tooltip = std::move(tip);
                it.href = "#" + anchor[&f];
                it.local_time = !e.time_is_utc;
                items.push_back(std::move(it));
                if (!event) break;   // one point per finding; events: one per occurrence shown
            }
        }
    const std::string chart = render_chart(items);
    if (!chart.empty()) out += "<h2>Timeline</h2>\n" + chart;

    for (size_t i = 0; i < o.sections.size(); ++i) {
        const FileSection& s = o.sections[i];
        out += fmt::format("<section class=\"file\" id=\"file-{}\">\n<h2>{}</h2>\n<p class=\"meta\">{}</p>\n", i, html_escape(s.file->path),
                           html_escape(file_description(*s.file)));
        out += headline_html(s.headline, "");
        out += runs_html(s.runs);
        for (const auto& of : s.findings) out += finding_html(*of.finding, of.role, anchor[of.finding]);
        for (const auto& [run, count] : s.shown_elsewhere)
            out += fmt::format("<p class=\"meta\">{} finding{} of this file shown with {}.</p>\n", count, count == 1 ? "" : "s",
                               html_escape(run));
        if (s.findings.empty() && s.shown_elsewhere.empty()) out += "<p class=\"meta\">No findings.</p>\n";
        out += "</section>\n";
    }
    out += diagnostics_html(diags);
    out += not_checked_html(result, o, options);
    auto count = [&](Level l) { return o.counts.count(l) ? o.counts.at(l) : size_t{0}; };
    out += fmt::format("</main>\n<footer id=\"summary\" data-findings=\"{}\" data-critical=\"{}\" data-error=\"{}\" data-warning=\"{}\" "
                       "data-info=\"{}\">extriage {}: {} file(s), {} run(s), {}</footer>\n",
                       o.shown, count(Level::critical), count(Level::error), count(Level::warning), count(Level::info),
                       html_escape(tool_version()), result.files.size(), result.runs.size(), summary_counts(o.counts, o.shown));
    return out + html_page_end();
}

}  // namespace extriage
