// Unit tests for the build table (data/exchange-builds.tsv), build naming and the computed
// version-* findings.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "advice/builds.hpp"
#include "builds_test_util.hpp"

using namespace extriage;
using namespace extriage::test;


TEST_CASE("builds: build numbers parse in every form Exchange writes them") {
    struct Case {
        const char* in;
        const char* out;   // nullptr: rejected
    };
    const std::vector<Case> cases = {
        {"15.2.1544.14", "15.2.1544.14"},   {"15.02.1544.014", "15.2.1544.14"}, {" 15.1.2507.6. ", "15.1.2507.6"},
        {"15.2.1544", "15.2.1544"},         {"Version 15.2 (Build 1544.4)", "15.2.1544.4"},
        {"15.2", nullptr},                  {"15.2.x.1", nullptr},               {"15.2.1544.14.1", nullptr},
        {"", nullptr},                      {"15..1544.1", nullptr},
    };
    for (const auto& c : cases) {
        CAPTURE(c.in);
        auto b = BuildNumber::parse(c.in);
        if (!c.out) {
            CHECK_FALSE(b.has_value());
            continue;
        }
        REQUIRE(b.has_value());
        CHECK(b->str() == c.out);
    }
    CHECK(bn("15.2.1544.14") < bn("15.2.1544.25"));
    CHECK(bn("15.2.1544.4").same_cu(bn("15.2.1544.39")));
    CHECK_FALSE(bn("15.2.1544.4").same_cu(bn("15.2.1748.10")));
}

TEST_CASE("builds: the product follows HealthChecker's classification") {
    CHECK(product_of(bn("15.0.1497.2")) == "Exchange Server 2013");
    CHECK(product_of(bn("15.1.2507.6")) == "Exchange Server 2016");
    CHECK(product_of(bn("15.2.1748.10")) == "Exchange Server 2019");
    CHECK(product_of(bn("15.2.2561.1")) == "Exchange Server 2019");
    CHECK(product_of(bn("15.2.2562.17")) == "Exchange Server SE");
    CHECK(product_of(bn("14.3.123.4")).empty());
}

TEST_CASE("builds: dates") {
    CHECK(day("2025-10-14").iso() == "2025-10-14");
    CHECK_FALSE(parse_iso_date("2025-02-30").has_value());
    CHECK_FALSE(parse_iso_date("2025-13-01").has_value());
    CHECK_FALSE(parse_iso_date("2019-01").has_value());
    CHECK(parse_iso_date("2019-01", true)->iso() == "2019-01-01");
    CHECK(parse_iso_date("2024-02-29").has_value());
    CHECK(day("2025-10-14") < day("2025-10-15"));
    CHECK(system_today().year >= 2024);
}

TEST_CASE("builds: the shipped table loads and names builds") {
    const BuildTable& t = table();
    CHECK(t.rows().size() > 300);
    struct Case {
        const char* build;
        const char* name;
    };
    const std::vector<Case> cases = {
        {"15.2.1544.14", "Exchange Server 2019 CU14 Nov24SUv2"},
        {"15.02.1544.014", "Exchange Server 2019 CU14 Nov24SUv2"},
        {"15.2.1544.4", "Exchange Server 2019 CU14"},
        {"15.2.1544.15", "Exchange Server 2019 CU14 (build 15.2.1544.15, after Nov24SUv2)"},
        {"15.2.1544.5", "Exchange Server 2019 CU14 (build 15.2.1544.5)"},
        {"15.1.2507.6", "Exchange Server 2016 CU23"},
        {"15.2.2562.17", "Exchange Server SE RTM"},
        {"15.2.2000.1", "Exchange Server 2019 build 15.2.2000.1"},
        {"15.2.9999.1", "Exchange Server SE build 15.2.9999.1"},
        {"16.0.1.1", "build 16.0.1.1"},
        // Both conflicting Mar21SU builds are accepted.
        {"15.1.1415.8", "Exchange Server 2016 CU8 Mar21SU"},
        {"15.1.1415.10", "Exchange Server 2016 CU8 Mar21SU"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.build);
        CHECK(describe_build(t, bn(c.build)) == c.name);
    }
    auto m = t.lookup(bn("15.2.1544.15"));
    REQUIRE(m.info);
    CHECK_FALSE(m.exact);
    CHECK(m.info->build.str() == "15.2.1544.14");
    CHECK_FALSE(t.lookup(bn("15.2.1545.1")).info);
    CHECK(t.lookup(bn("15.2.1544.14")).info->type == "SU");
    CHECK(t.lookup(bn("15.2.1544.25")).info->type == "HU");
}

