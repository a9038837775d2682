// Unit tests for the ServiceControl.log parser ("exchange-service-control") and the generic
// UpdateCas/UpdateConfigFiles parser ("exchange-update-text"): stamps and dates, what a line
// says about a service, runs, the services left disabled, levels, sniffing and bad input.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "update_log_test_util.hpp"

using namespace extriage;
using namespace extriage::testutil;

namespace {

constexpr const char* kParser = "exchange-service-control";

std::unique_ptr<Parsed> parse(std::string_view text) { return parse_with(kParser, text, "ServiceControl.log"); }

}  // namespace

TEST_CASE("exchange-service-control: recognises the service, the action and the start type") {
    struct Case {
        const char* text;
        const char* service;
        const char* action;
        const char* start_type;
    };
    const std::vector<Case> cases = {
        {"Stopping service 'MSExchangeTransport'.", "MSExchangeTransport", "stop", ""},
        {"Stopping service MSExchangeIS", "MSExchangeIS", "stop", ""},
        {"Stopped service \"W3SVC\"", "W3SVC", "stop", ""},
        {"Stopping services for the following roles: Mailbox", "", "stop", ""},
        {"Starting service 'MSExchangeADTopology'.", "MSExchangeADTopology", "start", ""},
        {"Setting service MSExchangeIS StartupType to Disabled", "MSExchangeIS", "disable", "Disabled"},
        {"Set-Service -Name MSExchangeRepl -StartupType Disabled", "MSExchangeRepl", "disable", "Disabled"},
        {"Changing startup type of service 'W3SVC' to 'Disabled'", "W3SVC", "disable", "Disabled"},
        {"Disabling service 'MSExchangeFrontEndTransport'.", "MSExchangeFrontEndTransport", "disable", ""},
        {"Disabling services for the following roles: Mailbox", "", "disable", ""},
        {"Setting service MSExchangeIS StartupType to Automatic", "MSExchangeIS", "set-startup", "Automatic"},
        {"Restoring service 'MSExchangeIS' startup mode to 'Automatic'", "MSExchangeIS", "restore", "Automatic"},
        {"Restoring services startup mode.", "", "restore", ""},
        {"Saving service state to 'C:\\ExchangeSetupLogs\\ServiceState.xml'...", "", "save", ""},
        {"Saving services startup mode.", "", "save", ""},
        {"Operation: DisableServices", "", "", ""},
        {"Performing service control with options:", "", "", ""},
        {"Adding to installed roles list: Mailbox", "", "", ""},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        auto p = parse(std::string("[14:46:23] ") + c.text + "\n");
        REQUIRE(p->sink.records.size() == 1);
        const Rec& r = p->sink.records[0];
        CHECK(r.text == c.text);
        CHECK(r.field("service") == c.service);
        CHECK(r.field("action") == c.action);
        CHECK(r.field("start_type") == c.start_type);
    }
}

TEST_CASE("exchange-service-control: stamps with and without a date") {
    struct Case {
        const char* log;
        int64_t second_record_ms;
    };
    const std::vector<Case> cases = {
        // The banner's (locale) date anchors the times that follow.
        {"[20:03:20] * ServiceControl.ps1: 03.03.2021 20:03:20\n[20:03:21] Saving services startup mode.\n",
         civil_ms(2021, 3, 3, 20, 3, 21)},
        {"[02/14/2023 10:01:02] Saving services startup mode.\n[02/14/2023 10:01:03] Stopping service 'W3SVC'.\n",
         civil_ms(2023, 2, 14, 10, 1, 3)},
        {"[2023-02-14 10:01:02.123] a\n[2023-02-14 10:01:03.456] b\n", civil_ms(2023, 2, 14, 10, 1, 3, 456)},
        {"[2/14/2023 10:01:02 PM] a\n[2/14/2023 10:01:03 PM] b\n", civil_ms(2023, 2, 14, 22, 1, 3)},
        // Midnight between two time-only stamps.
        {"[23:59:59] * ServiceControl.ps1: 1/9/2023 23:59:59\n[00:00:04] Stopping service 'W3SVC'.\n",
         civil_ms(2023, 1, 10, 0, 0, 4)},
        // No date anywhere: no time.
        {"[10:01:02] a\n[10:01:03] b\n", kNoTime},
    };
    for (const auto& c : cases) {
        CAPTURE(c.log);
        auto p = parse(c.log);
        REQUIRE(p->sink.records.size() == 2);
        CHECK(p->sink.records[1].time_ms == c.second_record_ms);
    }
}

