// Terminal reporter: per file a headline (latest run's outcome, cause, first step), a summary of
// the runs, then the findings in outline order (report/outline.hpp) with their evidence
// (file:line), facts, remediation steps and links; at the end what was not checked. Text that
// comes from inputs goes through printable(): no control character reaches the terminal.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "model/run_labels.hpp"
#include "model/version.hpp"
#include "report/chunked_writer.hpp"
#include "report/outline.hpp"
#include "report/painter.hpp"
#include "report/report.hpp"
#include "text_util.hpp"

namespace extriage {

namespace {

constexpr size_t kSkippedListed = 10;   // skipped inputs named in the text (JSON lists all)

const std::string* fact(const Segment& s, std::string_view name) { return s.fact(name); }

std::string_view segment_label(const Segment& s) {
    if (s.kind == "msi-session") return "MSI session";
    if (s.kind == "service-control") return "ServiceControl run";
    return "Run";
}

std::string outcome_of(const Segment& s) { return s.outcome.empty() ? "unknown" : s.outcome; }

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
                parts += fmt::format("{}{} {}", parts.empty() ? "" : "   ", p.dim(label), printable(*v));
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
    if (s.last_error)
        out += fmt::format("    {} line {}: {}\n", p.dim("Last error"), s.last_error->line, printable(s.last_error->text));
}

// Earlier runs: one line for one, a single summary line for more (their findings are hidden
// without --all-runs, so the latest run and its cause stay near the top).
void append_earlier_runs(std::string& out, const std::vector<const Segment*>& runs, bool all_runs, const Painter& p) {
    if (runs.size() < 2) return;
    const size_t earlier = runs.size() - 1;
    if (earlier == 1 || all_runs) {
        for (size_t i = 0; i < earlier; ++i)
            out += fmt::format("  {} {} of {}  lines {}-{}  {}  {}\n", segment_label(*runs[i]), runs[i]->index + 1, runs.size(),
                               runs[i]->first_line, runs[i]->last_line, format_time(runs[i]->start_ms, runs[i]->time_is_utc),
                               p.outcome(outcome_of(*runs[i])));
        return;
    }
    std::map<std::string, size_t> by_outcome;
    for (size_t i = 0; i < earlier; ++i) ++by_outcome[outcome_of(*runs[i])];
    std::string counts;
    for (const auto& [o, n] : by_outcome) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", n, o);
    std::string first = format_time(runs.front()->start_ms, runs.front()->time_is_utc);
    std::string last = format_time(runs[earlier - 1]->start_ms, runs[earlier - 1]->time_is_utc);
    out += fmt::format("  {}\n", p.dim(fmt::format("Earlier runs 1-{}: {}{}", earlier, counts,
                                                   first.empty() ? "" : fmt::format(" ({} .. {})", first, last))));
}

void append_items(std::string& out, const std::vector<FindingItem>& items) {
    for (const auto& item : items) {
        std::string indent = item.under.empty() ? "      " : "          ";
        std::string line = item.text.empty() ? item.name : fmt::format("{}: {}", item.name, item.text);
        out += fmt::format("{}- {}\n", indent, printable(line));
    }
}

void append_finding(std::string& out, const OutlineFinding& of, const Painter& p) {
    const Finding& f = *of.finding;
    out += fmt::format("\n  {} [{}] {}\n", p.severity(f.severity), f.rule_id, p.bold(printable(f.title)));
    if (!f.latest) out += fmt::format("    {}\n", p.dim(fmt::format("(from earlier run {})", f.segment + 1)));
    out += fmt::format("    {}\n", printable(f.message));
    append_items(out, f.items);
    if (f.related_run) out += fmt::format("    {}\n", p.dim(fmt::format("({})", printable(related_run_label(*f.related_run)))));
    else if (f.nearest_run)
        out += fmt::format("    {}\n", p.dim(fmt::format("({})", printable(related_run_label(*f.nearest_run)))));
    if (f.count > 1) out += fmt::format("    {}\n", p.dim(fmt::format("({} occurrences)", f.count)));
    if (!f.evidence.empty()) {
        out += fmt::format("    {}\n", p.dim("Evidence:"));
        for (const auto& e : f.evidence) {
            std::string loc = e.line ? fmt::format("{}:{}", e.path, e.line) : fmt::format("{}@{}", e.path, e.offset);
            out += fmt::format("      {}  {}\n", p.dim(printable(loc)), printable(e.text));
        }
    }
    if (!f.facts.empty()) {
        out += fmt::format("    {}\n", p.dim("Facts:"));
        for (const auto& [k, v] : f.facts) out += fmt::format("      {}: {}\n", k, printable(v));
    }
    if (!f.remediation.empty()) {
        out += fmt::format("    {}\n", p.bold("What to do:"));
        for (size_t i = 0; i < f.remediation.size(); ++i) out += fmt::format("      {}. {}\n", i + 1, printable(f.remediation[i]));
    }
    for (const auto& l : f.links) out += fmt::format("    {} {} <{}>\n", p.dim("See:"), l.title, l.url);
}

void append_headline(std::string& out, const Headline& h, const Painter& p) {
    if (!h.outcome.empty()) out += fmt::format("  {}  {}\n", p.outcome(h.outcome), printable(h.run_text));
    if (h.top) {
        std::string label = fmt::format("{}:", h.cause_label);
        out += fmt::format("  {} {}\n", h.top->severity >= Level::error ? p.severity_text(label, h.top->severity) : p.bold(label),
                           printable(h.cause_text));
    } else {
        out += fmt::format("  {}\n", printable(h.cause_text));
    }
    if (!h.first_step.empty()) out += fmt::format("  {} {}\n", p.bold("First step:"), printable(h.first_step));
}

void append_file_header(std::string& out, const FileSummary& file, const Painter& p) {
    out += fmt::format("{}  {}\n", p.bold(printable(file.path)), p.dim(fmt::format("({})", printable(file_description(file)))));
}

void append_section(std::string& out, const FileSection& s, const ReportOptions& options, const Painter& p) {
    append_file_header(out, *s.file, p);
    append_headline(out, s.headline, p);
    if (options.brief) return;
    if (!s.runs.empty()) {
        append_earlier_runs(out, s.runs, options.all_runs, p);
        append_run(out, *s.runs.back(), s.runs.size(), p);
    }
    for (const auto& of : s.findings) append_finding(out, of, p);
    for (const auto& [run, n] : s.shown_elsewhere)
        out += fmt::format("\n  {}\n", p.dim(printable(fmt::format("{} finding{} of this file shown with {}.", n, n == 1 ? "" : "s", run))));
    if (s.findings.empty() && s.shown_elsewhere.empty()) out += fmt::format("  {}\n", p.dim("No findings."));
    out += "\n";
}

// What the analysis did not check: skipped inputs, unreadable folders, missing logs, the checks
// that need the live server, and findings hidden by options.
void append_not_checked(std::string& out, const AnalysisResult& result, const Outline& o, const ReportOptions& options,
                        const Painter& p) {
    out += p.bold("Not checked:") + "\n";
    std::vector<const SkippedInput*> files, folders;
    for (const auto& s : result.discover.skipped) (s.kind == "folder" ? folders : files).push_back(&s);
    if (!files.empty()) {
        out += fmt::format("  Skipped {} file{}:\n", files.size(), files.size() == 1 ? "" : "s");
        for (size_t i = 0; i < files.size() && i < kSkippedListed; ++i)
            out += fmt::format("    {} ({})\n", printable(files[i]->path), printable(files[i]->reason));
        if (files.size() > kSkippedListed)
            out += fmt::format("    ... and {} more (--format json lists them all)\n", files.size() - kSkippedListed);
    }
    for (const auto* f : folders) out += fmt::format("  Folder not read: {} ({})\n", printable(f->path), printable(f->reason));
    for (const auto& m : result.missing_inputs) {
        out += fmt::format("  Missing input: {}\n", printable(m.what));
        out += fmt::format("    why: {}\n", printable(m.why));
        out += fmt::format("    where: {}\n", printable(m.where));
    }
    if (!result.live_checks.empty()) {
        out += "  Needs the live server:\n";
        for (const auto& c : result.live_checks) out += fmt::format("    {}: {}\n", c.check, c.command);
    }
    for (const auto& note : hidden_notes(o, options)) out += fmt::format("  {}\n", note);
    out += "\n";
}

}  // namespace