TEST_CASE("builds: newest update of a CU and of a product, as of a date") {
    const BuildTable& t = table();
    const BuildInfo* cu14 = t.lookup(bn("15.2.1544.4")).info;
    REQUIRE(cu14);
    struct Case {
        const char* today;
        const char* latest_cu14;
        const char* latest_2019;
    };
    const std::vector<Case> cases = {
        {"2024-02-20", "15.2.1544.4", "15.2.1544.4"},     // CU14 just released
        {"2025-01-01", "15.2.1544.14", "15.2.1544.14"},   // Nov24SUv2
        {"2025-03-01", "15.2.1544.14", "15.2.1748.10"},   // CU15 out
        {"2026-11-22", "15.2.1544.44", "15.2.1748.49"},   // Aug26SU
    };
    for (const auto& c : cases) {
        CAPTURE(c.today);
        CHECK(t.latest_for_cu(*cu14, day(c.today))->build.str() == c.latest_cu14);
        CHECK(t.latest_for_product("Exchange Server 2019", day(c.today))->build.str() == c.latest_2019);
    }
    CHECK(t.end_of_support("Exchange Server 2013")->iso() == "2023-04-11");
    CHECK(t.end_of_support("Exchange Server 2019")->iso() == "2025-10-14");
    CHECK_FALSE(t.end_of_support("Exchange Server SE").has_value());
    CHECK(t.cu_row(*t.lookup(bn("15.2.1544.14")).info) == cu14);
}

TEST_CASE("builds: parsing a table reports bad lines and keeps the good ones") {
    std::vector<std::string> errors;
    BuildTable t = BuildTable::parse(
        "# comment\n"
        "product\trelease_name\tbuild\trelease_date\ttype\tbase_cu\tend_of_support\n"
        "Exchange Server 2019\tExchange Server 2019 CU15\t15.2.1748.10\t2025-02-10\tCU\tCU15\t2025-10-14\n"
        "Exchange Server 2019\tbroken\t15.2.x\t2025-02-10\tCU\tCU15\t2025-10-14\n"
        "Exchange Server 2019\tExchange Server 2019 CU15 Apr25HU\t15.2.1748.24\t2025-04\tHU (hotfix update)\tCU15\t\r\n",
        &errors);
    REQUIRE(t.rows().size() == 2);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].starts_with("line 4:"));
    CHECK(t.rows()[1].type == "HU");
    CHECK(t.rows()[1].released->iso() == "2025-04-01");
    CHECK_FALSE(t.rows()[1].end_of_support.has_value());
    std::vector<std::string> header_errors;
    CHECK(BuildTable::parse("a\tb\n1\t2\n", &header_errors).rows().empty());
    CHECK(header_errors.size() == 1);
    std::string error;
    CHECK_FALSE(BuildTable::load("/nonexistent/builds.tsv", error).has_value());
    CHECK_FALSE(error.empty());
}

