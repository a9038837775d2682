// Build table loading, build naming and the computed version-* findings.
#include "advice/builds.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <iterator>
#include <map>
#include <set>

#include <fmt/format.h>

#include "advice/build_issues.hpp"
#include "advice/tsv_table.hpp"
#include "civil_time.hpp"

namespace extriage {

namespace {

constexpr int kServicedWindowDays = 45;   // a CU that got an update this close to the newest one is still serviced

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

bool parse_int(std::string_view s, int& out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

int64_t day_number(const Date& d) {
    return days_from_civil(d.year, static_cast<unsigned>(d.month), static_cast<unsigned>(d.day));
}

bool released_by(const BuildInfo& row, const Date& today) { return !row.released || *row.released <= today; }

}  // namespace

std::string Date::iso() const { return fmt::format("{:04}-{:02}-{:02}", year, month, day); }

std::optional<Date> parse_iso_date(std::string_view s, bool allow_month) {
    s = trim(s);
    Date d;
    if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
        if (!parse_int(s.substr(0, 4), d.year) || !parse_int(s.substr(5, 2), d.month) || !parse_int(s.substr(8, 2), d.day))
            return std::nullopt;
    } else if (allow_month && s.size() == 7 && s[4] == '-') {
        if (!parse_int(s.substr(0, 4), d.year) || !parse_int(s.substr(5, 2), d.month)) return std::nullopt;
        d.day = 1;
    } else {
        return std::nullopt;
    }
    if (d.year < 1900 || d.month < 1 || d.month > 12 || d.day < 1 ||
        static_cast<unsigned>(d.day) > days_in_month(d.year, static_cast<unsigned>(d.month)))
        return std::nullopt;
    return d;
}

int64_t days_between(const Date& from, const Date& to) { return day_number(to) - day_number(from); }

const BuildInfo* BuildTable::newest_release() const {
    const BuildInfo* newest = nullptr;
    for (const auto& row : rows_)
        if (row.released && (!newest || *row.released > *newest->released)) newest = &row;
    return newest;
}

Date system_today() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
#ifdef _WIN32
    localtime_s(&tm, &now);
#else
    localtime_r(&now, &tm);
#endif
    return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

std::optional<BuildNumber> BuildNumber::parse(std::string_view s) {
    s = trim(s);
    BuildNumber b;
    // AdminDisplayVersion: "Version 15.2 (Build 1544.4)"
    if (s.starts_with("Version ")) {
        const size_t open = s.find("(Build ");
        const size_t close = s.rfind(')');
        if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::nullopt;
        std::string joined = fmt::format("{}.{}", trim(s.substr(8, open - 8)), trim(s.substr(open + 7, close - open - 7)));
        return parse(joined);
    }
    if (!s.empty() && s.back() == '.') s.remove_suffix(1);
    size_t pos = 0;
    while (b.parts_ < 4) {
        size_t dot = s.find('.', pos);
        std::string_view part = s.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos);
        if (part.empty() || part.size() > 9) return std::nullopt;
        uint32_t v = 0;
        auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
        if (ec != std::errc() || p != part.data() + part.size()) return std::nullopt;
        b.v_[static_cast<size_t>(b.parts_++)] = v;
        if (dot == std::string_view::npos) break;
        pos = dot + 1;
        if (b.parts_ == 4) return std::nullopt;   // a fifth part
    }
    if (b.parts_ < 3) return std::nullopt;
    return b;
}

std::string BuildNumber::str() const {
    if (parts_ == 3) return fmt::format("{}.{}.{}", v_[0], v_[1], v_[2]);
    return fmt::format("{}.{}.{}.{}", v_[0], v_[1], v_[2], v_[3]);
}

std::string product_of(const BuildNumber& b) {
    if (b[0] != 15) return {};
    switch (b[1]) {
        case 0: return "Exchange Server 2013";
        case 1: return "Exchange Server 2016";
        case 2: return b[2] >= 2562 ? "Exchange Server SE" : "Exchange Server 2019";
        default: return {};
    }
}

