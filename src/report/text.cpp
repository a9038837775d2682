// Terminal reporter: per file, a summary of each setup run, then the findings of the
// latest run with their evidence (file:line), facts, remediation steps and links.
#include <algorithm>
#include <map>

#include <fmt/color.h>
#include <fmt/format.h>

#include "app/version.hpp"
#include "report/report.hpp"
#include "report/terminal_safe.hpp"

namespace extriage {

namespace {

class Painter {
public:
    explicit Painter(bool color) : color_(color) {}
    std::string operator()(std::string_view s, fmt::text_style style) const {
        return color_ ? fmt::format(style, "{}", s) : std::string(s);
    }
    std::string severity(Level l) const {
        std::string name(level_name(l));
        switch (l) {
            case Level::critical: return (*this)(name, fmt::emphasis::bold | fg(fmt::terminal_color::bright_red));
            case Level::error: return (*this)(name, fmt::emphasis::bold | fg(fmt::terminal_color::red));
            case Level::warning: return (*this)(name, fmt::emphasis::bold | fg(fmt::terminal_color::yellow));
            default: return (*this)(name, fg(fmt::terminal_color::cyan));
        }
    }
    std::string outcome(const std::string& o) const {
        std::string up = o;
        std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        if (o == "succeeded") return (*this)(up, fmt::emphasis::bold | fg(fmt::terminal_color::green));
        if (o == "failed") return (*this)(up, fmt::emphasis::bold | fg(fmt::terminal_color::red));
        return (*this)(up, fmt::emphasis::bold | fg(fmt::terminal_color::yellow));
    }
    std::string bold(std::string_view s) const { return (*this)(s, fmt::emphasis::bold); }
    std::string dim(std::string_view s) const { return (*this)(s, fg(fmt::terminal_color::bright_black)); }

private:
    bool color_;
};

const std::string* fact(const Segment& s, std::string_view name) { return s.fact(name); }

std::string_view segment_label(const Segment& s) {
    if (s.kind == "msi-session") return "MSI session";
    if (s.kind == "service-control") return "ServiceControl run";
    return "Run";
}

void append_run(std::string& out, const Segment& s, size_t runs_in_file, const Painter& p) {
    std::string when = format_time(s.start_ms, s.time_is_utc);
    std::string end = format_time(s.end_ms, s.time_is_utc);
    out += fmt::format("  {} {} of {}  lines {}-{}", p.bold(segment_label(s)), s.index + 1, runs_in_file, s.first_line, s.last_line);
    if (!when.empty()) out += fmt::format("  {} .. {}", when, end.substr(end.find(' ') + 1));
    out += fmt::format("  {}\n", p.outcome(s.outcome.empty() ? "unknown" : s.outcome));
    auto line = [&](std::initializer_list<std::pair<const char*, const char*>> items) {
        std::string parts;
        for (const auto& [label, key] : items)
            if (const std::string* v = fact(s, key); v && !v->empty())
                parts += fmt::format("{}{} {}", parts.empty() ? "" : "   ", p.dim(label), *v);
        if (!parts.empty()) out += fmt::format("    {}\n", parts);
    };
    // The summary lines that matter differ per kind of segment; facts not listed stay in the JSON.
    if (s.kind == "msi-session") {
        line({{"Product", "product_name"}, {"Version", "product_version"}, {"Result", "result_code"}});
        line({{"Update", "update_name"}, {"KB", "kb"}, {"Update version", "update_version"}});
        line({{"Failed action", "failed_action"}, {"Custom action", "failed_custom_action"}, {"Elevated", "elevated"}});
        line({{"User", "user"}, {"Command line", "command_line"}});
    } else if (s.kind == "service-control") {
        line({{"Operation", "operation"}, {"Roles", "roles"}});
        line({{"Stopped", "services_stopped"}, {"Disabled", "services_disabled"}});
        line({{"Left disabled", "services_left_disabled"}});
    } else {
        line({{"Product", "product"}, {"Setup", "setup_version"}, {"Mode", "mode"}, {"Install mode", "install_mode"}});
        line({{"Installed", "installed_version"}, {"Previous", "previous_version"}, {"Roles", "roles"}});
        line({{"User", "user"}, {"Server", "server_fqdn"}, {"Site", "site"}});
        line({{"DC", "domain_controller"}, {"GC", "global_catalog"}, {"Schema master", "schema_master"}});
    }
    if (s.last_error) out += fmt::format("    {} line {}: {}\n", p.dim("Last error"), s.last_error->line, s.last_error->text);
}

void append_finding(std::string& out, const Finding& f, const Painter& p) {
    out += fmt::format("\n  {} [{}] {}\n", p.severity(f.severity), f.rule_id, p.bold(f.title));
    if (!f.latest) out += fmt::format("    {}\n", p.dim(fmt::format("(from earlier run {})", f.segment + 1)));
    out += fmt::format("    {}\n", f.message);
    if (f.related_run) out += fmt::format("    {}\n", p.dim(fmt::format("({})", related_run_label(*f.related_run))));
    if (f.count > 1) out += fmt::format("    {}\n", p.dim(fmt::format("({} occurrences)", f.count)));
    if (!f.evidence.empty()) {
        out += fmt::format("    {}\n", p.dim("Evidence:"));
        for (const auto& e : f.evidence) {
            std::string loc = e.line ? fmt::format("{}:{}", e.path, e.line) : fmt::format("{}@{}", e.path, e.offset);
            out += fmt::format("      {}  {}\n", p.dim(loc), e.text);
        }
    }
    if (!f.facts.empty()) {
        out += fmt::format("    {}\n", p.dim("Facts:"));
        for (const auto& [k, v] : f.facts) out += fmt::format("      {}: {}\n", k, v);
    }
    if (!f.remediation.empty()) {
        out += fmt::format("    {}\n", p.bold("What to do:"));
        for (size_t i = 0; i < f.remediation.size(); ++i) out += fmt::format("      {}. {}\n", i + 1, f.remediation[i]);
    }
    for (const auto& l : f.links) out += fmt::format("    {} {} <{}>\n", p.dim("See:"), l.title, l.url);
}

}  // namespace

std::string render_text(const AnalysisResult& raw_result, const std::vector<Diagnostic>& diags, const ReportOptions& options) {
    AnalysisResult escaped;   // control characters from inputs never reach the terminal raw
    const AnalysisResult& result = terminal_safe(raw_result, escaped);
    Painter p(options.color);
    std::string out;
    auto shown = visible_findings(result, options);
    std::map<std::string, std::vector<const Segment*>> runs_by_file;
    for (const auto& s : result.runs) runs_by_file[s.path].push_back(&s);
    std::map<std::string, std::vector<const Finding*>> findings_by_file;
    for (const Finding* f : shown) findings_by_file[f->path].push_back(f);

    for (const auto& file : result.files) {
        out += fmt::format("{}  {}\n", p.bold(file.path), p.dim(fmt::format("({}, {} records)", file.parser, file.records)));
        if (!file.server.empty()) out += fmt::format("  {} {}\n", p.dim("Server:"), file.server);
        const auto& runs = runs_by_file[file.path];
        if (!runs.empty()) {
            // Earlier runs get one line each; the latest run gets the full summary.
            for (size_t i = 0; i + 1 < runs.size(); ++i)
                out += fmt::format("  {} {} of {}  lines {}-{}  {}  {}\n", segment_label(*runs[i]), runs[i]->index + 1, runs.size(), runs[i]->first_line,
                                   runs[i]->last_line, format_time(runs[i]->start_ms, runs[i]->time_is_utc),
                                   p.outcome(runs[i]->outcome.empty() ? "unknown" : runs[i]->outcome));
            append_run(out, *runs.back(), runs.size(), p);
        }
        const auto& fs = findings_by_file[file.path];
        if (fs.empty()) out += fmt::format("  {}\n", p.dim("No findings."));
        for (const Finding* f : fs) append_finding(out, *f, p);
        out += "\n";
    }
    if (!diags.empty()) {
        out += p.bold("Problems reading inputs:") + "\n";
        for (const auto& d : diags) out += fmt::format("  {}\n", d.format());
        out += "\n";
    }
    std::map<Level, size_t> counts;
    for (const Finding* f : shown) ++counts[f->severity];
    size_t hidden = 0;
    for (const auto& f : result.findings) hidden += !f.latest && !options.all_runs;
    size_t setup_runs = static_cast<size_t>(
        std::count_if(result.runs.begin(), result.runs.end(), [](const Segment& s) { return s.kind == "setup-run"; }));
    out += fmt::format("extriage {}: {} file(s), {} setup run(s), {} finding(s)", tool_version(), result.files.size(),
                       setup_runs, shown.size());
    if (!shown.empty())
        out += fmt::format(" ({} critical, {} error, {} warning, {} info)", counts[Level::critical], counts[Level::error],
                           counts[Level::warning], counts[Level::info]);
    if (hidden) out += fmt::format("; {} from earlier runs hidden (--all-runs shows them)", hidden);
    if (result.discover.files_skipped)
        out += fmt::format("; {} unrecognised file(s) skipped", result.discover.files_skipped);
    out += "\n";
    return out;
}

}  // namespace extriage
