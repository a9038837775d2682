// JSON reporter (schema "version": 1). Consumers rely on: runs[], findings[] with rule,
// severity, title, facts (object of strings), evidence[] (file, line, text), remediation, links[].
#include <map>

#include <nlohmann/json.hpp>

#include "app/version.hpp"
#include "report/json_common.hpp"
#include "report/report.hpp"
#include "terminal_text.hpp"

namespace extriage {

namespace {

using nlohmann::ordered_json;

ordered_json facts_object(const FactList& facts) {
    ordered_json o = ordered_json::object();
    for (const auto& [k, v] : facts) o[k] = v;
    return o;
}

ordered_json run_json(const Segment& s) {
    ordered_json r;
    r["file"] = s.path;
    r["index"] = s.index;
    r["kind"] = s.kind;
    r["first_line"] = s.first_line;
    r["last_line"] = s.last_line;
    r["start"] = format_time(s.start_ms, s.time_is_utc, true);
    r["end"] = format_time(s.end_ms, s.time_is_utc, true);
    r["outcome"] = s.outcome;
    r["facts"] = facts_object(s.facts);
    if (s.last_error) {
        ordered_json e;
        e["line"] = s.last_error->line;
        e["text"] = s.last_error->text;
        ordered_json ctx = ordered_json::array();
        for (const auto& c : s.error_context) ctx.push_back({{"line", c.line}, {"text", c.text}});
        e["context"] = std::move(ctx);
        r["last_error"] = std::move(e);
    } else {
        r["last_error"] = nullptr;
    }
    return r;
}

ordered_json finding_json(const Finding& f, const std::string& server) {
    ordered_json j;
    j["rule"] = f.rule_id;
    j["severity"] = std::string(level_name(f.severity));
    j["title"] = f.title;
    j["file"] = f.path;
    if (server.empty()) j["server"] = nullptr;
    else j["server"] = server;
    if (f.segment >= 0) j["run"] = f.segment;
    else j["run"] = nullptr;
    j["latest_run"] = f.latest;
    j["message"] = f.message;
    j["facts"] = facts_object(f.facts);
    ordered_json ev = ordered_json::array();
    for (const auto& e : f.evidence) {
        ordered_json x;
        x["file"] = e.path;
        x["line"] = e.line;
        if (e.line == 0) x["offset"] = e.offset;
        x["text"] = e.text;
        ev.push_back(std::move(x));
    }
    j["evidence"] = std::move(ev);
    j["remediation"] = f.remediation;
    ordered_json links = ordered_json::array();
    for (const auto& l : f.links) links.push_back({{"title", l.title}, {"url", l.url}});
    j["links"] = std::move(links);
    if (f.count > 1) j["count"] = f.count;
    if (f.related_run)
        j["related_run"] = {{"file", f.related_run->file}, {"index", f.related_run->index}, {"kind", f.related_run->kind},
                            {"minutes_after", f.related_run->minutes_after}, {"local_time", f.related_run->local_time}};
    return j;
}

}  // namespace

std::string render_json(const AnalysisResult& result, const std::vector<Diagnostic>& diags, const ReportOptions& options) {
    ordered_json doc;
    doc["version"] = 1;
    doc["tool"] = {{"name", "extriage"}, {"version", std::string(tool_version())}};
    ordered_json files = ordered_json::array();
    std::map<std::string, std::string> server_of;   // file path -> server
    for (const auto& f : result.files) {
        files.push_back({{"path", f.path}, {"parser", f.parser}, {"records", f.records}, {"diagnostics", f.diagnostics},
                         {"server", f.server.empty() ? ordered_json(nullptr) : ordered_json(f.server)}});
        server_of[f.path] = f.server;
    }
    doc["files"] = std::move(files);
    ordered_json runs = ordered_json::array();
    for (const auto& s : result.runs) runs.push_back(run_json(s));
    doc["runs"] = std::move(runs);
    ordered_json findings = ordered_json::array();
    std::map<std::string, int> counts{{"critical", 0}, {"error", 0}, {"warning", 0}, {"info", 0}};
    for (const Finding* f : visible_findings(result, options)) {
        findings.push_back(finding_json(*f, server_of[f->path]));
        ++counts[std::string(level_name(f->severity))];
    }
    doc["findings"] = std::move(findings);
    doc["diagnostics"] = diagnostics_json(diags);
    doc["summary"] = {{"files", result.files.size()},
                      {"runs", result.runs.size()},
                      {"findings", {{"critical", counts["critical"]}, {"error", counts["error"]},
                                    {"warning", counts["warning"]}, {"info", counts["info"]}}}};
    // Logs can hold invalid UTF-8: replace it rather than failing the whole report.
    std::string out = doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
    escape_json_controls(out);   // DEL, C1 and bidi controls as \u escapes: safe on a terminal
    return out;
}

nlohmann::ordered_json diagnostics_json(const std::vector<Diagnostic>& diags) {
    nlohmann::ordered_json d = nlohmann::ordered_json::array();
    for (const auto& x : diags) {
        nlohmann::ordered_json j;
        j["severity"] = x.severity == DiagSeverity::error ? "error" : x.severity == DiagSeverity::warning ? "warning" : "note";
        j["file"] = x.path;
        if (x.line) j["line"] = x.line;
        if (x.column) j["column"] = x.column;
        if (x.has_offset) j["offset"] = x.offset;
        j["message"] = x.message;
        j["origin"] = x.origin;
        d.push_back(std::move(j));
    }
    return d;
}

}  // namespace extriage
