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
    // Reads and parses a file; nullopt (with `error`) if it cannot be read or has no rows.
    static std::optional<BuildTable> load(const std::string& path, std::string& error);
    // default_data_dir()/exchange-builds.tsv
    static std::string default_path();

    const std::vector<BuildInfo>& rows() const { return rows_; }

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

// Version advice for the analysed logs. For the latest setup run / MSI session of each file that
// names builds, it takes the build the server runs now (setup: the target if the run succeeded,
// else installed_version/previous_version; MSI: update_version if the SU installed, else
// product_version) and the target build, and returns findings with rule ids
// version-out-of-support, version-behind-latest-su and version-unknown-build. The same build seen
// in several files is reported once (for the first file).
std::vector<Finding> version_advice(const AnalysisResult& result, const BuildTable& table, const Date& today);

// Appends version_advice() to result.findings and restores the report order
// (path, run, line, offset, rule id).
void add_version_advice(AnalysisResult& result, const BuildTable& table, const Date& today);

}  // namespace extriage
