// JSON rendering of `extriage timeline` ("version": 1): entries[] in time order with time (ISO,
// "Z" when UTC), kind, severity, file, line/offset, text, and rule/run/related_run when known.
#include <nlohmann/json.hpp>

#include "model/timeline.hpp"
#include "model/version.hpp"
#include "report/json_common.hpp"
#include "report/report.hpp"
#include "terminal_text.hpp"

namespace extriage {

std::string render_timeline_json(const Timeline& tl, const std::vector<Diagnostic>& diags) {
    using nlohmann::ordered_json;
    ordered_json doc;
    doc["version"] = 1;
    doc["tool"] = {{"name", "extriage"}, {"version", std::string(tool_version())}};
    ordered_json entries = ordered_json::array();
    size_t findings = 0;
    for (const auto& e : tl.entries) {
        ordered_json j;
        if (e.time_ms == kNoTime) j["time"] = nullptr;
        else j["time"] = format_time(e.time_ms, e.time_is_utc, true);
        j["time_is_utc"] = e.time_ms != kNoTime && e.time_is_utc;
        j["kind"] = std::string(timeline_kind_name(e.kind));
        j["severity"] = std::string(level_name(e.level));
        j["file"] = e.path;
        j["line"] = e.line;
        if (e.line == 0) j["offset"] = e.offset;
        j["parser"] = e.parser;
        j["text"] = e.text;
        if (!e.rule_id.empty()) j["rule"] = e.rule_id;
        if (e.run >= 0) j["run"] = e.run;
        if (!e.outcome.empty()) j["outcome"] = e.outcome;
        if (e.related_run)
            j["related_run"] = {{"file", e.related_run->file},
                                {"index", e.related_run->index},
                                {"kind", e.related_run->kind},
                                {"minutes_after", e.related_run->minutes_after},
                                {"local_time", e.related_run->local_time}};
        findings += e.kind == TimelineEntry::Kind::finding;
        entries.push_back(std::move(j));
    }
    doc["entries"] = std::move(entries);
    doc["dropped"] = tl.dropped;
    doc["max_entries"] = tl.max_entries;
    doc["diagnostics"] = diagnostics_json(diags);
    doc["summary"] = {{"files", tl.analysis.files.size()},
                      {"runs", tl.analysis.runs.size()},
                      {"findings", findings},
                      {"entries", tl.entries.size()}};
    std::string out = doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
    escape_json_controls(out);   // DEL, C1 and bidi controls as \u escapes: safe on a terminal
    return out;
}

}  // namespace extriage