void write_text(const AnalysisResult& result, const std::vector<Diagnostic>& diags, const ReportOptions& options,
                const ReportWriter& write) {
    Painter p(options.color);
    ChunkedWriter writer(write);
    std::string& out = writer.buffer();
    const Outline o = build_outline(result, options);
    for (const auto& s : o.sections) {
        append_section(out, s, options, p);
        writer.piece_done();
    }
    if (options.brief) return writer.flush();
    if (!diags.empty()) {
        out += p.bold("Problems reading inputs:") + "\n";
        for (const auto& d : diags) out += fmt::format("  {}\n", printable(d.format()));
        out += "\n";
    }
    append_not_checked(out, result, o, options, p);
    out += fmt::format("extriage {}: {} file(s), {} run(s) ({} setup run(s)), {} finding(s)", tool_version(),
                       result.files.size(), result.runs.size(), o.setup_runs, o.shown);
    auto count = [&](Level l) { return o.counts.count(l) ? o.counts.at(l) : size_t{0}; };
    if (o.shown)
        out += fmt::format(" ({} critical, {} error, {} warning, {} info)", count(Level::critical), count(Level::error),
                           count(Level::warning), count(Level::info));
    out += "\n";
    writer.flush();
}

std::string render_text(const AnalysisResult& result, const std::vector<Diagnostic>& diags, const ReportOptions& options) {
    std::string out;
    write_text(result, diags, options, [&](std::string_view piece) { out += piece; });
    return out;
}

}  // namespace extriage
