// Unit tests for the Windows Installer verbose log parser ("msi-log"): line kinds and fields,
// levels, continuation lines, sessions and their facts, dates and times, encodings, sniffing,
// and bad input.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "update_log_test_util.hpp"

using namespace extriage;
using namespace extriage::testutil;

namespace {

constexpr const char* kParser = "msi-log";

std::unique_ptr<Parsed> parse(std::string_view text) { return parse_with(kParser, text); }

const char* kHeader =
    "=== Verbose logging started: 3/12/2024  14:46:10  Build type: SHIP UNICODE 5.00.10011.00  Calling process: "
    "C:\\Windows\\system32\\msiexec.exe ===\n";
const char* kFooter = "=== Verbose logging stopped: 3/12/2024  14:58:44 ===\n";

std::string client_dump(bool elevated) {
    std::string s;
    for (int i = 0; i < 22; ++i) s += "Property(C): Prop" + std::to_string(i) + " = " + std::to_string(i) + "\n";
    s += "Property(C): AdminUser = 1\n";
    if (elevated) s += "Property(C): MsiRunningElevated = 1\n";
    return s;
}

}  // namespace

TEST_CASE("msi-log: one line becomes one record with the fields its kind carries") {
    struct Case {
        const char* line;
        const char* kind;
        Level level;
        std::vector<std::pair<const char*, const char*>> fields;   // expected (name, value); "" = absent
    };
    const std::vector<Case> cases = {
        {"MSI (s) (7C:10) [14:46:10:386]: Resetting cached policy values", "engine", Level::info,
         {{"context", "s"}, {"pid_tid", "7C:10"}}},
        {"MSI (c) (C8!50) [01:49:43:906]: Closing MSIHANDLE (7)", "engine", Level::info, {{"context", "c"}, {"pid_tid", "C8!50"}}},
        {"Action start 14:46:10: InstallFiles.", "action", Level::info, {{"action", "InstallFiles"}, {"return_value", ""}}},
        {"Action ended 14:46:12: InstallFiles. Return value 1.", "action", Level::info,
         {{"action", "InstallFiles"}, {"return_value", "1"}}},
        {"Action ended 14:47:29: InstallFinalize. Return value 3.", "action", Level::error,
         {{"action", "InstallFinalize"}, {"return_value", "3"}}},
        {"Action ended 14:47:29: INSTALL. Return value 2.", "action", Level::warning, {{"return_value", "2"}}},
        {"Action 14:46:10: InstallFiles. Copying new files", "action", Level::info, {{"action", "InstallFiles"}}},
        {"Property(S): ProductVersion = 15.2.1118.7", "property", Level::info,
         {{"property", "ProductVersion"}, {"value", "15.2.1118.7"}, {"context", "s"}}},
        {"Property(C): MsiLogFileLocation = C:\\x\\y.log", "property", Level::info,
         {{"property", "MsiLogFileLocation"}, {"context", "c"}}},
        // Message properties look like errors but are data.
        {"Property(S): msgInterimIncorrectRollup = Error 1603. Installation failed.", "property", Level::info,
         {{"error_code", ""}}},
        {"CustomAction RunUpdateCas returned actual error code 1603 (note this may not be 100% accurate if translation "
         "happened inside sandbox)",
         "custom-action", Level::warning, {{"action", "RunUpdateCas"}, {"error_code", "1603"}}},
        {"MSI (s) (A0:48) [11:20:14:311]: Product: Microsoft Exchange Server -- Error 1935. An error occurred during the "
         "installation of assembly 'X'. HRESULT: 0x800700B7.",
         "engine", Level::error, {{"error_code", "1935"}}},
        {"Error 1310. Error writing to file: C:\\x.dll.", "text", Level::error, {{"error_code", "1310"}}},
        {"Info 1603. The file C:\\x.dll is being held in use.", "text", Level::info, {{"error_code", ""}}},
        {"DEBUG: Error 2826:  Control Line1 on dialog X extends beyond the boundaries of the dialog.", "text", Level::info,
         {{"error_code", ""}}},
        {"MSI (s) (A0:48) [14:58:44:139]: Product: Microsoft Exchange Server - Update 'SU (KB5036402) 15.2.1544.9' could "
         "not be installed. Error code 1603. Additional information is available in the log file C:\\x.log.",
         "engine", Level::error, {{"error_code", "1603"}}},
        {"MSI (s) (A0:48) [14:58:44:139]: Windows Installer installed an update. Product Name: Microsoft Exchange Server. "
         "Product Version: 15.2.1544.4. Product Language: 1033. Manufacturer: Microsoft Corporation. Update Name: U. "
         "Installation success or error status: 0.",
         "engine", Level::info, {{"error_code", ""}}},
        {"MSI (s) (A0:48) [14:58:44:154]: MainEngineThread is returning 1603", "engine", Level::error, {{"error_code", "1603"}}},
        {"MSI (s) (A0:48) [14:58:44:154]: MainEngineThread is returning 3010", "engine", Level::warning, {{"error_code", "3010"}}},
        {"MSI (s) (A0:48) [14:58:44:107]: Note: 1: 1708 ", "engine", Level::info, {{"note_code", "1708"}}},
        {"MSI (s) (A0:48) [14:58:44:107]: Product: Microsoft Exchange Server -- Configuration failed.", "engine", Level::error, {}},
        {"SFXCA: Extracting custom action to temporary directory: C:\\Windows\\Installer\\MSI1.tmp-\\", "text", Level::info, {}},
    };
    for (const auto& c : cases) {
        CAPTURE(c.line);
        auto p = parse(std::string(c.line) + "\n");
        REQUIRE(p->sink.records.size() == 1);
        const Rec& r = p->sink.records[0];
        CHECK(r.field("kind") == c.kind);
        CHECK(r.level == c.level);
        CHECK(r.raw == c.line);
        for (const auto& [name, value] : c.fields) {
            CAPTURE(name);
            CHECK(r.field(name) == value);
        }
    }
}

