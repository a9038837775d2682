// Known build issues, pulled updates and post-install steps (data/exchange-build-issues.tsv).
#include "advice/build_issues.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "advice/tsv_table.hpp"

namespace extriage {

namespace {


bool is_kind(std::string_view kind) { return kind == "known-issue" || kind == "pulled" || kind == "post-install"; }

}  // namespace

bool BuildIssueRow::applies_to(const BuildNumber& b) const {
    // HealthChecker's TestOnKnownBuildIssue: same major.minor, at or past the first build, before
    // the fix, and on the same CU when the issue is bound to it.
    if (b[0] != first_build[0] || b[1] != first_build[1]) return false;
    if (b < first_build) return false;
    if (build_bound && b[2] != first_build[2]) return false;
    return !fix_build || b < *fix_build;
}

BuildIssueTable BuildIssueTable::parse(std::string_view tsv, std::vector<std::string>* errors) {
    BuildIssueTable t;
    read_tsv(
        tsv, {"kind", "first_build", "issue", "title", "url", "action"},
        [&](uint64_t number, const TsvRow& cell, std::vector<std::string>* errs) {
            auto err = [&](std::string msg) {
                if (errs) errs->push_back(fmt::format("line {}: {}", number, msg));
            };
            BuildIssueRow row;
            row.kind = std::string(cell["kind"]);
            if (!is_kind(row.kind)) return err(fmt::format("unknown kind '{}'", row.kind));
            auto first = BuildNumber::parse(cell["first_build"]);
            if (!first) return err(fmt::format("'{}' is not a build number", cell["first_build"]));
            row.first_build = *first;
            if (!cell["fix_build"].empty()) {
                row.fix_build = BuildNumber::parse(cell["fix_build"]);
                if (!row.fix_build) return err(fmt::format("'{}' is not a build number", cell["fix_build"]));
            }
            const std::string_view bound = cell["build_bound"];
            if (bound != "yes" && bound != "no") return err("build_bound must be yes or no");
            row.build_bound = bound == "yes";
            auto level = parse_level(cell["severity"].empty() ? std::string_view("warning") : cell["severity"]);
            if (!level || *level < Level::info) return err(fmt::format("bad severity '{}'", cell["severity"]));
            row.severity = *level;
            row.issue = std::string(cell["issue"]);
            row.title = std::string(cell["title"]);
            row.url = std::string(cell["url"]);
            row.action = std::string(cell["action"]);
            if (row.issue.empty() || row.title.empty() || row.action.empty())
                return err("issue, title and action must not be empty");
            t.rows_.push_back(std::move(row));
        },
        errors);
    return t;
}

std::optional<BuildIssueTable> BuildIssueTable::load(const std::string& path, std::string& error) {
    auto text = read_whole_file(path, error);
    return text ? parse_tsv_table<BuildIssueTable>(*text, path, "rows", error) : std::nullopt;
}

std::vector<const BuildIssueRow*> BuildIssueTable::issues_for(const BuildNumber& b,
                                                              std::initializer_list<std::string_view> kinds) const {
    std::vector<const BuildIssueRow*> out;
    std::set<std::string_view> seen;
    for (const auto& row : rows_) {
        if (std::find(kinds.begin(), kinds.end(), row.kind) == kinds.end()) continue;
        if (row.applies_to(b) && seen.insert(row.issue).second) out.push_back(&row);
    }
    return out;
}

std::vector<const BuildIssueRow*> BuildIssueTable::steps_for_move(const std::optional<BuildNumber>& from,
                                                                  const BuildNumber& to) const {
    std::set<std::string_view> already;
    if (from)
        for (const auto* row : issues_for(*from, {"post-install"})) already.insert(row->issue);
    std::vector<const BuildIssueRow*> out;
    for (const auto* row : issues_for(to, {"post-install"}))
        if (!already.count(row->issue)) out.push_back(row);
    return out;
}

std::vector<std::string> BuildIssueTable::post_install_steps(const BuildNumber& from, const BuildNumber& to) const {
    std::vector<std::string> out;
    for (const auto* row : steps_for_move(from, to)) out.push_back(row->action);
    return out;
}

namespace {

void add_fact(Finding& f, std::string name, std::string value) {
    if (!value.empty()) f.facts.emplace_back(std::move(name), std::move(value));
}

Finding known_issue_finding(const ServerBuilds& c, const BuildTable& builds, const BuildIssueRow& row,
                            const BuildNumber& build, bool is_target) {
    const bool pulled = row.kind == "pulled";
    Finding f = make_build_finding(c, "version-known-issue",
                                   pulled ? "The update was pulled or replaced" : "The build has a known issue",
                                   row.severity);
    const std::string name = describe_build(builds, build);
    add_fact(f, is_target ? "target_build" : "installed_build", build.str());
    add_fact(f, is_target ? "target_name" : "installed_name", name);
    add_fact(f, "issue", row.issue);
    add_fact(f, "issue_title", row.title);
    std::string fix_name;
    if (row.fix_build) {
        fix_name = describe_build(builds, *row.fix_build);
        add_fact(f, "fixed_build", row.fix_build->str());
        add_fact(f, "fixed_name", fix_name);
    }
    const std::string where = is_target ? fmt::format("The update this run tried to install, {} ({})", name, build.str())
                                        : fmt::format("{} ({})", name, build.str());
    f.message = fmt::format("{}: {}.", where, row.title);
    if (row.fix_build) f.message += fmt::format(" Fixed in {} ({}).", fix_name, row.fix_build->str());
    // The table's action usually says what to install; name the exact build first only when it does not.
    if (row.fix_build && !row.action.starts_with("Install"))
        f.remediation.push_back(fmt::format("Install {} (build {}) or a newer update for this Cumulative Update.",
                                            fix_name, row.fix_build->str()));
    f.remediation.push_back(row.action);
    f.links.push_back({row.title, row.url});
    return f;
}

Finding post_install_finding(const ServerBuilds& c, const BuildTable& builds, const BuildIssueRow& row) {
    const bool installed = c.seg->outcome == "succeeded";
    // Due now when the update went on; a heads-up when the run did not finish.
    const Level severity = installed ? row.severity : Level::info;
    Finding f = make_build_finding(c, "version-post-install",
                                   installed ? "The update that was installed needs a manual step"
                                             : "The update being installed will need a manual step",
                                   severity);
    const std::string name = describe_build(builds, *c.target);
    add_fact(f, "target_build", c.target->str());
    add_fact(f, "target_name", name);
    add_fact(f, "issue", row.issue);
    add_fact(f, "issue_title", row.title);
    f.message = installed ? fmt::format("{} ({}) is installed. {}.", name, c.target->str(), row.title)
                          : fmt::format("Once {} ({}) is installed: {}.", name, c.target->str(), row.title);
    f.remediation.push_back(row.action);
    f.links.push_back({row.title, row.url});
    return f;
}

}  // namespace

std::vector<Finding> build_issue_advice(const AnalysisResult& result, const BuildTable& builds,
                                        const BuildIssueTable& issues) {
    std::vector<Finding> out;
    std::set<std::string> seen;   // "issue|build": one finding per issue and build across files
    for (const ServerBuilds& c : latest_server_builds(result)) {
        if (c.current)
            for (const auto* row : issues.issues_for(*c.current, {"known-issue", "pulled"}))
                if (seen.insert(row->issue + "|" + c.current->str()).second)
                    out.push_back(known_issue_finding(c, builds, *row, *c.current, false));
        // A failed run that tried to install a pulled update: say so before it is retried.
        if (c.target && c.seg->outcome != "succeeded" && !(c.current && *c.current == *c.target))
            for (const auto* row : issues.issues_for(*c.target, {"pulled"}))
                if (seen.insert(row->issue + "|" + c.target->str()).second)
                    out.push_back(known_issue_finding(c, builds, *row, *c.target, true));
        if (c.target)
            for (const auto* row : issues.steps_for_move(c.before, *c.target))
                if (seen.insert(row->issue + "|" + c.target->str()).second)
                    out.push_back(post_install_finding(c, builds, *row));
    }
    return out;
}

}  // namespace extriage
