// The report answers first (issue 9): per-file headline, findings ordered cause first, linked
// events under their run, distances for other events, --brief, what was not checked, and the
// JSON shape that carries the same.
#include <doctest/doctest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "report/outline.hpp"
#include "report/report.hpp"
#include "result_test_util.hpp"

using namespace extriage;
using namespace extriage::test;

namespace {

const std::string kLog = "ExchangeSetup.log";
const std::string kApp = "Application.evtx";

// A failed setup run and an Application log: findings given in analysis order, as the engine
// sorts them (file, run, line), version advice first because it points at line 1.
AnalysisResult sample() {
    AnalysisResult r;
    r.files.push_back(make_file(kLog, "exchange-setup", 500));
    r.files.push_back(make_file(kApp, "evtx-binary", 40, "Application"));
    r.runs.push_back(make_run(kLog, 0, "failed"));
    r.runs.push_back(make_run(kLog, 1, "failed"));
    r.findings.push_back(make_finding("t-earlier", Level::error, kLog, 0, 20));
    r.findings.back().latest = false;
    r.findings.push_back(make_finding("version-behind-latest-su", Level::warning, kLog, 1, 101));
    r.findings.push_back(make_finding("t-info-context", Level::info, kLog, 1, 105));
    r.findings.push_back(make_finding("t-cause", Level::error, kLog, 1, 150));
    r.findings.push_back(make_finding("t-warning", Level::warning, kLog, 1, 160));
    r.findings.push_back(make_finding("t-later-critical", Level::critical, kLog, 1, 190));
    Finding linked = make_finding("event-linked", Level::error, kApp, -1, 0);
    linked.related_run = RelatedRun{kLog, 1, "setup-run", 0, 0, false};
    r.findings.push_back(linked);
    Finding old = make_finding("event-old", Level::error, kApp, -1, 0);
    old.nearest_run = RelatedRun{kLog, 0, "setup-run", 0, 666 * 1440, false};
    r.findings.push_back(old);
    r.findings.push_back(make_finding("event-info", Level::info, kApp, -1, 0));
    r.discover.skipped.push_back({"notes.txt", "file", "not a log format extriage knows"});
    r.discover.skipped.push_back({"locked", "folder", "folder could not be read: Permission denied"});
    r.missing_inputs.push_back({"the System event log", "setup run 2 has no end", "wevtutil epl System System.evtx"});
    r.live_checks.push_back({"a pending reboot now", ".\\SetupAssist.ps1 -Verbose"});
    return r;
}

std::vector<std::string> roles(const FileSection& s) {
    std::vector<std::string> out;
    for (const auto& f : s.findings) out.push_back(f.finding->rule_id + ":" + std::string(role_name(f.role)));
    return out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

}  // namespace

TEST_CASE("report outline: causes first, then context, linked events, version advice; events keep their distance") {
    AnalysisResult r = sample();
    Outline o = build_outline(r, ReportOptions{});
    REQUIRE(o.sections.size() == 2);
    CHECK(roles(o.sections[0]) == std::vector<std::string>{"t-later-critical:cause", "t-cause:cause", "t-warning:context",
                                                           "t-info-context:context", "event-linked:linked-event",
                                                           "version-behind-latest-su:version"});
    CHECK(roles(o.sections[1]) == std::vector<std::string>{"event-old:event", "event-info:info"});
    CHECK(o.sections[1].shown_elsewhere.size() == 1);
    CHECK(o.sections[1].shown_elsewhere.begin()->second == 1);
    CHECK(o.hidden_earlier_runs == 1);
    CHECK(o.shown == 8);
    // The headline: at most three lines, outcome, cause (the first error in report order), first step.
    const Headline& h = o.sections[0].headline;
    CHECK(h.lines() == std::vector<std::string>{"FAILED  setup run 2 of 2 (Upgrade, started 2024-05-11 15:00:00 UTC)",
                                                "Cause: [t-later-critical] Message of t-later-critical.",
                                                "First step: First step of t-later-critical."});
    // A file without runs: no outcome line.
    CHECK(o.sections[1].headline.lines().size() == 2);
    CHECK(o.sections[1].headline.lines()[0] == "Cause: [event-old] Message of event-old.");
}

TEST_CASE("report outline: --all-runs shows earlier runs last, --min-severity hides and counts") {
    AnalysisResult r = sample();
    ReportOptions all;
    all.all_runs = true;
    Outline o = build_outline(r, all);
    CHECK(roles(o.sections[0]).back() == "t-earlier:earlier-run");
    ReportOptions errors;
    errors.min_severity = Level::error;
    Outline e = build_outline(r, errors);
    CHECK(e.hidden_below_min_severity == 4);
    CHECK(e.sections[0].hidden == 3);
    // Nothing left at or above the threshold: the headline says findings were hidden.
    AnalysisResult quiet;
    quiet.files.push_back(make_file(kLog, "exchange-setup"));
    quiet.runs.push_back(make_run(kLog, 0, "succeeded"));
    quiet.findings.push_back(make_finding("t-info", Level::info, kLog, 0, 3));
    CHECK(build_outline(quiet, ReportOptions{}).sections[0].headline.lines()[1] == "No problem found (1 info finding).");
    CHECK(build_outline(quiet, errors).sections[0].headline.lines()[1] == "No finding at or above --min-severity (1 hidden).");
    // Only warnings: the most severe is the top finding, not a cause.
    quiet.findings.push_back(make_finding("t-warn", Level::warning, kLog, 0, 4));
    CHECK(build_outline(quiet, ReportOptions{}).sections[0].headline.lines()[1] == "Top finding: [t-warn] Message of t-warn.");
}

TEST_CASE("report outline: a cause folded from two logs is named in the headline of the log that lost it") {
    const std::string msi = "ExchangeSetup.msilog";
    AnalysisResult r;
    r.files.push_back(make_file(kLog, "exchange-setup"));
    r.files.push_back(make_file(msi, "msi-log"));
    r.runs.push_back(make_run(kLog, 0, "failed"));
    r.runs.push_back(make_run(msi, 0, "failed", "", "msi-session"));
    Finding folded = make_finding("t-cause", Level::error, kLog, 0, 5);
    Evidence other = folded.evidence.front();
    other.path = msi;
    other.line = 2;
    folded.evidence.push_back(other);
    r.findings.push_back(folded);
    r.findings.push_back(make_finding("t-msi-warning", Level::warning, msi, 0, 3));
    Outline o = build_outline(r, ReportOptions{});
    REQUIRE(o.sections.size() == 2);
    CHECK(roles(o.sections[0]) == std::vector<std::string>{"t-cause:cause"});
    CHECK(roles(o.sections[1]) == std::vector<std::string>{"t-msi-warning:context"});
    REQUIRE(o.sections[1].shown_elsewhere.size() == 1);
    CHECK(o.sections[1].shown_elsewhere.begin()->first == "setup run 1 of ExchangeSetup.log");
    // The error shown with the setup run outranks the MSI log's own warning.
    CHECK(o.sections[1].headline.lines()[1] == "Cause: [t-cause] Message of t-cause. (shown with setup run 1 of ExchangeSetup.log)");
    CHECK(o.sections[0].shown_elsewhere.empty());
    CHECK(o.sections[0].headline.lines()[1] == "Cause: [t-cause] Message of t-cause.");
}

TEST_CASE("report text: the headline follows the file header; --brief prints it alone") {
    AnalysisResult r = sample();
    auto full = lines_of(render_text(r, {}, ReportOptions{}));
    REQUIRE(full.size() > 6);
    CHECK(full[0] == "ExchangeSetup.log  (exchange-setup, 500 records, server EX01)");
    CHECK(full[1] == "  FAILED  setup run 2 of 2 (Upgrade, started 2024-05-11 15:00:00 UTC)");
    CHECK(full[2] == "  Cause: [t-later-critical] Message of t-later-critical.");
    CHECK(full[3] == "  First step: First step of t-later-critical.");
    const std::string text = render_text(r, {}, ReportOptions{});
    CHECK(text.find("(during setup run 2 of ExchangeSetup.log)") != std::string::npos);
    CHECK(text.find("(666 days before setup run 1 of ExchangeSetup.log)") != std::string::npos);
    CHECK(text.find("1 finding of this file shown with setup run 2 of ExchangeSetup.log.") != std::string::npos);
    // What was not checked.
    CHECK(text.find("Not checked:\n  Skipped 1 file:\n    notes.txt (not a log format extriage knows)\n") != std::string::npos);
    CHECK(text.find("  Folder not read: locked (folder could not be read: Permission denied)\n") != std::string::npos);
    CHECK(text.find("  Missing input: the System event log\n") != std::string::npos);
    CHECK(text.find("  Needs the live server:\n    a pending reboot now: .\\SetupAssist.ps1 -Verbose\n") != std::string::npos);
    CHECK(text.find("  1 finding of earlier runs hidden (--all-runs shows them).\n") != std::string::npos);
    ReportOptions errors;
    errors.min_severity = Level::error;
    CHECK(render_text(r, {}, errors).find("  4 findings below --min-severity error hidden.\n") != std::string::npos);

    ReportOptions brief;
    brief.brief = true;
    auto b = lines_of(render_text(r, {}, brief));
    CHECK(b == std::vector<std::string>{full[0], full[1], full[2], full[3], "Application.evtx  (evtx-binary, 40 records, server EX01)",
                                        "  Cause: [event-old] Message of event-old.", "  First step: First step of event-old."});
}

TEST_CASE("report text: items are listed one per line, consequences indented; input text is made printable") {
    AnalysisResult r;
    r.files.push_back(make_file(kLog, "exchange-setup"));
    Finding f = make_finding("prereq-failed-rule", Level::error, kLog, -1, 9);
    f.items = {{"GlobalServerInstall", "You must be a member.", ""}, {"CannotAccessAD", "AD can't be contacted.", ""},
               {"ForestLevelNotWin2003Native", "The forest level is too low.", "CannotAccessAD"}};
    f.evidence[0].text = "evil \x1b[2J line\x07";
    f.facts = {{"user", "CONTOSO\\\x1b]0;title\x07"}};
    r.findings.push_back(f);
    const std::string text = render_text(r, {}, ReportOptions{});
    CHECK(text.find("      - GlobalServerInstall: You must be a member.\n      - CannotAccessAD: AD can't be contacted.\n"
                    "          - ForestLevelNotWin2003Native: The forest level is too low.\n") != std::string::npos);
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find('\x07') == std::string::npos);
    CHECK(text.find("evil \\x1b[2J line\\x07") != std::string::npos);
}

