// What an analysis produced: the files read, their runs and findings, what discovery skipped,
// and what could not be checked. Filled by the drivers (app/), read by the reporters (report/):
// neither depends on the other through these types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/finding.hpp"
#include "record.hpp"

namespace extriage {

// An input that was not analysed, and why: reports name them so nothing is left out silently.
struct SkippedInput {
    std::string path;             // display path ("a.zip!dir/member" in archives)
    std::string kind;             // "file", "member" (of an archive) or "folder"
    std::string reason;           // "not a log format extriage knows", "the file is empty", "Permission denied"...
};

struct DiscoverStats {
    size_t files_seen = 0;        // files and archive members looked at
    size_t files_skipped = 0;     // files in folders (or members) that no parser recognised
    size_t archives = 0;          // archives opened, nested ones included
    size_t members_refused = 0;   // archive members refused by a safety check (each has a diagnostic)
    std::vector<SkippedInput> skipped;   // every file, member or folder not analysed, in discovery order

    void skip(std::string path, std::string kind, std::string reason) {
        skipped.push_back({std::move(path), std::move(kind), std::move(reason)});
    }
};

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

// An input the analysis would have needed but was not given (advice/coverage.hpp).
struct MissingInput {
    std::string what;       // "the MSI log of the failed update"
    std::string why;        // what in the analysed inputs asks for it
    std::string where;      // where to find it on the server
};

// A check extriage cannot make from logs: it needs the live server (advice/coverage.hpp).
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

// The analysis order of findings: file, run, first evidence line (or offset), rule id.
void sort_findings(std::vector<Finding>& findings);

}  // namespace extriage
