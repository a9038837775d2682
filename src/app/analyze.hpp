// The analysis driver: discover inputs, parse each with its parser into the engine, and
// collect findings, runs and per-file statistics in a deterministic order.
#pragma once

#include <string>
#include <vector>

#include "app/correlate.hpp"
#include "app/discover.hpp"
#include "diagnostics.hpp"
#include "engine/engine.hpp"

namespace extriage {

struct FileSummary {
    std::string path;
    std::string parser;
    uint64_t records = 0;
    size_t diagnostics = 0;
    std::string server;     // from the path (InputFile::server), else from the records; "" if unknown
    std::string channel;    // event logs: the channel of the first record ("Application", "System"); else ""
    int64_t last_time_ms = kNoTime;   // the latest record's time (the log's end)
    bool last_time_is_utc = false;
    int64_t age_days = -1;  // days from the log's end to --today (or the system date); -1 when unknown
};

// A log whose end is older than this many days gets a note with its age in reports.
inline constexpr int64_t kOldLogDays = 14;

// An input the analysis would have needed but was not given (app/coverage.hpp).
struct MissingInput {
    std::string what;       // "the MSI log of the failed update"
    std::string why;        // what in the analysed inputs asks for it
    std::string where;      // where to find it on the server
};

// A check extriage cannot make from logs: it needs the live server (app/coverage.hpp).
struct LiveCheck {
    std::string check;      // "installer cache contents"
    std::string command;    // what does it on the server
};

struct AnalysisResult {
    std::vector<FileSummary> files;
    std::vector<Segment> runs;
    std::vector<Finding> findings;
    DiscoverStats discover;
    std::vector<MissingInput> missing_inputs;
    std::vector<LiveCheck> live_checks;
};

struct AnalyzeOptions {
    DiscoverOptions discover;
    CorrelateOptions correlate;   // attaching event findings to setup runs
    bool version_advice = true;   // add computed version-* findings (src/app/builds.hpp)
    std::string today;            // "YYYY-MM-DD" for support-lifecycle advice; "" = the system date
    std::string data_dir;         // --data DIR: the folder holding exchange-builds.tsv; "" = the bundled data
    bool warn_stale_table = true; // warn when the build table is more than 90 days old (app/knowledge.hpp)
    unsigned threads = 0;         // >1: rule matching on a second thread (PrematchPipeline); 0 = by core count
};

AnalysisResult analyze_paths(const std::vector<std::string>& paths, const RuleSet& rules, DiagSink& diags,
                             const AnalyzeOptions& options = {});

// Parses already-discovered inputs (used by analyze_paths and by batch triage).
// `threads` as in AnalyzeOptions.
AnalysisResult analyze_inputs(const std::vector<InputFile>& inputs, const RuleSet& rules, DiagSink& diags,
                              const CorrelateOptions& correlate = {}, unsigned threads = 1);

// Sets FileSummary::age_days from each file's latest record and today ("" = the system date).
void set_ages(AnalysisResult& result, const std::string& today_iso);

// The report order of findings: file, run, first evidence line (or offset), rule id.
void sort_findings(std::vector<Finding>& findings);

// Adds the error "no log extriage can read was found in PATH..." when no input yielded anything:
// nothing recognised, or every recognised file failed before giving a record.
void require_readable_input(const std::vector<std::string>& paths, const AnalysisResult& result, DiagSink& diags);

// A thread count as the options take it: 0 means the machine's core count.
unsigned threads_or_cores(unsigned requested);

}  // namespace extriage
