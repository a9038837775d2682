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
};

struct AnalysisResult {
    std::vector<FileSummary> files;
    std::vector<Segment> runs;
    std::vector<Finding> findings;
    DiscoverStats discover;
};

struct AnalyzeOptions {
    DiscoverOptions discover;
    CorrelateOptions correlate;   // attaching event findings to setup runs
    bool version_advice = true;   // add computed version-* findings (src/app/builds.hpp)
    bool decode_error_codes = true;   // add decoded_error facts to every finding (src/app/error_codes.hpp)
    std::string today;            // "YYYY-MM-DD" for support-lifecycle advice; "" = the system date
    unsigned threads = 0;         // >1: rule matching on a second thread (PrematchPipeline); 0 = by core count
};

AnalysisResult analyze_paths(const std::vector<std::string>& paths, const RuleSet& rules, DiagSink& diags,
                             const AnalyzeOptions& options = {});

// Parses already-discovered inputs (used by analyze_paths and by batch triage).
// `threads` as in AnalyzeOptions.
AnalysisResult analyze_inputs(const std::vector<InputFile>& inputs, const RuleSet& rules, DiagSink& diags,
                              const CorrelateOptions& correlate = {}, unsigned threads = 1);

// A thread count as the options take it: 0 means the machine's core count.
unsigned threads_or_cores(unsigned requested);

}  // namespace extriage
