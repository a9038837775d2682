// Batch summary reporters: an aligned text table, RFC 4180 CSV and JSON Lines (one object per
// bundle, "version": 1). Rows come in bundle order (sorted by path); nothing depends on timing.
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/outline.hpp"
#include "report/report.hpp"
#include "model/version.hpp"
#include "report/painter.hpp"
#include "terminal_text.hpp"
#include "text_util.hpp"

namespace extriage {

namespace {

using nlohmann::ordered_json;

std::string build_of(const BundleSummary& s) {
    if (!s.setup_version.empty()) return s.setup_version;
    if (!s.installed_version.empty()) return s.installed_version;
    return "-";
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

ordered_json string_or_null(const std::string& s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); }

std::vector<BundleSummary> summaries(const BatchResult& result, const ReportOptions& options) {
    std::vector<BundleSummary> out;
    out.reserve(result.bundles.size());
    for (const auto& b : result.bundles) out.push_back(summarize_bundle(b, options));
    return out;
}

}  // namespace

BundleSummary summarize_analysis(const AnalysisResult& analysis, const ReportOptions& options) {
    BundleSummary s;
    // The latest setup run: the latest start time; without times, the last one listed.
    const Segment* latest = nullptr;
    for (const auto& run : analysis.runs) {
        if (run.kind != "setup-run") continue;
        if (!latest || run.start_ms == kNoTime || latest->start_ms == kNoTime || run.start_ms >= latest->start_ms)
            latest = &run;
    }
    if (latest) {
        if (const std::string* v = latest->fact("setup_version")) s.setup_version = *v;
        if (const std::string* v = latest->fact("installed_version")) s.installed_version = *v;
        s.outcome = latest->outcome.empty() ? "unknown" : latest->outcome;
    }
    for (const Finding* f : visible_findings(analysis, options)) {
        switch (f->severity) {
            case Level::critical: ++s.critical; break;
            case Level::error: ++s.error; break;
            case Level::warning: ++s.warning; break;
            default: ++s.info; break;
        }
        if (!s.top || f->severity > s.top->severity) s.top = f;
    }
    // The latest setup run's cause (its file's headline) is the bundle's answer when it has one,
    // even if another log holds a more severe finding.
    if (latest) {
        const Outline outline = build_outline(analysis, options);
        for (const auto& section : outline.sections)
            if (section.file->path == latest->path && section.headline.top && section.headline.top->severity >= Level::error)
                s.top = section.headline.top;
    }
    s.files = analysis.files.size();
    return s;
}

BundleSummary summarize_bundle(const BundleResult& bundle, const ReportOptions& options) {
    BundleSummary s = summarize_analysis(bundle.analysis, options);
    s.bundle = bundle.path;
    if (!bundle.servers.empty()) {
        s.server = bundle.servers.front();
        s.other_servers = bundle.servers.size() - 1;
    }
    s.input_errors = bundle.errors;
    return s;
}

std::string csv_field(std::string_view raw) {
    // Safe to print and to open in a spreadsheet: controls escaped, formulas defused (OWASP).
    const std::string value = defuse_csv_formula(escape_for_terminal(raw));
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) return value;
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string render_batch_text(const BatchResult& result, const ReportOptions& options) {
    const std::vector<std::string> header{"BUNDLE", "SERVER", "BUILD", "OUTCOME", "CRIT", "ERR", "WARN", "INFO", "INPUTS",
                                          "TOP FINDING"};
    std::vector<std::vector<std::string>> rows;
    auto all = summaries(result, options);
    size_t failed = 0, with_errors = 0;
    size_t totals[4] = {0, 0, 0, 0};
    std::vector<std::string> servers;
    for (const auto& s : all) {
        std::string server = or_dash(s.server);
        if (s.other_servers) server += fmt::format(" +{}", s.other_servers);
        std::string inputs = fmt::format("{} file{}", s.files, s.files == 1 ? "" : "s");
        if (s.input_errors) inputs += fmt::format(", {} error{}", s.input_errors, s.input_errors == 1 ? "" : "s");
        std::string top = s.top ? fmt::format("{} [{}] {}", level_name(s.top->severity), s.top->rule_id, s.top->title) : "-";
        rows.push_back({printable(s.bundle), printable(server), printable(build_of(s)), or_dash(s.outcome),
                        std::to_string(s.critical), std::to_string(s.error), std::to_string(s.warning), std::to_string(s.info),
                        inputs, printable(top)});
        failed += s.outcome == "failed";
        with_errors += s.input_errors > 0;
        totals[0] += s.critical;
        totals[1] += s.error;
        totals[2] += s.warning;
        totals[3] += s.info;
        if (!s.server.empty()) servers.push_back(s.server);
    }
    std::sort(servers.begin(), servers.end());
    servers.erase(std::unique(servers.begin(), servers.end()), servers.end());

    std::vector<size_t> width(header.size());
    for (size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
    for (const auto& r : rows)
        for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
    // Cells are padded first and painted after, so colour codes do not count towards the width.
    const Painter p(options.color);
    auto line = [&](const std::vector<std::string>& cells, const BundleSummary* s) {
        std::string out;
        for (size_t c = 0; c < cells.size(); ++c) {
            bool numeric = c >= 4 && c <= 7;
            bool last = c + 1 == cells.size();
            if (c) out += "  ";
            std::string cell = numeric ? fmt::format("{:>{}}", cells[c], width[c])
                               : last  ? cells[c]
                                       : fmt::format("{:<{}}", cells[c], width[c]);
            if (s && c == 3 && !s->outcome.empty()) cell = p.outcome_text(cell, s->outcome);
            if (s && last && s->top) {
                const std::string sev(level_name(s->top->severity));
                cell = p.severity(s->top->severity) + cell.substr(std::min(sev.size(), cell.size()));
            }
            out += cell;
        }
        return out + "\n";
    };
    std::string out = line(header, nullptr);
    out = p.bold(out.substr(0, out.size() - 1)) + "\n";
    for (size_t i = 0; i < rows.size(); ++i) out += line(rows[i], &all[i]);
    size_t findings = totals[0] + totals[1] + totals[2] + totals[3];
    out += fmt::format("\nextriage {}: {} bundle(s), {} server(s), {} failed setup run(s), {} finding(s)", tool_version(),
                       all.size(), servers.size(), failed, findings);
    if (findings)
        out += fmt::format(" ({} critical, {} error, {} warning, {} info)", totals[0], totals[1], totals[2], totals[3]);
    if (with_errors) out += fmt::format("; {} bundle(s) with input errors (see stderr)", with_errors);
    out += "\n";
    return out;
}

std::string render_batch_csv(const BatchResult& result, const ReportOptions& options) {
    // RFC 4180: CRLF line ends, a header row, fields quoted only when they need it.
    std::string out =
        "bundle,server,servers,setup_version,installed_version,outcome,critical,error,warning,info,top_severity,top_rule,"
        "top_title,top_file,files,input_errors\r\n";
    size_t i = 0;
    for (const auto& s : summaries(result, options)) {
        const BundleResult& b = result.bundles[i++];
        std::string servers;
        for (const auto& name : b.servers) servers += (servers.empty() ? "" : ";") + name;
        std::vector<std::string> cells{s.bundle,
                                       s.server,
                                       servers,
                                       s.setup_version,
                                       s.installed_version,
                                       s.outcome,
                                       std::to_string(s.critical),
                                       std::to_string(s.error),
                                       std::to_string(s.warning),
                                       std::to_string(s.info),
                                       s.top ? std::string(level_name(s.top->severity)) : "",
                                       s.top ? s.top->rule_id : "",
                                       s.top ? s.top->title : "",
                                       s.top ? s.top->path : "",
                                       std::to_string(s.files),
                                       std::to_string(s.input_errors)};
        for (size_t c = 0; c < cells.size(); ++c) {
            // Not `(c ? "," : "") + csv_field(...)`: GCC 12 warns falsely (-Wrestrict) on const char* + string&&.
            if (c) out += ',';
            out += csv_field(cells[c]);
        }
        out += "\r\n";
    }
    return out;
}

std::string render_batch_jsonl(const BatchResult& result, const ReportOptions& options) {
    std::string out;
    size_t i = 0;
    for (const auto& s : summaries(result, options)) {
        const BundleResult& b = result.bundles[i++];
        ordered_json j;
        j["version"] = 1;
        j["bundle"] = s.bundle;
        j["server"] = string_or_null(s.server);
        j["servers"] = b.servers;
        j["setup_version"] = string_or_null(s.setup_version);
        j["installed_version"] = string_or_null(s.installed_version);
        j["outcome"] = string_or_null(s.outcome);
        j["findings"] = {{"critical", s.critical}, {"error", s.error}, {"warning", s.warning}, {"info", s.info}};
        if (s.top) {
            ordered_json t;
            t["rule"] = s.top->rule_id;
            t["severity"] = std::string(level_name(s.top->severity));
            t["title"] = s.top->title;
            t["file"] = s.top->path;
            t["message"] = s.top->message;
            j["top_finding"] = std::move(t);
        } else {
            j["top_finding"] = nullptr;
        }
        j["files"] = s.files;
        j["input_errors"] = s.input_errors;
        // Logs can hold invalid UTF-8: replace it rather than failing the whole report.
        std::string line = j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
        escape_json_controls(line);
        out += line;
        out += '\n';
    }
    return out;
}

}  // namespace extriage
