// Unit tests for the build-issue table (data/exchange-build-issues.tsv): which rows apply to a
// build, the version-known-issue and version-post-install findings, and bad table lines.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "advice/build_issues.hpp"
#include "builds_test_util.hpp"

using namespace extriage;
using namespace extriage::test;

namespace {

const BuildIssueTable& issues() {
    static const BuildIssueTable t = [] {
        std::string error;
        auto loaded = BuildIssueTable::load(EXTRIAGE_TEST_SOURCE_DIR "/data/exchange-build-issues.tsv", error);
        REQUIRE_MESSAGE(loaded.has_value(), error);
        CHECK(error.empty());
        return std::move(*loaded);
    }();
    return t;
}

BuildIssueRow row(const char* first, const char* fix, bool bound) {
    BuildIssueRow r;
    r.kind = "known-issue";
    r.first_build = bn(first);
    if (*fix) r.fix_build = bn(fix);
    r.build_bound = bound;
    return r;
}

std::vector<std::string> issue_keys(const std::vector<const BuildIssueRow*>& rows) {
    std::vector<std::string> out;
    for (const auto* r : rows) out.push_back(r->issue);
    return out;
}

}  // namespace

TEST_CASE("build issues: a row applies as HealthChecker's known-build-issue test says") {
    const auto bound = row("15.2.1544.13", "15.2.1544.14", true);
    CHECK(bound.applies_to(bn("15.2.1544.13")));
    CHECK_FALSE(bound.applies_to(bn("15.2.1544.14")));     // the fix
    CHECK_FALSE(bound.applies_to(bn("15.2.1544.9")));      // before the issue
    CHECK_FALSE(bound.applies_to(bn("15.2.1748.10")));     // another CU
    CHECK_FALSE(bound.applies_to(bn("15.1.2507.43")));     // another product line
    const auto open_ended = row("15.2.922.27", "", true);
    CHECK(open_ended.applies_to(bn("15.2.922.27")));
    CHECK(open_ended.applies_to(bn("15.2.922.30")));
    CHECK_FALSE(open_ended.applies_to(bn("15.2.986.5")));
    const auto unbound = row("15.2.1544.4", "", false);
    CHECK(unbound.applies_to(bn("15.2.1748.10")));
    CHECK(unbound.applies_to(bn("15.2.2562.17")));
    CHECK_FALSE(unbound.applies_to(bn("15.2.1258.12")));
}

TEST_CASE("build issues: the shipped table loads; pulled updates and their replacements") {
    const auto& t = issues();
    CHECK(t.rows().size() >= 40);
    // November 2024 SU v1 was pulled and replaced by v2.
    CHECK(issue_keys(t.issues_for(bn("15.2.1544.13"), {"pulled"})) == std::vector<std::string>{"nov24su-v1-pulled"});
    CHECK(t.issues_for(bn("15.2.1544.14"), {"pulled"}).empty());
    // Every row's fixed build, when it names one, is a later build of the same line.
    for (const auto& r : t.rows()) {
        CAPTURE(r.issue);
        if (r.fix_build) CHECK(r.first_build < *r.fix_build);
        CHECK(r.url.starts_with("https://"));
    }
}

TEST_CASE("build issues: parsing reports bad lines and keeps the good ones") {
    std::vector<std::string> errors;
    auto t = BuildIssueTable::parse("# comment\n"
                                    "kind\tseverity\tfirst_build\tfix_build\tbuild_bound\tissue\ttitle\turl\taction\n"
                                    "known-issue\twarning\t15.2.1.1\t\tyes\ta\tT\thttps://x\tDo it.\n"
                                    "nonsense\twarning\t15.2.1.1\t\tyes\tb\tT\thttps://x\tDo it.\n"
                                    "pulled\twarning\tnot-a-build\t\tyes\tc\tT\thttps://x\tDo it.\n"
                                    "pulled\twarning\t15.2.1.1\t15.2.1.2\tmaybe\td\tT\thttps://x\tDo it.\n"
                                    "pulled\tloud\t15.2.1.1\t15.2.1.2\tno\te\tT\thttps://x\tDo it.\n"
                                    "post-install\tinfo\t15.2.1.1\t\tno\tf\tT\thttps://x\t\n",
                                    &errors);
    CHECK(t.rows().size() == 1);
    REQUIRE(errors.size() == 5);
    CHECK(errors[0] == "line 4: unknown kind 'nonsense'");
    CHECK(errors[1] == "line 5: 'not-a-build' is not a build number");
    CHECK(errors[2] == "line 6: build_bound must be yes or no");
    CHECK(errors[3] == "line 7: bad severity 'loud'");
    CHECK(errors[4] == "line 8: issue, title and action must not be empty");
    errors.clear();
    CHECK(BuildIssueTable::parse("kind\tfirst_build\n", &errors).rows().empty());
    CHECK(errors.size() == 1);
}

