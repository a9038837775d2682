// Tests of the evtx-binary parser: files made by tests/tools/evtx_writer are decoded back
// (value types, substitutions, nested BinXML, templates, multi-chunk order, threads), and dirty
// files (truncated, bad signatures, flipped bytes) must give diagnostics with offsets, never crash.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "evtx_binary.hpp"
#include "event_test_util.hpp"
#include "evtx_writer.hpp"

namespace {

using namespace extriage;
namespace w = extriage::evtxw;
using Rec = testutil::EventRec;

struct Decoded {
    std::vector<Rec> records;
    std::vector<Diagnostic> diags;
    EvtxStats stats;

    size_t count(DiagSeverity s) const {
        size_t n = 0;
        for (const auto& d : diags) n += d.severity == s;
        return n;
    }
    const Diagnostic* find(std::string_view needle) const {
        for (const auto& d : diags)
            if (d.message.find(needle) != std::string::npos) return &d;
        return nullptr;
    }
    std::string dump() const {
        std::string s;
        for (const auto& r : records) {
            s += std::to_string(r.offset) + " " + r.raw + "\n" + r.text + "\n";
            for (const auto& [k, v] : r.fields) s += k + "=" + v + "\n";
        }
        return s;
    }
};

Decoded decode(const std::string& bytes, unsigned threads = 1, unsigned in_flight = 4) {
    MemorySource src(bytes);
    testutil::EventCollect sink("evtx-binary");
    DiagSink diags;
    EvtxOptions options;
    options.threads = threads;
    options.chunks_in_flight_per_thread = in_flight;
    options.raw_xml = true;   // these tests check the decoded XML
    Decoded d;
    d.stats = parse_evtx(src, "test.evtx", sink, diags, options);
    CHECK(sink.begins == 1);
    CHECK(sink.ends == 1);
    CHECK(sink.segments == 0);
    d.records = std::move(sink.records);
    d.diags = diags.snapshot();
    return d;
}

constexpr int64_t kT0 = 1673304866129;   // 2023-01-09T22:54:26.129Z

w::EventSpec msi_event() {
    w::EventSpec e;
    e.provider = "MsiInstaller";
    e.event_id = 1033;
    e.qualifiers = 0;
    e.level = 4;
    e.task = 0;
    e.keywords = 0x80000000000000ULL;
    e.time_filetime = w::filetime_from_unix_ms(kT0);
    e.channel = "Application";
    e.computer = "EX01.contoso.local";
    e.user_sid = "S-1-5-21-1004336348-1177238915-682003330-500";
    e.data = {{"", "Microsoft Exchange Server"}, {"", "15.2.1118.7"}, {"", "1033"}, {"", "1603"},
              {"", "Microsoft Corporation"},     {"", ""}};
    e.binary = "{AB}";
    return e;
}

w::EventSpec scm_event(uint16_t id, uint8_t level, std::vector<std::pair<std::string, std::string>> params) {
    w::EventSpec e;
    e.provider = "Service Control Manager";
    e.provider_guid = "{555908d1-a6d7-4695-8e1e-26931d2012f4}";
    e.event_source_name = "Service Control Manager";
    e.event_id = id;
    e.qualifiers = 16384;
    e.level = level;
    e.task = 0;
    e.keywords = 0x8080000000000000ULL;
    e.time_filetime = w::filetime_from_unix_ms(kT0);
    e.channel = "System";
    e.computer = "EX01";
    e.data = std::move(params);
    return e;
}

// A record whose template is Event/System (static) + EventData with the given children.
w::RecordSpec custom(std::vector<w::Node> data, std::vector<w::Value> values) {
    using namespace w;
    Node system = element("System", {},
                          {element("Provider", {{"Name", {text("Test")}}}), element("EventID", {}, {text("1")}),
                           element("Level", {}, {text("4")}), element("Channel", {}, {text("Test")})});
    RecordSpec r;
    r.written_filetime = filetime_from_unix_ms(kT0);
    r.tmpl = make_template(element("Event", {}, {system, element("EventData", {}, std::move(data))}));
    r.values = std::move(values);
    return r;
}

w::Node data_sub(const std::string& name, uint16_t index, uint8_t type, bool optional = false) {
    return w::element("Data", {{"Name", {w::text(name)}}}, {w::sub(index, type, optional)});
}

std::vector<w::EventSpec> many(size_t n) {
    std::vector<w::EventSpec> v;
    for (size_t i = 0; i < n; ++i) {
        w::EventSpec e = i % 2 ? msi_event() : scm_event(7036, 4, {{"param1", "Service " + std::to_string(i)},
                                                                  {"param2", i % 4 ? "running" : "stopped"}});
        e.time_filetime = w::filetime_from_unix_ms(kT0 + static_cast<int64_t>(i) * 1000);
        v.push_back(std::move(e));
    }
    return v;
}

uint64_t chunk_offset(size_t i) { return w::kFileHeaderSize + i * w::kChunkSize; }

}  // namespace