TEST_CASE("exchange-service-control: each script invocation is a run; disabled services are tracked across runs") {
    const std::string log =
        "[14:46:21] -----------------------------------------------\n"
        "[14:46:21] * ServiceControl.ps1: 12.03.2024 14:46:21\n"
        "[14:46:21] Operation: Save\n"
        "[14:46:21] Saving service state to 'C:\\ExchangeSetupLogs\\ServiceState.xml'...\n"
        "[14:46:22] Adding to installed roles list: Mailbox\n"
        "[14:46:23] -----------------------------------------------\n"
        "[14:46:23] * ServiceControl.ps1: 12.03.2024 14:46:23\n"
        "[14:46:23] Operation: DisableServices\n"
        "[14:46:23] Setting service MSExchangeIS StartupType to Disabled\n"
        "[14:46:24] Setting service W3SVC StartupType to Disabled\n"
        "[14:46:24] Setting service MSExchangeTransport StartupType to Disabled\n"
        "[14:52:10] -----------------------------------------------\n"
        "[14:52:10] * ServiceControl.ps1: 12.03.2024 14:52:10\n"
        "[14:52:10] Operation: AfterPatch\n"
        "[14:52:11] Setting service W3SVC StartupType to Automatic\n"
        "[14:52:12] Starting service 'MSExchangeTransport'.\n";
    auto p = parse(log);
    REQUIRE(p->sink.segments.size() == 3);
    const auto& s = p->sink.segments;
    CHECK(s[0].kind == "service-control");
    CHECK(s[0].first_line == 1);
    CHECK(s[0].last_line == 5);
    CHECK(fact(s[0], "script") == "ServiceControl.ps1");
    CHECK(fact(s[0], "started") == "12.03.2024 14:46:21");
    CHECK(fact(s[0], "operation") == "Save");
    CHECK(fact(s[0], "state_file") == "C:\\ExchangeSetupLogs\\ServiceState.xml");
    CHECK(fact(s[0], "roles") == "Mailbox");
    CHECK(fact(s[1], "operation") == "DisableServices");
    CHECK(fact(s[1], "services_disabled") == "MSExchangeIS, W3SVC, MSExchangeTransport");
    CHECK(fact(s[1], "services_left_disabled") == "MSExchangeIS, W3SVC, MSExchangeTransport");
    CHECK(fact(s[2], "operation") == "AfterPatch");
    CHECK(fact(s[2], "services_left_disabled") == "MSExchangeIS");
    CHECK(s[2].start_ms == civil_ms(2024, 3, 12, 14, 52, 10));
    CHECK(s[2].end_ms == civil_ms(2024, 3, 12, 14, 52, 12));
    for (const auto& r : p->sink.records) CHECK(r.segment == (r.line <= 5 ? 0 : r.line <= 11 ? 1 : 2));

    // A generic restore line restores everything that was disabled.
    auto q = parse("[10:00:00] Setting service MSExchangeIS StartupType to Disabled\n[10:05:00] Restoring services startup mode.\n");
    CHECK(fact(q->sink.segments.at(0), "services_left_disabled") == "<unset>");
}

TEST_CASE("exchange-service-control: levels, continuation lines and the last error") {
    auto p = parse(
        "[10:00:00] Stopping service 'MSExchangeIS'.\n"
        "[10:05:00] Failed to stop service 'MSExchangeIS': Time out has expired.\n"
        "   at System.ServiceProcess.ServiceController.WaitForStatus()\n"
        "[10:05:01] WARNING: continuing without MSExchangeIS\n"
        "[10:05:02] Setting ErrorActionPreference to Continue\n");
    REQUIRE(p->sink.records.size() == 4);
    CHECK(p->sink.records[0].level == Level::info);
    CHECK(p->sink.records[1].level == Level::error);
    CHECK(p->sink.records[1].line_count == 2);
    CHECK(p->sink.records[1].text.find("\n   at System.ServiceProcess") != std::string::npos);
    CHECK(p->sink.records[1].field("action") == "stop");
    CHECK(p->sink.records[2].level == Level::warning);
    CHECK(p->sink.records[3].level == Level::info);   // "ErrorActionPreference" is not an error
    const Segment& s = p->sink.segments.at(0);
    CHECK(s.outcome == "failed");
    REQUIRE(s.last_error.has_value());
    CHECK(s.last_error->line == 2);
    // A failed stop did not stop anything.
    CHECK(fact(s, "services_stopped") == "MSExchangeIS");
}