TEST_CASE("build issues: findings for the build a run leaves and the update it installs") {
    struct Case {
        std::string name;
        Segment run;
        std::vector<std::string> expected;   // "rule-id issue severity"
    };
    const std::vector<Case> cases = {
        {"a server left on the pulled November 2024 SU v1",
         segment("su.log", "msi-session", 0, "succeeded", {{"product_version", "15.2.1544.4"}, {"update_version", "15.2.1544.13"}}),
         {"version-known-issue nov24su-v1-pulled warning"}},
        {"a failed install of the pulled update: named before it is retried",
         segment("su.log", "msi-session", 0, "failed", {{"product_version", "15.2.1258.12"}, {"update_version", "15.2.1258.38"}}),
         {"version-known-issue nov24su-v1-pulled warning", "version-post-install nov23su-serialization-default info"}},
        {"the May 2022 SU installed: /PrepareAllDomains is due",
         segment("su.log", "msi-session", 0, "succeeded", {{"product_version", "15.1.2507.6"}, {"update_version", "15.1.2507.9"}}),
         {"version-post-install may22su-prepare-all-domains warning"}},
        {"the May 2022 SU failed: the step is a heads-up; the installed build's own known issue stays",
         segment("su.log", "msi-session", 0, "failed", {{"product_version", "15.2.1118.7"}, {"update_version", "15.2.1118.9"}}),
         {"version-known-issue mar22su-servicehost warning", "version-post-install may22su-prepare-all-domains info"}},
        {"an upgrade to 2019 CU14 turns Extended Protection on",
         segment("ExchangeSetup.log", "setup-run", 0, "succeeded", {{"setup_version", "15.2.1544.4"}, {"installed_version", "15.2.1258.12"}}),
         {"version-post-install cu14-extended-protection-default warning"}},
        {"CU14 to CU15: Extended Protection was already on, nothing new",
         segment("ExchangeSetup.log", "setup-run", 0, "succeeded", {{"setup_version", "15.2.1748.10"}, {"installed_version", "15.2.1544.4"}}),
         {}},
        {"a build with no known issue",
         segment("ExchangeSetup.log", "setup-run", 0, "succeeded", {{"setup_version", "15.1.2507.6"}, {"installed_version", "15.1.2507.6"}}),
         {"version-known-issue mar22su-servicehost warning"}},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        AnalysisResult result;
        result.runs = {c.run};
        std::vector<std::string> got;
        for (const auto& f : build_issue_advice(result, table(), issues()))
            got.push_back(f.rule_id + " " + fact(f, "issue") + " " + std::string(level_name(f.severity)));
        std::string got_text, want_text;
        for (const auto& g : got) got_text += g + "; ";
        for (const auto& w : c.expected) want_text += w + "; ";
        CHECK(got_text == want_text);
    }
}

TEST_CASE("build issues: a pulled update's finding names the replacement and its announcement") {
    AnalysisResult result;
    result.runs = {segment("su.log", "msi-session", 0, "succeeded", {{"product_version", "15.1.2507.6"}, {"update_version", "15.1.2507.43"}})};
    auto fs = build_issue_advice(result, table(), issues());
    const Finding* f = find(fs, "version-known-issue");
    REQUIRE(f != nullptr);
    CHECK(fact(*f, "installed_build") == "15.1.2507.43");
    CHECK(fact(*f, "fixed_build") == "15.1.2507.44");
    CHECK(fact(*f, "fixed_name") == "Exchange Server 2016 CU23 Nov24SUv2");
    CHECK(f->message.find("Nov24SUv2") != std::string::npos);
    REQUIRE_FALSE(f->remediation.empty());
    CHECK(f->remediation.front().starts_with("Install the re-released November 2024 security update v2"));
    CHECK(f->remediation.size() == 1);
    REQUIRE(f->links.size() == 1);
    CHECK(f->links[0].url.find("re-release-of-november-2024") != std::string::npos);
}

TEST_CASE("build issues: advice to install a newer build names the steps it needs afterwards") {
    AnalysisResult result;
    result.runs = {segment("su.log", "msi-session", 0, "succeeded", {{"product_version", "15.1.2375.7"}, {"update_version", "15.1.2375.17"}})};
    auto fs = version_advice(result, table(), day("2022-06-01"), &issues());
    const Finding* f = find(fs, "version-behind-latest-su");
    REQUIRE(f != nullptr);
    bool prepare_all_domains = false;
    for (const auto& step : f->remediation) prepare_all_domains |= step.find("/PrepareAllDomains") != std::string::npos;
    CHECK(prepare_all_domains);
}