TEST_CASE("evtx-binary: sniffs the ElfFile signature only") {
    auto parser = make_evtx_binary_parser();
    CHECK(parser->name() == "evtx-binary");
    const std::string evtx = w::write_events({msi_event()});
    CHECK(parser->sniff({evtx, "", "Application.evtx"}));
    CHECK_FALSE(parser->sniff({"ElfFilx\0", "", "a.evtx"}));
    CHECK_FALSE(parser->sniff({"Elf", "", "a.evtx"}));
    CHECK_FALSE(parser->sniff({"[01/09/2023 22:54:26.0129] [0] Starting", "", "ExchangeSetup.log"}));
    CHECK(find_parser("evtx-binary") != nullptr);
    CHECK(sniff_parser({evtx, "", "Application.evtx"})->name() == "evtx-binary");
}

TEST_CASE("evtx-binary: decodes System fields, unnamed EventData and the record header") {
    const Decoded d = decode(w::write_events({msi_event()}));
    REQUIRE(d.records.size() == 1);
    CHECK(d.diags.empty());
    const Rec& r = d.records[0];
    CHECK(r.parser == "evtx-binary");
    CHECK(r.path == "test.evtx");
    CHECK(r.line == 0);
    CHECK(r.offset == chunk_offset(0) + 512);
    CHECK(r.utc);
    CHECK(r.time_ms == kT0);
    CHECK(r.level == Level::info);
    CHECK(r.field("provider") == "MsiInstaller");
    CHECK(r.field("event_id") == "1033");
    CHECK(r.field("qualifiers") == "0");
    CHECK(r.field("level") == "4");
    CHECK(r.field("task") == "0");
    CHECK(r.field("keywords") == "0x80000000000000");
    CHECK(r.field("record_id") == "1");
    CHECK(r.field("channel") == "Application");
    CHECK(r.field("computer") == "EX01.contoso.local");
    CHECK(r.field("time") == "2023-01-09T22:54:26.129Z");
    CHECK(r.field("user_sid") == "S-1-5-21-1004336348-1177238915-682003330-500");
    CHECK(r.field("Data[1]") == "Microsoft Exchange Server");
    CHECK(r.field("Data[4]") == "1603");
    CHECK(r.field("Data[6]") == "");
    CHECK(r.field("Binary") == "7B41427D");
    CHECK(r.text == "Microsoft Exchange Server; 15.2.1118.7; 1033; 1603; Microsoft Corporation");
    CHECK(r.raw.find('\n') == std::string::npos);
    CHECK(r.raw.rfind("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
                      "<Provider Name=\"MsiInstaller\"/><EventID Qualifiers=\"0\">1033</EventID>",
                      0) == 0);
    CHECK(r.raw.find("<TimeCreated SystemTime=\"2023-01-09T22:54:26.1290000Z\"/>") != std::string::npos);
    CHECK(r.raw.find("<Correlation/>") != std::string::npos);   // optional NULL attributes left out
    CHECK(r.raw.find("<Data>1603</Data>") != std::string::npos);
    // The field order is stable: System fields first, then data.
    REQUIRE(r.fields.size() >= 11);
    CHECK(r.fields[0].first == "provider");
    CHECK(r.fields[1].first == "event_id");
}

TEST_CASE("evtx-binary: named Data, UserData leaves and escaping") {
    w::EventSpec a = scm_event(7040, 4, {{"param1", "Microsoft Exchange Transport"},
                                         {"param2", "auto start"},
                                         {"param3", "disabled"},
                                         {"param4", "MSExchangeTransport"}});
    w::EventSpec b = scm_event(104, 4, {});
    b.user_data_root = "LogFileCleared";
    b.user_data_ns = "http://manifests.microsoft.com/win/2004/08/windows/eventlog";
    b.user_data = {{"SubjectUserName", "Admin <x> & \"y\""}, {"Channel", "line1\nline2"}};
    const Decoded d = decode(w::write_events({a, b}));
    REQUIRE(d.records.size() == 2);
    const Rec& r = d.records[0];
    CHECK(r.field("param1") == "Microsoft Exchange Transport");
    CHECK(r.field("param4") == "MSExchangeTransport");
    CHECK(r.field("qualifiers") == "16384");
    CHECK(r.field("user_sid") == "<absent>");
    CHECK(r.text ==
          "param1: Microsoft Exchange Transport; param2: auto start; param3: disabled; param4: MSExchangeTransport");
    CHECK(r.raw.find("<Provider Name=\"Service Control Manager\" Guid=\"{555908D1-A6D7-4695-8E1E-26931D2012F4}\" "
                     "EventSourceName=\"Service Control Manager\"/>") != std::string::npos);
    const Rec& u = d.records[1];
    CHECK(u.field("record_id") == "2");
    CHECK(u.field("SubjectUserName") == "Admin <x> & \"y\"");
    CHECK(u.field("Channel") == "line1\nline2");
    CHECK(u.field("channel") == "System");
    CHECK(u.text == "SubjectUserName: Admin <x> & \"y\"; Channel: line1\nline2");
    CHECK(u.raw.find("<SubjectUserName>Admin &lt;x&gt; &amp; &quot;y&quot;</SubjectUserName>") != std::string::npos);
    CHECK(u.raw.find("line1&#10;line2") != std::string::npos);
    CHECK(u.raw.find('\n') == std::string::npos);
}

