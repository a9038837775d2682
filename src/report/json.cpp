// JSON reporter, document "version": 2 (README "JSON report" and schema/analyze.schema.json
// describe every field). Findings come in the text report's order (report/outline.hpp), each with
// its category; files carry their headline; skipped[] and not_checked say what was not analysed.
#include <map>

#include <nlohmann/json.hpp>

#include "model/version.hpp"
#include "report/chunked_writer.hpp"
#include "report/json_common.hpp"
#include "report/outline.hpp"
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

ordered_json related_json(const RelatedRun& r) {
    ordered_json j{{"file", r.file}, {"index", r.index}, {"kind", r.kind}, {"minutes_after", r.minutes_after}};
    if (r.minutes_before > 0) j["minutes_before"] = r.minutes_before;
    j["local_time"] = r.local_time;
    return j;
}

ordered_json string_or_null(const std::string& s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); }

ordered_json headline_json(const Headline& h) {
    ordered_json j;
    if (h.run)
        j["run"] = {{"file", h.run->path}, {"index", h.run->index}, {"kind", h.run->kind}, {"of", h.runs_in_file},
                    {"outcome", h.outcome}};
    else
        j["run"] = nullptr;
    if (h.top)
        j["cause"] = {{"rule", h.top->rule_id}, {"severity", std::string(level_name(h.top->severity))}, {"title", h.top->title},
                      {"message", h.cause_message}};
    else
        j["cause"] = nullptr;
    j["first_step"] = string_or_null(h.first_step);
    j["text"] = h.lines();
    return j;
}

ordered_json finding_json(const Finding& f, std::string_view server, FindingRole role) {
    ordered_json j;
    j["rule"] = f.rule_id;
    j["severity"] = std::string(level_name(f.severity));
    j["title"] = f.title;
    j["file"] = f.path;
    if (server.empty()) j["server"] = nullptr;
    else j["server"] = std::string(server);
    if (f.segment >= 0) j["run"] = f.segment;
    else j["run"] = nullptr;
    j["latest_run"] = f.latest;
    j["category"] = std::string(role_name(role));
    j["message"] = f.message;
    if (!f.items.empty()) {
        ordered_json items = ordered_json::array();
        for (const auto& i : f.items) items.push_back({{"name", i.name}, {"text", i.text}, {"under", string_or_null(i.under)}});
        j["items"] = std::move(items);
    }
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
    if (f.related_run) j["related_run"] = related_json(*f.related_run);
    if (f.nearest_run) j["nearest_run"] = related_json(*f.nearest_run);
    return j;
}

// The document is written member by member and array element by array element, each dumped as
// nlohmann would dump it inside the whole document (same indentation), so a report of 100,000
// files never exists as one tree or one string.
class JsonDocumentWriter {
public:
    explicit JsonDocumentWriter(const ReportWriter& out) : out_(out) { out_.append("{"); }

    void member(std::string_view key, const ordered_json& value) {
        open_member(key);
        emit(value, 2);
    }
    void begin_array(std::string_view key) {
        open_member(key);
        out_.append("[");
        elements_ = 0;
    }
    void element(const ordered_json& value) {
        out_.append(elements_++ ? ",\n    " : "\n    ");
        emit(value, 4);
    }
    void end_array() { out_.append(elements_ ? "\n  ]" : "]"); }
    void finish() {
        out_.append("\n}\n");
        out_.flush();
    }

private:
    void open_member(std::string_view key) {
        out_.append(members_++ ? ",\n  " : "\n  ");
        out_.append(ordered_json(std::string(key)).dump());
        out_.append(": ");
    }
    void emit(const ordered_json& value, size_t indent) {
        // Logs can hold invalid UTF-8: replace it rather than failing the whole report.
        std::string text = value.dump(2, ' ', false, ordered_json::error_handler_t::replace);
        std::string shifted;
        shifted.reserve(text.size());
        // A dumped value has raw newlines only between its lines (strings hold \n escapes).
        for (char c : text) {
            shifted += c;
            if (c == '\n') shifted.append(indent, ' ');
        }
        escape_json_controls(shifted);   // DEL, C1 and bidi controls as \u escapes: safe on a terminal
        out_.append(shifted);
        out_.piece_done();
    }