TEST_CASE("msi-log: the text of an engine line is the message after the prefix") {
    auto p = parse("MSI (s) (A0:48) [14:46:10:589]: Doing action: INSTALL\n");
    REQUIRE(p->sink.records.size() == 1);
    CHECK(p->sink.records[0].text == "Doing action: INSTALL");
    CHECK(p->sink.records[0].field("action") == "INSTALL");
}

TEST_CASE("msi-log: joins indented continuation lines and multi-line property values") {
    std::string log = std::string(kHeader) +
                      "MSI (c) (7C:10) [14:46:10:386]: ******* RunEngine:\n"
                      "           ******* Product: {CD981244-E9B8-405A-9026-6AEB9DCEF1F1}\n"
                      "           ******* Action: \n"
                      "           ******* CommandLine: **********\n"
                      "Property(S): msgWelcome = Welcome to the update.\n"
                      "It has two lines.\n"
                      "Property(S): ProductName = Microsoft Exchange Server\n"
                      "Action start 14:46:11: INSTALL.\n" +
                      kFooter;
    auto p = parse(log);
    REQUIRE(p->sink.records.size() == 6);
    const Rec& run_engine = p->sink.records[1];
    CHECK(run_engine.line == 2);
    CHECK(run_engine.line_count == 4);
    CHECK(run_engine.text.find("******* Product: {CD981244") != std::string::npos);
    const Rec& welcome = p->sink.records[2];
    CHECK(welcome.line_count == 2);
    CHECK(welcome.field("value") == "Welcome to the update.\nIt has two lines.");
    REQUIRE(p->sink.segments.size() == 1);
    CHECK(fact(p->sink.segments[0], "product_code") == "{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}");
    CHECK(fact(p->sink.segments[0], "command_line") == "<unset>");   // asterisks only
}