TEST_CASE("evtx-binary: maps System/Level to record levels") {
    const std::pair<uint8_t, Level> table[] = {{0, Level::info},    {1, Level::critical}, {2, Level::error},
                                               {3, Level::warning}, {4, Level::info},     {5, Level::trace},
                                               {16, Level::info}};
    std::vector<w::EventSpec> events;
    for (auto [raw, level] : table) {
        w::EventSpec e = msi_event();
        e.level = raw;
        events.push_back(e);
    }
    const Decoded d = decode(w::write_events(events));
    REQUIRE(d.records.size() == std::size(table));
    for (size_t i = 0; i < std::size(table); ++i) {
        CAPTURE(i);
        CHECK(d.records[i].level == table[i].second);
        CHECK(d.records[i].field("level") == std::to_string(table[i].first));
    }
}

TEST_CASE("evtx-binary: renders every substitution value type") {
    using namespace w;
    struct Case {
        Value value;
        std::vector<std::string> expected;   // one per rendered element (arrays repeat the element)
    };
    const std::vector<Case> cases = {
        {str("hello wörld"), {"hello wörld"}},
        {str_nul("with trailing NUL"), {"with trailing NUL"}},
        {str("\xF0\x9F\x98\x80 surrogate pair"), {"\xF0\x9F\x98\x80 surrogate pair"}},
        {ansi("caf\xE9 \x80"), {"caf\xC3\xA9 \xE2\x82\xAC"}},
        {i8(-5), {"-5"}},
        {u8(200), {"200"}},
        {i16(-300), {"-300"}},
        {u16(60000), {"60000"}},
        {i32(-70000), {"-70000"}},
        {u32(4000000000u), {"4000000000"}},
        {i64(-5000000000LL), {"-5000000000"}},
        {u64(18000000000000000000ULL), {"18000000000000000000"}},
        {real32(1.5f), {"1.5"}},
        {real64(-2.25), {"-2.25"}},
        {boolean(true), {"true"}},
        {boolean(false), {"false"}},
        {binary(std::string("\x01\xAB\x00", 3)), {"01AB00"}},
        {guid("{01234567-89ab-cdef-0123-456789abcdef}"), {"{01234567-89AB-CDEF-0123-456789ABCDEF}"}},
        {size_t_value(0x1234, 8), {"0x1234"}},
        {size_t_value(0x10, 4), {"0x10"}},
        {filetime(filetime_from_unix_ms(kT0) + 1234), {"2023-01-09T22:54:26.1291234Z"}},
        {systemtime(2023, 1, 9, 22, 54, 26, 129), {"2023-01-09T22:54:26.129Z"}},
        {sid("S-1-5-18"), {"S-1-5-18"}},
        {sid("S-1-5-21-1-2-3-500"), {"S-1-5-21-1-2-3-500"}},
        {hex32(0x1f), {"0x1f"}},
        {hex64(0x8000000000000000ULL), {"0x8000000000000000"}},
        {string_array({"a", "bb", "ccc"}), {"a", "bb", "ccc"}},
        {u32_array({1, 2, 3}), {"1", "2", "3"}},
        {raw(vt::array | vt::guid,
             guid("{01234567-89ab-cdef-0123-456789abcdef}").bytes + guid("{00000000-0000-0000-0000-000000000001}").bytes),
         {"{01234567-89AB-CDEF-0123-456789ABCDEF}", "{00000000-0000-0000-0000-000000000001}"}},
        {str(""), {""}},
    };
    std::vector<Node> items;
    std::vector<Value> values;
    for (size_t i = 0; i < cases.size(); ++i) {
        const uint16_t idx = static_cast<uint16_t>(i);
        items.push_back(data_sub("v" + std::to_string(i), idx, cases[i].value.type));
        values.push_back(cases[i].value);
    }
    // The same values in attributes: arrays are joined with spaces.
    std::vector<Attr> attrs;
    for (size_t i = 0; i < cases.size(); ++i)
        attrs.push_back({"a" + std::to_string(i), {sub(static_cast<uint16_t>(i), cases[i].value.type)}});
    items.push_back(element("Attrs", attrs));
    const Decoded d = decode(write_evtx({custom(items, values)}));
    REQUIRE(d.records.size() == 1);
    CHECK(d.diags.empty());
    const Rec& r = d.records[0];
    for (size_t i = 0; i < cases.size(); ++i) {
        CAPTURE(i);
        CHECK(r.all("v" + std::to_string(i)) == cases[i].expected);
        std::string joined;
        for (const auto& e : cases[i].expected) joined += (joined.empty() ? "" : " ") + e;
        std::string escaped;
        for (char c : joined) escaped += c == '&' ? std::string("&amp;") : std::string(1, c);
        CHECK(r.raw.find(" a" + std::to_string(i) + "=\"" + escaped + "\"") != std::string::npos);
    }
}

