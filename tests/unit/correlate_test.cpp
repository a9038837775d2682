// Tests of the correlation of event findings with setup runs: windows (during, N minutes after,
// beyond), choice between runs, servers, local-time runs, and how text and JSON reports show it.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/analyze.hpp"
#include "advice/correlate.hpp"
#include "engine/rule_loader.hpp"
#include "report/report.hpp"

using namespace extriage;

namespace {

Segment run(const std::string& path, int index, int64_t start, int64_t end, const std::string& kind = "setup-run") {
    Segment s;
    s.path = path;
    s.index = index;
    s.kind = kind;
    s.start_ms = start;
    s.end_ms = end;
    s.time_is_utc = true;
    return s;
}

constexpr int64_t kMin = 60000;
constexpr int64_t kT0 = 1715436000000;   // 2024-05-11T14:00:00Z

// A failed setup run from 14:00:00 to 14:10:06 UTC (the log states its time zone).
const std::string kSetupLog =
    "[05/11/2024 10:00:00.0000] [0] **********************************************\n"
    "[05/11/2024 10:00:00.0010] [0] Starting Microsoft Exchange Server 2019 Setup\n"
    "[05/11/2024 10:00:00.0020] [0] **********************************************\n"
    "[05/11/2024 10:00:00.0030] [0] Local time zone: (UTC-04:00) Atlantic Time (Canada).\n"
    "[05/11/2024 10:00:00.0050] [0] Setup version: 15.2.1544.4.\n"
    "[05/11/2024 10:10:05.0000] [1] [ERROR] Service 'MSExchangeTransport' failed to reach status 'Running' on this server.\n"
    "[05/11/2024 10:10:05.0020] [1] Setup is stopping now because of one or more critical errors.\n"
    "[05/11/2024 10:10:06.0000] [0] End of Setup\n"
    "[05/11/2024 10:10:06.0010] [0] **********************************************\n";

std::string event(const std::string& time, const std::string& provider, int id, int level, const std::string& data,
                  const std::string& computer = "EX01.contoso.com") {
    return "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='" + provider +
           "'/><EventID>" + std::to_string(id) + "</EventID><Level>" + std::to_string(level) +
           "</Level><Task>0</Task><TimeCreated SystemTime='" + time + "'/><EventRecordID>1</EventRecordID>"
           "<Channel>System</Channel><Computer>" + computer + "</Computer></System><EventData>" + data +
           "</EventData></Event>\n";
}

std::string scm(const std::string& time, int id, const std::string& service, const std::string& p2,
                const std::string& p3 = "", const std::string& computer = "EX01.contoso.com") {
    std::string data = "<Data Name='param1'>" + service + "</Data><Data Name='param2'>" + p2 + "</Data>";
    if (!p3.empty()) data += "<Data Name='param3'>" + p3 + "</Data>";
    return event(time, "Service Control Manager", id, id == 7040 ? 4 : 2, data, computer);
}

InputFile memory_input(const std::string& path, const char* parser, const std::string& data, const std::string& server = "") {
    InputFile in;
    in.display_path = path;
    in.server = server;
    in.parser = find_parser(parser);
    REQUIRE(in.parser != nullptr);
    const std::string* d = &data;
    in.open = [d] { return std::unique_ptr<ByteSource>(std::make_unique<MemorySource>(*d)); };
    return in;
}

const RuleSet& all_rules() {
    static const RuleSet rules = [] {
        DiagSink diags;
        auto loaded = load_rules({std::string(EXTRIAGE_TEST_SOURCE_DIR) + "/rules"}, diags);
        REQUIRE(diags.error_count() == 0);
        return RuleSet(std::move(loaded));
    }();
    return rules;
}

const Finding* finding(const AnalysisResult& r, const std::string& rule, const std::string& fact, const std::string& value) {
    for (const auto& f : r.findings)
        if (f.rule_id == rule && f.fact(fact) && *f.fact(fact) == value) return &f;
    return nullptr;
}

}  // namespace

