// `extriage timeline`: one time-ordered view over every input: setup run starts and ends with
// their outcome, setup [ERROR] lines, event records at warning or above, every record a rule
// matched (from the findings' evidence) and the findings themselves. It runs the normal analysis
// (analyze_inputs) with a tap on each parser's records, keeping only timeline-worthy ones, so
// memory is bounded by max_entries, not by input size. Rendering lives in report/timeline_*.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/analyze.hpp"
#include "diagnostics.hpp"

namespace extriage {

struct TimelineEntry {
    enum class Kind { run_start, run_end, error, event, match, finding };
    Kind kind = Kind::event;
    int64_t time_ms = kNoTime;
    bool time_is_utc = true;       // false: a log without a time zone (local clock, sorted as if UTC)
    Level level = Level::info;
    std::string path;
    uint64_t line = 0;             // 0 for binary inputs: use offset
    uint64_t offset = 0;
    std::string parser;
    std::string text;              // one line
    std::string rule_id;           // findings
    int run = -1;                  // run entries: Segment::index; setup records: their run
    std::string outcome;           // run_end entries
    std::optional<RelatedRun> related_run;   // event findings attached to a run
};

std::string_view timeline_kind_name(TimelineEntry::Kind kind);

struct TimelineOptions {
    AnalyzeOptions analyze;
    size_t max_entries = 100000;   // cap on record entries (runs and findings are always kept)
};

struct Timeline {
    std::vector<TimelineEntry> entries;   // sorted: time (untimed last), path, line, offset, kind
    uint64_t dropped = 0;                 // record entries beyond max_entries
    size_t max_entries = 0;
    AnalysisResult analysis;
};

Timeline build_timeline(const std::vector<std::string>& paths, const RuleSet& rules, DiagSink& diags,
                        const TimelineOptions& options = {});
// Same over already-discovered inputs (tests, bundles).
Timeline build_timeline_from_inputs(std::vector<InputFile> inputs, const RuleSet& rules, DiagSink& diags,
                                    const TimelineOptions& options = {});

// The deterministic order of entries (exposed for tests).
bool timeline_before(const TimelineEntry& a, const TimelineEntry& b);

// report/timeline_text.cpp and report/timeline_json.cpp
std::string render_timeline_text(const Timeline& timeline, const std::vector<Diagnostic>& diags, bool color = false);
std::string render_timeline_json(const Timeline& timeline, const std::vector<Diagnostic>& diags);

}  // namespace extriage