TEST_CASE("evtx-binary: optional NULL drops the attribute or element; normal NULL renders empty") {
    using namespace w;
    std::vector<Node> items = {
        data_sub("optional_null", 0, vt::string, true),
        data_sub("normal_null", 0, vt::string, false),
        data_sub("optional_set", 1, vt::string, true),
        element("Attr", {{"Gone", {sub(0, vt::string, true)}}, {"Empty", {sub(0, vt::string)}},
                         {"Kept", {sub(1, vt::string, true)}}}),
        element("Mixed", {}, {text("x"), sub(0, vt::string, true), text("y")}),
    };
    const Decoded d = decode(write_evtx({custom(items, {null_value(), str("v")})}));
    REQUIRE(d.records.size() == 1);
    CHECK(d.diags.empty());
    const Rec& r = d.records[0];
    CHECK(r.field("optional_null") == "<absent>");
    CHECK(r.field("normal_null") == "");
    CHECK(r.field("optional_set") == "v");
    CHECK(r.field("Data[1]") == "<absent>");
    CHECK(r.raw.find("<Data Name=\"optional_null\"") == std::string::npos);
    CHECK(r.raw.find("<Data Name=\"normal_null\"></Data>") != std::string::npos);
    CHECK(r.raw.find("<Attr Empty=\"\" Kept=\"v\"/>") != std::string::npos);
    CHECK(r.raw.find("<Mixed>xy</Mixed>") != std::string::npos);
}

TEST_CASE("evtx-binary: static text, character and entity references, CDATA and PI") {
    using namespace w;
    std::vector<Node> items = {
        element("Data", {{"Name", {text("refs")}}},
                {text("a"), entity("amp"), text("b"), charref(0x263A), entity("lt"), entity("unknown")}),
        element("Data", {{"Name", {text("cdata")}}}, {cdata("<raw & text>")}),
        element("Data", {{"Name", {text("attr"), charref(65), entity("quot")}}}, {text("t")}),
        element("Data", {{"Name", {text("pi")}}}, {pi("xml-stylesheet", "href=\"a.xsl\""), text("after")}),
    };
    const Decoded d = decode(write_evtx({custom(items, {})}));
    REQUIRE(d.records.size() == 1);
    CHECK(d.diags.empty());
    const Rec& r = d.records[0];
    CHECK(r.field("refs") == "a&b\xE2\x98\xBA<&unknown;");
    CHECK(r.field("cdata") == "<raw & text>");
    CHECK(r.field("attrA\"") == "t");
    CHECK(r.field("pi") == "after");
    CHECK(r.raw.find("<?xml-stylesheet href=&quot;a.xsl&quot;?>") != std::string::npos);
    CHECK(r.raw.find("a&amp;b\xE2\x98\xBA&lt;&amp;unknown;") != std::string::npos);
}

TEST_CASE("evtx-binary: nested BinXML is decoded recursively, with or without dependency ids") {
    using namespace w;
    // Depth 3: record template -> EventData template -> a value that is itself a template instance.
    auto inner = make_template(element("Inner", {{"Kind", {sub(1, vt::string)}}}, {sub(0, vt::uint32)}));
    auto middle = make_template(element("Data", {{"Name", {text("wrapped")}}}, {sub(0, vt::binxml)}));
    std::vector<Node> items = {element("Data", {{"Name", {text("plain")}}}, {sub(0, vt::string)}),
                               element("Holder", {}, {sub(1, vt::binxml)}), sub(2, vt::binxml)};
    RecordSpec rec =
        custom(items, {str("outer"), nested(middle, {nested(inner, {u32(42), str("answer")})}),
                       nested_plain(element("Data", {{"Name", {text("plainxml")}}}, {text("p")}))});
    for (bool deps : {true, false}) {
        CAPTURE(deps);
        FileOptions options;
        options.nested_dependency_ids = deps;
        const Decoded d = decode(write_evtx({rec, rec}, options));
        REQUIRE(d.records.size() == 2);
        CHECK(d.diags.empty());
        for (const Rec& r : d.records) {
            CHECK(r.field("plain") == "outer");
            CHECK(r.field("plainxml") == "p");
            CHECK(r.raw.find("<Holder><Data Name=\"wrapped\"><Inner Kind=\"answer\">42</Inner></Data></Holder>") !=
                  std::string::npos);
        }
    }
}

