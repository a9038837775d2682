// Batch triage: many bundles (server zips, server folders, loose logs) analysed in parallel, one
// summary row per bundle. Rules are compiled once and shared read-only; each worker has its own
// Engine and DiagSink (through analyze_paths). Results are kept in bundle order (sorted by path),
// so the output does not depend on thread timing. Result types: model/batch.hpp; rendering and
// the per-bundle summary: report/batch_report.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/analyze.hpp"
#include "model/batch.hpp"
#include "diagnostics.hpp"
#include "report/report.hpp"

namespace extriage {

struct BatchOptions {
    AnalyzeOptions analyze;
    unsigned jobs = 0;          // 0: one per hardware thread
    bool progress = false;      // redraw "[12/40] EX01-1123.zip" on stderr as bundles finish
};

// Splits the paths into bundles, sorted and without duplicates:
// - a file (zip or log) is one bundle;
// - a folder that looks like one server's folder (it holds ExchangeSetupLogs, Windows_Event_Logs,
//   Exchange_Server_Data...) or holds only files (no zip, no sub-folder) is one bundle;
// - otherwise each zip, sub-folder and recognised log file directly inside it is a bundle, and
//   ExchangeLogCollector's <yyyyMd> date folders are looked through.
std::vector<std::string> expand_bundles(const std::vector<std::string>& paths, DiagSink& diags);

BatchResult run_batch(const std::vector<std::string>& paths, const RuleSet& rules, const BatchOptions& options);

// The `batch` subcommand once its options are parsed.
struct BatchCommand {
    std::vector<std::string> paths;
    BatchOptions options;
    ReportOptions report;
    std::string format = "text";             // text | csv | jsonl | html | md
    std::string output;                      // -o FILE; "" = standard output
    std::optional<Level> fail_on = Level::error;   // nullopt: never fail on findings
};

// Runs it: the table goes to stdout (or command.output), diagnostics to stderr (in bundle order). Returns the exit
// code: 2 on input errors, else 1 if a visible finding is at or above fail_on, else 0.
int run_batch_command(const BatchCommand& command, const RuleSet& rules);

}  // namespace extriage
