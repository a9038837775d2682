// The result of `extriage timeline`: time-ordered entries (run starts and ends, errors, events,
// matched records, findings) over the analysis they come from. Filled by app/timeline.cpp,
// printed by report/timeline_*.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/analysis.hpp"

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

struct Timeline {
    std::vector<TimelineEntry> entries;   // sorted: time (untimed last), path, line, offset, kind
    uint64_t dropped = 0;                 // record entries beyond max_entries
    size_t max_entries = 0;
    AnalysisResult analysis;
};

}  // namespace extriage