TEST_CASE("evtx-binary: records without a template instance and without EventData") {
    using namespace w;
    RecordSpec plain;
    plain.written_filetime = filetime_from_unix_ms(kT0 + 5000);
    plain.plain = element("Event", {}, {element("System", {}, {element("EventID", {}, {text("9")})})});
    w::EventSpec bare = msi_event();
    bare.data.clear();
    bare.binary.clear();
    const Decoded d = decode(write_evtx({plain, make_record(bare)}));
    REQUIRE(d.records.size() == 2);
    CHECK(d.diags.empty());
    CHECK(d.records[0].field("event_id") == "9");
    CHECK(d.records[0].time_ms == kT0 + 5000);   // no TimeCreated: the record header time
    CHECK(d.records[0].field("time") == "2023-01-09T22:54:31.129Z");
    CHECK(d.records[0].raw == "<Event><System><EventID>9</EventID></System></Event>");
    CHECK(d.records[1].text.empty());
    CHECK(d.records[1].field("Data[1]") == "<absent>");
}

TEST_CASE("evtx-binary: multi-chunk files decode in file order") {
    const std::string file = w::write_events(many(3000));
    const size_t chunks = (file.size() - w::kFileHeaderSize) / w::kChunkSize;
    REQUIRE(chunks > 5);
    const Decoded d = decode(file, 3);
    CHECK(d.diags.empty());
    CHECK(d.stats.chunks == chunks);
    CHECK(d.stats.records == 3000);
    CHECK(d.stats.bad_records == 0);
    REQUIRE(d.records.size() == 3000);
    for (size_t i = 0; i < d.records.size(); ++i) {
        if (d.records[i].field("record_id") != std::to_string(i + 1)) FAIL("record " << i << " out of order");
        if (i && d.records[i].offset <= d.records[i - 1].offset) FAIL("offsets not increasing at " << i);
        if (d.records[i].time_ms != kT0 + static_cast<int64_t>(i) * 1000) FAIL("time of record " << i);
    }
    CHECK(d.records.back().offset > chunk_offset(chunks - 1));
}

TEST_CASE("evtx-binary: parallel decoding emits exactly what one thread emits") {
    const std::string file = w::write_events(many(2500));
    const Decoded one = decode(file, 1);
    for (auto [threads, in_flight] : {std::pair{2u, 1u}, {4u, 4u}, {8u, 2u}}) {
        CAPTURE(threads);
        const Decoded many_threads = decode(file, threads, in_flight);
        CHECK(many_threads.records.size() == one.records.size());
        CHECK(many_threads.dump() == one.dump());
    }
}

Decoded decode_stream(const std::string& bytes, unsigned threads, uint64_t max_file_bytes = uint64_t{4} << 30) {
    testutil::TrickleSource src(bytes, 7777, false);
    testutil::EventCollect sink("evtx-binary");
    DiagSink diags;
    EvtxOptions options;
    options.threads = threads;
    options.chunks_in_flight_per_thread = 2;
    options.max_file_bytes = max_file_bytes;
    options.raw_xml = true;
    Decoded d;
    d.stats = parse_evtx(src, "test.evtx", sink, diags, options);
    CHECK(sink.begins == 1);
    CHECK(sink.ends == 1);
    d.records = std::move(sink.records);
    d.diags = diags.snapshot();
    return d;
}

TEST_CASE("evtx-binary: a stream of unknown size in short reads decodes like the whole file") {
    const std::string file = w::write_events(many(2500));
    const size_t chunks = (file.size() - w::kFileHeaderSize) / w::kChunkSize;
    const Decoded whole = decode(file, 1);
    for (unsigned threads : {1u, 3u}) {
        CAPTURE(threads);
        const Decoded d = decode_stream(file, threads);
        CHECK(d.diags.empty());
        CHECK(d.stats.chunks == chunks);
        CHECK(d.dump() == whole.dump());
        // Truncated: the header count is checked after the read, the partial chunk reported.
        const Decoded cut = decode_stream(file.substr(0, chunk_offset(chunks - 1) + 300), threads);
        CHECK(cut.stats.chunks == chunks - 1);
        CHECK(cut.stats.bad_chunks == 1);
        CHECK(cut.find("truncated (300 of 65536 bytes present)") != nullptr);
        CHECK(cut.find("declares") == nullptr);
    }
}

TEST_CASE("evtx-binary: a file over max_file_bytes decodes the chunks below the limit and says so") {
    const std::string file = w::write_events(many(2500));
    const size_t chunks = (file.size() - w::kFileHeaderSize) / w::kChunkSize;
    REQUIRE(chunks >= 4);
    for (unsigned threads : {1u, 2u}) {
        CAPTURE(threads);
        const Decoded d = decode_stream(file, threads, chunk_offset(2) + 100);
        CHECK(d.stats.chunks == 2);
        CHECK(d.stats.bad_chunks == 0);
        const Diagnostic* e = d.find("larger than the limit");
        REQUIRE(e != nullptr);
        CHECK(e->severity == DiagSeverity::error);
        CHECK(e->offset == chunk_offset(2) + 100);
        for (const Rec& r : d.records) CHECK(r.offset < chunk_offset(2));
    }
}

