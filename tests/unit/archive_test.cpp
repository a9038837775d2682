// Zip bundles read in place: member sniffing and parsing, nested zips, display paths, and every
// safety refusal (unsafe names, links, size caps, zip bombs, truncation, member count, depth),
// each of which must name the archive and member and let the rest of the bundle be read.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "app/analyze.hpp"
#include "inputs/archive.hpp"
#include "inputs/discover.hpp"
#include "zip_test_util.hpp"

using namespace extriage;
using extriage::test::make_zip;
using extriage::test::ScratchDir;
using extriage::test::setup_log;
using extriage::test::ZipMember;

namespace {

struct Run {
    std::vector<InputFile> inputs;
    AnalysisResult result;
    std::vector<Diagnostic> diags;
    DiscoverStats stats;

    bool has_file(const std::string& path) const {
        for (const auto& f : result.files)
            if (f.path == path) return true;
        return false;
    }
    uint64_t records_of(const std::string& path) const {
        for (const auto& f : result.files)
            if (f.path == path) return f.records;
        return 0;
    }
    // The diagnostic about `path` whose message contains `part`, or null.
    const Diagnostic* diag(const std::string& path, const std::string& part) const {
        for (const auto& d : diags)
            if (d.path == path && d.message.find(part) != std::string::npos) return &d;
        return nullptr;
    }
    size_t count(const std::string& path) const {
        size_t n = 0;
        for (const auto& d : diags) n += d.path == path;
        return n;
    }
    std::string all_diags() const {
        std::string s;
        for (const auto& d : diags) s += d.format() + "\n";
        return s;
    }
};

Run analyze(const std::string& path, const ArchiveLimits& limits = {}) {
    static const RuleSet no_rules{std::vector<std::unique_ptr<Rule>>{}};
    Run run;
    DiagSink diags;
    DiscoverOptions options;
    options.archive = limits;
    run.inputs = discover_inputs({path}, options, diags, run.stats);
    run.result = analyze_inputs(run.inputs, no_rules, diags);
    run.diags = diags.snapshot();
    return run;
}

std::string read_all(const InputFile& in) { return in.open()->read_all(uint64_t{1} << 30); }

}  // namespace

TEST_CASE("archive: members of a zip are sniffed and parsed like files") {
    ScratchDir dir("archive");
    std::string zip = dir.write("EX01-1123.zip", make_zip({
                                                    {.name = "EX01/", .kind = ZipMember::Kind::dir},
                                                    {.name = "EX01/ExchangeSetupLogs/ExchangeSetup.log", .data = setup_log()},
                                                    {.name = "EX01/readme.txt", .data = "not a log"},
                                                    {.name = "EX01/stored.log", .data = setup_log("15.2.1118.7"), .store = true},
                                                }));
    Run run = analyze(zip);
    INFO(run.all_diags());
    CHECK(run.diags.empty());
    REQUIRE(run.result.files.size() == 2);
    CHECK(run.result.files[0].path == zip + "!EX01/ExchangeSetupLogs/ExchangeSetup.log");
    CHECK(run.result.files[0].parser == "exchange-setup");
    CHECK(run.result.files[0].records > 5);
    CHECK(run.result.files[0].server == "EX01");
    CHECK(run.result.files[1].path == zip + "!EX01/stored.log");
    CHECK(run.inputs[0].fs_path.empty());
    CHECK(run.stats.files_skipped == 1);
    CHECK(run.stats.archives == 1);
    REQUIRE(run.result.runs.size() == 2);
    CHECK(*run.result.runs[1].fact("setup_version") == "15.2.1118.7");
    // The member reads back byte for byte.
    CHECK(read_all(run.inputs[0]) == setup_log());
}

TEST_CASE("archive: nested zips are recursed and shown as a.zip!inner.zip!member") {
    ScratchDir dir("archive");
    std::string innermost = make_zip({{.name = "deep.log", .data = setup_log("15.2.1.1")}});
    std::string inner = make_zip({
        {.name = "Application.log", .data = setup_log("15.2.2.2")},
        {.name = "more/Deeper.zip", .data = innermost},
    });
    std::string zip = dir.write("bundle.zip", make_zip({
                                                  {.name = "EX01/Windows_Event_Logs/Windows-Logs.zip", .data = inner},
                                                  {.name = "EX01/ExchangeSetupLogs/ExchangeSetup.log", .data = setup_log()},
                                              }));
    SUBCASE("all levels") {
        Run run = analyze(zip);
        INFO(run.all_diags());
        CHECK(run.diags.empty());
        const std::string nested = zip + "!EX01/Windows_Event_Logs/Windows-Logs.zip!";
        CHECK(run.records_of(nested + "Application.log") > 5);
        CHECK(run.records_of(nested + "more/Deeper.zip!deep.log") > 5);
        CHECK(run.records_of(zip + "!EX01/ExchangeSetupLogs/ExchangeSetup.log") > 5);
        CHECK(run.stats.archives == 3);
    }
    SUBCASE("--max-depth stops the recursion with a diagnostic") {
        ArchiveLimits limits;
        limits.max_depth = 2;
        Run run = analyze(zip, limits);
        const std::string nested = zip + "!EX01/Windows_Event_Logs/Windows-Logs.zip!";
        CHECK(run.has_file(nested + "Application.log"));
        CHECK(run.diag(nested + "more/Deeper.zip", "deeper than --max-depth 2"));
        CHECK(run.has_file(zip + "!EX01/ExchangeSetupLogs/ExchangeSetup.log"));
    }
}