BuildTable BuildTable::parse(std::string_view tsv, std::vector<std::string>* errors) {
    BuildTable t;
    read_tsv(
        tsv, {"product", "release_name", "build"},
        [&](uint64_t number, const TsvRow& cell, std::vector<std::string>* errs) {
            auto err = [&](std::string msg) {
                if (errs) errs->push_back(fmt::format("line {}: {}", number, msg));
            };
            auto build = BuildNumber::parse(cell["build"]);
            if (!build || build->parts() != 4) {
                err(fmt::format("'{}' is not a four-part build number", cell["build"]));
                return;
            }
            BuildInfo row;
            row.product = std::string(cell["product"]);
            row.name = std::string(cell["release_name"]);
            row.build = *build;
            row.release_date = std::string(cell["release_date"]);
            row.released = parse_iso_date(row.release_date, true);
            std::string_view type = cell["type"];
            row.type = std::string(type.substr(0, type.find(' ')));   // "HU (hotfix update)" -> "HU"
            row.base_cu = std::string(cell["base_cu"]);
            row.end_of_support = parse_iso_date(cell["end_of_support"]);
            row.url = std::string(cell["kb_or_release_url"]);
            if (row.product.empty() || row.name.empty()) {
                err("product or release_name is empty");
                return;
            }
            t.rows_.push_back(std::move(row));
        },
        errors, {{"end_of_support", "product_end_of_support"}});
    std::stable_sort(t.rows_.begin(), t.rows_.end(), [](const BuildInfo& a, const BuildInfo& b) { return a.build < b.build; });
    return t;
}

std::optional<BuildTable> BuildTable::load(const std::string& path, std::string& error) {
    auto text = read_whole_file(path, error);
    return text ? parse_tsv_table<BuildTable>(*text, path, "builds", error) : std::nullopt;
}

BuildTable::Match BuildTable::lookup(const BuildNumber& b) const {
    auto it = std::upper_bound(rows_.begin(), rows_.end(), b, [](const BuildNumber& x, const BuildInfo& r) { return x < r.build; });
    if (it == rows_.begin()) return {};
    const BuildInfo& prev = *(it - 1);
    if (prev.build == b) return {&prev, true};
    if (prev.build.same_cu(b)) return {&prev, false};
    return {};
}

const BuildInfo* BuildTable::cu_row(const BuildInfo& row) const {
    if (row.base_cu.empty()) return nullptr;
    for (const auto& r : rows_)
        if (r.product == row.product && r.base_cu == row.base_cu && (r.type == "CU" || r.type == "RTM")) return &r;
    return nullptr;
}

const BuildInfo* BuildTable::latest_for_cu(const BuildInfo& row, const Date& today) const {
    if (row.base_cu.empty()) return released_by(row, today) ? &row : nullptr;
    const BuildInfo* best = nullptr;
    for (const auto& r : rows_)
        if (r.product == row.product && r.base_cu == row.base_cu && r.type != "Preview" && released_by(r, today)) best = &r;
    return best;
}

const BuildInfo* BuildTable::latest_for_product(std::string_view product, const Date& today) const {
    const BuildInfo* best = nullptr;
    for (const auto& r : rows_)
        if (r.product == product && r.type != "Preview" && released_by(r, today)) best = &r;
    return best;
}

std::optional<Date> BuildTable::end_of_support(std::string_view product) const {
    for (const auto& r : rows_)
        if (r.product == product && r.end_of_support) return r.end_of_support;
    return std::nullopt;
}

std::string describe_build(const BuildTable& table, const BuildNumber& b) {
    auto m = table.lookup(b);
    if (m.info && m.exact) return m.info->name;
    if (m.info) {
        const BuildInfo* cu = table.cu_row(*m.info);
        const std::string cu_name = cu ? cu->name : m.info->name;
        if (m.info == cu) return fmt::format("{} (build {})", cu_name, b.str());
        std::string_view update = m.info->name;
        if (update.starts_with(cu_name + " ")) update.remove_prefix(cu_name.size() + 1);
        return fmt::format("{} (build {}, after {})", cu_name, b.str(), update);
    }
    std::string product = product_of(b);
    return product.empty() ? fmt::format("build {}", b.str()) : fmt::format("{} build {}", product, b.str());
}

namespace {

std::optional<BuildNumber> fact_build(const Segment& s, std::string_view name) {
    const std::string* v = s.fact(name);
    return v ? BuildNumber::parse(*v) : std::nullopt;
}

}  // namespace