TEST_CASE("evtx-binary: a truncated file decodes every complete chunk") {
    const std::string file = w::write_events(many(1500));
    const size_t chunks = (file.size() - w::kFileHeaderSize) / w::kChunkSize;
    REQUIRE(chunks >= 3);
    const Decoded full = decode(file);
    // Cut in the middle of the last chunk.
    const std::string cut = file.substr(0, chunk_offset(chunks - 1) + 20000);
    const Decoded d = decode(cut, 2);
    size_t expected = 0;
    for (const Rec& r : full.records) expected += r.offset < chunk_offset(chunks - 1);
    CHECK(d.records.size() == expected);
    CHECK(d.stats.bad_chunks == 1);
    const Diagnostic* e = d.find("truncated (20000 of 65536 bytes present)");
    REQUIRE(e != nullptr);
    CHECK(e->severity == DiagSeverity::error);
    CHECK(e->has_offset);
    CHECK(e->offset == chunk_offset(chunks - 1));
    CHECK(e->origin == "evtx-binary");
    CHECK(d.find("chunks skipped") != nullptr);
    // Cut inside the file header.
    const Decoded h = decode(file.substr(0, 100));
    CHECK(h.records.empty());
    CHECK(h.find("file header truncated") != nullptr);
}

TEST_CASE("evtx-binary: a bad chunk signature skips that chunk only") {
    std::string file = w::write_events(many(1500));
    const Decoded full = decode(file);
    std::memcpy(file.data() + chunk_offset(1), "BadChnk\0", 8);
    const Decoded d = decode(file, 2);
    size_t expected = 0;
    for (const Rec& r : full.records) expected += r.offset < chunk_offset(1) || r.offset >= chunk_offset(2);
    CHECK(d.records.size() == expected);
    CHECK(d.stats.bad_chunks == 1);
    const Diagnostic* e = d.find("bad signature 'BadChnk\\x00'");
    REQUIRE(e != nullptr);
    CHECK(e->offset == chunk_offset(1));
    CHECK(d.count(DiagSeverity::error) == 1);
}

TEST_CASE("evtx-binary: checksum mismatches warn and the data is still decoded") {
    std::string file = w::write_events(many(40));
    file[124] ^= 1;                          // file header CRC
    file[chunk_offset(0) + 124] ^= 1;       // chunk header CRC
    file[chunk_offset(0) + 52] ^= 1;        // records CRC
    const Decoded d = decode(file);
    CHECK(d.records.size() == 40);
    CHECK(d.count(DiagSeverity::warning) == 3);
    CHECK(d.count(DiagSeverity::error) == 0);
    CHECK(d.find("file header checksum mismatch")->offset == 124);
    CHECK(d.find("chunk 0: header checksum mismatch")->offset == chunk_offset(0) + 124);
    CHECK(d.find("event records checksum mismatch")->offset == chunk_offset(0) + 52);
}

TEST_CASE("evtx-binary: a dirty file gets a note and stale chunk checksums become notes") {
    w::FileOptions options;
    options.dirty = true;
    std::string file = w::write_events(many(10), options);
    file[chunk_offset(0) + 52] ^= 1;
    const Decoded d = decode(file);
    CHECK(d.records.size() == 10);
    CHECK(d.count(DiagSeverity::warning) == 0);
    CHECK(d.count(DiagSeverity::note) == 3);   // dirty flag, header and records checksums (52 is in both)
    CHECK(d.find("marked dirty") != nullptr);
}

TEST_CASE("evtx-binary: a corrupt record is skipped with the offset of the bad token") {
    const std::string clean = w::write_events(many(20));
    const Decoded full = decode(clean);
    REQUIRE(full.records.size() == 20);
    std::string file = clean;
    const uint64_t rec2 = full.records[1].offset;
    file[rec2 + 24] = '\x7f';   // the fragment header token of record 2
    const Decoded d = decode(file);
    CHECK(d.records.size() == 19);
    CHECK(d.stats.bad_records == 1);
    const Diagnostic* e = d.find("record 2: unknown BinXML token 0x7f");
    REQUIRE(e != nullptr);
    CHECK(e->offset == rec2 + 24);
    CHECK(d.find("1 of 20 records could not be decoded") != nullptr);
    CHECK(d.records[1].field("record_id") == "3");
}

