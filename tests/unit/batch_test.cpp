// Batch triage: bundle expansion over an ExchangeLogCollector-like tree, per-bundle summaries,
// output that does not depend on the number of threads, CSV quoting, and server names.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "app/batch.hpp"
#include "inputs/bundle.hpp"
#include "engine/rule_loader.hpp"
#include "zip_test_util.hpp"

using namespace extriage;
using extriage::test::make_zip;
using extriage::test::ScratchDir;
using extriage::test::setup_log;
using extriage::test::ZipMember;

namespace {

const char* kFailedRule = R"(id: t-setup-failed
title: 'Setup failed, "badly"'
severity: error
source: exchange-setup
match: 'setup operation didn.t complete'
message: 'Setup did not complete.'
remediation:
  - 'Read the log.'
examples:
  match:
    - '[03/06/2021 18:40:00.0000] [0] The Exchange Server setup operation didn''t complete.'
)";

const char* kStartRule = R"(id: t-setup-started
title: Setup started
severity: warning
source: exchange-setup
match: 'Starting Microsoft Exchange Server'
message: 'Setup started.'
remediation:
  - 'Nothing to do.'
examples:
  match:
    - '[03/06/2021 18:37:29.0350] [0] Starting Microsoft Exchange Server 2019 Setup'
)";

RuleSet test_rules() {
    std::vector<std::unique_ptr<Rule>> rules;
    rules.push_back(parse_rule(kFailedRule, "rules/t-setup-failed.yaml"));
    rules.push_back(parse_rule(kStartRule, "rules/t-setup-started.yaml"));
    return RuleSet(std::move(rules));
}

// coll/2025123/EX01-1123.zip   failed run, plus a nested Windows-Logs.zip
// coll/2025123/EX02-1123.zip   succeeded run
// coll/2025123/ExchangeLogCollector-ZipAndCopy-Debug_1.txt   (not a bundle)
// coll/EX03/ExchangeSetupLogs/ExchangeSetup.log   a server folder; the server comes from the log
// coll/loose.log               a loose setup log
// coll/notes.txt               (not a bundle)
std::string make_collection(const ScratchDir& dir) {
    std::string nested = make_zip({{.name = "EX01_Application.log", .data = setup_log("15.2.1544.4", true)}});
    dir.write("coll/2025123/EX01-1123.zip",
              make_zip({{.name = "ExchangeSetupLogs/ExchangeSetup.log", .data = setup_log("15.2.1544.9", false)},
                        {.name = "Windows_Event_Logs/Windows-Logs.zip", .data = nested}}));
    dir.write("coll/2025123/EX02-1123.zip",
              make_zip({{.name = "ExchangeSetupLogs/ExchangeSetup.log", .data = setup_log("15.2.1258.12", true, "ex02.contoso.com")}}));
    dir.write("coll/2025123/ExchangeLogCollector-ZipAndCopy-Debug_1.txt", "debug output\r\n");
    dir.write("coll/EX03/ExchangeSetupLogs/ExchangeSetup.log", setup_log("15.1.2507.6", false, "EX03.fabrikam.local"));
    dir.write("coll/loose.log", setup_log("15.2.986.5", true, "MBX9.contoso.com"));
    dir.write("coll/notes.txt", "some notes\n");
    return (dir.path() / "coll").string();
}

}  // namespace

TEST_CASE("batch: bundles are found through collector date folders, sorted") {
    ScratchDir dir("batch");
    std::string coll = make_collection(dir);
    DiagSink diags;
    auto bundles = expand_bundles({coll}, diags);
    CHECK(diags.snapshot().empty());
    // Found paths are joined with the system's separator ("\\" on Windows).
    auto below = [&](const char* rel) { return (std::filesystem::path(coll) / rel).make_preferred().string(); };
    CHECK(bundles == std::vector<std::string>{below("2025123/EX01-1123.zip"), below("2025123/EX02-1123.zip"),
                                              below("EX03"), below("loose.log")});
    // A server folder given directly is one bundle, not one per sub-folder.
    CHECK(expand_bundles({coll + "/EX03"}, diags) == std::vector<std::string>{coll + "/EX03"});
    // Missing paths are diagnostics.
    CHECK(expand_bundles({coll + "/nope"}, diags).empty());
    CHECK(diags.error_count() == 1);
}

