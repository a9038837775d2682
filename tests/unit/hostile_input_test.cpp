// No input crashes extriage or takes the machine (issue 10): each generator of
// tests/tools/hostile_inputs.hpp against the bound that contains it. The malformed-input suite runs
// the same attacks at full size through the binary, under a memory and CPU limit.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#ifdef _WIN32
#include <windows.h>
#include <tlhelp32.h>
#endif

#include "app/analyze.hpp"
#include "inputs/archive.hpp"
#include "inputs/discover.hpp"
#include "inputs/zip_layout.hpp"
#include "engine/engine.hpp"
#include "engine/rule_loader.hpp"
#include "event_test_util.hpp"
#include "evtx_binary.hpp"
#include "hostile_inputs.hpp"
#include "zip_test_util.hpp"

using namespace extriage;
namespace fs = std::filesystem;
using extriage::test::ScratchDir;

namespace {

struct Parsed {
    std::vector<testutil::EventRec> records;
    std::vector<Diagnostic> diags;

    const Diagnostic* diag(const std::string& part) const {
        for (const auto& d : diags)
            if (d.message.find(part) != std::string::npos) return &d;
        return nullptr;
    }
    std::string all() const {
        std::string s;
        for (const auto& d : diags) s += d.format() + "\n";
        return s;
    }
};

Parsed parse_with(const std::string& parser, const std::string& bytes, const std::string& path = "input") {
    MemorySource src(bytes);
    testutil::EventCollect sink;
    DiagSink diags;
    find_parser(parser)->parse(src, path, sink, diags);
    return {std::move(sink.records), diags.snapshot()};
}

Parsed decode_evtx(const std::string& file, const EvtxOptions& options) {
    MemorySource src(file);
    testutil::EventCollect sink;
    DiagSink diags;
    parse_evtx(src, "x.evtx", sink, diags, options);
    return {std::move(sink.records), diags.snapshot()};
}

size_t threads_now() {
    size_t n = 0;
#ifdef _WIN32
    HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    if (snapshot == INVALID_HANDLE_VALUE) return 0;
    THREADENTRY32 entry{};
    entry.dwSize = sizeof entry;
    for (BOOL more = Thread32First(snapshot, &entry); more; more = Thread32Next(snapshot, &entry))
        if (entry.th32OwnerProcessID == GetCurrentProcessId()) ++n;
    CloseHandle(snapshot);
#else
    for ([[maybe_unused]] const auto& e : fs::directory_iterator("/proc/self/task")) ++n;
#endif
    return n;
}

// Remembers the most threads the process had while records came in.
class ThreadWatch final : public RecordSink {
public:
    size_t most = 0;
    uint64_t records = 0;
    void on_file_begin(std::string_view, std::string_view) override {}
    void on_record(const Record&) override {
        if (records++ % 64 == 0) most = std::max(most, threads_now());
    }
    void on_segment_end(const Segment&) override {}
    void on_file_end(std::string_view) override {}
};

std::unique_ptr<RuleSet> one_rule(const std::string& body, const std::string& message) {
    std::vector<std::unique_ptr<Rule>> rules;
    rules.push_back(parse_rule("id: r\ntitle: T\nseverity: error\nsource: test\nscope: run\n" + body + "\nmessage: '" +
                                   message + "'\nremediation: ['{detail}']\nexamples:\n  match: ['x']\n",
                               ""));
    return std::make_unique<RuleSet>(std::move(rules));
}

Record test_record(std::string_view text, uint64_t line, int segment) {
    Record r;
    r.parser = "test";
    r.path = "t.log";
    r.line = line;
    r.text = text;
    r.raw = text;
    r.segment = segment;
    return r;
}

}  // namespace

TEST_CASE("hostile: CLIXML nested 20,000 deep skips that object, names it and reads the next") {
    Parsed p = parse_with("event-clixml", hostile::clixml_deep(20000), "EX01_Application.xml");
    INFO(p.all());
    const Diagnostic* d = p.diag("objects nested more than 64 levels deep");
    REQUIRE(d);
    CHECK(d->severity == DiagSeverity::error);
    CHECK(d->path == "EX01_Application.xml");
    CHECK(d->line == 3);
    CHECK(d->message.find("byte offset ") != std::string::npos);
    REQUIRE(p.records.size() == 1);
    CHECK(p.records[0].field("provider") == "MSExchange Common");
}

