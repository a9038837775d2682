// Markdown rendering of `extriage timeline`: the analysis' headline, then one table row per entry
// in time order (UTC unless marked local) with file:line or file@offset.
#include <fmt/format.h>

#include "model/run_labels.hpp"
#include "model/timeline.hpp"
#include "model/version.hpp"
#include "report/markdown_parts.hpp"
#include "report/markup.hpp"
#include "report/outline.hpp"
#include "report/report.hpp"

namespace extriage {

std::string render_timeline_markdown(const Timeline& tl, const std::vector<Diagnostic>& diags) {
    const ReportOptions options;
    const Outline o = build_outline(tl.analysis, options);
    const FileSection* lead = lead_section(o, summarize_analysis(tl.analysis, options).top);
    std::string out = "# extriage timeline\n\n";
    if (lead) out += md_headline(lead->headline) + fmt::format("_From {}_\n\n", md_escape(lead->file->path));
    out += "| Time | Kind | Severity | Where | What |\n|---|---|---|---|---|\n";
    size_t findings = 0;
    for (const auto& e : tl.entries) {
        findings += e.kind == TimelineEntry::Kind::finding;
        std::string when = e.time_ms == kNoTime ? "(no time)" : format_time(e.time_ms, e.time_is_utc) + (e.time_is_utc ? "" : " local");
        const std::string where = e.line ? fmt::format("{}:{}", e.path, e.line) : fmt::format("{}@{}", e.path, e.offset);
        std::string what = md_escape(e.text);
        if (!e.rule_id.empty()) what = md_code_span(e.rule_id) + " " + what;
        if (e.related_run) what += fmt::format(" _({})_", md_escape(related_run_label(*e.related_run)));
        out += fmt::format("| {} | {} | {} | {} | {} |\n", md_escape(when), timeline_kind_name(e.kind), level_name(e.level), md_escape(where), what);
    }
    if (tl.dropped) out += fmt::format("\n{} more record(s) not shown (cap {}; --max-entries raises it).\n", tl.dropped, tl.max_entries);
    if (!diags.empty()) {
        std::string lines;
        for (const auto& d : diags) lines += d.format() + "\n";
        lines.pop_back();
        out += "\n## Problems reading inputs\n\n" + md_code_block(lines, "text");
    }
    out += fmt::format("\n_extriage {}: {} file(s), {} run(s), {} finding(s), {} timeline entries_\n", md_escape(tool_version()),
                       tl.analysis.files.size(), tl.analysis.runs.size(), findings, tl.entries.size());
    return out;
}

}  // namespace extriage