TEST_CASE("batch: one row per bundle with server, build, outcome, counts and top finding") {
    ScratchDir dir("batch");
    std::string coll = make_collection(dir);
    RuleSet rules = test_rules();
    BatchOptions options;
    options.jobs = 2;
    options.analyze.version_advice = false;   // counts below are the test rules' findings only
    BatchResult result = run_batch({coll}, rules, options);
    REQUIRE(result.bundles.size() == 4);
    ReportOptions ropts;
    auto ex01 = summarize_bundle(result.bundles[0], ropts);
    CHECK(ex01.server == "EX01");
    CHECK(ex01.files == 2);
    // Both runs start at the same time: the one listed last (the nested log) counts as the latest.
    CHECK(ex01.outcome == "succeeded");
    CHECK(ex01.setup_version == "15.2.1544.4");
    CHECK(ex01.error == 1);
    CHECK(ex01.warning == 2);
    REQUIRE(ex01.top);
    CHECK(ex01.top->rule_id == "t-setup-failed");   // highest severity wins over order
    auto ex02 = summarize_bundle(result.bundles[1], ropts);
    CHECK(ex02.server == "EX02");
    CHECK(ex02.setup_version == "15.2.1258.12");
    CHECK(ex02.outcome == "succeeded");
    CHECK(ex02.error == 0);
    auto ex03 = summarize_bundle(result.bundles[2], ropts);
    CHECK(ex03.server == "EX03");                   // from the log's server_fqdn
    CHECK(ex03.setup_version == "15.1.2507.6");
    CHECK(ex03.outcome == "failed");
    auto loose = summarize_bundle(result.bundles[3], ropts);
    CHECK(loose.server == "MBX9");
    for (const auto& b : result.bundles) CHECK(b.errors == 0);
}

TEST_CASE("batch: output is the same with one thread and with many") {
    ScratchDir dir("batch");
    std::string coll = make_collection(dir);
    // More bundles than threads, so that they finish out of order.
    for (int i = 0; i < 6; ++i)
        dir.write("coll/2025124/SRV" + std::to_string(i) + "-1124.zip",
                  make_zip({{.name = "ExchangeSetupLogs/ExchangeSetup.log", .data = setup_log("15.2.0." + std::to_string(i), i % 2)}}));
    RuleSet rules = test_rules();
    ReportOptions ropts;
    BatchOptions one;
    one.jobs = 1;
    BatchOptions many;
    many.jobs = 4;
    BatchResult a = run_batch({coll}, rules, one);
    BatchResult b = run_batch({coll}, rules, many);
    REQUIRE(a.bundles.size() == 10);
    CHECK(render_batch_text(a, ropts) == render_batch_text(b, ropts));
    CHECK(render_batch_csv(a, ropts) == render_batch_csv(b, ropts));
    CHECK(render_batch_jsonl(a, ropts) == render_batch_jsonl(b, ropts));
    // The same bundles given one by one, in another order, give the same rows.
    std::vector<std::string> paths;
    DiagSink diags;
    for (const auto& p : expand_bundles({coll}, diags)) paths.insert(paths.begin(), p);
    CHECK(render_batch_csv(run_batch(paths, rules, many), ropts) == render_batch_csv(a, ropts));
}

TEST_CASE("batch: CSV follows RFC 4180 quoting, escapes controls and defuses formulas") {
    struct Case {
        const char* in;
        const char* out;
    };
    const Case cases[] = {
        {"plain", "plain"},
        {"", ""},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"semi;colon", "semi;colon"},
        // Line breaks and escape sequences from inputs are shown, not obeyed.
        {"two\nlines", "two\\nlines"},
        {"cr\rhere", "cr\\rhere"},
        {"EX01\x1b]52;c;ZWNobyBoaQ==\x07", "EX01\\x1b]52;c;ZWNobyBoaQ==\\x07"},
        // OWASP CSV injection: a cell that a spreadsheet would run as a formula gets an apostrophe.
        {"=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""},
        {"+1+1", "'+1+1"},
        {"-2+3", "'-2+3"},
        {"@SUM(A1)", "'@SUM(A1)"},
        {"=1,2", "\"'=1,2\""},
        {"a=b", "a=b"},
    };
    for (const auto& c : cases) CHECK(csv_field(c.in) == c.out);

    ScratchDir dir("batch");
    std::string coll = make_collection(dir);
    RuleSet rules = test_rules();
    BatchResult result = run_batch({coll + "/2025123/EX01-1123.zip"}, rules, {});
    std::string csv = render_batch_csv(result, {});
    CHECK(csv.rfind("bundle,server,servers,setup_version,installed_version,outcome,", 0) == 0);
    CHECK(csv.find("\"Setup failed, \"\"badly\"\"\"") != std::string::npos);
    CHECK(csv.find("\r\n") != std::string::npos);
    CHECK(csv.find('\n') == csv.find("\r\n") + 1);
}

