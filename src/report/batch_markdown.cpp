// Markdown rendering of `extriage batch`: one table row per bundle (outcome, top cause with its
// first step, build, findings by severity).
#include <fmt/format.h>

#include "model/version.hpp"
#include "report/markdown_parts.hpp"
#include "report/markup.hpp"
#include "report/report.hpp"

namespace extriage {

std::string render_batch_markdown(const BatchResult& result, const ReportOptions& options) {
    std::string out = "# extriage batch report\n\n| Bundle | Server | Outcome | Top cause | Build | Crit | Err | Warn | Info |\n"
                      "|---|---|---|---|---|--:|--:|--:|--:|\n";
    std::string steps;
    for (const auto& b : result.bundles) {
        const BundleSummary s = summarize_bundle(b, options);
        const std::string build = !s.setup_version.empty() ? s.setup_version : s.installed_version;
        out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", md_escape(s.bundle), md_escape(s.server),
                           md_escape(upper_ascii(s.outcome)),
                           s.top ? fmt::format("{} {} {}", level_name(s.top->severity), md_escape(s.top->title), md_code_span(s.top->rule_id)) : "",
                           md_escape(build), s.critical, s.error, s.warning, s.info);
        if (s.top && s.top->severity >= Level::error && !s.top->remediation.empty())
            steps += fmt::format("- **{}**: {}\n", md_escape(s.bundle), md_step(s.top->remediation.front()));
    }
    if (!steps.empty()) out += "\n## First steps\n\n" + steps;
    out += fmt::format("\n_extriage {}: {} bundle(s)_\n", md_escape(tool_version()), result.bundles.size());
    return out;
}

}  // namespace extriage