TEST_CASE("hostile: an object or event with more than 100,000 tags is skipped whole, in flat memory") {
    // 100,000 levels: 200,000 tags. The nested objects inside are skipped with it, not rescanned.
    Parsed p = parse_with("event-clixml", hostile::clixml_deep(100000), "EX01_Application.xml");
    INFO(p.all());
    const Diagnostic* d = p.diag("holds more than 100000 elements; skipped");
    REQUIRE(d);
    CHECK(d->line == 3);
    REQUIRE(p.records.size() == 1);
    CHECK(p.records[0].field("provider") == "MSExchange Common");
    CHECK(p.diags.size() == 2);   // the object, and the summary
    Parsed x = parse_with("event-xml", hostile::event_xml_deep_user_data(75000));
    INFO(x.all());
    CHECK(x.diag("holds more than 100000 elements; skipped"));
    REQUIRE(x.records.size() == 1);
    CHECK(x.records[0].field("Data[1]") == "plain event");
}

TEST_CASE("hostile: CLIXML nested within the limit is still read") {
    Parsed p = parse_with("event-clixml", hostile::clixml_deep(40), "EX01_Application.xml");
    INFO(p.all());
    CHECK(p.records.size() == 2);
    CHECK(!p.diag("nested"));
}

TEST_CASE("hostile: CLIXML <Ref>s share the object and charge what they copy to a budget") {
    // 1000 references to a 200 KB object in each of two events: 400 MB if copied; skipped instead.
    Parsed p = parse_with("event-clixml", hostile::clixml_ref_amplification(200000, 1000, 2), "EX01_System.xml");
    INFO(p.all());
    CHECK(p.diag("skipped: the object's values expand to more than 32 MiB"));
    // The big object itself and the plain event after the references are read.
    REQUIRE(p.records.size() == 2);
    CHECK(p.records[1].field("provider") == "MSExchange Common");
    // A few references stay well inside the budget and resolve as before.
    Parsed small = parse_with("event-clixml", hostile::clixml_ref_amplification(1000, 3, 2), "EX01_System.xml");
    INFO(small.all());
    REQUIRE(small.records.size() == 4);
    CHECK(small.records[1].field("Data[1]") == std::string(1000, 'x'));
    CHECK(small.records[1].field("Data[3]") == std::string(1000, 'x'));
}

TEST_CASE("hostile: Event XML with <UserData> nested 45,000 deep is read without recursion") {
    Parsed p = parse_with("event-xml", hostile::event_xml_deep_user_data(45000));
    INFO(p.all());
    REQUIRE(p.records.size() == 2);
    CHECK(p.records[0].field("a") == "leaf");
    CHECK(p.diags.empty());
}

TEST_CASE("hostile: a folder nested 12,000 deep is walked to a fixed depth in bounded time") {
#ifdef _WIN32
    constexpr int kDepth = 100;     // past the walk's limit of 64; 12,000 levels do not fit a Windows path
#else
    constexpr int kDepth = 12000;
#endif
    ScratchDir dir("deep");
    const std::string root = (dir.path() / "tree").string();
    hostile::make_deep_folder(root, kDepth);
    dir.write("shallow/ExchangeSetup.log", hostile::setup_log_runs(2));
    DiagSink diags;
    DiscoverStats stats;
    auto inputs = discover_inputs({root, (dir.path() / "shallow").string()}, {}, diags, stats);
    auto list = diags.snapshot();
    hostile::remove_deep_folder(root);
    CHECK(!fs::exists(root));
    REQUIRE(inputs.size() == 1);   // the shallow log; the one 12,000 levels down is out of reach
    REQUIRE(list.size() == 1);
    CHECK(list[0].severity == DiagSeverity::warning);
    CHECK(list[0].message.find("folder nested more than 64 levels deep") != std::string::npos);
    CHECK(list[0].path.starts_with(root));
    CHECK(list[0].path.size() >= root.size() + 64 * 2);   // named by the folder where the walk stopped
}

TEST_CASE("hostile: EVTX decoded output is bounded by bytes in flight, with the same records") {
    const std::string file = hostile::evtx_expanding(3, 200, 500);   // 100 KB per record
    auto decode = [&](unsigned threads, size_t in_flight) {
        EvtxOptions options;
        options.threads = threads;
        options.max_bytes_in_flight = in_flight;
        return decode_evtx(file, options).records;
    };
    auto one = decode(1, 64u << 20);
    REQUIRE(one.size() > 30);
    CHECK(one[0].field("Data[1]").size() == 100000);
    // A window that admits only one decoded chunk at a time still decodes everything, in order.
    auto tight = decode(4, 1);
    REQUIRE(tight.size() == one.size());
    for (size_t i = 0; i < one.size(); ++i) CHECK(tight[i].offset == one[i].offset);
}

