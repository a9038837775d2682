// Findings from the latest run's outcome: a run with no end, and a failed run no rule explains
// (issue 9: exit codes follow the outcome).
#include <doctest/doctest.h>

#include <algorithm>

#include "advice/outcome.hpp"
#include "result_test_util.hpp"

using namespace extriage;
using namespace extriage::test;

namespace {

const Finding* find_rule(const AnalysisResult& r, std::string_view id) {
    auto it = std::find_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.rule_id == id; });
    return it == r.findings.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("outcome: the latest run with no end gets an error finding that says so") {
    AnalysisResult r;
    r.files.push_back(make_file("a.log", "exchange-setup"));
    r.runs.push_back(make_run("a.log", 0, "incomplete"));   // an earlier unfinished run: superseded
    r.runs.push_back(make_run("a.log", 1, "incomplete"));
    r.runs.back().set_fact("command_line", "/mode:Upgrade /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /sourcedir:E:\\\"");
    add_outcome_findings(r);
    REQUIRE(r.findings.size() == 1);
    const Finding& f = r.findings[0];
    CHECK(f.rule_id == kRunUnfinishedRule);
    CHECK(f.severity == Level::error);
    CHECK(f.segment == 1);
    CHECK(f.latest);
    CHECK(f.message.starts_with("Setup run 2 of 2 (Upgrade) stops at line 200"));
    REQUIRE(f.evidence.size() == 1);
    CHECK(f.evidence[0].line == 200);
    // The first step reruns the logged command line, without the stray quote setup logs.
    CHECK(f.remediation[0].find(".\\Setup.exe /mode:Upgrade /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /sourcedir:E:\\.") !=
          std::string::npos);
    CHECK(*f.fact("last_line") == "200");
}

TEST_CASE("outcome: a FAILED latest run no rule explains at error gets an error finding") {
    AnalysisResult r;
    r.files.push_back(make_file("a.log", "exchange-setup"));
    r.runs.push_back(make_run("a.log", 0, "failed", "PrepareAD"));
    r.runs.back().last_error = ContextLine{150, "[ERROR] Something nobody has seen."};
    r.findings.push_back(make_finding("version-behind-latest-su", Level::warning, "a.log", 0, 1));
    add_outcome_findings(r);
    const Finding* f = find_rule(r, kRunFailedUnexplainedRule);
    REQUIRE(f);
    CHECK(f->severity == Level::error);
    CHECK(f->message.find("FAILED, and no rule recognizes why") != std::string::npos);
    CHECK(f->message.find("[ERROR] Something nobody has seen.") != std::string::npos);
    CHECK(f->evidence[0].line == 150);
    CHECK(f->remediation.back().find(".\\Setup.exe /PrepareAD") != std::string::npos);

    // An error finding of that run explains it: nothing added.
    AnalysisResult explained = r;
    explained.findings = {make_finding("t-known", Level::error, "a.log", 0, 150)};
    add_outcome_findings(explained);
    CHECK(explained.findings.size() == 1);
    // A file-wide error finding explains it too.
    explained.findings = {make_finding("t-known", Level::error, "a.log", -1, 150)};
    add_outcome_findings(explained);
    CHECK(explained.findings.size() == 1);
    // An error of another file does not.
    explained.findings = {make_finding("t-known", Level::error, "other.log", -1, 150)};
    add_outcome_findings(explained);
    CHECK(find_rule(explained, kRunFailedUnexplainedRule));
}

TEST_CASE("outcome: succeeded runs, earlier runs and ServiceControl runs get nothing; MSI sessions are covered") {
    AnalysisResult r;
    r.runs.push_back(make_run("a.log", 0, "failed"));
    r.runs.push_back(make_run("a.log", 1, "succeeded"));
    r.runs.push_back(make_run("ServiceControl.log", 0, "failed", "", "service-control"));
    add_outcome_findings(r);
    CHECK(r.findings.empty());
    AnalysisResult msi;
    msi.runs.push_back(make_run("su.log", 0, "incomplete", "", "msi-session"));
    msi.runs.back().set_fact("update_name", "Security Update for Exchange Server 2019 CU14 (KB5036404)");
    add_outcome_findings(msi);
    REQUIRE(msi.findings.size() == 1);
    CHECK(msi.findings[0].rule_id == kRunUnfinishedRule);
    CHECK(msi.findings[0].message.starts_with("MSI session 1 of 1 (Security Update for Exchange Server 2019 CU14 (KB5036404))"));
}
