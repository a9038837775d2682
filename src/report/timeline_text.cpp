// Text rendering of `extriage timeline`: one line per entry in time order, UTC unless marked
// "local" (a log without a time zone), with file:line (or file@offset) for every entry.
#include <fmt/format.h>

#include "app/timeline.hpp"
#include "app/version.hpp"
#include "report/report.hpp"
#include "report/terminal_safe.hpp"

namespace extriage {

namespace {

std::string when(const TimelineEntry& e) {
    if (e.time_ms == kNoTime) return "(no time)";
    std::string t = format_time(e.time_ms, e.time_is_utc, true);
    return e.time_is_utc ? t : t + " local";
}

std::string where(const TimelineEntry& e) {
    return e.line ? fmt::format("{}:{}", e.path, e.line) : fmt::format("{}@{}", e.path, e.offset);
}

}  // namespace

std::string render_timeline_text(const Timeline& raw_timeline, const std::vector<Diagnostic>& diags) {
    Timeline escaped;   // control characters from inputs never reach the terminal raw
    const Timeline& tl = terminal_safe(raw_timeline, escaped);
    std::string out;
    bool any_local = false;
    for (const auto& e : tl.entries) any_local = any_local || (e.time_ms != kNoTime && !e.time_is_utc);
    out += "Timeline (UTC)";
    if (any_local) out += "; \"local\" times come from logs without a time zone and are sorted as if they were UTC";
    out += "\n";
    for (const auto& e : tl.entries) {
        std::string text = e.text;
        if (!e.rule_id.empty()) text = fmt::format("[{}] {}", e.rule_id, text);
        out += fmt::format("{:<30} {:<9} {:<8} {}  {}\n", when(e), timeline_kind_name(e.kind), level_name(e.level), where(e),
                           text);
        if (e.related_run) out += fmt::format("{:<49}({})\n", "", related_run_label(*e.related_run));
    }
    if (!diags.empty()) {
        out += "\nProblems reading inputs:\n";
        for (const auto& d : diags) out += fmt::format("  {}\n", d.format());
    }
    size_t findings = 0;
    for (const auto& e : tl.entries) findings += e.kind == TimelineEntry::Kind::finding;
    out += fmt::format("\nextriage {}: {} file(s), {} run(s), {} finding(s), {} timeline entries", tool_version(),
                       tl.analysis.files.size(), tl.analysis.runs.size(), findings, tl.entries.size());
    if (tl.dropped)
        out += fmt::format("; {} more record(s) not shown (cap {}; --max-entries raises it)", tl.dropped, tl.max_entries);
    out += "\n";
    return out;
}

}  // namespace extriage