TEST_CASE("hostile: EVTX work per file is budgeted: operations and output per chunk read") {
    EvtxOptions cpu_options;
    cpu_options.threads = 1;
    cpu_options.work.ops_base = 4u << 20;
    cpu_options.work.ops_per_chunk = 1u << 20;
    const Parsed burner = decode_evtx(hostile::evtx_cpu_burner(4), cpu_options);
    INFO(burner.all());
    const Diagnostic* d = burner.diag("the file's decoding budget is spent");
    REQUIRE(d);
    CHECK(d->has_offset);
    CHECK(burner.diag("too many BinXML tokens in one record"));

    EvtxOptions options;
    options.threads = 2;
    options.work.output_base = 16u << 20;
    options.work.output_per_chunk = 1u << 20;
    const Parsed p = decode_evtx(hostile::evtx_expanding(4, 1000, 2000), options);
    INFO(p.all());
    CHECK(p.diag("the file's decoding budget is spent"));
    CHECK(!p.records.empty());
    uint64_t bytes = 0;
    for (const auto& r : p.records) bytes += r.text.size() + r.raw.size();
    CHECK(bytes < (uint64_t{40} << 20));
}

TEST_CASE("hostile: --threads reaches the EVTX decoder's pool") {
    const std::string file = hostile::evtx_expanding(6, 10, 100);
    const Parser* evtx = find_parser("evtx-binary");
    const size_t before = threads_now();
    for (unsigned threads : {1u, 4u}) {
        MemorySource src(file);
        ThreadWatch watch;
        DiagSink diags;
        ParseOptions options;
        options.threads = threads;
        evtx->parse_with(src, "t.evtx", watch, diags, options);
        CHECK(watch.records > 100);
        if (threads == 1) CHECK(watch.most == before);       // decoded on the calling thread
        else CHECK(watch.most >= before + 2);                 // a pool of decoders
    }
}

TEST_CASE("hostile: an EVTX diagnostic flood keeps 20 of a kind and counts the rest") {
    const std::string file = hostile::evtx_diagnostic_flood(8);
    MemorySource src(file);
    testutil::EventCollect sink;
    DiagSink diags;
    parse_evtx(src, "flood.evtx", sink, diags, {});
    CHECK(diags.size() > 60000);   // all counted (for the exit code), few kept:
    auto list = diags.snapshot();
    CHECK(list.size() < 40);
    bool note = false;
    for (const auto& d : list) note = note || d.message.find("more like this suppressed") != std::string::npos;
    CHECK(note);
}

TEST_CASE("hostile: zip members whose data overlap are refused before anything is inflated") {
    ScratchDir dir("zip");
    const std::string zip = dir.write("overlap.zip", hostile::zip_overlapping(1u << 20, 50));
    ZipLayout layout = read_zip_layout(zip);
    CHECK(layout.readable);
    REQUIRE(layout.overlap);
    CHECK(*layout.overlap == "'overlap0.log' and 'overlap1.log'");
    DiagSink diags;
    DiscoverStats stats;
    auto inputs = discover_inputs({zip}, {}, diags, stats);
    CHECK(inputs.empty());
    auto list = diags.snapshot();
    REQUIRE(list.size() == 1);
    CHECK(list[0].message.find("overlap in the file") != std::string::npos);
    // A well-formed zip has no overlap, and its names are read as written.
    const std::string good = dir.write("good.zip", test::make_zip({{.name = "a.log", .data = "aaa"}, {.name = "b.log", .data = "bbb"}}));
    ZipLayout ok = read_zip_layout(good);
    CHECK(ok.readable);
    CHECK(!ok.overlap);
}

TEST_CASE("hostile: a zip member is stopped at the size its header declares") {
    ScratchDir dir("zip");
    const std::string log = test::setup_log();
    const std::string zip = dir.write("lying.zip", hostile::zip_archive({{"lying.log", {}, hostile::deflate_repeated('x', 5u << 20), 1000, hostile::crc32_repeated('x', 5u << 20)},
                                                                          {"good.log", log, {}, 0, 0}}));
    DiagSink diags;
    DiscoverStats stats;
    auto inputs = discover_inputs({zip}, {}, diags, stats);
    static const RuleSet no_rules{std::vector<std::unique_ptr<Rule>>{}};
    AnalysisResult result = analyze_inputs(inputs, no_rules, diags);
    auto list = diags.snapshot();
    bool refused = false;
    for (const auto& d : list)
        refused = refused || (d.path == zip + "!lying.log" && d.message.find("more data than the 1000 bytes") != std::string::npos);
    CHECK(refused);
    bool good_read = false;
    for (const auto& f : result.files) good_read = good_read || (f.path == zip + "!good.log" && f.records > 3);
    CHECK(good_read);
}

