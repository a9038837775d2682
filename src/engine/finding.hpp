// What the engine reports: a rule that fired, with its facts, evidence and advice.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/rule.hpp"
#include "record.hpp"

namespace extriage {

struct Evidence {
    std::string path;
    uint64_t line = 0;       // 0 for binary inputs
    uint64_t offset = 0;     // byte offset of the record
    std::string text;        // the matching physical line (clipped)
    int64_t time_ms = kNoTime;   // the record's time (Record::time_ms)
    bool time_is_utc = false;
    // The record's text (Record::text, clipped) when `text` does not show all of it (continuation
    // lines, a long line, an event): error codes are decoded from it too (app/error_codes.hpp).
    // Not shown in reports.
    std::string record_text;
};

// The setup run (or MSI session) an event finding happened in or shortly after (app/correlate),
// or, for an event outside every run's window, the nearest run and how far from it the event is.
struct RelatedRun {
    std::string file;          // the log holding the run
    int index = -1;            // Segment::index in that file (0-based)
    std::string kind;          // Segment::kind: "setup-run", "msi-session", ...
    int64_t minutes_after = 0; // 0: during the run (or before it); N: N minutes after it ended
    int64_t minutes_before = 0;   // N > 0: N minutes before the run started (nearest runs only)
    bool local_time = false;   // the run's log had no time zone: its times were compared as if UTC
};

// One line of a finding that lists several things (failed readiness checks): `name: text`,
// indented under the item named `under` when it is only a consequence of that one.
struct FindingItem {
    std::string name;
    std::string text;
    std::string under;         // "" for a top-level item
};

struct Finding {
    std::string rule_id;
    std::string rule_file;
    std::string title;
    Level severity = Level::error;
    std::string path;          // the file the finding is about
    int segment = -1;          // setup run index inside the file, -1 for file-wide findings
    bool latest = true;        // false: found in an earlier run of the same file
    FactList facts;
    std::vector<Evidence> evidence;
    std::string message;
    std::vector<std::string> remediation;
    std::vector<Link> links;
    uint64_t count = 1;        // each_match rules: matching records folded into this finding
    std::optional<RelatedRun> related_run;   // event findings: the setup run they belong to
    std::optional<RelatedRun> nearest_run;   // event findings with no related_run: the closest run in time
    std::vector<FindingItem> items;          // findings folded from several (app/fold.hpp)

    const std::string* fact(std::string_view name) const;
};

}  // namespace extriage
