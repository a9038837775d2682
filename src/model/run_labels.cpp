// Run labels (see the header).
#include "model/run_labels.hpp"

#include <fmt/format.h>

namespace extriage {

bool is_event_parser(std::string_view parser) {
    return parser == "evtx-binary" || parser == "event-xml" || parser == "event-clixml";
}

std::string_view run_kind_label(std::string_view kind) {
    return kind == "setup-run"         ? "setup run"
           : kind == "msi-session"     ? "MSI session"
           : kind == "service-control" ? "ServiceControl run"
                                       : kind;
}

std::string format_distance(int64_t minutes) {
    if (minutes < 120) return fmt::format("{} min", minutes);
    if (minutes < 48 * 60) return fmt::format("{} h", minutes / 60);
    const int64_t days = minutes / (24 * 60);
    return fmt::format("{} day{}", days, days == 1 ? "" : "s");
}

std::string related_run_label(const RelatedRun& run) {
    std::string_view what = run_kind_label(run.kind);
    std::string out = run.minutes_before > 0  ? format_distance(run.minutes_before) + " before "
                      : run.minutes_after > 0 ? format_distance(run.minutes_after) + " after "
                                              : std::string("during ");
    out += fmt::format("{} {} of {}", what, run.index + 1, run.file);
    if (run.local_time) out += " (that log has no time zone: its local times were compared as UTC)";
    return out;
}

}  // namespace extriage
