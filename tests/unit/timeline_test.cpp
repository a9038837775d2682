// Tests of `extriage timeline`: deterministic ordering, which records become entries (setup
// errors, events at warning or above, records a rule matched), run and finding entries, the
// entry cap, and the text/JSON renderers.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "app/timeline.hpp"
#include "report/report.hpp"
#include "engine/rule_loader.hpp"

using namespace extriage;

namespace {

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

std::string scm(const std::string& time, int id, int level, const std::string& service, const std::string& p2,
                const std::string& p3 = "") {
    std::string data = "<Data Name='param1'>" + service + "</Data><Data Name='param2'>" + p2 + "</Data>";
    if (!p3.empty()) data += "<Data Name='param3'>" + p3 + "</Data>";
    return "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Service Control "
           "Manager'/><EventID>" + std::to_string(id) + "</EventID><Level>" + std::to_string(level) +
           "</Level><TimeCreated SystemTime='" + time + "'/><EventRecordID>1</EventRecordID><Channel>System</Channel>"
           "<Computer>EX01.contoso.com</Computer></System><EventData>" + data + "</EventData></Event>\n";
}

// 7040 (info, matched by a rule), 7036 (info, not matched), 7000 (error), in file order != time order.
const std::string kEvents =
    scm("2024-05-11T14:30:00.000Z", 7000, 2, "Microsoft Exchange Transport", "%%1058") +
    scm("2024-05-11T14:02:31.512Z", 7040, 4, "Microsoft Exchange Information Store", "auto start", "disabled") +
    scm("2024-05-11T14:02:40.000Z", 7036, 4, "Microsoft Exchange Transport", "stopped");

InputFile memory_input(const std::string& path, const char* parser, const std::string& data) {
    InputFile in;
    in.display_path = path;
    in.parser = find_parser(parser);
    const std::string* d = &data;
    in.open = [d] { return std::unique_ptr<ByteSource>(std::make_unique<MemorySource>(*d)); };
    return in;
}

const RuleSet& all_rules() {
    static const RuleSet rules = [] {
        DiagSink diags;
        auto loaded = load_rules({std::string(EXTRIAGE_TEST_SOURCE_DIR) + "/rules"}, diags);
        return RuleSet(std::move(loaded));
    }();
    return rules;
}

Timeline build(size_t cap = 100000) {
    DiagSink diags;
    TimelineOptions o;
    o.max_entries = cap;
    return build_timeline_from_inputs({memory_input("System.xml", "event-xml", kEvents),
                                       memory_input("ExchangeSetup.log", "exchange-setup", kSetupLog)},
                                      all_rules(), diags, o);
}

TimelineEntry entry(int64_t t, const std::string& path, uint64_t line, TimelineEntry::Kind k = TimelineEntry::Kind::event) {
    TimelineEntry e;
    e.time_ms = t;
    e.path = path;
    e.line = line;
    e.kind = k;
    return e;
}

}  // namespace

TEST_CASE("event-timeline: orders by time, then file, then line; untimed entries last") {
    using K = TimelineEntry::Kind;
    std::vector<TimelineEntry> v{entry(kNoTime, "a", 1),          entry(20, "b", 5),           entry(10, "b", 9),
                                 entry(10, "a", 7),               entry(10, "a", 3),           entry(10, "a", 3, K::run_start),
                                 entry(10, "a", 3, K::finding),   entry(kNoTime, "0", 9)};
    std::sort(v.begin(), v.end(), timeline_before);
    std::vector<std::string> got;
    for (const auto& e : v) got.push_back(fmt::format("{}:{}:{}:{}", e.time_ms == kNoTime ? -1 : e.time_ms, e.path, e.line,
                                                      timeline_kind_name(e.kind)));
    CHECK(got == std::vector<std::string>{"10:a:3:run-start", "10:a:3:event", "10:a:3:finding", "10:a:7:event",
                                          "10:b:9:event", "20:b:5:event", "-1:0:9:event", "-1:a:1:event"});
}