    ChunkedWriter out_;
    size_t members_ = 0;
    size_t elements_ = 0;
};

}  // namespace

void write_json(const AnalysisResult& result, const std::vector<Diagnostic>& diags, const ReportOptions& options,
                const ReportWriter& out) {
    const Outline o = build_outline(result, options);
    JsonDocumentWriter doc(out);
    doc.member("version", 2);
    doc.member("tool", {{"name", "extriage"}, {"version", std::string(tool_version())}});
    std::map<std::string_view, std::string_view> server_of;   // file path -> server
    doc.begin_array("files");
    for (const auto& s : o.sections) {
        const FileSummary& f = *s.file;
        doc.element({{"path", f.path}, {"parser", f.parser}, {"records", f.records}, {"diagnostics", f.diagnostics},
                     {"server", string_or_null(f.server)}, {"channel", string_or_null(f.channel)},
                     {"last_time", string_or_null(format_time(f.last_time_ms, f.last_time_is_utc, true))},
                     {"age_days", f.age_days >= 0 ? ordered_json(f.age_days) : ordered_json(nullptr)},
                     {"headline", headline_json(s.headline)}});
        server_of[f.path] = f.server;
    }
    doc.end_array();
    doc.begin_array("runs");
    for (const auto& s : result.runs) doc.element(run_json(s));
    doc.end_array();
    doc.begin_array("findings");
    for (const auto& s : o.sections)
        for (const auto& of : s.findings) {
            auto server = server_of.find(of.finding->path);
            doc.element(finding_json(*of.finding, server == server_of.end() ? std::string_view() : server->second, of.role));
        }
    doc.end_array();
    doc.begin_array("diagnostics");
    for (const auto& d : diags) doc.element(diagnostic_json(d));
    doc.end_array();
    doc.begin_array("skipped");
    for (const auto& s : result.discover.skipped) doc.element({{"path", s.path}, {"kind", s.kind}, {"reason", s.reason}});
    doc.end_array();
    ordered_json missing = ordered_json::array();
    for (const auto& m : result.missing_inputs) missing.push_back({{"what", m.what}, {"why", m.why}, {"where", m.where}});
    ordered_json live = ordered_json::array();
    for (const auto& c : result.live_checks) live.push_back({{"check", c.check}, {"command", c.command}});
    doc.member("not_checked", {{"missing_inputs", std::move(missing)}, {"live_server", std::move(live)}});
    auto count = [&](Level l) { return o.counts.count(l) ? o.counts.at(l) : size_t{0}; };
    doc.member("summary", {{"files", result.files.size()},
                           {"runs", result.runs.size()},
                           {"setup_runs", o.setup_runs},
                           {"findings", {{"critical", count(Level::critical)}, {"error", count(Level::error)},
                                         {"warning", count(Level::warning)}, {"info", count(Level::info)}}},
                           {"hidden", {{"below_min_severity", o.hidden_below_min_severity}, {"earlier_runs", o.hidden_earlier_runs}}}});
    doc.finish();
}

std::string render_json(const AnalysisResult& result, const std::vector<Diagnostic>& diags, const ReportOptions& options) {
    std::string out;
    write_json(result, diags, options, [&](std::string_view piece) { out += piece; });
    return out;
}

nlohmann::ordered_json diagnostic_json(const Diagnostic& x) {
    nlohmann::ordered_json j;
    j["severity"] = x.severity == DiagSeverity::error ? "error" : x.severity == DiagSeverity::warning ? "warning" : "note";
    j["file"] = x.path;
    if (x.line) j["line"] = x.line;
    if (x.column) j["column"] = x.column;
    if (x.has_offset) j["offset"] = x.offset;
    j["message"] = x.message;
    j["origin"] = x.origin;
    return j;
}

nlohmann::ordered_json diagnostics_json(const std::vector<Diagnostic>& diags) {
    nlohmann::ordered_json d = nlohmann::ordered_json::array();
    for (const auto& x : diags) d.push_back(diagnostic_json(x));
    return d;
}

}  // namespace extriage
