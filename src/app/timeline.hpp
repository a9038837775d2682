// `extriage timeline`: one time-ordered view over every input: setup run starts and ends with
// their outcome, setup [ERROR] lines, event records at warning or above, every record a rule
// matched (from the findings' evidence) and the findings themselves. It runs the normal analysis
// (analyze_inputs) with a tap on each parser's records, keeping only timeline-worthy ones, so
// memory is bounded by max_entries, not by input size. The result types are in model/timeline.hpp, rendering in report/timeline_*.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/analyze.hpp"
#include "diagnostics.hpp"
#include "model/timeline.hpp"

namespace extriage {

struct TimelineOptions {
    AnalyzeOptions analyze;
    size_t max_entries = 100000;   // cap on record entries (runs and findings are always kept)
};

Timeline build_timeline(const std::vector<std::string>& paths, const RuleSet& rules, DiagSink& diags,
                        const TimelineOptions& options = {});
// Same over already-discovered inputs (tests, bundles).
Timeline build_timeline_from_inputs(std::vector<InputFile> inputs, const RuleSet& rules, DiagSink& diags,
                                    const TimelineOptions& options = {});

// The deterministic order of entries (exposed for tests).
bool timeline_before(const TimelineEntry& a, const TimelineEntry& b);

}  // namespace extriage