TEST_CASE("msi-log: a failed SU session has product, update, result and the first failing action") {
    std::string log = std::string(kHeader) +
                      "MSI (s) (A0:48) [14:46:10:479]: Command Line: PATCH=C:\\Install\\Exchange2019-KB5036402-x64-en.msp "
                      "CURRENTDIRECTORY=C:\\Install\n"
                      "MSI (s) (A0:48) [14:46:10:511]: SequencePatches starts. Product code: "
                      "{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}, Product version: 15.2.1544.4, Upgrade code: "
                      "{A4A259AB-A77F-4039-832A-27B431DDFFEA}, Product language 1033\n"
                      "MSI (s) (A0:48) [14:46:10:542]: Original patch ==> C:\\Install\\Exchange2019-KB5036402-x64-en.msp\n"
                      "Action start 14:46:30: InstallFinalize.\n"
                      "CustomAction StopServices returned actual error code 1 (note this may not be 100% accurate)\n"
                      "CustomAction RunUpdateCas returned actual error code 1603 (note this may not be 100% accurate)\n"
                      "Action ended 14:47:29: InstallFinalize. Return value 3.\n"
                      "Action ended 14:52:29: INSTALL. Return value 3.\n"
                      "Property(S): ProductVersion = 15.2.1544.4\n"
                      "Property(S): LogonUser = EXADMIN\n"
                      "MSI (s) (A0:48) [14:58:44:139]: Product: Microsoft Exchange Server - Update 'Security Update for "
                      "Exchange Server 2019 Cumulative Update 14 (KB5036402) 15.2.1544.9' could not be installed. Error code "
                      "1603. Additional information is available in the log file C:\\x.log.\n"
                      "MSI (s) (A0:48) [14:58:44:154]: MainEngineThread is returning 1603\n" +
                      client_dump(true) + "MSI (c) (7C:10) [14:58:44:186]: MainEngineThread is returning 1603\n" + kFooter;
    auto p = parse(log);
    REQUIRE(p->sink.segments.size() == 1);
    const Segment& s = p->sink.segments[0];
    CHECK(s.kind == "msi-session");
    CHECK(s.outcome == "failed");
    CHECK(fact(s, "outcome") == "failed");
    CHECK(fact(s, "product_code") == "{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}");
    CHECK(fact(s, "product_version") == "15.2.1544.4");
    CHECK(fact(s, "product_name") == "Microsoft Exchange Server");
    CHECK(fact(s, "patch") == "C:\\Install\\Exchange2019-KB5036402-x64-en.msp");
    CHECK(fact(s, "update_name") == "Security Update for Exchange Server 2019 Cumulative Update 14 (KB5036402) 15.2.1544.9");
    CHECK(fact(s, "update_version") == "15.2.1544.9");
    CHECK(fact(s, "kb") == "KB5036402");
    CHECK(fact(s, "result_code") == "1603");
    CHECK(fact(s, "failed_action") == "InstallFinalize");
    CHECK(fact(s, "failed_custom_action") == "RunUpdateCas");
    CHECK(fact(s, "failed_custom_action_error_code") == "1603");
    CHECK(fact(s, "command_line").starts_with("PATCH=C:\\Install\\Exchange2019-KB5036402-x64-en.msp"));
    CHECK(fact(s, "user") == "EXADMIN");
    CHECK(fact(s, "elevated") == "yes");
    CHECK(fact(s, "calling_process") == "C:\\Windows\\system32\\msiexec.exe");
    REQUIRE(s.last_error.has_value());
    CHECK(s.last_error->text == "Action ended 14:47:29: InstallFinalize. Return value 3.");
    REQUIRE(!s.error_context.empty());
    CHECK(s.error_context.back().text.find("RunUpdateCas") != std::string::npos);
    CHECK(s.start_ms == civil_ms(2024, 3, 12, 14, 46, 10));
    CHECK(s.end_ms == civil_ms(2024, 3, 12, 14, 58, 44));
    CHECK_FALSE(s.time_is_utc);
}

TEST_CASE("msi-log: outcome and result from the summary lines") {
    struct Case {
        const char* body;
        const char* outcome;
        const char* result;
    };
    const std::vector<Case> cases = {
        {"MSI (s) (A0:48) [20:22:20:100]: Windows Installer installed an update. Product Name: Microsoft Exchange Server. "
         "Product Version: 15.2.1748.10. Product Language: 1033. Manufacturer: Microsoft Corporation. Update Name: U "
         "15.2.1748.43. Installation success or error status: 0.\n"
         "MSI (s) (A0:48) [20:22:21:000]: MainEngineThread is returning 0\n",
         "succeeded", "0"},
        {"MSI (s) (A0:48) [20:22:21:000]: MainEngineThread is returning 3010\n", "succeeded", "3010"},
        {"MSI (s) (A0:48) [20:22:21:000]: MainEngineThread is returning 1642\n", "failed", "1642"},
        {"Action ended 20:22:20: InstallFiles. Return value 3.\n", "failed", "<unset>"},
        {"MSI (s) (A0:48) [20:22:21:000]: Product: Microsoft Exchange Server -- Configuration completed successfully.\n",
         "succeeded", "<unset>"},
        {"MSI (s) (A0:48) [20:22:20:000]: Doing action: INSTALL\n", "incomplete", "<unset>"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.body);
        auto p = parse(std::string(kHeader) + c.body);
        REQUIRE(p->sink.segments.size() == 1);
        CHECK(p->sink.segments[0].outcome == c.outcome);
        CHECK(fact(p->sink.segments[0], "result_code") == c.result);
    }
    // A complete session that says nothing about its result is "unknown".
    auto none = parse(std::string(kHeader) + "MSI (s) (A0:48) [20:22:20:000]: Doing action: INSTALL\n" + kFooter);
    CHECK(none->sink.segments.at(0).outcome == "unknown");
    auto restart = parse(std::string(kHeader) + "MSI (s) (A0:48) [20:22:21:000]: MainEngineThread is returning 3010\n");
    CHECK(fact(restart->sink.segments.at(0), "restart_required") == "yes");
}