TEST_CASE("hostile: a NUL in a member name is shown, and the whole name is checked") {
    ScratchDir dir("zip");
    const std::string log = test::setup_log();
    const std::string zip = dir.write("names.zip", hostile::zip_archive({{std::string("a.log\0/../../x.log", 18), log, {}, 0, 0},
                                                                         {std::string("b.log\0.txt", 10), log, {}, 0, 0}}));
    DiagSink diags;
    DiscoverStats stats;
    auto inputs = discover_inputs({zip}, {}, diags, stats);
    auto list = diags.snapshot();
    REQUIRE(list.size() == 1);
    CHECK(list[0].path == zip + "!" + std::string("a.log\0/../../x.log", 18));
    CHECK(list[0].format().starts_with(zip + "!a.log\\x00/../../x.log: error: unsafe member name"));
    REQUIRE(inputs.size() == 1);
    CHECK(inputs[0].display_path == zip + "!" + std::string("b.log\0.txt", 10));
}

TEST_CASE("hostile: walking a nested zip counts what it inflates against --max-total-size") {
    ScratchDir dir("zip");
    const std::string inner = hostile::zip_archive({{"pad.bin", std::string(3u << 20, '\0'), {}, 0, 0}, {"late.log", test::setup_log(), {}, 0, 0}});
    const std::string zip = dir.write("outer.zip", test::make_zip({{.name = "inner.zip", .data = inner}}));
    DiscoverOptions options;
    options.archive.max_total_size = 1u << 20;
    DiagSink diags;
    DiscoverStats stats;
    auto inputs = discover_inputs({zip}, options, diags, stats);
    CHECK(inputs.empty());
    bool refused = false;
    for (const auto& d : diags.snapshot()) refused = refused || d.message.find("--max-total-size") != std::string::npos;
    CHECK(refused);
    options.archive.max_total_size = 8u << 20;
    DiagSink diags2;
    CHECK(discover_inputs({zip}, options, diags2, stats).size() == 1);
}

TEST_CASE("hostile: finding facts and messages are capped with their full length stated") {
    auto rules = one_rule("match: 'ERR (?P<detail>.*)'", "Failed: {detail}");
    DiagSink diags;
    Engine engine(*rules, diags);
    engine.on_file_begin("t.log", "test");
    const std::string huge = "ERR " + std::string(1u << 20, 'z');
    engine.on_record(test_record(huge, 1, 0));
    Segment s;
    s.path = "t.log";
    s.index = 0;
    s.facts = {{"server_fqdn", std::string(100000, 's')}};
    engine.on_segment_end(s);
    engine.on_file_end("t.log");
    REQUIRE(engine.findings().size() == 1);
    const Finding& f = engine.findings()[0];
    REQUIRE(f.fact("detail"));
    CHECK(f.fact("detail")->size() < 4200);
    CHECK(f.fact("detail")->ends_with("… (1048576 bytes in all)"));
    CHECK(f.message.size() < 17000);
    CHECK(f.remediation[0].size() < 17000);
    REQUIRE(engine.segments().size() == 1);
    CHECK(engine.segments()[0].facts[0].second.ends_with("… (100000 bytes in all)"));
}

TEST_CASE("hostile: a million setup runs keep the last 1000 and their findings, in flat memory") {
    auto rules = one_rule("match: 'ERR (?P<detail>.*)'", "Failed: {detail}");
    DiagSink diags;
    Engine engine(*rules, diags);
    engine.on_file_begin("t.log", "test");
    const int runs = 5000;
    for (int i = 0; i < runs; ++i) {
        const std::string text = "ERR in run " + std::to_string(i);
        engine.on_record(test_record(text, static_cast<uint64_t>(i) + 1, i));
        Segment s;
        s.path = "t.log";
        s.index = i;
        engine.on_segment_end(s);
    }
    engine.on_file_end("t.log");
    CHECK(engine.segments().size() == 1000);
    CHECK(engine.segments().front().index == runs - 1000);
    CHECK(engine.segments().back().index == runs - 1);
    CHECK(engine.findings().size() == 1000);
    size_t latest = 0;
    for (const auto& f : engine.findings()) latest += f.latest;
    CHECK(latest == 1);
    CHECK(*engine.findings().back().fact("detail") == "in run 4999");
    auto list = diags.snapshot();
    REQUIRE(list.size() == 1);
    CHECK(list[0].message == "5000 runs: only the last 1000 (and their findings) are kept for the report");
}