TEST_CASE("batch: JSON lines carry one object per bundle") {
    ScratchDir dir("batch");
    std::string coll = make_collection(dir);
    RuleSet rules = test_rules();
    BatchResult result = run_batch({coll}, rules, {});
    std::string jsonl = render_batch_jsonl(result, {});
    size_t lines = 0;
    for (char c : jsonl) lines += c == '\n';
    CHECK(lines == 4);
    CHECK(jsonl.rfind("{\"version\":1,\"bundle\":", 0) == 0);
    CHECK(jsonl.find("\"top_finding\":{\"rule\":\"t-setup-failed\"") != std::string::npos);
}

TEST_CASE("bundle: server names from collector paths") {
    struct Case {
        const char* path;
        const char* server;
    };
    const Case cases[] = {
        {"C:\\MS_Logs_Collection\\2025123\\EX01-123.zip!Windows_Event_Logs/Windows-Logs.zip!Application.evtx", "EX01"},
        {"/data/2025123/EX02/ExchangeSetupLogs/ExchangeSetup.log", "EX02"},
        {"/data/2025123/ExchangeLogCollector-ZipAndCopy-Debug_1.txt", ""},
        {"x/EX01-1123-2.zip!a.log", "EX01"},
        {"x/EX-01-1123.zip!a.log", "EX-01"},
        {"x/ex05-1112.zip", "EX05"},
        {"EX01-20241112.zip!EX01/ExchangeSetupLogs/x.log", "EX01"},
        {"EX02-1123.zip!EX01/ExchangeSetupLogs/x.log", "EX02"},
        {"x/Windows-Logs.zip!EX03_Application.xml", "EX03"},
        {"General_Server_Info.zip!EX03_HotFixInfo.txt", "EX03"},
        {"HealthChecker-EX04-20240101120000.txt", "EX04"},
        {"logs/ExchangeSetup.log", ""},
        {"Microsoft-Exchange-HighAvailability.zip!x.evtx", ""},
        {"x/Some_Thing.xml", ""},
    };
    for (const auto& c : cases) CHECK_MESSAGE(server_from_path(c.path) == c.server, c.path);
    CHECK(normalize_server("ex01.contoso.com") == "EX01");
    CHECK(normalize_server("EX02") == "EX02");
    CHECK(normalize_server("") == "");
}

TEST_CASE("batch: the latest setup run's cause is the bundle's top finding, over a more severe finding elsewhere") {
    ScratchDir dir("batch-top");
    // An older log with a critical finding, and the latest run (a day later) that failed.
    std::string failed = setup_log("15.2.1544.9", false);
    for (size_t at = failed.find("03/06/2021"); at != std::string::npos; at = failed.find("03/06/2021", at))
        failed.replace(at, 10, "03/07/2021");
    dir.write("EX01-1123/ExchangeSetupLogs/ExchangeSetup.log", failed);
    dir.write("EX01-1123/older/ExchangeSetup.log", setup_log("15.2.1.1", true));
    std::vector<std::unique_ptr<Rule>> rules;
    rules.push_back(parse_rule(kFailedRule, "rules/t-setup-failed.yaml"));
    rules.push_back(parse_rule(R"(id: t-critical
title: Something critical in an older log
severity: critical
source: exchange-setup
match: 'Setup version: 15\.2\.1\.1\.'
message: 'Critical.'
remediation:
  - 'Look.'
examples:
  match:
    - '[03/06/2021 18:37:29.0360] [0] Setup version: 15.2.1.1.'
)", "rules/t-critical.yaml"));
    RuleSet set(std::move(rules));
    BatchOptions options;
    options.jobs = 1;
    options.analyze.version_advice = false;
    BatchResult result = run_batch({(dir.path() / "EX01-1123").string()}, set, options);
    REQUIRE(result.bundles.size() == 1);
    auto s = summarize_bundle(result.bundles[0], ReportOptions{});
    CHECK(s.outcome == "failed");
    CHECK(s.critical == 1);
    REQUIRE(s.top);
    CHECK(s.top->rule_id == "t-setup-failed");
}
