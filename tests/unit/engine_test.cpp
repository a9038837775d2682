// Engine semantics, driven with hand-made records (no parser involved).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "engine/rule_loader.hpp"

using namespace extriage;

namespace {

struct Line {
    int segment;
    std::string text;
    Level level = Level::info;
    std::vector<std::pair<std::string, std::string>> fields = {};
};

std::unique_ptr<RuleSet> rules_from(const std::vector<std::string>& yamls) {
    std::vector<std::unique_ptr<Rule>> rules;
    for (const auto& y : yamls) rules.push_back(parse_rule(y, ""));
    return std::make_unique<RuleSet>(std::move(rules));
}

std::string rule_yaml(const std::string& id, const std::string& body, const std::string& message = "hit") {
    return "id: " + id + "\ntitle: T\nseverity: error\nsource: test\n" + body + "\nmessage: '" + message +
           "'\nremediation: [do it]\nexamples:\n  match: ['x']\n";
}

// Feeds lines to the engine as one file; each change of segment ends the previous one.
std::vector<Finding> run(const RuleSet& rules, const std::vector<Line>& lines,
                         const std::vector<std::pair<std::string, std::string>>& run_facts = {},
                         DiagSink* sink = nullptr) {
    DiagSink local;
    DiagSink& diags = sink ? *sink : local;
    Engine engine(rules, diags);
    engine.on_file_begin("t.log", "test");
    int current = lines.empty() ? -1 : lines.front().segment;
    uint64_t n = 0;
    auto end_segment = [&](int index) {
        if (index < 0) return;
        Segment s;
        s.path = "t.log";
        s.index = index;
        s.facts = run_facts;
        engine.on_segment_end(s);
    };
    for (const auto& l : lines) {
        if (l.segment != current) end_segment(current), current = l.segment;
        std::vector<Field> fields;
        for (const auto& [k, v] : l.fields) fields.push_back({k, v});
        Record r;
        r.parser = "test";
        r.path = "t.log";
        r.line = ++n;
        r.text = l.text;
        r.raw = l.text;
        r.level = l.level;
        r.segment = l.segment;
        r.fields = fields;
        engine.on_record(r);
    }
    end_segment(current);
    engine.on_file_end("t.log");
    return engine.findings();
}

std::vector<std::string> ids(const std::vector<Finding>& fs, bool latest_only = true) {
    std::vector<std::string> out;
    for (const auto& f : fs)
        if (!latest_only || f.latest) out.push_back(f.rule_id);
    return out;
}

}  // namespace

TEST_CASE("engine: a pattern captures facts from the last match and renders the message") {
    auto rs = rules_from({rule_yaml("r", R"(match: 'disk (?P<disk>\w+) failed')", "Disk {disk} on {run.server}")});
    auto fs = run(*rs, {{0, "disk C failed"}, {0, "ok"}, {0, "disk D failed"}}, {{"server", "EX01"}});
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].message == "Disk D on EX01");
    CHECK(*fs[0].fact("disk") == "D");
    REQUIRE(fs[0].evidence.size() == 1);
    CHECK(fs[0].evidence[0].line == 3);
}

TEST_CASE("engine: matching is case-insensitive unless the rule says otherwise") {
    auto rs = rules_from({rule_yaml("ci", "match: 'Rule:IisUrlRewrite'"),
                          rule_yaml("cs", "match: {pattern: 'Rule:IisUrlRewrite', case_sensitive: true}")});
    CHECK(ids(run(*rs, {{0, "Evaluated [Rule:IISURLRewriteNotInstalled]"}})) == std::vector<std::string>{"ci"});
}

TEST_CASE("engine: boolean combinations") {
    auto rs = rules_from({
        rule_yaml("all", "match: {all: ['alpha', 'beta']}"),
        rule_yaml("any", "match: {any: ['alpha', 'gamma']}"),
        rule_yaml("none", "match: {all: ['alpha', {none: ['beta']}]}"),
        rule_yaml("not", "match: {all: ['alpha', {not: 'gamma'}]}"),
    });
    struct Case {
        std::vector<Line> lines;
        std::vector<std::string> expected;
    };
    const Case cases[] = {
        {{{0, "alpha"}, {0, "beta"}}, {"all", "any", "not"}},
        {{{0, "alpha"}}, {"any", "none", "not"}},
        {{{0, "gamma"}}, {"any"}},
        {{{0, "nothing"}}, {}},
    };
    for (const auto& c : cases) {
        auto got = ids(run(*rs, c.lines));
        std::sort(got.begin(), got.end());
        CHECK(got == c.expected);
    }
}