TEST_CASE("evtx-binary: a bad record size resynchronises on the next record") {
    const std::string clean = w::write_events(many(20));
    const Decoded full = decode(clean);
    std::string file = clean;
    const uint64_t rec5 = full.records[4].offset;
    file[rec5 + 4] = '\xff';
    file[rec5 + 5] = '\xff';
    const Decoded d = decode(file);
    CHECK(d.records.size() == 19);
    const Diagnostic* e = d.find("record size");
    REQUIRE(e != nullptr);
    CHECK(e->offset == rec5 + 4);
    CHECK(d.records[4].field("record_id") == "6");
    // A broken record signature.
    std::string sig = clean;
    sig[rec5] = 'X';
    const Decoded s = decode(sig);
    CHECK(s.records.size() == 19);
    CHECK(s.find("bad record signature")->offset == rec5);
}

// A log that was not closed cleanly can hold records whose trailing size copy was never written.
TEST_CASE("evtx-binary: a record whose size copy is 0 is kept when its event decodes and its id matches") {
    const std::string clean = w::write_events(many(20), {.dirty = true});
    const Decoded full = decode(clean);
    REQUIRE(full.records.size() == 20);
    auto size_copy_at = [&](size_t i) {
        const uint64_t off = full.records[i].offset;
        uint32_t size = 0;
        std::memcpy(&size, clean.data() + off + 4, 4);
        return off + size - 4;
    };
    std::string file = clean;
    std::memset(file.data() + size_copy_at(6), 0, 4);
    const Decoded d = decode(file);
    CHECK(d.records.size() == 20);
    CHECK(d.stats.bad_records == 0);
    CHECK(d.records[6].field("record_id") == "7");
    CHECK(d.records[6].fields == full.records[6].fields);
    const Diagnostic* n = d.find("record 7: size copy is 0");
    REQUIRE(n != nullptr);
    CHECK(n->severity == DiagSeverity::note);
    CHECK(n->offset == size_copy_at(6));

    // The record header says 99 while the event says 7: not trusted.
    std::string renumbered = file;
    const uint64_t id99 = 99;
    std::memcpy(renumbered.data() + full.records[6].offset + 8, &id99, 8);
    const Decoded r = decode(renumbered);
    CHECK(r.records.size() == 19);
    CHECK(r.find("record 99: size copy is 0 and its EventRecordID differs from the record header") != nullptr);
    CHECK(r.records[6].field("record_id") == "8");

    // A size copy of 0 on a record whose event does not decode: skipped, the next one is found.
    std::string broken = file;
    broken[full.records[6].offset + 24] = '\x7f';
    const Decoded b = decode(broken);
    CHECK(b.records.size() == 19);
    CHECK(b.find("record 7: size copy is 0 and its event does not decode") != nullptr);
    CHECK(b.records[6].field("record_id") == "8");

    // A non-zero size copy that disagrees is still a damaged record.
    std::string wrong = clean;
    wrong[size_copy_at(6)] ^= 0x10;
    CHECK(decode(wrong).records.size() == 19);
}

TEST_CASE("evtx-binary: an event renumbered in its record header keeps its own EventRecordID as a field") {
    std::string file = w::write_events(many(3));
    const Decoded full = decode(file);
    REQUIRE(full.records.size() == 3);
    CHECK(full.records[1].field("event_record_id") == "<absent>");
    const uint64_t id = 707;
    std::memcpy(file.data() + full.records[1].offset + 8, &id, 8);   // as "Save Selected Events" does
    const Decoded d = decode(file);
    REQUIRE(d.records.size() == 3);
    CHECK(d.records[1].field("record_id") == "707");
    CHECK(d.records[1].field("event_record_id") == "2");
}

TEST_CASE("evtx-binary: inputs that are not EVTX files") {
    CHECK(decode("").find("not an EVTX file") != nullptr);
    CHECK(decode("hello world, not evtx at all").find("not an EVTX file") != nullptr);
    std::string header_only = w::write_events({});
    CHECK(header_only.size() == w::kFileHeaderSize);
    const Decoded d = decode(header_only);
    CHECK(d.records.empty());
    CHECK(d.diags.empty());
}

TEST_CASE("evtx-binary: expansion bombs stop at the limits") {
    using namespace w;
    // Each level substitutes its nested value 200 times: 200^4 elements if nothing stopped it.
    Value v = str("x");
    uint8_t type = vt::string;
    for (int level = 0; level < 4; ++level) {
        std::vector<Node> children;
        for (int i = 0; i < 200; ++i) children.push_back(element("E" + std::to_string(level), {}, {sub(0, type)}));
        v = nested(make_template(element("L" + std::to_string(level), {}, children)), {v});
        type = vt::binxml;
    }
    const auto start = std::chrono::steady_clock::now();
    const Decoded d = decode(write_evtx({custom({element("Data", {}, {sub(0, vt::binxml)})}, {v}), make_record(msi_event())}));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(elapsed < std::chrono::seconds(10));
    CHECK(d.records.size() == 1);
    CHECK(d.stats.bad_records == 1);
    CHECK((d.find("too many BinXML tokens") != nullptr || d.find("record expands") != nullptr));
}

