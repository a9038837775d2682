// Correlation of event-log findings with setup runs: an event finding whose time falls inside a
// setup run (or MSI session) or within a window after its end is attached to that run
// (Finding::related_run), so the report can say "during setup run 2 of ExchangeSetup.log".
// It only reads times the parsers produced; it never re-reads inputs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/finding.hpp"
#include "model/run_labels.hpp"
#include "record.hpp"

namespace extriage {

struct AnalysisResult;

inline constexpr int kDefaultCorrelateWindowMinutes = 60;

struct CorrelateOptions {
    int window_minutes = kDefaultCorrelateWindowMinutes;   // --correlate-window MIN: reach after a run ends
};

// Sets related_run on every event finding of `result` (and clears stale ones). Runs and events
// must come from the same server when both name one. Deterministic: the run that contains the
// event wins over one that ended before it; then the latest start (or end); then path and index.
// An event outside every run's window gets nearest_run instead: the run closest in time, with
// the distance (minutes_before its start or minutes_after its end).
void correlate_findings(AnalysisResult& result, const CorrelateOptions& options = {});

// The run closest in time to `time_ms` (nullptr if no run has a time); exposed for tests.
const Segment* nearest_segment(const std::vector<const Segment*>& runs, int64_t time_ms, int64_t& minutes_before,
                               int64_t& minutes_after);

// The run for an event at `time_ms` among `runs` (nullptr if none); exposed for tests.
const Segment* related_segment(const std::vector<const Segment*>& runs, int64_t time_ms, int window_minutes,
                               int64_t& minutes_after);

}  // namespace extriage