TEST_CASE("engine: sequence needs its steps in order on later records") {
    auto rs = rules_from({rule_yaml("seq", R"(match: {sequence: ['stop (?P<svc>\w+)', 'start failed']})", "{svc}")});
    CHECK(ids(run(*rs, {{0, "stop IS"}, {0, "start failed"}})).size() == 1);
    CHECK(ids(run(*rs, {{0, "start failed"}, {0, "stop IS"}})).empty());
    CHECK(ids(run(*rs, {{0, "stop IS start failed"}})).empty());
    auto fs = run(*rs, {{0, "start failed"}, {0, "stop IS"}, {0, "x"}, {0, "start failed"}});
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].message == "IS");
    CHECK(fs[0].evidence.size() == 2);
}

TEST_CASE("engine: without_later fires only when nothing clears the match") {
    auto rs = rules_from({rule_yaml(
        "wl", R"(match: {without_later: {match: 'disabled (?P<svc>\w+)', later: 'restored'}})", "{svc} left disabled")});
    CHECK(ids(run(*rs, {{0, "disabled IS"}})).size() == 1);
    CHECK(ids(run(*rs, {{0, "disabled IS"}, {0, "restored"}})).empty());
    auto fs = run(*rs, {{0, "disabled IS"}, {0, "restored"}, {0, "disabled RPC"}});
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].message == "RPC left disabled");
}

TEST_CASE("engine: run scope reports the latest run; earlier runs are kept but marked") {
    auto rs = rules_from({rule_yaml("r", "match: 'boom'")});
    auto fs = run(*rs, {{0, "boom"}, {1, "fine"}});
    REQUIRE(fs.size() == 1);
    CHECK_FALSE(fs[0].latest);
    CHECK(fs[0].segment == 0);
    fs = run(*rs, {{0, "fine"}, {1, "boom"}});
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].latest);
}

TEST_CASE("engine: error scope starts at the run's first error record") {
    auto rs = rules_from({rule_yaml("e", "scope: error\nmatch: 'path missing'")});
    CHECK(ids(run(*rs, {{0, "path missing"}, {0, "[ERROR] stop", Level::error}})).empty());
    CHECK(ids(run(*rs, {{0, "[ERROR] stop", Level::error}, {0, "path missing"}})).size() == 1);
    CHECK(ids(run(*rs, {{0, "[ERROR] path missing", Level::error}})).size() == 1);
    // The error state does not leak into the next run.
    CHECK(ids(run(*rs, {{0, "[ERROR] x", Level::error}, {1, "path missing"}}), false).empty());
}

TEST_CASE("engine: file-scope extractors add facts without deciding the match") {
    auto rs = rules_from({rule_yaml("x",
                                    "match: 'failed'\nextract:\n  - {pattern: 'DC is (?P<dc>\\S+)', scope: file}\n"
                                    "defaults: {site: NULL VALUE}",
                                    "{dc} {site}")});
    auto fs = run(*rs, {{0, "DC is DC1"}, {1, "failed"}});
    REQUIRE(ids(fs).size() == 1);
    CHECK(fs.back().message == "DC1 NULL VALUE");
    CHECK(run(*rs, {{0, "DC is DC1"}}).empty());
}

