// Batch triage: many bundles (server zips, server folders, loose logs) analysed in parallel, one
// summary row per bundle. Rules are compiled once and shared read-only; each worker has its own
// Engine and DiagSink (through analyze_paths). Results are kept in bundle order (sorted by path),
// so the output does not depend on thread timing. Rendering lives in report/batch_report.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/analyze.hpp"
#include "diagnostics.hpp"
#include "report/report.hpp"

namespace extriage {

struct BatchOptions {
    AnalyzeOptions analyze;
    unsigned jobs = 0;          // 0: one per hardware thread
    bool progress = false;      // redraw "[12/40] EX01-1123.zip" on stderr as bundles finish
};

struct BundleResult {
    std::string path;                        // the bundle, as found below the paths given
    std::vector<std::string> servers;        // distinct servers of its files, most files first
    AnalysisResult analysis;
    std::vector<Diagnostic> diagnostics;
    size_t errors = 0;                       // error diagnostics among them
};

struct BatchResult {
    std::vector<BundleResult> bundles;       // sorted by path
    std::vector<Diagnostic> diagnostics;     // problems finding the bundles
};

// Splits the paths into bundles, sorted and without duplicates:
// - a file (zip or log) is one bundle;
// - a folder that looks like one server's folder (it holds ExchangeSetupLogs, Windows_Event_Logs,
//   Exchange_Server_Data...) or holds only files (no zip, no sub-folder) is one bundle;
// - otherwise each zip, sub-folder and recognised log file directly inside it is a bundle, and
//   ExchangeLogCollector's <yyyyMd> date folders are looked through.
std::vector<std::string> expand_bundles(const std::vector<std::string>& paths, DiagSink& diags);

BatchResult run_batch(const std::vector<std::string>& paths, const RuleSet& rules, const BatchOptions& options);

// One row of the summary table.
struct BundleSummary {
    std::string bundle;
    std::string server;                      // most common server, "" if unknown
    size_t other_servers = 0;                // further servers seen in the bundle
    std::string setup_version;               // of the latest setup run
    std::string installed_version;           // before the latest setup run
    std::string outcome;                     // of the latest setup run; "" if no setup log
    size_t critical = 0, error = 0, warning = 0, info = 0;   // visible findings
    const Finding* top = nullptr;            // highest severity, first in report order
    size_t files = 0;
    size_t input_errors = 0;
};

BundleSummary summarize_bundle(const BundleResult& bundle, const ReportOptions& options);

std::string render_batch_text(const BatchResult& result, const ReportOptions& options);
std::string render_batch_csv(const BatchResult& result, const ReportOptions& options);     // RFC 4180
std::string render_batch_jsonl(const BatchResult& result, const ReportOptions& options);   // one object per bundle

// The `batch` subcommand once its options are parsed.
struct BatchCommand {
    std::vector<std::string> paths;
    BatchOptions options;
    ReportOptions report;
    std::string format = "text";             // text | csv | jsonl
    std::optional<Level> fail_on = Level::error;   // nullopt: never fail on findings
};

// Runs it: the table goes to stdout, diagnostics to stderr (in bundle order). Returns the exit
// code: 2 on input errors, else 1 if a visible finding is at or above fail_on, else 0.
int run_batch_command(const BatchCommand& command, const RuleSet& rules);

// A CSV field: control characters escaped (terminal_text.hpp), a leading '=', '+', '-', '@' made
// inert with an apostrophe, then quoted when needed (RFC 4180: ',', '"', CR or LF; quotes doubled).
std::string csv_field(std::string_view value);

}  // namespace extriage