TEST_CASE("event-correlate: inside a run is 'during', within the window 'N min after', beyond it nothing") {
    const Segment s = run("setup.log", 0, kT0, kT0 + 10 * kMin);
    const std::vector<const Segment*> runs{&s};
    int64_t after = -1;
    CHECK(related_segment(runs, kT0 + 5 * kMin, 60, after) == &s);
    CHECK(after == 0);
    CHECK(related_segment(runs, kT0, 60, after) == &s);   // the edges belong to the run
    CHECK(related_segment(runs, kT0 + 10 * kMin, 60, after) == &s);
    CHECK(after == 0);
    CHECK(related_segment(runs, kT0 + 10 * kMin + 1, 60, after) == &s);
    CHECK(after == 1);                                     // rounded up to whole minutes
    CHECK(related_segment(runs, kT0 + 70 * kMin, 60, after) == &s);
    CHECK(after == 60);
    CHECK(related_segment(runs, kT0 + 70 * kMin + 1, 60, after) == nullptr);
    CHECK(related_segment(runs, kT0 - 1, 60, after) == nullptr);   // before the run: never
    CHECK(related_segment(runs, kT0 + 70 * kMin + 1, 0, after) == nullptr);
    CHECK(related_segment(runs, kT0 + 100 * kMin, 120, after) == &s);
    CHECK(after == 90);
}

TEST_CASE("event-correlate: a containing run wins over an earlier one; nested runs resolve to the innermost") {
    const Segment first = run("a.log", 0, kT0, kT0 + 10 * kMin);
    const Segment second = run("a.log", 1, kT0 + 20 * kMin, kT0 + 30 * kMin);
    const Segment msi = run("ExchangeSetup.msilog", 0, kT0 + 22 * kMin, kT0 + 25 * kMin, "msi-session");
    const Segment no_end = run("b.log", 0, kT0 + 40 * kMin, kNoTime);
    int64_t after = -1;
    CHECK(related_segment({&first, &second}, kT0 + 25 * kMin, 60, after) == &second);
    CHECK(related_segment({&first, &second}, kT0 + 15 * kMin, 60, after) == &first);
    CHECK(after == 5);
    CHECK(related_segment({&first, &second}, kT0 + 35 * kMin, 60, after) == &second);   // the latest end
    // A setup run contains an MSI session: the setup run is named (kind first), whatever the order.
    CHECK(related_segment({&msi, &second}, kT0 + 23 * kMin, 60, after) == &second);
    CHECK(related_segment({&second, &msi}, kT0 + 23 * kMin, 60, after) == &second);
    CHECK(related_segment({&msi}, kT0 + 23 * kMin, 60, after) == &msi);
    // A run without an end time is a point in time.
    CHECK(related_segment({&no_end}, kT0 + 45 * kMin, 60, after) == &no_end);
    CHECK(after == 5);
    // Ties go to the path, then the index: deterministic whatever the input order.
    const Segment twin_a = run("a.log", 3, kT0, kT0 + 10 * kMin);
    const Segment twin_b = run("b.log", 0, kT0, kT0 + 10 * kMin);
    CHECK(related_segment({&twin_b, &twin_a}, kT0 + kMin, 60, after) == &twin_a);
    CHECK(related_segment({&twin_a, &twin_b}, kT0 + kMin, 60, after) == &twin_a);
}