TEST_CASE("engine: file-scope extractors take a run's facts from that run, else from the latest earlier run") {
    const std::string extract =
        "match: 'failed'\nextract:\n"
        "  - {pattern: 'DC is (?P<dc>\\S+)', scope: file}\n"
        "  - {pattern: 'site is (?P<site>\\S+)', scope: file}\n"
        "defaults: {site: NULL VALUE}";
    auto rs = rules_from({rule_yaml("x", extract, "{dc} {site}")});
    auto latest = [](const std::vector<Finding>& fs) {
        for (const auto& f : fs)
            if (f.latest) return f.message;
        return std::string("<none>");
    };
    // The diagnosed run names its own DC: no fact of it comes from another run, even one the
    // run itself leaves out (an empty DC site value is not written as "site is ...").
    CHECK(latest(run(*rs, {{0, "DC is DC1"}, {0, "site is A"}, {1, "DC is DC2"}, {1, "failed"}})) == "DC2 NULL VALUE");
    // It names none of them: all come from the latest earlier run that named any.
    CHECK(latest(run(*rs, {{0, "DC is DC1"}, {0, "site is A"}, {1, "failed"}})) == "DC1 A");
    CHECK(latest(run(*rs, {{0, "DC is DC1"}, {0, "site is A"}, {1, "DC is DC2"}, {2, "failed"}})) == "DC2 NULL VALUE");
    CHECK(latest(run(*rs, {{0, "DC is DC1"}, {1, "nothing"}, {2, "failed"}})) == "DC1 NULL VALUE");
    // Never from a later run: the first run's finding (kept for --all-runs) has no DC.
    auto fs = run(*rs, {{0, "failed"}, {1, "DC is DC2"}, {1, "site is B"}});
    REQUIRE(fs.size() == 1);
    CHECK_FALSE(fs[0].latest);
    CHECK(fs[0].fact("dc") == nullptr);
    CHECK(*fs[0].fact("site") == "NULL VALUE");
    // Nothing carries over into the next file.
    DiagSink diags;
    Engine engine(*rs, diags);
    auto feed = [&](const std::string& path, const std::string& text) {
        engine.on_file_begin(path, "test");
        Record r;
        r.parser = "test";
        r.path = path;
        r.line = 1;
        r.text = text;
        r.raw = text;
        r.segment = 0;
        engine.on_record(r);
        Segment seg;
        seg.path = path;
        seg.index = 0;
        engine.on_segment_end(seg);
        engine.on_file_end(path);
    };
    feed("a.log", "DC is DC1");
    feed("b.log", "failed");
    REQUIRE(engine.findings().size() == 1);
    CHECK(engine.findings()[0].fact("dc") == nullptr);

    SUBCASE("pick: first chooses within the run, not the file's first value") {
        auto first = rules_from({rule_yaml(
            "f", "match: 'failed'\nextract:\n  - {pattern: 'DC is (?P<dc>\\S+)', scope: file, pick: first}", "{dc}")});
        CHECK(latest(run(*first, {{0, "DC is DC1"}, {1, "DC is DC2"}, {1, "DC is DC3"}, {1, "failed"}})) == "DC2");
        CHECK(latest(run(*first, {{0, "DC is DC1"}, {0, "DC is DC0"}, {1, "failed"}})) == "DC1");
    }
    SUBCASE("a file-scope rule still reads the whole file") {
        auto whole = rules_from({rule_yaml(
            "w", "scope: file\nmatch: 'failed'\nextract:\n  - {pattern: 'DC is (?P<dc>\\S+)', scope: file}", "{dc}")});
        auto got = run(*whole, {{0, "failed"}, {1, "DC is DC2"}});
        REQUIRE(got.size() == 1);
        CHECK(got[0].message == "DC2");
    }
}

TEST_CASE("engine: checks compare versions and facts") {
    auto rs = rules_from({rule_yaml("same",
                                    "match: 'Setup version: (?P<setup>[\\d.]+)'\n"
                                    "checks:\n  - {left: '{run.installed}', op: same_build, right: '{setup}'}")});
    CHECK(run(*rs, {{0, "Setup version: 15.1.2176.9"}}, {{"installed", "15.1.2176.2"}}).size() == 1);
    CHECK(run(*rs, {{0, "Setup version: 15.1.2176.9"}}, {{"installed", "15.1.2507.6"}}).empty());
    CHECK(run(*rs, {{0, "Setup version: 15.1.2176.9"}}).empty());  // missing value: the check fails
}

TEST_CASE("engine: each_match rules give one finding per distinct key with a count") {
    auto rs = rules_from({rule_yaml("each", "each_match: true\ndedupe_by: [svc]\nmatch: 'service (?P<svc>\\w+) is disabled'",
                                    "{svc}")});
    auto fs = run(*rs, {{0, "service IS is disabled"}, {0, "service RPC is disabled"}, {0, "service IS is disabled"}});
    REQUIRE(fs.size() == 2);
    std::sort(fs.begin(), fs.end(), [](const Finding& a, const Finding& b) { return a.message < b.message; });
    CHECK(fs[0].message == "IS");
    CHECK(fs[0].count == 2);
    CHECK(fs[1].count == 1);
}

TEST_CASE("engine: where filters records by field values before matching") {
    auto rs = rules_from({rule_yaml("w", "where: {event_id: [7000, 7009]}\nmatch: {field: param1, pattern: 'Exchange'}")});
    CHECK(run(*rs, {{0, "x", Level::error, {{"event_id", "7000"}, {"param1", "Microsoft Exchange Transport"}}}}).size() == 1);
    CHECK(run(*rs, {{0, "x", Level::error, {{"event_id", "7036"}, {"param1", "Microsoft Exchange Transport"}}}}).empty());
}