TEST_CASE("msi-log: elevation is read from the client property dump") {
    auto elevated = parse(std::string(kHeader) + client_dump(true) + "MSI (c) (7C:10) [14:58:44:186]: MainEngineThread is returning 0\n");
    CHECK(fact(elevated->sink.segments.at(0), "elevated") == "yes");
    auto filtered = parse(std::string(kHeader) + client_dump(false) + "MSI (c) (7C:10) [14:58:44:186]: MainEngineThread is returning 0\n");
    CHECK(fact(filtered->sink.segments.at(0), "elevated") == "no");
    // A cut log (no end) or a short dump is no evidence either way.
    auto cut = parse(std::string(kHeader) + client_dump(false));
    CHECK(fact(cut->sink.segments.at(0), "elevated") == "<unset>");
    auto server_only = parse(std::string(kHeader) + "Property(S): ProductName = X\n" + kFooter);
    CHECK(fact(server_only->sink.segments.at(0), "elevated") == "<unset>");
}

TEST_CASE("msi-log: the patch sequencer marks a patch that does not apply") {
    auto p = parse(std::string(kHeader) +
                   "MSI (s) (A0:48) [09:12:03:352]: PATCH SEQUENCER: QFE patch C:\\Install\\a.msp is not applicable.\n"
                   "MSI (s) (A0:48) [09:12:03:600]: MainEngineThread is returning 1642\n" +
                   kFooter);
    const Segment& s = p->sink.segments.at(0);
    CHECK(fact(s, "patch") == "C:\\Install\\a.msp");
    CHECK(fact(s, "patch_applicable") == "no");
    CHECK(s.outcome == "failed");
}

TEST_CASE("msi-log: every 'logging started' header opens a new session") {
    std::string log = std::string(kHeader) + "MSI (s) (A0:48) [14:46:11:000]: MainEngineThread is returning 1603\n" + kFooter +
                      "=== Verbose logging started: 3/13/2024  09:00:00  Build type: SHIP UNICODE 5.00.10011.00  Calling "
                      "process: C:\\Windows\\system32\\msiexec.exe ===\n"
                      "MSI (s) (A0:48) [09:00:01:000]: MainEngineThread is returning 0\n"
                      "=== Logging stopped: 3/13/2024  09:00:02 ===\n";
    auto p = parse(log);
    REQUIRE(p->sink.segments.size() == 2);
    CHECK(p->sink.segments[0].outcome == "failed");
    CHECK(p->sink.segments[0].first_line == 1);
    CHECK(p->sink.segments[0].last_line == 3);
    CHECK(p->sink.segments[1].index == 1);
    CHECK(p->sink.segments[1].outcome == "succeeded");
    CHECK(p->sink.segments[1].first_line == 4);
    for (const auto& r : p->sink.records) CHECK(r.segment == (r.line <= 3 ? 0 : 1));
    CHECK(p->sink.records[4].time_ms == civil_ms(2024, 3, 13, 9, 0, 1));
}

TEST_CASE("msi-log: header dates in the machine's locale, and midnight") {
    struct Case {
        const char* date;
        int y, m, d;
    };
    const std::vector<Case> cases = {
        {"1/9/2023", 2023, 1, 9},   {"08-03-2021", 2021, 8, 3}, {"03.03.2021", 2021, 3, 3},
        {"2023-01-09", 2023, 1, 9}, {"2023/01/09", 2023, 1, 9}, {"25/12/2022", 2022, 12, 25},
    };
    for (const auto& c : cases) {
        CAPTURE(c.date);
        auto p = parse(std::string("=== Verbose logging started: ") + c.date +
                       "  23:59:59  Build type: SHIP UNICODE 5.00.10011.00  Calling process: C:\\msiexec.exe ===\n"
                       "MSI (s) (A0:48) [23:59:59:500]: a\n"
                       "MSI (s) (A0:48) [00:00:01:250]: b\n"
                       "Action start 00:00:02: InstallFiles.\n");
        REQUIRE(p->sink.records.size() == 4);
        CHECK(p->sink.records[1].time_ms == civil_ms(c.y, c.m, c.d, 23, 59, 59, 500));
        CHECK(p->sink.records[2].time_ms == civil_ms(c.y, c.m, c.d, 23, 59, 59, 500) + 1750);
        CHECK(p->sink.records[3].time_ms == civil_ms(c.y, c.m, c.d, 23, 59, 59, 500) + 2500);
    }
    // Without a header there is no date: times are left out.
    auto p = parse("MSI (s) (A0:48) [23:59:59:500]: a\n");
    CHECK(p->sink.records.at(0).time_ms == kNoTime);
}