TEST_CASE("archive: members are read back correctly in any order") {
    ScratchDir dir("archive");
    std::string inner = make_zip({{.name = "a.log", .data = setup_log("15.2.0.1")}, {.name = "b.log", .data = setup_log("15.2.0.2")}});
    std::string zip = dir.write("b.zip", make_zip({
                                             {.name = "one.log", .data = setup_log("15.2.0.3")},
                                             {.name = "inner.zip", .data = inner},
                                             {.name = "two.log", .data = setup_log("15.2.0.4")},
                                         }));
    DiagSink diags;
    DiscoverStats stats;
    auto inputs = discover_inputs({zip}, {}, diags, stats);
    REQUIRE(inputs.size() == 4);
    const char* versions[] = {"15.2.0.3", "15.2.0.1", "15.2.0.2", "15.2.0.4"};
    for (int pass = 0; pass < 2; ++pass) {
        for (size_t k = 0; k < inputs.size(); ++k) {
            size_t i = pass == 0 ? inputs.size() - 1 - k : k;   // backwards, then forwards (cursor reuse)
            CHECK(read_all(inputs[i]) == setup_log(versions[i]));
        }
    }
    // Two sources open at once on the same archive.
    auto s1 = inputs[1].open();
    auto s2 = inputs[3].open();
    CHECK(s2->read_all(1 << 20) == setup_log(versions[3]));
    CHECK(s1->read_all(1 << 20) == setup_log(versions[1]));
    CHECK(diags.snapshot().empty());
}

TEST_CASE("archive: unsafe member names are refused and the other members still parsed") {
    ScratchDir dir("archive");
    const std::vector<std::string> bad = {"../evil.log", "/etc/evil.log", "C:\\Windows\\evil.log", "a/../../evil.log",
                                          "..\\evil2.log"};
    std::vector<ZipMember> members;
    for (const auto& name : bad) members.push_back({.name = name, .data = setup_log()});
    members.push_back({.name = "good.log", .data = setup_log()});
    std::string zip = dir.write("names.zip", make_zip(members));
    Run run = analyze(zip);
    INFO(run.all_diags());
    for (const auto& name : bad) {
        const Diagnostic* d = run.diag(zip + "!" + normalize_member_name(name), "unsafe member name");
        CHECK_MESSAGE(d, name);
        if (d) CHECK(d->severity == DiagSeverity::error);
    }
    CHECK(run.stats.members_refused == bad.size());
    REQUIRE(run.result.files.size() == 1);
    CHECK(run.result.files[0].path == zip + "!good.log");
    CHECK(run.result.files[0].records > 5);
}

TEST_CASE("archive: member name checks") {
    struct Case {
        const char* name;
        bool unsafe;
    };
    const Case cases[] = {
        {"a/b.log", false},       {"a/..b/c", false},     {"./a.log", false}, {"a..log", false},
        {"../a", true},           {"a/../../b", true},    {"..", true},       {"/abs", true},
        {"C:/Windows/x", true},   {"c:x", true},          {"//srv/share", true}, {"a/..", true},
    };
    for (const auto& c : cases) CHECK_MESSAGE(is_unsafe_member_name(normalize_member_name(c.name)) == c.unsafe, c.name);
    CHECK(normalize_member_name("a\\b\\c.log") == "a/b/c.log");
}

TEST_CASE("archive: symbolic and hard link members are skipped with a warning") {
    ScratchDir dir("archive");
    std::string zip = dir.write("links.zip", make_zip({
                                                 {.name = "link.log", .kind = ZipMember::Kind::symlink, .target = "/etc/passwd"},
                                                 {.name = "good.log", .data = setup_log()},
                                             }));
    Run run = analyze(zip);
    INFO(run.all_diags());
    const Diagnostic* d = run.diag(zip + "!link.log", "symbolic link");
    REQUIRE(d);
    CHECK(d->severity == DiagSeverity::warning);
    CHECK(d->message.find("/etc/passwd") != std::string::npos);
    CHECK(run.records_of(zip + "!good.log") > 5);
}