TEST_CASE("engine: a fallback rule fires only when no other rule did") {
    auto rs = rules_from({rule_yaml("known", "match: 'known problem'"),
                          rule_yaml("fb", "fallback: true\nscope: error\nmatch: '\\[ERROR\\] (?P<err>.*)'", "{err}")});
    CHECK(ids(run(*rs, {{0, "[ERROR] odd", Level::error}})) == std::vector<std::string>{"fb"});
    CHECK(ids(run(*rs, {{0, "[ERROR] odd", Level::error}, {0, "known problem"}})) == std::vector<std::string>{"known"});
    // An informational finding explains nothing, so the fallback still fires.
    auto with_info = rules_from({rule_yaml("note", "severity: info\nmatch: 'same build'").replace(
                                     rule_yaml("note", "").find("severity: error\n"), 16, ""),
                                 rule_yaml("fb", "fallback: true\nmatch: '\\[ERROR\\]'")});
    auto got = ids(run(*with_info, {{0, "same build"}, {0, "[ERROR] odd", Level::error}}));
    std::sort(got.begin(), got.end());
    CHECK(got == std::vector<std::string>{"fb", "note"});
}

TEST_CASE("engine: evidence points at the continuation line that matched") {
    auto rs = rules_from({rule_yaml("c", "match: 'was run: \"(?P<ex>System\\.\\w+)'")});
    auto fs = run(*rs, {{0, "[ERROR] The following error was generated when \"$error.Clear();\n  x\n\" was run: \"System.Exception: boom"}});
    REQUIRE(fs.size() == 1);
    REQUIRE(fs[0].evidence.size() == 1);
    CHECK(fs[0].evidence[0].line == 3);
    CHECK(fs[0].evidence[0].text == "\" was run: \"System.Exception: boom");
}

TEST_CASE("engine: evidence keeps the rest of a multi-line or long record for error code decoding") {
    // A capture-less leaf on the one-line `line` field (evidence built on the hit), and leaves on
    // the multi-line text (evidence built when the scope ends, from a deferred copy): all keep it.
    auto rs = rules_from({rule_yaml("line", "match: {pattern: 'operation failed', field: line}"),
                          rule_yaml("plain", "match: 'operation failed'"),
                          rule_yaml("captures", R"(match: 'operation failed on (?P<dc>\S+?)\.')")});
    DiagSink diags;
    Engine engine(*rs, diags);
    engine.on_file_begin("t.log", "test");
    const std::string text =
        "[ERROR] Active Directory operation failed on DC01.contoso.com. This error is not retriable.\n"
        "Active directory response: 00000057: LdapErr: DSID-0C090D11, comment: Error in attribute conversion operation";
    const std::string first = "[07/09/2025 14:21:27.7622] [2] " + text.substr(0, text.find('\n'));
    Record r;
    r.parser = "test";
    r.path = "t.log";
    r.line = 5;
    r.line_count = 2;
    r.text = text;
    r.raw = first;
    r.segment = 0;
    engine.on_record(r);
    const std::string short_text = "operation failed on DC02.contoso.com. one line";
    Record one = r;
    one.line = 9;
    one.line_count = 1;
    one.text = short_text;
    one.raw = short_text;
    Segment s;
    s.path = "t.log";
    engine.on_segment_end(s);
    engine.on_file_end("t.log");
    auto fs = engine.findings();
    REQUIRE(fs.size() == 3);
    for (const auto& f : fs) {
        CAPTURE(f.rule_id);
        REQUIRE(f.evidence.size() == 1);
        CHECK(f.evidence[0].text == first);
        CHECK(f.evidence[0].record_text == text);
    }

    // A one-line record is shown whole: nothing extra is kept.
    Engine again(*rs, diags);
    again.on_file_begin("t.log", "test");
    again.on_record(one);
    again.on_segment_end(s);
    again.on_file_end("t.log");
    auto single = again.findings();
    REQUIRE(single.size() == 3);
    for (const auto& f : single) CHECK(f.evidence[0].record_text.empty());
}

