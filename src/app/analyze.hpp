// The analysis driver: discover inputs, parse each with its parser into the engine, and
// collect findings, runs and per-file statistics in a deterministic order (the result types
// are in model/analysis.hpp).
#pragma once

#include <string>
#include <vector>

#include "advice/correlate.hpp"
#include "diagnostics.hpp"
#include "engine/engine.hpp"
#include "inputs/discover.hpp"
#include "model/analysis.hpp"

namespace extriage {

struct AnalyzeOptions {
    DiscoverOptions discover;
    CorrelateOptions correlate;   // attaching event findings to setup runs
    bool version_advice = true;   // add computed version-* findings (src/app/builds.hpp)
    bool decode_error_codes = true;   // add decoded_error facts to every finding (src/app/error_codes.hpp)
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

// Adds the error "no log extriage can read was found in PATH..." when no input yielded anything:
// nothing recognised, or every recognised file failed before giving a record.
void require_readable_input(const std::vector<std::string>& paths, const AnalysisResult& result, DiagSink& diags);

// A thread count as the options take it: 0 means the machine's core count.
unsigned threads_or_cores(unsigned requested);

}  // namespace extriage