TEST_CASE("archive: a member over --max-entry-size is refused, the rest is read") {
    ScratchDir dir("archive");
    ArchiveLimits limits;
    limits.max_entry_size = 64 * 1024;
    std::string big = setup_log() + std::string(100 * 1024, 'x');
    SUBCASE("declared size: refused before reading it") {
        std::string zip = dir.write("big.zip", make_zip({{.name = "big.log", .data = big}, {.name = "good.log", .data = setup_log()}}));
        Run run = analyze(zip, limits);
        INFO(run.all_diags());
        CHECK(run.diag(zip + "!big.log", "over the --max-entry-size limit of 64 KiB"));
        CHECK(run.records_of(zip + "!good.log") > 5);
        CHECK(!run.has_file(zip + "!big.log"));
    }
    SUBCASE("no declared size (nested zip with data descriptors): stopped while reading") {
        std::string inner = make_zip({{.name = "big.log", .data = big, .declare_size = false},
                                      {.name = "after.log", .data = setup_log(), .declare_size = false}});
        std::string zip = dir.write("big2.zip", make_zip({{.name = "good.log", .data = setup_log()}, {.name = "inner.zip", .data = inner}}));
        Run run = analyze(zip, limits);
        INFO(run.all_diags());
        CHECK(run.diag(zip + "!inner.zip!big.log", "--max-entry-size"));
        CHECK(run.count(zip + "!inner.zip!big.log") == 1);   // said once
        CHECK(run.records_of(zip + "!good.log") > 5);
        CHECK(!run.has_file(zip + "!inner.zip!big.log"));
    }
}

TEST_CASE("archive: --max-total-size refuses members once the archive's budget is spent") {
    ScratchDir dir("archive");
    std::string log = setup_log() + std::string(20 * 1024, ' ') + "\r\n";
    std::string zip = dir.write("total.zip", make_zip({{.name = "a.log", .data = log}, {.name = "b.log", .data = log}, {.name = "c.log", .data = log}}));
    ArchiveLimits limits;
    limits.max_total_size = log.size() * 2 + 10;
    Run run = analyze(zip, limits);
    INFO(run.all_diags());
    CHECK(run.has_file(zip + "!a.log"));
    CHECK(run.has_file(zip + "!b.log"));
    CHECK(!run.has_file(zip + "!c.log"));
    CHECK(run.diag(zip + "!c.log", "--max-total-size"));
}

TEST_CASE("archive: --max-total-size also counts members of unknown size as they are read") {
    ScratchDir dir("archive");
    std::string log = setup_log() + std::string(20 * 1024, ' ') + "\r\n";
    std::string inner = make_zip({{.name = "a.log", .data = log, .declare_size = false},
                                  {.name = "b.log", .data = log, .declare_size = false},
                                  {.name = "c.log", .data = log, .declare_size = false}});
    std::string zip = dir.write("total2.zip", make_zip({{.name = "inner.zip", .data = inner}, {.name = "z.log", .data = log}}));
    ArchiveLimits limits;
    limits.max_total_size = inner.size() + log.size() * 2 + 10;   // the nested zip's own bytes count too
    Run run = analyze(zip, limits);
    INFO(run.all_diags());
    CHECK(run.has_file(zip + "!inner.zip!a.log"));
    CHECK(run.has_file(zip + "!inner.zip!b.log"));
    CHECK(!run.has_file(zip + "!inner.zip!c.log"));
    CHECK(run.diag(zip + "!inner.zip!c.log", "--max-total-size"));
    CHECK(run.count(zip + "!inner.zip!c.log") == 1);
    CHECK(!run.has_file(zip + "!z.log"));   // the whole archive's budget is spent
}

TEST_CASE("archive: the member count is capped per archive") {
    ScratchDir dir("archive");
    std::vector<ZipMember> members;
    for (int i = 0; i < 10; ++i) members.push_back({.name = "m" + std::to_string(i) + ".log", .data = setup_log()});
    std::string zip = dir.write("many.zip", make_zip(members));
    ArchiveLimits limits;
    limits.max_members = 4;
    Run run = analyze(zip, limits);
    CHECK(run.result.files.size() == 4);
    CHECK(run.diag(zip, "more than 4 members"));
}

