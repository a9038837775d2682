// Reporters: a terminal report for people, a JSON document for tools, an HTML page and Markdown
// to hand on. All follow the same outline (report/outline.hpp): per file a headline, then findings
// cause first. All are deterministic: no run timestamps, no dependence on thread timing.
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/analysis.hpp"
#include "model/batch.hpp"
#include "model/timeline.hpp"
#include "civil_time.hpp"   // format_time()
#include "diagnostics.hpp"

namespace extriage {

struct ReportOptions {
    bool color = false;
    bool all_runs = false;          // include findings from earlier runs of the same file
    bool brief = false;             // text: each file's header and headline only (--brief)
    Level min_severity = Level::info;
};

// Findings the report shows, after the run and severity filters.
std::vector<const Finding*> visible_findings(const AnalysisResult& result, const ReportOptions& options);

// Where a report goes, piece by piece: a report of 100,000 files is written while it is made,
// never held whole. Each piece ends at a line or element boundary.
using ReportWriter = std::function<void(std::string_view)>;

void write_text(const AnalysisResult& result, const std::vector<Diagnostic>& diags, const ReportOptions& options,
                const ReportWriter& out);
void write_json(const AnalysisResult& result, const std::vector<Diagnostic>& diags, const ReportOptions& options,
                const ReportWriter& out);
// The same reports as one string (tests, fuzzers).
std::string render_text(const AnalysisResult& result, const std::vector<Diagnostic>& diags, const ReportOptions& options);
std::string render_json(const AnalysisResult& result, const std::vector<Diagnostic>& diags, const ReportOptions& options);

// `extriage timeline` (report/timeline_text.cpp, report/timeline_json.cpp).
std::string render_timeline_text(const Timeline& timeline, const std::vector<Diagnostic>& diags, bool color = false);
std::string render_timeline_json(const Timeline& timeline, const std::vector<Diagnostic>& diags);

// `extriage batch` (report/batch_report.cpp).
// One row of the summary table.
struct BundleSummary {
    std::string bundle;
    std::string server;                      // most common server, "" if unknown
    size_t other_servers = 0;                // further servers seen in the bundle
    std::string setup_version;               // of the latest setup run
    std::string installed_version;           // before the latest setup run
    std::string outcome;                     // of the latest setup run; "" if no setup log
    size_t critical = 0, error = 0, warning = 0, info = 0;   // visible findings
    const Finding* top = nullptr;            // the latest setup run's cause, else the highest severity, first in report order
    size_t files = 0;
    size_t input_errors = 0;
};

BundleSummary summarize_bundle(const BundleResult& bundle, const ReportOptions& options);
// The same over one analysis (bundle, server and input_errors left empty): the answer of the whole
// analysis, which the HTML and Markdown reports put on top.
BundleSummary summarize_analysis(const AnalysisResult& analysis, const ReportOptions& options);

std::string render_batch_text(const BatchResult& result, const ReportOptions& options);
std::string render_batch_csv(const BatchResult& result, const ReportOptions& options);     // RFC 4180
std::string render_batch_jsonl(const BatchResult& result, const ReportOptions& options);   // one object per bundle

// One self-contained HTML page (report/html.cpp, timeline_html.cpp, batch_html.cpp): the answer
// on top, then the chart and the details; no network access (see report/html_page.hpp).
std::string render_html(const AnalysisResult& result, const std::vector<Diagnostic>& diags, const ReportOptions& options);
std::string render_timeline_html(const Timeline& timeline, const std::vector<Diagnostic>& diags);
std::string render_batch_html(const BatchResult& result, const ReportOptions& options);

// Markdown for tickets and chat (report/markdown.cpp, timeline_markdown.cpp, batch_markdown.cpp).
std::string render_markdown(const AnalysisResult& result, const std::vector<Diagnostic>& diags, const ReportOptions& options);
std::string render_timeline_markdown(const Timeline& timeline, const std::vector<Diagnostic>& diags);
std::string render_batch_markdown(const BatchResult& result, const ReportOptions& options);

// A CSV field: control characters escaped (terminal_text.hpp), a leading formula character made
// inert with an apostrophe, then quoted when needed (RFC 4180: ",", '"', CR or LF; quotes doubled).
std::string csv_field(std::string_view value);

}  // namespace extriage