TEST_CASE("report json: version 2 with headlines, categories, items, skipped inputs and what was not checked") {
    AnalysisResult r = sample();
    r.findings[3].items = {{"CannotAccessAD", "AD can't be contacted.", ""}, {"ForestLevelNotWin2003Native", "low", "CannotAccessAD"}};
    ReportOptions errors;
    errors.min_severity = Level::error;
    auto j = nlohmann::json::parse(render_json(r, {}, errors));
    CHECK(j["version"] == 2);
    const auto& h = j["files"][0]["headline"];
    CHECK(h["run"]["outcome"] == "failed");
    CHECK(h["run"]["index"] == 1);
    CHECK(h["run"]["of"] == 2);
    CHECK(h["cause"]["rule"] == "t-later-critical");
    CHECK(h["cause"]["severity"] == "critical");
    CHECK(h["cause"]["message"] == "Message of t-later-critical.");
    CHECK(h["first_step"] == "First step of t-later-critical.");
    CHECK(h["text"].size() == 3);
    CHECK(j["files"][1]["headline"]["run"].is_null());
    CHECK(j["files"][1]["channel"] == "Application");
    // Findings in report order with their category; the linked event sits under the setup log.
    std::vector<std::string> order;
    for (const auto& f : j["findings"]) order.push_back(f["rule"].get<std::string>() + ":" + f["category"].get<std::string>());
    CHECK(order == std::vector<std::string>{"t-later-critical:cause", "t-cause:cause", "event-linked:linked-event",
                                            "event-old:event"});
    CHECK(j["findings"][1]["items"][1]["under"] == "CannotAccessAD");
    CHECK(j["findings"][1]["items"][0]["under"].is_null());
    CHECK(j["findings"][3]["nearest_run"]["minutes_before"] == 666 * 1440);
    CHECK(j["skipped"][0] == nlohmann::json{{"path", "notes.txt"}, {"kind", "file"}, {"reason", "not a log format extriage knows"}});
    CHECK(j["skipped"][1]["kind"] == "folder");
    CHECK(j["not_checked"]["missing_inputs"][0]["what"] == "the System event log");
    CHECK(j["not_checked"]["live_server"][0]["check"] == "a pending reboot now");
    CHECK(j["summary"]["hidden"]["below_min_severity"] == 4);
    CHECK(j["summary"]["hidden"]["earlier_runs"] == 1);
    CHECK(j["summary"]["runs"] == 2);
    CHECK(j["summary"]["setup_runs"] == 2);
    CHECK(j["summary"]["findings"]["error"] == 3);
}

TEST_CASE("report: a log older than 14 days says how old it is") {
    AnalysisResult r;
    r.files.push_back(make_file(kLog, "exchange-setup"));
    r.files[0].last_time_ms = 1715436000000;   // 2024-05-11 14:00 UTC
    r.files[0].last_time_is_utc = true;
    set_ages(r, "2024-05-20");
    CHECK(r.files[0].age_days == 9);
    CHECK(render_text(r, {}, ReportOptions{}).find("days ago") == std::string::npos);
    set_ages(r, "2026-11-22");
    CHECK(r.files[0].age_days == 925);
    CHECK(render_text(r, {}, ReportOptions{}).starts_with(
        "ExchangeSetup.log  (exchange-setup, 10 records, server EX01; the log ends 2024-05-11 14:00:00 UTC, 925 days ago)\n"));
    auto j = nlohmann::json::parse(render_json(r, {}, ReportOptions{}));
    CHECK(j["files"][0]["age_days"] == 925);
    CHECK(j["files"][0]["last_time"] == "2024-05-11T14:00:00.000Z");
}