TEST_CASE("archive: a truncated zip is reported with its name and the members before the damage are parsed") {
    ScratchDir dir("archive");
    std::string noise;   // incompressible, so that the cut lands inside the last member's data
    uint32_t x = 12345;
    for (int i = 0; i < 200000; ++i) {
        x = x * 1103515245u + 12345u;
        noise += static_cast<char>('a' + (x >> 16) % 26);
    }
    std::string bytes = make_zip({{.name = "first.log", .data = setup_log()},
                                  {.name = "second.log", .data = setup_log("15.2.0.9")},
                                  {.name = "last.log", .data = setup_log() + noise}});
    std::string zip = dir.write("cut.zip", bytes.substr(0, bytes.size() / 2));
    Run run = analyze(zip);
    INFO(run.all_diags());
    CHECK(run.records_of(zip + "!first.log") > 5);
    CHECK(run.records_of(zip + "!second.log") > 5);
    bool named = false;
    for (const auto& d : run.diags)
        named = named || (d.severity == DiagSeverity::error && d.path.rfind(zip, 0) == 0);
    CHECK(named);
}

TEST_CASE("archive: a zip that is not a zip past its magic is a diagnostic, not a crash") {
    ScratchDir dir("archive");
    std::string zip = dir.write("junk.zip", std::string("PK\x03\x04", 4) + std::string(300, '\x7f'));
    Run run = analyze(zip);
    CHECK(run.result.files.empty());
    REQUIRE(!run.diags.empty());
    CHECK(run.diags[0].path.rfind(zip, 0) == 0);
    CHECK(run.diags[0].severity == DiagSeverity::error);
}

TEST_CASE("archive: 200 MB of zeros is refused without inflating it all") {
    ScratchDir dir("archive");
    constexpr uint64_t kZeros = uint64_t{200} << 20;
    auto started = std::chrono::steady_clock::now();
    SUBCASE("by the declared size, with the default caps scaled down") {
        std::string zip = dir.write("bomb.zip", make_zip({{.name = "bomb.log", .zeros = kZeros}, {.name = "good.log", .data = setup_log()}}));
        ArchiveLimits limits;
        limits.max_entry_size = uint64_t{100} << 20;
        Run run = analyze(zip, limits);
        INFO(run.all_diags());
        CHECK(run.diag(zip + "!bomb.log", "over the --max-entry-size limit"));
        CHECK(run.records_of(zip + "!good.log") > 5);
    }
    SUBCASE("by the declared size against the archive size (ratio)") {
        std::string zip = dir.write("bomb.zip", make_zip({{.name = "bomb.log", .zeros = kZeros}, {.name = "good.log", .data = setup_log()}}));
        ArchiveLimits limits;
        limits.max_ratio = 500;
        Run run = analyze(zip, limits);
        INFO(run.all_diags());
        CHECK(run.diag(zip + "!bomb.log", "possible zip bomb"));
        CHECK(run.records_of(zip + "!good.log") > 5);
    }
    SUBCASE("by the measured ratio while it is read (no declared size)") {
        // The member looks like a setup log, so it would be parsed; its size is not declared
        // (nested zip, data descriptor), so only the measured ratio can stop it.
        std::string inner = make_zip({{.name = "looks-fine.log", .data = setup_log(), .declare_size = false, .zeros = kZeros}});
        std::string zip = dir.write("bomb2.zip", make_zip({{.name = "inner.zip", .data = inner}, {.name = "good.log", .data = setup_log()}}));
        ArchiveLimits limits;
        limits.ratio_min_size = uint64_t{8} << 20;
        limits.max_ratio = 200;   // zeros deflate at ~1030:1, so this is far from the edge
        Run run = analyze(zip, limits);
        INFO(run.all_diags());
        CHECK(run.diag(zip + "!inner.zip!looks-fine.log", "possible zip bomb"));
        CHECK(run.records_of(zip + "!good.log") > 5);
    }
    // Making the 200 MB zips takes a moment; inflating them is what must not happen (generous
    // bound for slow, shared machines).
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(60));
}

TEST_CASE("archive: byte sizes on the command line") {
    CHECK(parse_byte_size("1048576") == uint64_t{1048576});
    CHECK(parse_byte_size("2G") == uint64_t{2} << 30);
    CHECK(parse_byte_size("2GiB") == uint64_t{2} << 30);
    CHECK(parse_byte_size("512m") == uint64_t{512} << 20);
    CHECK(parse_byte_size("100k") == uint64_t{100} << 10);
    CHECK(parse_byte_size("1TB") == uint64_t{1} << 40);
    CHECK(!parse_byte_size(""));
    CHECK(!parse_byte_size("G"));
    CHECK(!parse_byte_size("12X"));
    CHECK(!parse_byte_size("-1"));
    CHECK(!parse_byte_size("99999999999999999999"));
    CHECK(!parse_byte_size("99999999999T"));
}

TEST_CASE("archive: zip magic") {
    CHECK(looks_like_zip(std::string("PK\x03\x04rest", 8)));
    CHECK(looks_like_zip(std::string("PK\x05\x06", 4)));
    CHECK(!looks_like_zip("PK"));
    CHECK(!looks_like_zip("ElfFile"));
    CHECK(!looks_like_zip("[03/06/2021 18:37:29.0350] [0] Starting"));
}