TEST_CASE("builds: version advice for SU sessions and setup runs") {
    const BuildTable& t = table();
    struct Case {
        const char* name;
        std::vector<Segment> runs;
        const char* today;
        std::vector<std::string> expected_ids;
    };
    const std::vector<Case> cases = {
        {"installed SU behind, product past end of support",
         {segment("su.log", "msi-session", 0, "succeeded",
                  {{"product_version", "15.2.1748.10"}, {"update_version", "15.2.1748.43"}})},
         "2026-11-22",
         {"version-out-of-support", "version-behind-latest-su"}},
        {"newest SU before end of support: nothing to say",
         {segment("su.log", "msi-session", 0, "succeeded",
                  {{"product_version", "15.2.1748.10"}, {"update_version", "15.2.1748.39"}})},
         "2025-10-14",
         {}},
        {"failed SU: the installed CU is what counts",
         {segment("su.log", "msi-session", 0, "failed", {{"product_version", "15.2.1544.4"}, {"update_version", "15.2.1544.9"}})},
         "2024-03-20",
         {"version-behind-latest-su"}},
        {"Exchange SE has no fixed end of support",
         {segment("su.log", "msi-session", 0, "succeeded", {{"product_version", "15.2.2562.17"}, {"update_version", "15.2.2562.37"}})},
         "2026-11-22",
         {"version-behind-latest-su"}},
        {"unknown builds",
         {segment("ExchangeSetup.log", "setup-run", 0, "failed",
                  {{"setup_version", "15.2.9999.1"}, {"installed_version", "15.2.1748.10"}})},
         "2025-03-01",
         {"version-unknown-build"}},
        {"an old CU on its last SU is behind once newer CUs get updates",
         {segment("ExchangeSetup.log", "setup-run", 0, "succeeded", {{"setup_version", "15.2.986.42"}})},
         "2023-07-01",
         {"version-behind-latest-su"}},
        {"the same CU wave: still serviced",
         {segment("ExchangeSetup.log", "setup-run", 0, "succeeded", {{"setup_version", "15.2.986.42"}})},
         "2023-04-01",
         {}},
        {"a setup log without builds, and a segment of another kind",
         {segment("ExchangeSetup.log", "setup-run", 0, "failed", {{"mode", "Install"}}),
          segment("ServiceControl.log", "service-control", 0, "unknown", {{"operation", "Stop"}})},
         "2026-11-22",
         {}},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        AnalysisResult result;
        result.runs = c.runs;
        auto fs = version_advice(result, t, day(c.today));
        CHECK(ids(fs) == c.expected_ids);
    }
}

TEST_CASE("builds: version findings carry the facts and point at the run") {
    AnalysisResult result;
    result.runs = {
        segment("a/ExchangeSetup.log", "setup-run", 0, "succeeded", {{"setup_version", "15.2.1258.12"}}),
        segment("a/ExchangeSetup.log", "setup-run", 1, "failed",
                {{"setup_version", "15.2.1748.10"}, {"installed_version", "15.2.1258.12"}}),
        // The same builds in another file are reported once.
        segment("b/ExchangeSetup.log", "setup-run", 0, "failed",
                {{"setup_version", "15.2.1748.10"}, {"installed_version", "15.2.1258.12"}}),
    };
    auto fs = version_advice(result, table(), day("2026-11-22"));
    REQUIRE(ids(fs) == std::vector<std::string>{"version-out-of-support", "version-behind-latest-su"});
    const Finding& eos = fs[0];
    CHECK(eos.path == "a/ExchangeSetup.log");
    CHECK(eos.segment == 1);
    CHECK(eos.latest);
    CHECK(eos.severity == Level::warning);
    CHECK(fact(eos, "installed_build") == "15.2.1258.12");
    CHECK(fact(eos, "installed_name") == "Exchange Server 2019 CU13");
    CHECK(fact(eos, "target_build") == "15.2.1748.10");
    CHECK(fact(eos, "target_name") == "Exchange Server 2019 CU15");
    CHECK(fact(eos, "end_of_support") == "2025-10-14");
    CHECK(eos.message.find("Exchange Server 2019 reached the end of support on 2025-10-14") != std::string::npos);
    REQUIRE(eos.evidence.size() == 2);
    CHECK(eos.evidence[0].line == 101);
    CHECK(eos.evidence[0].text == "setup-run 2: installed_version = 15.2.1258.12");
    const Finding& behind = fs[1];
    CHECK(fact(behind, "latest_build") == "15.2.1258.39");
    CHECK(fact(behind, "latest_name") == "Exchange Server 2019 CU13 Nov24SUv2");
    CHECK(fact(behind, "product_latest_build") == "15.2.1748.49");
    CHECK(fact(behind, "product_latest_name") == "Exchange Server 2019 CU15 Aug26SU");
    CHECK_FALSE(behind.remediation.empty());
    CHECK_FALSE(behind.links.empty());

    // add_version_advice keeps the report order.
    Finding rule_finding;
    rule_finding.rule_id = "msi-install-failed";
    rule_finding.path = "a/ExchangeSetup.log";
    rule_finding.segment = 0;
    result.findings.push_back(rule_finding);
    add_version_advice(result, table(), day("2026-11-22"));
    REQUIRE(result.findings.size() == 3);
    CHECK(result.findings[0].rule_id == "msi-install-failed");
    CHECK(result.findings[1].rule_id == "version-behind-latest-su");
    CHECK(result.findings[2].rule_id == "version-out-of-support");
}

