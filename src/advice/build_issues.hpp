// Known problems of Exchange builds and the manual steps an update needs once it is installed
// (data/exchange-build-issues.tsv): a server on a build with a known issue or on a pulled update
// gets a version-known-issue finding naming the fixed build; a run that puts a server on an update
// that needs a manual step (/PrepareAllDomains after the May 2022 SU, Extended Protection after
// 2019 CU14, ...) gets a version-post-install finding. Which rows apply to a build follows
// HealthChecker's known-build-issues analyzer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "advice/builds.hpp"

namespace extriage {

struct BuildIssueRow {
    std::string kind;                    // known-issue, pulled, post-install
    Level severity = Level::warning;
    BuildNumber first_build;
    std::optional<BuildNumber> fix_build;
    bool build_bound = true;             // only builds of first_build's CU
    std::string issue;                   // rows with the same key are one issue
    std::string title;
    std::string url;
    std::string action;

    bool applies_to(const BuildNumber& b) const;
};

class BuildIssueTable {
public:
    // Parses the TSV (a header line naming the columns; '#' lines are comments). Bad lines are
    // skipped and described in *errors as "line N: ...".
    static BuildIssueTable parse(std::string_view tsv, std::vector<std::string>* errors = nullptr);
    // Reads and parses a file; nullopt (with `error`) if it cannot be read or has no rows. The
    // shipped table is loaded by shipped_build_issues() (app/shipped_data.hpp).
    static std::optional<BuildIssueTable> load(const std::string& path, std::string& error);

    const std::vector<BuildIssueRow>& rows() const { return rows_; }
    size_t size() const { return rows_.size(); }
    // The first row of each issue of these kinds that applies to `b`, in table order.
    std::vector<const BuildIssueRow*> issues_for(const BuildNumber& b, std::initializer_list<std::string_view> kinds) const;
    // Post-install issues that apply to `to` but not to `from` (a run that moves the server onto them).
    std::vector<const BuildIssueRow*> steps_for_move(const std::optional<BuildNumber>& from, const BuildNumber& to) const;
    // The actions of steps_for_move(), for advice that recommends installing `to`.
    std::vector<std::string> post_install_steps(const BuildNumber& from, const BuildNumber& to) const;

private:
    std::vector<BuildIssueRow> rows_;
};

// version-known-issue findings for the build each file's latest run leaves the server on (and for
// a pulled update a failed run tried to install), version-post-install findings for the update a
// run installs. The same issue for the same build is reported once.
std::vector<Finding> build_issue_advice(const AnalysisResult& result, const BuildTable& builds,
                                        const BuildIssueTable& issues);

}  // namespace extriage