TEST_CASE("evtx-binary: random corruption never crashes or hangs") {
    const std::string clean = w::write_events(many(400));
    REQUIRE(clean.size() >= chunk_offset(2));
    std::mt19937 rng(20230109);
    size_t decoded_records = 0, diagnostics = 0;
    for (int variant = 0; variant < 200; ++variant) {
        std::string file = clean;
        const int flips = 1 + static_cast<int>(rng() % 24);
        for (int f = 0; f < flips; ++f) {
            // Mostly inside chunks, sometimes the file header; sometimes a whole run of bytes.
            const size_t at = (rng() % 8 == 0) ? rng() % 128 : w::kFileHeaderSize + rng() % (file.size() - w::kFileHeaderSize);
            if (rng() % 4 == 0) {
                const size_t len = std::min<size_t>(1 + rng() % 64, file.size() - at);
                for (size_t k = 0; k < len; ++k) file[at + k] = static_cast<char>(rng());
            } else {
                file[at] = static_cast<char>(file[at] ^ (1u << (rng() % 8)));
            }
        }
        if (rng() % 10 == 0) file.resize(rng() % file.size());
        CAPTURE(variant);
        const Decoded d = decode(file, 1 + variant % 3, 1 + variant % 2);
        decoded_records += d.records.size();
        diagnostics += d.diags.size();
        for (const Diagnostic& diag : d.diags) {
            CHECK(diag.origin == "evtx-binary");
            if (diag.has_offset) CHECK(diag.offset <= file.size());
        }
    }
    CHECK(decoded_records > 0);
    CHECK(diagnostics > 0);
}

TEST_CASE("evtx-binary: the committed samples decode with the expected counts") {
    const std::filesystem::path dir = std::filesystem::path(EXTRIAGE_TEST_SOURCE_DIR) / "samples" / "evtx";
    struct Expect {
        const char* name;
        uint64_t records, bad_chunks;
        size_t errors;
    };
    const Expect table[] = {{"application-exchange-update.evtx", 16, 0, 0},
                            {"application-exchange-su-installed.evtx", 2, 0, 0},
                            {"system-services.evtx", 13, 0, 0},
                            {"multi-chunk.evtx", 552, 0, 0},
                            {"truncated.evtx", 276, 1, 1},
                            {"bad-chunk-magic.evtx", 276, 1, 1}};
    for (const Expect& e : table) {
        CAPTURE(e.name);
        std::ifstream in(dir / e.name, std::ios::binary);
        REQUIRE(in);
        const std::string bytes((std::istreambuf_iterator<char>(in)), {});
        const Decoded d = decode(bytes, 2);
        CHECK(d.stats.records == e.records);
        CHECK(d.stats.bad_records == 0);
        CHECK(d.stats.bad_chunks == e.bad_chunks);
        CHECK(d.count(DiagSeverity::error) == e.errors);
    }
}

// Evidence reads "time  Provider EventID (record N)  message", never the XML (issue 9).
TEST_CASE("evtx-binary: the evidence line is the event's message, with %%N resolved and both record numbers") {
    auto parse_default = [](const std::string& bytes) {
        MemorySource src(bytes);
        testutil::EventCollect sink("evtx-binary");
        DiagSink diags;
        parse_evtx(src, "test.evtx", sink, diags, EvtxOptions{});
        return std::move(sink.records);
    };
    w::EventSpec start = scm_event(7000, 2, {{"param1", "Microsoft Exchange Transport"}, {"param2", "%%1058"}});
    w::RecordSpec r = w::make_record(start);
    // A record whose header number (1) and <EventRecordID> (4242) differ shows both.
    REQUIRE(r.record_id_value_index);
    r.values[*r.record_id_value_index] = w::u64(4242);
    r.record_id_value_index.reset();
    w::EventSpec msi = msi_event();
    const auto recs = parse_default(w::write_evtx({r, w::make_record(msi)}));
    REQUIRE(recs.size() == 2);
    CHECK(recs[0].raw ==
          "2023-01-09 22:54:26 UTC  Service Control Manager 7000 (record 1, EventRecordID 4242)  The Microsoft Exchange "
          "Transport service failed to start due to the following error: The service cannot be started, either because it "
          "is disabled or because it has no enabled devices associated with it. (%%1058)");
    CHECK(recs[0].raw.find('<') == std::string::npos);
    // Fields, and the text rules match, keep the insertion string as logged.
    CHECK(recs[0].field("param2") == "%%1058");
    CHECK(recs[0].text == "param1: Microsoft Exchange Transport; param2: %%1058");
    // No template: the data values, without the XML.
    CHECK(recs[1].raw ==
          "2023-01-09 22:54:26 UTC  MsiInstaller 1033 (record 2)  Microsoft Exchange Server; 15.2.1118.7; 1033; 1603; "
          "Microsoft Corporation");
}
