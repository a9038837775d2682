// How reports and analyses name runs and their distance to events: labels of the model's data
// (Segment kinds, RelatedRun), and which parsers' records are events.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/finding.hpp"

namespace extriage {

// Parsers whose findings are events (and so get attached to runs).
bool is_event_parser(std::string_view parser);

// "setup run", "MSI session", "ServiceControl run" for a Segment::kind (the kind itself otherwise).
std::string_view run_kind_label(std::string_view kind);

// "during setup run 2 of C:\ExchangeSetupLogs\ExchangeSetup.log", "12 min after MSI session 1 of x.log",
// "666 days before setup run 1 of x.log", with a note when the run's times are server-local.
std::string related_run_label(const RelatedRun& run);

// "45 min", "5 h", "666 days": a distance in minutes, rounded down to the unit shown.
std::string format_distance(int64_t minutes);

}  // namespace extriage
