// HTML rendering of `extriage batch`: the answer across the bundles on top (how many latest setup
// runs failed, the most common cause and its first step), a table of bundles (outcome, top cause,
// installed build and its support state, findings by severity) that the page's script sorts and
// filters without any network, and a section per bundle with each file's headline and the list of
// findings. Rows link to their sections.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "model/version.hpp"
#include "report/html_page.hpp"
#include "report/html_parts.hpp"
#include "report/html_report.hpp"
#include "report/markup.hpp"
#include "report/outline.hpp"
#include "report/report.hpp"

namespace extriage {

namespace {

int severity_rank(const BundleSummary& s) {
    return s.critical ? 4 : s.error ? 3 : s.warning ? 2 : s.info ? 1 : 0;
}

std::string_view rank_name(int rank) {
    static constexpr std::string_view kNames[] = {"none", "info", "warning", "error", "critical"};
    return kNames[rank];
}

// The installed build and its support state, from the version advice of the bundle.
struct BuildState {
    std::string build;     // "Exchange Server 2019 CU14 (15.2.1544.4)" or the bare build
    std::string support;   // "out of support since 2025-10-14", "newer update available", "not in the build table"
};

BuildState build_state(const AnalysisResult& analysis, const BundleSummary& s) {
    BuildState b;
    const Finding* out_of_support = nullptr;
    const Finding* behind = nullptr;
    const Finding* unknown = nullptr;
    for (const auto& f : analysis.findings) {
        if (!f.latest) continue;
        if (f.rule_id == "version-out-of-support" && !out_of_support) out_of_support = &f;
        if (f.rule_id == "version-behind-latest-su" && !behind) behind = &f;
        if (f.rule_id == "version-unknown-build" && !unknown) unknown = &f;
        if (b.build.empty() && f.rule_id.starts_with("version-"))
            if (const std::string* build = f.fact("installed_build")) {
                const std::string* name = f.fact("installed_name");
                b.build = name && !name->empty() ? fmt::format("{} ({})", *name, *build) : *build;
            }
    }
    if (b.build.empty()) b.build = !s.installed_version.empty() ? s.installed_version : s.setup_version;
    if (out_of_support) {
        const std::string* eos = out_of_support->fact("end_of_support");
        b.support = eos ? "out of support since " + *eos : "out of support";
    } else if (behind) {
        const std::string* latest = behind->fact("latest_name");
        b.support = latest ? "behind " + *latest : "newer update available";
    } else if (unknown) {
        b.support = "not in the build table";
    }
    return b;
}

std::string sort_header(std::string_view label, std::string_view key, bool numeric) {
    return fmt::format("<th><button type=\"button\" data-key=\"{}\"{}>{}</button></th>", key, numeric ? " data-num" : "", label);
}

std::string batch_headline(const std::vector<BundleSummary>& all) {
    size_t failed = 0, with_setup = 0;
    std::map<std::string, std::pair<size_t, const Finding*>> causes;   // rule -> bundles, an example
    for (const auto& s : all) {
        failed += s.outcome == "failed";
        with_setup += !s.outcome.empty();
        if (s.top && s.top->severity >= Level::error) {
            auto& c = causes[s.top->rule_id];
            ++c.first;
            if (!c.second || s.top->severity > c.second->severity) c.second = s.top;
        }
    }
    const std::pair<size_t, const Finding*>* common = nullptr;
    for (const auto& [rule, c] : causes)
        if (!common || c.first > common->first || (c.first == common->first && c.second->severity > common->second->severity)) common = &c;
    std::string out = fmt::format("<section class=\"headline {} s-{}\" id=\"headline\">\n", failed ? "o-failed" : "o-none",
                                  common ? level_name(common->second->severity) : "none");
    if (failed)
        out += fmt::format("<p class=\"outcome\">{} {} of {} bundle{} with a setup log: the latest setup run failed</p>\n",
                           outcome_badge("failed"), failed, with_setup, with_setup == 1 ? "" : "s");
    else if (with_setup)
        out += fmt::format("<p class=\"outcome\">No latest setup run failed ({} bundle{} with a setup log)</p>\n", with_setup,
                           with_setup == 1 ? "" : "s");
    else
        out += "<p class=\"outcome\">No bundle holds a setup log.</p>\n";
    if (common) {
        const Finding& f = *common->second;
        out += fmt::format("<p class=\"cause\">{} Most common cause: {} <span class=\"rule\">[{}]</span> ({} of {} bundle{})</p>\n",
                           severity_badge(f.severity), html_escape(f.title), html_escape(f.rule_id), common->first, all.size(),
                           all.size() == 1 ? "" : "s");
        if (!f.remediation.empty())
            out += fmt::format("<p class=\"first-step\"><strong>First step:</strong> {}</p>\n", remediation_step(f.remediation.front()));
    } else {
        out += "<p class=\"cause\">No bundle has a finding at error or above.</p>\n";
    }
    return out + "</section>\n";
}

std::string bundle_section(const BundleResult& b, const BundleSummary& s, size_t index, const ReportOptions& options) {
    std::string out = fmt::format("<section class=\"bundle\" id=\"b-{}\">\n<h2>{}</h2>\n", index, html_escape(b.path));
    std::string servers;
    for (const auto& name : b.servers) servers += (servers.empty() ? "" : ", ") + name;
    out += fmt::format("<p class=\"meta\">{}{} file{}{}</p>\n", servers.empty() ? "" : html_escape("Server " + servers + "; "), s.files,
                       s.files == 1 ? "" : "s", s.input_errors ? fmt::format(", {} input error(s)", s.input_errors) : "");
    const Outline o = build_outline(b.analysis, options);
    for (const auto& section : o.sections) {
        if (!section.headline.top && section.headline.outcome.empty()) continue;   // files with nothing to say
        out += fmt::format("<p class=\"meta small\">{}</p>\n", html_escape(section.file->path));
        out += headline_html(section.headline, "");
    }
    const auto findings = visible_findings(b.analysis, options);
    if (!findings.empty()) {
        out += fmt::format("<details><summary>{} finding{}</summary>\n<ul class=\"findings\">\n", findings.size(), findings.size() == 1 ? "" : "s");
        for (const Finding* f : findings)
            out += fmt::format("<li class=\"finding\" data-severity=\"{}\">{} {} <span class=\"rule\">[{}]</span> <span class=\"meta small\">{}</span></li>\n",
                               level_name(f->severity), severity_badge(f->severity), html_escape(f->title), html_escape(f->rule_id),
                               html_escape(f->path));
        out += "</ul>\n</details>\n";
    }
    if (!b.diagnostics.empty()) {
        out += fmt::format("<details><summary>{} problem{} reading inputs</summary>\n<ul class=\"diags\">\n", b.diagnostics.size(),
                           b.diagnostics.size() == 1 ? "" : "s");
        for (const auto& d : b.diagnostics) out += fmt::format("<li><code>{}</code></li>\n", html_escape(d.format()));
        out += "</ul>\n</details>\n";
    }
    return out + "<p class=\"small\"><a href=\"#bundles\">Back to the table</a></p>\n</section>\n";
}

}  // namespace

std::string render_batch_html(const BatchResult& result, const ReportOptions& options) {
    std::vector<BundleSummary> all;
    all.reserve(result.bundles.size());
    for (const auto& b : result.bundles) all.push_back(summarize_bundle(b, options));
    size_t totals[4] = {0, 0, 0, 0};
    for (const auto& s : all) {
        totals[0] += s.critical;
        totals[1] += s.error;
        totals[2] += s.warning;
        totals[3] += s.info;
    }
    const size_t findings = totals[0] + totals[1] + totals[2] + totals[3];

    std::string out = html_page_begin("extriage batch report", "batch");
    out += "<header>\n<h1>extriage batch report</h1>\n";
    out += fmt::format("<p class=\"meta\">{} bundle{}, {} finding{} ({} critical, {} error, {} warning, {} info)</p>\n</header>\n<main>\n",
                       all.size(), all.size() == 1 ? "" : "s", findings, findings == 1 ? "" : "s", totals[0], totals[1], totals[2], totals[3]);
    out += batch_headline(all);

    out += "<h2>Bundles</h2>\n<div class=\"filters\"><label>Show bundles with findings at <select id=\"min-severity\">"
           "<option value=\"0\">any severity or none</option><option value=\"1\">info or above</option>"
           "<option value=\"2\">warning or above</option><option value=\"3\">error or above</option>"
           "<option value=\"4\">critical</option></select></label>"
           "<label>Filter <input type=\"search\" id=\"filter-text\" placeholder=\"server, rule, build...\"></label>";
    out += fmt::format("<span class=\"meta\">Showing <span id=\"shown\">{}</span> of {}</span></div>\n", all.size(), all.size());
    out += "<table id=\"bundles\"><thead><tr>" + sort_header("Bundle", "bundle", false) + sort_header("Server", "server", false) +
           sort_header("Outcome", "outcome", false) + sort_header("Top cause", "rank", true) + sort_header("Installed build", "build", false) +
           sort_header("Support", "support", false) + sort_header("Crit", "critical", true) + sort_header("Err", "error", true) +
           sort_header("Warn", "warning", true) + sort_header("Info", "info", true) + sort_header("Inputs", "files", true) +
           "</tr></thead>\n<tbody>\n";
    for (size_t i = 0; i < all.size(); ++i) {
        const BundleSummary& s = all[i];
        const BuildState build = build_state(result.bundles[i].analysis, s);
        const int rank = severity_rank(s);
        std::string server = s.server;
        if (s.other_servers) server += fmt::format(" +{}", s.other_servers);
        std::string inputs = fmt::format("{} file{}", s.files, s.files == 1 ? "" : "s");
        if (s.input_errors) inputs += fmt::format(", {} error{}", s.input_errors, s.input_errors == 1 ? "" : "s");
        out += fmt::format(
            "<tr class=\"sev-row-{}\" data-order=\"{}\" data-rank=\"{}\" data-critical=\"{}\" data-error=\"{}\" data-warning=\"{}\" "
            "data-info=\"{}\" data-files=\"{}\"><td><a href=\"#b-{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
            "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
            rank_name(rank), i, rank, s.critical, s.error, s.warning, s.info, s.files, i, html_escape(s.bundle), html_escape(server),
            s.outcome.empty() ? "" : outcome_badge(s.outcome),
            s.top ? fmt::format("{} {} <span class=\"rule\">[{}]</span>", severity_badge(s.top->severity), html_escape(s.top->title),
                                html_escape(s.top->rule_id))
                  : std::string(),
            html_escape(build.build), html_escape(build.support), s.critical, s.error, s.warning, s.info, html_escape(inputs));
    }
    out += "</tbody></table>\n";
    for (size_t i = 0; i < all.size(); ++i) out += bundle_section(result.bundles[i], all[i], i, options);
    out += diagnostics_html(result.diagnostics);
    out += fmt::format("</main>\n<footer id=\"summary\" data-findings=\"{}\" data-bundles=\"{}\">extriage {}: {} bundle(s), {} finding(s)</footer>\n",
                       findings, all.size(), html_escape(tool_version()), all.size(), findings);
    return out + html_page_end();
}

}  // namespace extriage
