// The time chart of the HTML reports: one inline SVG with a lane per kind of entry (setup runs,
// MSI sessions, setup errors, events, findings) on one time axis. Runs are bars coloured by
// outcome, the rest points coloured by severity, each with a tooltip and a link to its place in
// the report. Logs of one case often lie days or years apart (an old event log, a setup run
// yesterday): the axis is broken into stretches where entries are close together, each drawn to
// its own linear scale, with the time skipped between them written on the break ("+666 days"),
// so both the minutes between an event and a run and the days between stretches can be read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "record.hpp"

namespace extriage {

struct ChartItem {
    std::string lane;              // "Setup runs", "Events", ... (lanes appear in order of first use)
    int64_t start_ms = kNoTime;    // untimed items are left out
    int64_t end_ms = kNoTime;      // runs: their end (kNoTime: a point)
    bool bar = false;              // a run: a bar from start to end
    std::string css;               // the shape's class: "r-failed", "p-error"...
    std::string tooltip;           // plain text (escaped when written)
    std::string href;              // "#f-3" or ""; written as given (callers pass own anchors)
    bool local_time = false;       // from a log without a time zone
};

// The chart (a <figure class="chart">), or "" when no item has a time. At most `max_points`
// points per lane are drawn (bars always); the caption says how many were left out.
std::string render_chart(const std::vector<ChartItem>& items, size_t max_points = 1500);

}  // namespace extriage