std::optional<ServerBuilds> server_builds_of(const Segment& s) {
    ServerBuilds c;
    c.seg = &s;
    const bool succeeded = s.outcome == "succeeded";
    if (s.kind == "setup-run") {
        const std::string* mode = s.fact("mode");
        c.prepares_ad = mode && mode->starts_with("Prepare");
        c.target = fact_build(s, "setup_version");
        c.target_fact = "setup_version";
        c.before = fact_build(s, "installed_version");
        if (!c.before) c.before = fact_build(s, "previous_version");
        if (succeeded && c.target && !c.prepares_ad) {
            c.current = c.target;
            c.current_fact = "setup_version";
            c.current_source = "setup version (the run succeeded)";
        } else if (auto b = fact_build(s, "installed_version")) {
            c.current = b;
            c.current_fact = "installed_version";
            c.current_source = "installed version before this setup run (CU level)";
        } else if (auto p = fact_build(s, "previous_version")) {
            c.current = p;
            c.current_fact = "previous_version";
            c.current_source = "previously installed version (CU level)";
        }
    } else if (s.kind == "msi-session") {
        c.target = fact_build(s, "update_version");
        c.target_fact = "update_version";
        c.before = fact_build(s, "product_version");
        if (succeeded && c.target) {
            c.current = c.target;
            c.current_fact = "update_version";
            c.current_source = "the update this MSI session installed";
        } else if (auto b = fact_build(s, "product_version")) {
            c.current = b;
            c.current_fact = "product_version";
            c.current_source = "MSI product version (CU level; SUs installed earlier do not show in it)";
        }
    } else {
        return std::nullopt;
    }
    if (!c.current && !c.target) return std::nullopt;
    c.upgrade_unfinished = s.kind == "setup-run" && !c.prepares_ad && !succeeded && c.current && c.target &&
                           *c.current < *c.target && !c.current->same_cu(*c.target);
    return c;
}

std::vector<ServerBuilds> latest_server_builds(const AnalysisResult& result) {
    std::vector<std::string> order;
    std::map<std::string, ServerBuilds> per_file;
    for (const Segment& s : result.runs) {
        auto c = server_builds_of(s);
        if (!c) continue;
        auto it = per_file.find(s.path);
        if (it == per_file.end()) {
            order.push_back(s.path);
            per_file.emplace(s.path, *c);
        } else if (s.index >= it->second.seg->index) {
            it->second = *c;
        }
    }
    std::vector<ServerBuilds> out;
    for (const auto& path : order) out.push_back(per_file.at(path));
    return out;
}

Finding make_build_finding(const ServerBuilds& c, std::string rule_id, std::string title, Level severity) {
    Finding f;
    f.rule_id = std::move(rule_id);
    f.title = std::move(title);
    f.severity = severity;
    f.path = c.seg->path;
    f.segment = c.seg->index;
    f.latest = true;
    auto add_evidence = [&](const std::string& fact) {
        if (fact.empty()) return;
        const std::string* v = c.seg->fact(fact);
        if (!v) return;
        Evidence e;
        e.path = c.seg->path;
        e.line = c.seg->first_line;
        e.text = fmt::format("{} {}: {} = {}", c.seg->kind, c.seg->index + 1, fact, *v);
        if (std::none_of(f.evidence.begin(), f.evidence.end(), [&](const Evidence& x) { return x.text == e.text; }))
            f.evidence.push_back(std::move(e));
    };
    add_evidence(c.current_fact);
    add_evidence(c.target_fact);
    return f;
}

namespace {

void add_fact(Finding& f, std::string name, std::string value) {
    if (!value.empty()) f.facts.emplace_back(std::move(name), std::move(value));
}

const Link kBuildsLink{"Exchange Server build numbers and release dates",
                       "https://learn.microsoft.com/en-us/exchange/new-features/build-numbers-and-release-dates"};
const Link kHcBuildsLink{"HealthChecker: latest Exchange builds", "https://aka.ms/HC-ExBuilds"};
const Link kWizardLink{"Exchange Update Wizard", "https://aka.ms/ExchangeUpdateWizard"};
const Link kUpgradeLink{"Upgrade to Exchange Server SE", "https://aka.ms/HC-UpgradeToSE"};
const Link kInstallCuLink{"Install the latest Cumulative Update",
                          "https://learn.microsoft.com/en-us/exchange/plan-and-deploy/install-cumulative-updates"};

}  // namespace

