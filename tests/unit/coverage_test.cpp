// What was not checked: missing inputs the findings ask for, and the live-server checks (issue 9).
#include <doctest/doctest.h>

#include "advice/coverage.hpp"
#include "result_test_util.hpp"

using namespace extriage;
using namespace extriage::test;

TEST_CASE("coverage: a failed update in the event log asks for its MSI log, named by the event") {
    AnalysisResult r;
    r.files.push_back(make_file("Application.evtx", "evtx-binary", 10, "Application"));
    Finding f = make_finding("event-msi-exchange-update-failed", Level::error, "Application.evtx", -1, 0);
    f.evidence[0].text = "2024-05-11 14:09:12 UTC  MsiInstaller 1023 (record 1)  Product: Microsoft Exchange Server - Update 'X' "
                         "could not be installed. Error code 1603. Additional information is available in the log file "
                         "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\Update\\msi\\ExchangeUpdate_2024-05-11-100152.log.";
    r.findings.push_back(f);
    add_coverage(r);
    REQUIRE(r.missing_inputs.size() == 1);
    CHECK(r.missing_inputs[0].what == "the MSI log of the failed update");
    CHECK(r.missing_inputs[0].where ==
          "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\Update\\msi\\ExchangeUpdate_2024-05-11-100152.log");
    CHECK(r.missing_inputs[0].why.find("event-msi-exchange-update-failed") != std::string::npos);
    // With an MSI log among the inputs nothing is missing.
    r.files.push_back(make_file("ExchangeUpdate.log", "msi-log"));
    add_coverage(r);
    CHECK(r.missing_inputs.empty());
}

TEST_CASE("coverage: a failed or unfinished setup run asks for the Application (and System) event log") {
    AnalysisResult r;
    r.files.push_back(make_file("ExchangeSetup.log", "exchange-setup"));
    r.runs.push_back(make_run("ExchangeSetup.log", 0, "failed"));
    add_coverage(r);
    REQUIRE(r.missing_inputs.size() == 1);
    CHECK(r.missing_inputs[0].what == "the Application event log");
    CHECK(r.missing_inputs[0].where.find("wevtutil epl Application") != std::string::npos);
    r.runs[0].outcome = "incomplete";
    add_coverage(r);
    REQUIRE(r.missing_inputs.size() == 2);
    CHECK(r.missing_inputs[1].what == "the System event log");
    // Given both logs, nothing is missing; a succeeded run asks for nothing.
    r.files.push_back(make_file("Application.evtx", "evtx-binary", 5, "Application"));
    r.files.push_back(make_file("System.evtx", "evtx-binary", 5, "System"));
    add_coverage(r);
    CHECK(r.missing_inputs.empty());
    AnalysisResult ok;
    ok.files.push_back(make_file("ExchangeSetup.log", "exchange-setup"));
    ok.runs.push_back(make_run("ExchangeSetup.log", 0, "succeeded"));
    add_coverage(ok);
    CHECK(ok.missing_inputs.empty());
}

TEST_CASE("coverage: the live-server checks are listed with their commands whenever something was analysed") {
    AnalysisResult r;
    r.files.push_back(make_file("ExchangeSetup.log", "exchange-setup"));
    add_coverage(r);
    REQUIRE(r.live_checks.size() == 4);
    CHECK(r.live_checks[0].check.starts_with("installer cache contents"));
    CHECK(r.live_checks[1].command.find("StartType") != std::string::npos);
    CHECK(r.live_checks[2].check == "a pending reboot now");
    CHECK(r.live_checks[3].command.find("SetupAssist.ps1") != std::string::npos);
    AnalysisResult none;
    add_coverage(none);
    CHECK(none.live_checks.empty());
}