// Advice that fits the run (issue 9): a failed CU upgrade is told about the target CU's newest
// update; a run that only prepared AD is not told to install an update "on this server".
TEST_CASE("builds: a failed CU upgrade names the newest update of the target CU") {
    AnalysisResult result;
    result.runs = {segment("ExchangeSetup.log", "setup-run", 0, "failed",
                           {{"mode", "Upgrade"}, {"setup_version", "15.2.1748.10"}, {"installed_version", "15.2.1544.4"}})};
    auto fs = version_advice(result, table(), day("2026-11-22"));
    const Finding* f = find(fs, "version-behind-latest-su");
    REQUIRE(f);
    const std::string target_latest = fact(*f, "target_latest_name");
    CHECK(target_latest.starts_with("Exchange Server 2019 CU15"));
    CHECK(f->message.find("The upgrade to Exchange Server 2019 CU15 did not finish") != std::string::npos);
    REQUIRE_FALSE(f->remediation.empty());
    CHECK(f->remediation[0].starts_with("Finish the upgrade to Exchange Server 2019 CU15 first"));
    CHECK(f->remediation[0].find(target_latest) != std::string::npos);
    for (const auto& step : f->remediation) CHECK(step.find("on this server") == std::string::npos);

    // The same upgrade, succeeded: advice about the CU now installed.
    result.runs[0].outcome = "succeeded";
    auto ok = version_advice(result, table(), day("2026-11-22"));
    const Finding* g = find(ok, "version-behind-latest-su");
    if (g) CHECK(fact(*g, "target_latest_name") == "<unset>");
}

TEST_CASE("builds: a /PrepareSchema or /PrepareAD run installs nothing on the server it ran on") {
    AnalysisResult result;
    result.runs = {segment("ExchangeSetup.log", "setup-run", 0, "succeeded",
                           {{"mode", "PrepareSchema"}, {"setup_version", "15.2.1258.12"}})};
    auto fs = version_advice(result, table(), day("2026-11-22"));
    const Finding* f = find(fs, "version-behind-latest-su");
    REQUIRE(f);
    CHECK(fact(*f, "installed_build") == "<unset>");   // a successful /PrepareSchema did not install 15.2.1258.12
    CHECK(fact(*f, "target_build") == "15.2.1258.12");
    for (const auto& step : f->remediation) {
        CAPTURE(step);
        CHECK(step.find("on this server") == std::string::npos);
        CHECK(step.find("/Mode:Upgrade") == std::string::npos);
    }
    CHECK(f->remediation[0].starts_with("This run prepared Active Directory and installed nothing"));
}