TEST_CASE("exchange-service-control: reads the sample and its UTF-16 copy alike") {
    auto p = parse_file_with(kParser, EXTRIAGE_TEST_SOURCE_DIR "/samples/exchange-setup-logs/ServiceControl.log");
    CHECK(p->diags.empty());
    CHECK(p->sink.records.size() == 30);
    REQUIRE(p->sink.segments.size() == 3);
    CHECK(fact(p->sink.segments[2], "services_left_disabled") ==
          "MSExchangeADTopology, MSExchangeIS, MSExchangeTransport, MSExchangeFrontEndTransport, MSExchangeServiceHost, W3SVC");
    auto q = parse(utf16le_with_bom("[10:00:00] Setting service MSExchangeIS StartupType to Disabled\r\n"));
    REQUIRE(q->sink.records.size() == 1);
    CHECK(q->sink.records[0].field("service") == "MSExchangeIS");
}

TEST_CASE("exchange-service-control: sniffing by content or by file name") {
    CHECK(sniffed("[20:03:20] -----------------------------------------------\n[20:03:20] * ServiceControl.ps1: 03.03.2021 20:03:20\n") ==
          "exchange-service-control");
    CHECK(sniffed("[20:03:21] Stopping service 'MSExchangeIS'.\n") == "exchange-service-control");
    CHECK(sniffed("[20:03:21] something generic\n", "ServiceControl.log") == "exchange-service-control");
    CHECK(sniffed("[20:03:21] something generic\n", "other.log") != "exchange-service-control");
    CHECK(sniffed("[03/06/2021 18:37:29.0350] [0] Starting Microsoft Exchange Server 2019 Setup\n") == "exchange-setup");
    // A setup log that talks about service control in its first lines, even named like one, in
    // any culture's stamp, is still a setup log; ServiceControl.log's own sniffer refuses it.
    const std::string setup_head =
        "[12/17/2021 16:48:24.0817] [2] [ServiceControl.ps1] Disabling service 'MSExchangeEdgeSync'.\n"
        "[12/17/2021 16:48:24.0900] [2] The Service Control Manager reported that the service stopped.\n";
    CHECK(sniffed(setup_head) == "exchange-setup");
    CHECK(sniffed(setup_head, "ServiceControl.log") == "exchange-setup");
    CHECK(sniffed("[12-17-2021 16:48:24.0817] [2] Stopping service 'MSExchangeIS'.\n") == "exchange-setup");
    const Parser* service_control = find_parser("exchange-service-control");
    REQUIRE(service_control != nullptr);
    SniffInput in{setup_head, setup_head, "ServiceControl.log"};
    CHECK_FALSE(service_control->sniff(in));
}

TEST_CASE("exchange-service-control: bad data gives diagnostics, never an exception") {
    for (std::string in : {std::string(), std::string("no stamps here\n"), std::string("[\n[]\n[99:99:99] x\n[1/2] y\n"),
                           std::string("\xff\xfe\x00\x00", 4)}) {
        CAPTURE(in);
        std::unique_ptr<Parsed> p;
        CHECK_NOTHROW(p = parse(in));
    }
    auto p = parse("no stamps here\n");
    REQUIRE(p->errors() == 1);
    CHECK(p->diags[0].origin == "exchange-service-control");
    // Lines before the first stamp stand alone instead of swallowing the file.
    auto q = parse("header one\nheader two\n[10:00:00] Stopping service 'W3SVC'.\n");
    CHECK(q->sink.records.size() == 3);
}

TEST_CASE("exchange-update-text: UpdateCas/UpdateConfigFiles lines become records with the log name") {
    auto p = parse_with("exchange-update-text",
                        "[20:19:40] * UpdateConfigFiles.ps1: 2/11/2026 20:19:40\n"
                        "[20:19:44] Error: Access to the path 'C:\\x\\web.config' is denied.\n"
                        "    at UpdateConfigFiles.ps1: line 120\n"
                        "[20:19:45] Done.\n",
                        "C:\\ExchangeSetupLogs\\UpdateConfigFiles.log");
    REQUIRE(p->sink.records.size() == 3);
    CHECK(p->sink.segments.empty());
    CHECK(p->sink.records[0].field("log_name") == "UpdateConfigFiles");
    CHECK(p->sink.records[1].level == Level::error);
    CHECK(p->sink.records[1].line_count == 2);
    CHECK(p->sink.records[1].time_ms == civil_ms(2026, 2, 11, 20, 19, 44));
    CHECK(p->sink.records[2].level == Level::info);
    CHECK(sniffed("[20:19:40] anything\n", "UpdateCas.log") == "exchange-update-text");
    CHECK(sniffed("[20:19:40] Replacing %ExchangeInstallDir% in web.config\n", "x.log") == "exchange-update-text");
    CHECK(sniffed("[20:19:40] anything\n", "x.log") == "<none>");
    auto empty = parse_with("exchange-update-text", "", "UpdateCas.log");
    CHECK(empty->diags.size() == 1);
}