TEST_CASE("engine: optional sections drop with their facts; a step without its facts is left out") {
    const std::string body = "match: 'task (?P<task>[\\w-]+) failed(?: on (?P<dc>\\S*))?'\n"
                             "remediation:\n"
                             "  - 'Check the DC {dc}.'\n"
                             "  - one_of: ['Rerun {task} against {dc}.', 'Rerun {task}[[ as {run.user}]].']\n"
                             "  - 'Read the log[[ of {run.server}]].'";
    std::string yaml = rule_yaml("r", body, "Task {task} failed[[ on {dc}]].");
    yaml.replace(yaml.find("remediation: [do it]\n"), 21, "");
    auto rs = rules_from({yaml});
    auto full = run(*rs, {{0, "task install-UMService failed on DC1"}}, {{"user", "CONTOSO\\admin"}});
    REQUIRE(full.size() == 1);
    CHECK(full[0].message == "Task install-UMService failed on DC1.");
    CHECK(full[0].remediation == std::vector<std::string>{"Check the DC DC1.", "Rerun install-UMService against DC1.", "Read the log."});
    // No DC: the section goes, the step that needs it goes, the next wording of one_of is used.
    // An empty capture counts as no value and is left out of the facts.
    for (const char* line : {"task install-UMService failed", "task install-UMService failed on "}) {
        CAPTURE(line);
        auto part = run(*rs, {{0, line}}, {{"user", "CONTOSO\\admin"}});
        REQUIRE(part.size() == 1);
        CHECK(part[0].message == "Task install-UMService failed.");
        CHECK(part[0].remediation == std::vector<std::string>{"Rerun install-UMService as CONTOSO\\admin.", "Read the log."});
        CHECK(part[0].fact("dc") == nullptr);   // absent, not empty, in the finding's facts
    }
}

TEST_CASE("engine: a message that lacks a mandatory fact shows the title and warns once") {
    auto rs = rules_from({rule_yaml("r", "match: 'boom(?: in (?P<where>\\w+))?'", "Boom in {where}.")});
    DiagSink diags;
    auto fs = run(*rs, {{0, "boom"}, {1, "boom"}}, {}, &diags);
    REQUIRE(fs.size() == 2);
    CHECK(fs.back().message == "T.");
    auto d = diags.snapshot();
    REQUIRE(d.size() == 1);
    CHECK(d[0].severity == DiagSeverity::warning);
    CHECK(d[0].origin == "r");
    CHECK(d[0].message.find("{where}") != std::string::npos);
    CHECK(run(*rs, {{0, "boom in X"}}).front().message == "Boom in X.");
}

TEST_CASE("engine: checks still treat a missing value as failing, an empty one as a value") {
    auto rs = rules_from({rule_yaml("r", "match: 'sid=(?P<sid>\\w*)'\nchecks:\n  - {left: '{sid}', op: equals, right: ''}")});
    CHECK(run(*rs, {{0, "sid="}}).size() == 1);
    CHECK(run(*rs, {{0, "sid=S1"}}).empty());
}

TEST_CASE("engine: a static fact built from other facts is left out when one of them is missing") {
    auto rs = rules_from({rule_yaml("r", "match: 'failed(?: at (?P<where>\\w+))?'\nfacts:\n  plain: fixed\n"
                                         "  nodes: '{run.install_path}\\Bin\\Search'\n  spot: '{where}-x'",
                                    "Failed[[ in {nodes}]].")});
    auto with = run(*rs, {{0, "failed at A"}}, {{"install_path", "D:\\Exchange"}});
    REQUIRE(with.size() == 1);
    CHECK(*with[0].fact("plain") == "fixed");
    CHECK(*with[0].fact("nodes") == "D:\\Exchange\\Bin\\Search");
    CHECK(*with[0].fact("spot") == "A-x");
    CHECK(with[0].message == "Failed in D:\\Exchange\\Bin\\Search.");
    auto without = run(*rs, {{0, "failed"}});
    REQUIRE(without.size() == 1);
    CHECK(*without[0].fact("plain") == "fixed");
    CHECK(without[0].fact("nodes") == nullptr);
    CHECK(without[0].fact("spot") == nullptr);
    CHECK(without[0].message == "Failed.");
}

TEST_CASE("engine: a match pattern with its own file scope sees earlier runs") {
    auto rs = rules_from({rule_yaml("r", "match:\n  all:\n    - 'admin is False'\n"
                                         "    - none:\n        - {pattern: 'group sid is S-', scope: file}")});
    CHECK(run(*rs, {{0, "start"}, {1, "admin is False"}}).size() == 1);
    // The SID was logged in an earlier run: the rule's run scope alone would not see it.
    CHECK(ids(run(*rs, {{0, "group sid is S-1-5-21"}, {1, "admin is False"}})).empty());
}
