// The project's own setup-log samples through the whole analysis with the shipped rules, for what
// the golden files cannot show: findings of earlier runs (hidden without --all-runs) and inputs
// that differ only in culture or encoding.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "app/analyze.hpp"
#include "shipped_rules.hpp"

using namespace extriage;

namespace {

using testutil::shipped_rules;

AnalysisResult analyse_sample(const std::string& name) {
    DiagSink diags;
    AnalyzeOptions options;
    options.today = "2026-11-22";
    options.threads = 1;
    return analyze_paths({std::string(EXTRIAGE_TEST_SOURCE_DIR) + "/samples/exchange-setup/" + name}, shipped_rules(),
                         diags, options);
}

std::vector<const Finding*> of_rule(const AnalysisResult& r, std::string_view rule) {
    std::vector<const Finding*> out;
    for (const auto& f : r.findings)
        if (f.rule_id == rule) out.push_back(&f);
    return out;
}

std::string fact_or(const Finding& f, std::string_view name) {
    const std::string* v = f.fact(name);
    return v ? *v : std::string("<absent>");
}

}  // namespace

TEST_CASE("sample runs: each run's DC and DC site come from that run") {
    const AnalysisResult r = analyse_sample("two-runs-dc-site.log");
    REQUIRE(r.runs.size() == 2);
    const auto found = of_rule(r, "prereq-dc-out-of-site");
    REQUIRE(found.size() == 2);
    const Finding& first = found[0]->segment == 0 ? *found[0] : *found[1];
    const Finding& second = found[0]->segment == 0 ? *found[1] : *found[0];
    CHECK_FALSE(first.latest);
    CHECK(fact_or(first, "domain_controller") == "DC05.contoso.com");
    CHECK(fact_or(first, "domain_controller_site") == "BOS-Branch");
    CHECK(second.latest);
    CHECK(fact_or(second, "domain_controller") == "DC07.contoso.com");
    // Run 2 logged an empty DC site: whatever the rule says for "unknown", never run 1's site.
    CHECK(fact_or(second, "domain_controller_site") != "BOS-Branch");
    CHECK(fact_or(second, "site") == "NYC-HQ");
}

TEST_CASE("sample runs: a culture's stamps and an ANSI file change neither runs nor findings") {
    const AnalysisResult de = analyse_sample("culture-dotted-de.log");
    REQUIRE(de.runs.size() == 2);
    for (const Segment& run : de.runs) {
        CAPTURE(run.index);
        CHECK(run.outcome == "failed");
        CHECK(run.time_is_utc);
        CHECK(run.start_ms != kNoTime);
        CHECK(run.end_ms > run.start_ms);
    }
    CHECK(of_rule(de, "prereq-pending-reboot-windows-components").size() == 1);
    CHECK(of_rule(de, "prereq-pending-reboot-session-manager").size() == 1);

    const AnalysisResult dash = analyse_sample("culture-dash.log");
    REQUIRE(dash.runs.size() == 2);
    CHECK(dash.runs[0].outcome == "failed");
    CHECK(dash.runs[1].outcome == "succeeded");
    CHECK(of_rule(dash, "prereq-enterprise-admins-required-preparead").size() == 1);

    const AnalysisResult ansi = analyse_sample("ansi-cp1252.log");
    const auto admins = of_rule(ansi, "prereq-enterprise-admins-required-preparead");
    REQUIRE(admins.size() == 1);
    CHECK(fact_or(*admins[0], "user") == "CONTOSO\\j\xC3\xBCrgen.m\xC3\xBCller");
    REQUIRE_FALSE(admins[0]->remediation.empty());
    CHECK(admins[0]->remediation[0].find("CONTOSO\\j\xC3\xBCrgen.m\xC3\xBCller") != std::string::npos);
}

TEST_CASE("sample runs: a setup log that starts with service-control lines is diagnosed as a setup log") {
    const AnalysisResult r = analyse_sample("service-control-early.log");
    REQUIRE(r.files.size() == 1);
    CHECK(r.files[0].parser == "exchange-setup");
    CHECK(of_rule(r, "error-install-from-bin").size() == 1);
}