TEST_CASE("event-timeline: merges setup runs, setup errors, events and findings in UTC order") {
    Timeline tl = build();
    std::vector<std::string> got;
    for (const auto& e : tl.entries)
        got.push_back(fmt::format("{} {}:{} {}", timeline_kind_name(e.kind), e.path, e.line, e.rule_id));
    CAPTURE(fmt::format("{}", fmt::join(got, "\n")));
    REQUIRE(std::is_sorted(tl.entries.begin(), tl.entries.end(), timeline_before));
    // The run opens first (14:00:00 UTC), ends after its [ERROR] line (14:10:05).
    CHECK(tl.entries.front().kind == TimelineEntry::Kind::run_start);
    CHECK(tl.entries.front().time_is_utc);
    auto pos = [&](const std::string& needle) {
        for (size_t i = 0; i < got.size(); ++i)
            if (got[i].find(needle) != std::string::npos) return static_cast<int>(i);
        return -1;
    };
    const int match_7040 = pos("match System.xml:2 event-scm-exchange-service-disabled");
    const int finding_7040 = pos("finding System.xml:2 event-scm-exchange-service-disabled");
    const int error_line = pos("error ExchangeSetup.log:6");
    const int run_end = pos("run-end ExchangeSetup.log:9");
    const int event_7000 = pos("event System.xml:1 ");
    const int finding_7000 = pos("finding System.xml:1 event-scm-exchange-service-start-failed");
    CHECK(match_7040 > 0);                       // an info-level event becomes an entry because a rule matched it
    CHECK(finding_7040 == match_7040 + 1);
    CHECK(error_line > finding_7040);
    CHECK(run_end > error_line);
    CHECK(event_7000 > run_end);                 // 14:30, after the run, although first in its file
    CHECK(finding_7000 == event_7000 + 1);
    CHECK(pos("System.xml:3") == -1);            // info-level 7036 that no rule matched stays out
    const TimelineEntry& f = tl.entries[static_cast<size_t>(finding_7000)];
    REQUIRE(f.related_run);
    CHECK(f.related_run->minutes_after == 20);
    CHECK(tl.entries[static_cast<size_t>(run_end)].outcome == "failed");
    CHECK(tl.dropped == 0);
}

TEST_CASE("event-timeline: the record cap drops log records but keeps runs and findings") {
    Timeline tl = build(1);
    CHECK(tl.dropped == 1);   // two records qualify (setup [ERROR], event 7000); one is kept
    size_t runs = 0, findings = 0, records = 0;
    for (const auto& e : tl.entries) {
        runs += e.kind == TimelineEntry::Kind::run_start || e.kind == TimelineEntry::Kind::run_end;
        findings += e.kind == TimelineEntry::Kind::finding;
        records += e.kind == TimelineEntry::Kind::event || e.kind == TimelineEntry::Kind::error;
    }
    CHECK(runs == 2);
    CHECK(findings == build().analysis.findings.size());
    CHECK(records == 1);
    const std::string text = render_timeline_text(tl, {});
    CHECK(text.find("1 more record(s) not shown (cap 1") != std::string::npos);
}

TEST_CASE("event-timeline: text and JSON renderings are deterministic and carry file:line") {
    Timeline a = build(), b = build();
    const std::string text = render_timeline_text(a, {});
    CHECK(text == render_timeline_text(b, {}));
    CHECK(text.find("2024-05-11T14:00:00.000Z") != std::string::npos);
    CHECK(text.find("ExchangeSetup.log:6") != std::string::npos);
    CHECK(text.find("(20 min after setup run 1 of ExchangeSetup.log)") != std::string::npos);
    const std::string json_text = render_timeline_json(a, {});
    CHECK(json_text == render_timeline_json(b, {}));
    const auto j = nlohmann::json::parse(json_text);
    CHECK(j["version"] == 1);
    REQUIRE(j["entries"].size() == a.entries.size());
    CHECK(j["entries"][0]["kind"] == "run-start");
    CHECK(j["entries"][0]["time"] == "2024-05-11T14:00:00.000Z");
    CHECK(j["entries"][0]["file"] == "ExchangeSetup.log");
    CHECK(j["entries"][0]["line"] == 1);
    bool related = false;
    for (const auto& e : j["entries"])
        if (e.contains("related_run")) related = related || e["related_run"]["file"] == "ExchangeSetup.log";
    CHECK(related);
    CHECK(j["summary"]["runs"] == 1);
}
