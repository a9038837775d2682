// The Exchange build table (data/exchange-builds.tsv) and the version advice computed from it:
// name an installed or target build ("Exchange Server 2019 CU14 Nov24SUv2"), say whether the
// product is past its end of support, and whether a newer SU/HU exists for the same CU. The
// findings it returns (version-*) are computed here, not by YAML rules. `today` is always passed
// in so reports stay deterministic (--today in tests).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/analysis.hpp"
#include "engine/finding.hpp"

namespace extriage {

struct Date {
    int year = 0;
    int month = 0;
    int day = 0;
    auto operator<=>(const Date&) const = default;
    std::string iso() const;   // "2025-10-14"
};

// "2025-10-14"; with allow_month, "2019-01" reads as 2019-01-01 (month-only table dates).
std::optional<Date> parse_iso_date(std::string_view s, bool allow_month = false);
// Today's local date from the system clock (the CLI default when --today is not given).
Date system_today();
// Days from `from` to `to` (negative when `to` is earlier).
int64_t days_between(const Date& from, const Date& to);

// An Exchange build "15.2.1544.14". Parts are parsed as numbers, so ExSetup's zero-padded
// "15.02.1544.014" is the same build. Missing trailing parts are 0 (parts() tells how many).
class BuildNumber {
public:
    static std::optional<BuildNumber> parse(std::string_view s);
    uint32_t operator[](size_t i) const { return v_[i]; }
    int parts() const { return parts_; }
    bool same_cu(const BuildNumber& o) const { return v_[0] == o.v_[0] && v_[1] == o.v_[1] && v_[2] == o.v_[2]; }
    std::string str() const;   // "15.2.1544.14" (3 parts if only 3 were given)
    friend bool operator==(const BuildNumber& a, const BuildNumber& b) { return a.v_ == b.v_; }
    friend auto operator<=>(const BuildNumber& a, const BuildNumber& b) { return a.v_ <=> b.v_; }

private:
    std::array<uint32_t, 4> v_{};
    int parts_ = 0;
};

// The product a build belongs to, by HealthChecker's rules: 15.0 = 2013, 15.1 = 2016,
// 15.2 below build 2562 = 2019, 15.2.2562+ = SE. Empty for anything else.
std::string product_of(const BuildNumber& b);

struct BuildInfo {
    std::string product;                  // "Exchange Server 2019"
    std::string name;                     // "Exchange Server 2019 CU14 Nov24SUv2"
    BuildNumber build;
    std::string release_date;             // as in the table (YYYY-MM-DD or YYYY-MM)
    std::optional<Date> released;         // month-only dates read as the 1st
    std::string type;                     // RTM, CU, SU, HU, Preview
    std::string base_cu;                  // "CU14", "RTM"
    std::optional<Date> end_of_support;   // none: no fixed date (Exchange SE, Modern Lifecycle)
    std::string url;                      // KB or release page, may be empty
};

class BuildTable {
public:
    // Parses the TSV (header line naming the columns; '#' lines are comments). Bad lines are
    // skipped and described in *errors as "line N: ...".
    static BuildTable parse(std::string_view tsv, std::vector<std::string>* errors = nullptr);
    // Reads and parses a file; nullopt (with `error`) if it cannot be read or has no rows. The
    // shipped table is loaded by shipped_build_table() (app/shipped_data.hpp).
    static std::optional<BuildTable> load(const std::string& path, std::string& error);

    const std::vector<BuildInfo>& rows() const { return rows_; }
    size_t size() const { return rows_.size(); }

    struct Match {
        const BuildInfo* info = nullptr;   // the exact row, or the nearest lower one of the same CU
        bool exact = false;
    };
    Match lookup(const BuildNumber& b) const;
    // The CU (or RTM) row the given row's updates belong to.
    const BuildInfo* cu_row(const BuildInfo& row) const;
    // Newest row of the same product and CU released on or before `today`.
    const BuildInfo* latest_for_cu(const BuildInfo& row, const Date& today) const;
    // Newest non-preview row of the product released on or before `today`.
    const BuildInfo* latest_for_product(std::string_view product, const Date& today) const;
    // End of support of a product (from any of its rows); nullopt when there is none.
    std::optional<Date> end_of_support(std::string_view product) const;
    // The row released last (the table's age); nullptr for a table without release dates.
    const BuildInfo* newest_release() const;

private:
    std::vector<BuildInfo> rows_;   // sorted by build
};

// "Exchange Server 2019 CU14 Nov24SUv2" for a known build; "Exchange Server 2019 CU14
// (15.2.1544.15, newer than Nov24SUv2)" for an unlisted build of a known CU; "Exchange Server
// 2019 build 15.2.9999.1" (or "build ...") otherwise.
std::string describe_build(const BuildTable& table, const BuildNumber& b);

// The builds one setup run or MSI session tells about. `current` is the build the server runs now
// (setup: the target if the run succeeded, else installed_version/previous_version; MSI:
// update_version if the SU installed, else product_version); `before` is the build it ran before
// the run started (installed/previous version, MSI product version); `target` the build the run
// installs.
struct ServerBuilds {
    const Segment* seg = nullptr;
    bool prepares_ad = false;       // /PrepareSchema, /PrepareAD, /PrepareDomain...: installs nothing on the server
    bool upgrade_unfinished = false;   // a CU upgrade that failed or never ended: the target CU is still to come
    std::optional<BuildNumber> current;
    std::string current_fact;       // the segment fact the current build came from
    std::string current_source;     // how to read it
    std::optional<BuildNumber> before;
    std::optional<BuildNumber> target;
    std::string target_fact;
};

// nullopt when the segment names no build.
std::optional<ServerBuilds> server_builds_of(const Segment& s);
// The latest segment with builds of each file, in the order the files were read.
std::vector<ServerBuilds> latest_server_builds(const AnalysisResult& result);
// A computed finding about one run's builds, with the build facts of the run as evidence.
Finding make_build_finding(const ServerBuilds& c, std::string rule_id, std::string title, Level severity);

class BuildIssueTable;

// Version advice for the analysed logs. For the latest setup run / MSI session of each file that
// names builds, it takes the build the server runs now (setup: the target if the run succeeded,
// else installed_version/previous_version; MSI: update_version if the SU installed, else
// product_version) and the target build, and returns findings with rule ids
// version-out-of-support, version-behind-latest-su and version-unknown-build. The same build seen
// in several files is reported once (for the first file).
// With `issues`, advice to install a newer build also names the steps that build needs afterwards.
std::vector<Finding> version_advice(const AnalysisResult& result, const BuildTable& table, const Date& today,
                                    const BuildIssueTable* issues = nullptr);

// Appends version_advice() to result.findings and restores the report order
// (path, run, line, offset, rule id).
// With `issues`, also the version-known-issue and version-post-install findings (app/build_issues.hpp).
void add_version_advice(AnalysisResult& result, const BuildTable& table, const Date& today,
                        const BuildIssueTable* issues = nullptr);

}  // namespace extriage