std::vector<Finding> version_advice(const AnalysisResult& result, const BuildTable& table, const Date& today,
                                    const BuildIssueTable* issues) {
    std::vector<Finding> out;
    std::set<std::string> seen_pairs, seen_unknown;
    for (const ServerBuilds& c : latest_server_builds(result)) {
        const std::string pair = (c.current ? c.current->str() : "") + "|" + (c.target ? c.target->str() : "");
        if (!seen_pairs.insert(pair).second) continue;

        const BuildNumber ref = c.current ? *c.current : *c.target;
        const auto ref_match = table.lookup(ref);
        const std::string installed_name = c.current ? describe_build(table, *c.current) : std::string();
        const std::string target_name = c.target ? describe_build(table, *c.target) : std::string();
        auto common_facts = [&](Finding& f) {
            if (c.current) {
                add_fact(f, "installed_build", c.current->str());
                add_fact(f, "installed_name", installed_name);
                add_fact(f, "installed_build_source", c.current_source);
            }
            if (c.target && (!c.current || !(*c.target == *c.current))) {
                add_fact(f, "target_build", c.target->str());
                add_fact(f, "target_name", target_name);
            }
        };

        // Builds the table does not know.
        for (const auto& b : {c.current, c.target}) {
            if (!b || table.lookup(*b).info || !seen_unknown.insert(b->str()).second) continue;
            Finding f = make_build_finding(c, "version-unknown-build", "The build is not in the build table", Level::info);
            common_facts(f);
            add_fact(f, "unknown_build", b->str());
            const std::string table_size =
                table.rows().empty() ? std::string("which is empty")
                                     : fmt::format("{} builds, newest {}", table.rows().size(), table.rows().back().build.str());
            f.message = fmt::format(
                "Build {} is not in extriage's build table ({}); it may be newer than the table, an interim or "
                "private build, or mistyped in the log.",
                b->str(), table_size);
            f.remediation = {"Compare the build with Microsoft's build-number list; if it is newer than the table, "
                             "update data/exchange-builds.tsv."};
            f.links = {kBuildsLink};
            out.push_back(std::move(f));
        }

        const std::string product = ref_match.info ? ref_match.info->product : product_of(ref);
        if (product.empty()) continue;

        // End of support.
        if (auto eos = table.end_of_support(product); eos && today > *eos) {
            Finding f = make_build_finding(c, "version-out-of-support", "The Exchange version is out of support", Level::warning);
            common_facts(f);
            add_fact(f, "product", product);
            add_fact(f, "end_of_support", eos->iso());
            add_fact(f, "today", today.iso());
            f.message = fmt::format("{} reached the end of support on {} (today is {}): it no longer gets fixes or "
                                    "support; updates released after that date (if any) belong to the Extended "
                                    "Security Update period and do not make it supported.",
                                    product, eos->iso(), today.iso());
            f.remediation = {
                "Plan the move to a supported version: Exchange Server SE (an in-place upgrade from Exchange 2019 CU14/CU15; "
                "from older versions, a migration).",
                "Until then, keep the Exchange servers on the newest update released for their CU."};
            f.links = {kUpgradeLink, kBuildsLink};
            out.push_back(std::move(f));
        }

        // Newest update for the CU and for the product.
        if (!ref_match.info) continue;
        const BuildInfo* latest_cu = table.latest_for_cu(*ref_match.info, today);
        const BuildInfo* latest_product = table.latest_for_product(product, today);
        if (!latest_cu || !latest_product) continue;
        const bool behind_cu = ref < latest_cu->build;
        bool cu_serviced = true;
        if (latest_cu->released && latest_product->released)
            cu_serviced = day_number(*latest_product->released) - day_number(*latest_cu->released) <= kServicedWindowDays;
        const bool behind_product = !cu_serviced && ref < latest_product->build;
        // The update to install next: for a CU upgrade still to finish, the newest one of the target CU.
        const BuildInfo* target_row = c.target ? table.lookup(*c.target).info : nullptr;
        const BuildInfo* target_latest = target_row ? table.latest_for_cu(*target_row, today) : nullptr;
        if (!c.upgrade_unfinished) target_latest = nullptr;
        const bool target_update_due = target_latest && *c.target < target_latest->build;
        if (!behind_cu && !behind_product && !target_update_due) continue;

        Finding f = make_build_finding(c, "version-behind-latest-su", "A newer security or hotfix update exists for this build",
                                 Level::warning);
        common_facts(f);
        add_fact(f, "latest_build", latest_cu->build.str());
        add_fact(f, "latest_name", latest_cu->name);
        add_fact(f, "latest_released", latest_cu->release_date);
        if (latest_product != latest_cu) {
            add_fact(f, "product_latest_build", latest_product->build.str());
            add_fact(f, "product_latest_name", latest_product->name);
        }
        if (target_latest) {
            add_fact(f, "target_latest_build", target_latest->build.str());
            add_fact(f, "target_latest_name", target_latest->name);
        }
        add_fact(f, "today", today.iso());
        const std::string ref_name = describe_build(table, ref);
        if (behind_cu) {
            f.message = fmt::format("{} ({}) is behind the newest update for its Cumulative Update: {} ({}, released {}).",
                                    ref_name, ref.str(), latest_cu->name, latest_cu->build.str(), latest_cu->release_date);
        } else if (!cu_serviced) {
            f.message = fmt::format("{} ({}) is the newest update for its Cumulative Update, but that CU no longer gets updates.",
                                    ref_name, ref.str());
        } else {
            f.message = fmt::format("{} ({}) is the newest update for its Cumulative Update.", ref_name, ref.str());
        }
        if (target_latest) {
            f.message += fmt::format(" The upgrade to {} did not finish; the newest update for that CU is {} ({}, released {}).",
                                     target_name, target_latest->name, target_latest->build.str(), target_latest->release_date);
            f.remediation.push_back(fmt::format(
                "Finish the upgrade to {} first (fix the cause of the failed run and run setup again); then install {} "
                "(build {}), the newest update for that CU, rather than an update for the CU installed now.",
                target_name, target_latest->name, target_latest->build.str()));
        } else if (behind_cu && c.prepares_ad) {
            f.remediation.push_back(fmt::format(
                "This run prepared Active Directory and installed nothing: once the Exchange servers run {}, install {} "
                "(build {}) on each of them.",
                ref_name, latest_cu->name, latest_cu->build.str()));
        } else if (behind_cu) {
            f.remediation.push_back(fmt::format("Install {} (build {}) on this server.", latest_cu->name, latest_cu->build.str()));
        }
        if (!cu_serviced) {
            f.message += fmt::format(" The newest {} build is {} ({}).", product, latest_product->name, latest_product->build.str());
            f.remediation.push_back(
                c.prepares_ad
                    ? fmt::format("Prepare for a Cumulative Update that still gets security updates (the newest is in {}): run "
                                  "/PrepareSchema and /PrepareAD from that CU's media, then upgrade each Exchange server with it.",
                                  latest_product->name)
                    : fmt::format("Move to a Cumulative Update that still gets security updates (the newest is in {}): run its "
                                  "Setup.exe /Mode:Upgrade, then install the newest SU/HU for it.",
                                  latest_product->name));
        }
        if (c.current && c.current_fact == "product_version")
            f.message += " (The MSI product version shows only the CU; SUs installed earlier do not appear in it: check "
                         "ExSetup.exe's version with HealthChecker.)";
        if (issues && behind_cu)
            for (const auto& step : issues->post_install_steps(ref, latest_cu->build))
                f.remediation.push_back(fmt::format("After {} is installed: {}", latest_cu->name, step));
        f.remediation.push_back("Use the Exchange Update Wizard to get the update order and prerequisites right.");
        f.links = {kHcBuildsLink, kWizardLink, kInstallCuLink, kBuildsLink};
        out.push_back(std::move(f));
    }
    return out;
}

void add_version_advice(AnalysisResult& result, const BuildTable& table, const Date& today,
                        const BuildIssueTable* issues) {
    auto advice = version_advice(result, table, today, issues);
    if (issues) {
        auto known = build_issue_advice(result, table, *issues);
        std::move(known.begin(), known.end(), std::back_inserter(advice));
    }
    for (auto& f : advice) result.findings.push_back(std::move(f));
    sort_findings(result.findings);
}

}  // namespace extriage