TEST_CASE("event-correlate: analyze attaches event findings to the setup run and reports show it") {
    const std::string events = scm("2024-05-11T14:02:31.512Z", 7040, "Microsoft Exchange Information Store", "auto start", "disabled") +
                               scm("2024-05-11T14:30:00.000Z", 7000, "Microsoft Exchange Transport", "%%1058") +
                               scm("2024-05-11T16:00:00.000Z", 7000, "Microsoft Exchange Health Manager", "%%1053");
    std::vector<InputFile> inputs{memory_input("ExchangeSetup.log", "exchange-setup", kSetupLog),
                                  memory_input("System.xml", "event-xml", events)};
    DiagSink diags;
    AnalysisResult r = analyze_inputs(inputs, all_rules(), diags);
    REQUIRE(r.runs.size() == 1);
    CHECK(r.runs[0].time_is_utc);

    const Finding* disabled = finding(r, "event-scm-exchange-service-disabled", "service", "Microsoft Exchange Information Store");
    REQUIRE(disabled);
    REQUIRE(disabled->related_run);
    CHECK(disabled->related_run->file == "ExchangeSetup.log");
    CHECK(disabled->related_run->index == 0);
    CHECK(disabled->related_run->kind == "setup-run");
    CHECK(disabled->related_run->minutes_after == 0);
    CHECK_FALSE(disabled->related_run->local_time);
    CHECK(related_run_label(*disabled->related_run) == "during setup run 1 of ExchangeSetup.log");

    const Finding* transport = finding(r, "event-scm-exchange-service-start-failed", "service", "Microsoft Exchange Transport");
    REQUIRE(transport);
    REQUIRE(transport->related_run);
    CHECK(transport->related_run->minutes_after == 20);   // 14:30:00 - 14:10:06.001, rounded up
    CHECK(related_run_label(*transport->related_run) == "20 min after setup run 1 of ExchangeSetup.log");

    const Finding* late = finding(r, "event-scm-exchange-service-start-failed", "service", "Microsoft Exchange Health Manager");
    REQUIRE(late);
    CHECK_FALSE(late->related_run);

    // Setup-log findings are never attached to anything.
    for (const auto& f : r.findings)
        if (f.path == "ExchangeSetup.log") CHECK_FALSE(f.related_run);

    ReportOptions ro;
    const std::string text = render_text(r, {}, ro);
    CHECK(text.find("(during setup run 1 of ExchangeSetup.log)") != std::string::npos);
    CHECK(text.find("(20 min after setup run 1 of ExchangeSetup.log)") != std::string::npos);
    const auto json = nlohmann::json::parse(render_json(r, {}, ro));
    size_t with_run = 0;
    for (const auto& f : json["findings"]) {
        if (!f.contains("related_run")) continue;
        ++with_run;
        CHECK(f["related_run"]["file"] == "ExchangeSetup.log");
        CHECK(f["related_run"]["index"] == 0);
    }
    CHECK(with_run == 2);

    // A wider window reaches the 16:00 event as well.
    AnalysisResult wide = analyze_inputs(inputs, all_rules(), diags, CorrelateOptions{180});
    const Finding* late2 = finding(wide, "event-scm-exchange-service-start-failed", "service", "Microsoft Exchange Health Manager");
    REQUIRE(late2);
    REQUIRE(late2->related_run);
    CHECK(late2->related_run->minutes_after == 110);
}

TEST_CASE("event-correlate: events of another server are not attached; local-time runs say so") {
    const std::string events = scm("2024-05-11T14:02:31.512Z", 7040, "Microsoft Exchange Transport", "auto start", "disabled");
    {
        std::vector<InputFile> inputs{memory_input("EX01/ExchangeSetup.log", "exchange-setup", kSetupLog, "EX01"),
                                      memory_input("EX02/System.xml", "event-xml", events, "EX02")};
        DiagSink diags;
        AnalysisResult r = analyze_inputs(inputs, all_rules(), diags);
        const Finding* f = finding(r, "event-scm-exchange-service-disabled", "service", "Microsoft Exchange Transport");
        REQUIRE(f);
        CHECK_FALSE(f->related_run);
    }
    {
        // No "Local time zone" line: the run's times are local and compared as if UTC.
        std::string local = kSetupLog;
        local.erase(local.find("[05/11/2024 10:00:00.0030]"), local.find("[05/11/2024 10:00:00.0050]") - local.find("[05/11/2024 10:00:00.0030]"));
        const std::string local_events = scm("2024-05-11T10:02:31.512Z", 7040, "Microsoft Exchange Transport", "auto start", "disabled");
        std::vector<InputFile> inputs{memory_input("ExchangeSetup.log", "exchange-setup", local),
                                      memory_input("System.xml", "event-xml", local_events)};
        DiagSink diags;
        AnalysisResult r = analyze_inputs(inputs, all_rules(), diags);
        REQUIRE(r.runs.size() == 1);
        CHECK_FALSE(r.runs[0].time_is_utc);
        const Finding* f = finding(r, "event-scm-exchange-service-disabled", "service", "Microsoft Exchange Transport");
        REQUIRE(f);
        REQUIRE(f->related_run);
        CHECK(f->related_run->local_time);
        CHECK(related_run_label(*f->related_run).find("no time zone") != std::string::npos);
    }
}