TEST_CASE("msi-log: reads the UTF-16LE sample written by msiexec") {
    auto p = parse_file_with(kParser, EXTRIAGE_TEST_SOURCE_DIR "/samples/msi/su-1603-customaction.log");
    CHECK(p->diags.empty());
    CHECK(p->sink.records.size() == 127);
    REQUIRE(p->sink.segments.size() == 1);
    const Segment& s = p->sink.segments[0];
    CHECK(s.outcome == "failed");
    CHECK(fact(s, "failed_action") == "InstallFinalize");
    CHECK(fact(s, "failed_custom_action") == "RunUpdateCas");
    CHECK(fact(s, "update_version") == "15.2.1544.9");
    CHECK(fact(s, "product_version") == "15.2.1544.4");
    CHECK(fact(s, "log_file").ends_with("ExchangeUpdate_2024-03-12-144610.log"));
    // The same log as UTF-8 gives the same records.
    std::string utf16 = utf16le_with_bom(std::string(kHeader) + "MSI (s) (A0:48) [14:46:11:000]: MainEngineThread is returning 0\n");
    auto q = parse(utf16);
    REQUIRE(q->sink.records.size() == 2);
    CHECK(q->sink.records[1].text == "MainEngineThread is returning 0");
}

TEST_CASE("msi-log: sniffing claims MSI logs and nothing else") {
    CHECK(sniffed(kHeader) == "msi-log");
    CHECK(sniffed("\n\nMSI (s) (A0:48) [14:46:11:000]: Resetting cached policy values\n") == "msi-log");
    CHECK(sniffed("=== Logging started: 1/9/2023  17:54:26 ===\n") == "msi-log");
    CHECK(sniffed("[03/06/2021 18:37:29.0350] [0] Starting Microsoft Exchange Server 2019 Setup\n") != "msi-log");
    CHECK(sniffed("[14:46:21] * ServiceControl.ps1: 12.03.2024 14:46:21\n") != "msi-log");
    CHECK(sniffed("Hello MSI (s) (A0:48) [14:46:11:000]: not at the start\n") != "msi-log");
}

TEST_CASE("msi-log: bad data gives diagnostics, never an exception") {
    const std::vector<std::string> inputs = {
        "",
        "just some text\nwithout any MSI lines\n",
        std::string("\0\0\0\xff\xfe garbage \x80\x81", 16),
        "MSI (s) (ZZ:48) [99:99:99:999]: bad prefix\n",
        "=== Verbose logging started: not a date ===\n",
        "Action ended 14:47:29: . Return value \n",
        "Property(S\nProperty(S): = \n",
    };
    for (const auto& in : inputs) {
        CAPTURE(in);
        std::unique_ptr<Parsed> p;
        CHECK_NOTHROW(p = parse(in));
    }
    auto p = parse("just some text\n");
    REQUIRE(p->errors() == 1);
    CHECK(p->diags[0].origin == "msi-log");
    CHECK(p->diags[0].message.find("no Windows Installer log lines") != std::string::npos);
}

TEST_CASE("msi-log: memory stays bounded for a huge property value") {
    std::string big = std::string(kHeader) + "Property(S): Huge = ";
    big += std::string(3u << 20, 'x');
    big += "\n";
    for (int i = 0; i < 200; ++i) big += "continuation line of the huge value\n";
    big += "MSI (s) (A0:48) [14:46:11:000]: MainEngineThread is returning 0\n";
    auto p = parse(big);
    REQUIRE(p->sink.records.size() == 3);
    CHECK(p->sink.records[1].text.size() <= (1u << 20) + 16);
    CHECK(p->sink.records[1].line_count == 201);
    CHECK(p->sink.segments.at(0).outcome == "succeeded");
}
