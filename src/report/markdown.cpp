// Markdown reporter for `extriage analyze` (tickets and chat): the lead headline first, then per
// file its headline and findings with the steps (commands as code), facts, links and evidence
// in code blocks. Text from inputs is escaped (report/markup.hpp): it cannot add links, markup or
// HTML to the ticket.
#include <fmt/format.h>

#include "model/run_labels.hpp"
#include "model/version.hpp"
#include "report/commands.hpp"
#include "report/html_parts.hpp"
#include "report/markdown_parts.hpp"
#include "report/markup.hpp"
#include "report/outline.hpp"
#include "report/report.hpp"

namespace extriage {

std::string md_step(std::string_view step) {
    std::string out;
    for (const auto& piece : split_commands(step)) out += piece.command ? md_code_span(piece.text) : md_escape(piece.text);
    return out;
}

std::string md_headline(const Headline& h) {
    std::string out;
    if (!h.outcome.empty()) out += fmt::format("**{}** {}  \n", md_escape(upper_ascii(h.outcome)), md_escape(h.run_text));
    if (h.top) out += fmt::format("**{}:** {} {}  \n", md_escape(h.cause_label), md_escape(h.cause_message), md_code_span(h.top->rule_id));
    else out += md_escape(h.cause_text) + "  \n";
    if (!h.first_step.empty()) out += fmt::format("**First step:** {}  \n", md_step(h.first_step));
    return out;
}

std::string md_link(const Link& l) {
    const std::string url = safe_link(l.url);
    const std::string title = md_escape(l.title.empty() ? l.url : l.title);
    return url.empty() ? fmt::format("{} ({})", title, md_code_span(l.url)) : fmt::format("[{}](<{}>)", title, url);
}

std::string upper_ascii(std::string s) {
    for (char& c : s)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return s;
}

namespace {

// A code span inside a table cell: GFM splits cells at every "|", even in code, unless escaped.
std::string table_code(std::string_view v) {
    std::string out;
    for (char c : md_code_span(v)) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}

std::string md_finding(const Finding& f) {
    std::string out = fmt::format("### {}: {} {}\n\n", level_name(f.severity), md_escape(f.title), md_code_span(f.rule_id));
    if (!f.latest) out += fmt::format("_From earlier run {}._\n\n", f.segment + 1);
    out += md_escape(f.message) + "\n\n";
    for (const auto& item : f.items)
        out += fmt::format("{}- {}\n", item.under.empty() ? "" : "  ", md_escape(item.text.empty() ? item.name : item.name + ": " + item.text));
    if (!f.items.empty()) out += "\n";
    if (f.related_run) out += fmt::format("_{}_\n\n", md_escape(related_run_label(*f.related_run)));
    else if (f.nearest_run) out += fmt::format("_{}_\n\n", md_escape(related_run_label(*f.nearest_run)));
    if (f.count > 1) out += fmt::format("_{} occurrences_\n\n", f.count);
    if (!f.remediation.empty()) {
        out += "**What to do**\n\n";
        for (size_t i = 0; i < f.remediation.size(); ++i) out += fmt::format("{}. {}\n", i + 1, md_step(f.remediation[i]));
        out += "\n";
    }
    if (!f.facts.empty()) {
        out += "| Fact | Value |\n|---|---|\n";
        for (const auto& [k, v] : f.facts)
            out += fmt::format("| {} | {} |\n", md_escape(k), k.find("command") != std::string::npos ? table_code(v) : md_escape(v));
        out += "\n";
    }
    if (!f.links.empty()) {
        out += "**Sources**\n\n";
        for (const auto& l : f.links) out += fmt::format("- {}\n", md_link(l));
        out += "\n";
    }
    if (!f.evidence.empty()) {
        std::string lines;
        for (const auto& e : f.evidence) lines += evidence_location(e) + "\n  " + e.text + "\n";
        lines.pop_back();
        out += fmt::format("**Evidence**\n\n{}\n", md_code_block(lines, "text"));
    }
    return out;
}

}  // namespace

std::string render_markdown(const AnalysisResult& result, const std::vector<Diagnostic>& diags, const ReportOptions& options) {
    const Outline o = build_outline(result, options);
    const FileSection* lead = lead_section(o, summarize_analysis(result, options).top);
    std::string out = "# extriage report\n\n";
    if (lead) out += md_headline(lead->headline) + fmt::format("_From {}_\n\n", md_escape(lead->file->path));
    auto count = [&](Level l) { return o.counts.count(l) ? o.counts.at(l) : size_t{0}; };
    out += fmt::format("{} file(s), {} run(s), {} finding(s)", result.files.size(), result.runs.size(), o.shown);
    if (o.shown)
        out += fmt::format(" ({} critical, {} error, {} warning, {} info)", count(Level::critical), count(Level::error), count(Level::warning),
                           count(Level::info));
    out += "\n\n";
    for (const auto& s : o.sections) {
        out += fmt::format("## {}\n\n_{}_\n\n", md_escape(s.file->path), md_escape(file_description(*s.file)));
        out += md_headline(s.headline) + "\n";
        for (const auto& of : s.findings) out += md_finding(*of.finding);
        for (const auto& [run, n] : s.shown_elsewhere)
            out += fmt::format("_{} finding{} of this file shown with {}._\n\n", n, n == 1 ? "" : "s", md_escape(run));
    }
    if (!diags.empty()) {
        out += "## Problems reading inputs\n\n";
        std::string lines;
        for (const auto& d : diags) lines += d.format() + "\n";
        lines.pop_back();
        out += md_code_block(lines, "text") + "\n";
    }
    const auto hidden = hidden_notes(o, options);
    if (!result.missing_inputs.empty() || !result.live_checks.empty() || !hidden.empty()) {
        out += "## Not checked\n\n";
        for (const auto& note : hidden) out += fmt::format("- {}\n", md_escape(note));
        for (const auto& m : result.missing_inputs)
            out += fmt::format("- Missing input: **{}**: {} (where: {})\n", md_escape(m.what), md_escape(m.why), md_escape(m.where));
        for (const auto& c : result.live_checks) out += fmt::format("- Needs the live server: {}: {}\n", md_escape(c.check), md_step(c.command));
        out += "\n";
    }
    out += fmt::format("_extriage {}_\n", md_escape(tool_version()));
    return out;
}

}  // namespace extriage
