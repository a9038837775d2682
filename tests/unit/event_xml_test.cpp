// Tests of the event-xml parser: field mapping (the evtx-binary names, so one rule reads both),
// Event Viewer UTF-16 exports and wevtutil fragments, malformed/unterminated/truncated events
// with line numbers, streaming across read boundaries, sniffing, and the same event read from
// EVTX, XML and CLIXML giving the same fields and the same finding.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "engine/engine.hpp"
#include "engine/rule_loader.hpp"
#include "evtx_writer.hpp"
#include "event_test_util.hpp"
#include "parser.hpp"

using namespace extriage;
using Rec = testutil::EventRec;
using Collect = testutil::EventCollect;
using testutil::TrickleSource;

namespace {

constexpr const char* kNs = "http://schemas.microsoft.com/win/2004/08/events/event";

struct Parsed {
    std::vector<Rec> records;
    std::vector<Diagnostic> diags;
    size_t errors() const {
        size_t n = 0;
        for (const auto& d : diags) n += d.severity == DiagSeverity::error;
        return n;
    }
};

Parsed parse_with(std::string_view parser_name, ByteSource& src, const std::string& path = "test.xml") {
    const Parser* p = find_parser(parser_name);
    REQUIRE(p != nullptr);
    Collect sink;
    DiagSink diags;
    p->parse(src, path, sink, diags);
    CHECK(sink.begins == 1);
    CHECK(sink.ends == 1);
    return {std::move(sink.records), diags.snapshot()};
}

Parsed parse_xml(std::string_view xml, size_t step = 0) {
    if (step) {
        TrickleSource src(xml, step);
        return parse_with("event-xml", src);
    }
    MemorySource src(xml);
    return parse_with("event-xml", src);
}

std::string to_utf16le(std::string_view ascii_or_utf8, bool bom = true) {
    std::string out = bom ? std::string("\xFF\xFE", 2) : std::string();
    for (size_t i = 0; i < ascii_or_utf8.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(ascii_or_utf8[i]);
        uint32_t cp = c;
        if (c >= 0xC0 && c < 0xE0 && i + 1 < ascii_or_utf8.size()) {
            cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(ascii_or_utf8[i + 1]) & 0x3Fu);
            ++i;
        } else if (c >= 0xE0 && i + 2 < ascii_or_utf8.size()) {
            cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(ascii_or_utf8[i + 1]) & 0x3Fu) << 6) |
                 (static_cast<unsigned char>(ascii_or_utf8[i + 2]) & 0x3Fu);
            i += 2;
        }
        out.push_back(static_cast<char>(cp & 0xFF));
        out.push_back(static_cast<char>(cp >> 8));
    }
    return out;
}

std::string scm_7031_xml(const std::string& record_id = "90322", bool rendering = false) {
    std::string x = std::string("<Event xmlns='") + kNs +
                    "'><System><Provider Name='Service Control Manager' Guid='{555908d1-a6d7-4695-8e1e-26931d2012f4}' "
                    "EventSourceName='Service Control Manager'/><EventID Qualifiers='49152'>7031</EventID><Version>0</Version>"
                    "<Level>2</Level><Task>0</Task><Opcode>0</Opcode><Keywords>0x8080000000000000</Keywords>"
                    "<TimeCreated SystemTime='2024-05-11T14:05:12.7700000Z'/><EventRecordID>" +
                    record_id +
                    "</EventRecordID><Correlation/><Execution ProcessID='780' ThreadID='4410'/><Channel>System</Channel>"
                    "<Computer>EX01.contoso.com</Computer><Security/></System><EventData>"
                    "<Data Name='param1'>Microsoft Exchange Service Host</Data><Data Name='param2'>1</Data>"
                    "<Data Name='param3'>5000</Data><Data Name='param4'>1</Data><Data Name='param5'>Restart the service</Data>"
                    "<Binary>4D0053004500780063006800</Binary></EventData>";
    if (rendering)
        x += "<RenderingInfo Culture='en-US'><Message>The Microsoft Exchange Service Host service terminated unexpectedly.  "
             "It has done this 1 time(s).</Message><Level>Error</Level></RenderingInfo>";
    return x + "</Event>";
}

}  // namespace

TEST_CASE("event-xml: maps System and EventData to the evtx-binary field names and order") {
    Parsed p = parse_xml(scm_7031_xml());
    REQUIRE(p.records.size() == 1);
    CHECK(p.diags.empty());
    const Rec& r = p.records[0];
    CHECK(r.parser == "event-xml");
    CHECK(r.names() == std::vector<std::string>{"provider", "event_id", "qualifiers", "level", "task", "keywords",
                                                "record_id", "channel", "computer", "time", "param1", "param2",
                                                "param3", "param4", "param5", "Binary"});
    CHECK(r.field("provider") == "Service Control Manager");
    CHECK(r.field("event_id") == "7031");
    CHECK(r.field("qualifiers") == "49152");
    CHECK(r.field("level") == "2");
    CHECK(r.field("record_id") == "90322");
    CHECK(r.field("time") == "2024-05-11T14:05:12.770Z");
    CHECK(r.field("Binary") == "4D0053004500780063006800");
    CHECK(r.level == Level::error);
    CHECK(r.utc);
    CHECK(r.time_ms == 1715436312770);
    // The text joins data values like evtx-binary: named as "Name: value", Binary left out.
    CHECK(r.text == "param1: Microsoft Exchange Service Host; param2: 1; param3: 5000; param4: 1; param5: Restart the service");
    CHECK(r.line == 1);
    CHECK(r.offset == 0);
}

TEST_CASE("event-xml: unnamed Data become Data[n], UserData leaves are named by element, RenderingInfo gives message") {
    const std::string xml = std::string("<Event xmlns='") + kNs +
                            "'><System><Provider Name='MsiInstaller'/><EventID Qualifiers='0'>1033</EventID><Level>4</Level>"
                            "<TimeCreated SystemTime='2024-05-11T13:40:12.51Z'/><EventRecordID>7</EventRecordID>"
                            "<Channel>Application</Channel><Computer>EX01</Computer>"
                            "<Security UserID='S-1-5-21-1-2-3-500'/></System><EventData><Data>Microsoft Exchange Server</Data>"
                            "<Data>15.2.1544.4</Data><Data></Data><Data>1603</Data></EventData>"
                            "<RenderingInfo Culture='en-US'><Message>Windows Installer installed the product.&#xD;&#xA;Status: 1603."
                            "</Message></RenderingInfo></Event>\r\n"
                            "<Event xmlns='" + kNs +
                            "'><System><Provider Name='Microsoft-Windows-Eventlog'/><EventID>104</EventID><Level>4</Level>"
                            "<TimeCreated SystemTime='2024-05-11T13:41:00.000Z'/><EventRecordID>8</EventRecordID>"
                            "<Channel>System</Channel><Computer>EX01</Computer></System><UserData>"
                            "<LogFileCleared xmlns='http://manifests.microsoft.com/win/2004/08/windows/eventlog'>"
                            "<SubjectUserName>admin</SubjectUserName><Channel>Application</Channel><BackupPath></BackupPath>"
                            "</LogFileCleared></UserData></Event>";
    Parsed p = parse_xml(xml);
    REQUIRE(p.records.size() == 2);
    const Rec& msi = p.records[0];
    CHECK(msi.field("Data[1]") == "Microsoft Exchange Server");
    CHECK(msi.field("Data[3]") == "");
    CHECK(msi.field("Data[4]") == "1603");
    CHECK(msi.field("user_sid") == "S-1-5-21-1-2-3-500");
    CHECK(msi.field("message") == "Windows Installer installed the product.\r\nStatus: 1603.");
    CHECK(msi.text == msi.field("message"));
    // The evidence line: time, provider, event id, record number, the message on one line.
    CHECK(msi.raw == "2024-05-11 13:40:12 UTC  MsiInstaller 1033 (record 7)  Windows Installer installed the product. Status: 1603.");
    const Rec& cleared = p.records[1];
    CHECK(cleared.line == 2);
    CHECK(cleared.field("SubjectUserName") == "admin");
    CHECK(cleared.field("BackupPath") == "");
    CHECK(cleared.text == "SubjectUserName: admin; Channel: Application");
    CHECK(cleared.field("message") == "<absent>");
}

TEST_CASE("event-xml: reads an Event Viewer export in UTF-16LE with a BOM, with exact byte offsets and lines") {
    const std::string body = std::string("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<Events>\r\n") +
                             scm_7031_xml("1") + "\r\n" + scm_7031_xml("2", true) + "\r\n</Events>\r\n";
    const std::string raw = to_utf16le(body);
    for (size_t step : {size_t{0}, size_t{1}, size_t{3}, size_t{64}}) {
        CAPTURE(step);
        Parsed p = step ? [&] { TrickleSource s(raw, step); return parse_with("event-xml", s); }()
                        : [&] { MemorySource s(raw); return parse_with("event-xml", s); }();
        REQUIRE(p.records.size() == 2);
        CHECK(p.diags.empty());
        CHECK(p.records[0].line == 3);
        CHECK(p.records[1].line == 4);
        // Offsets are in the undecoded file: 2 bytes of BOM, 2 bytes per character.
        CHECK(p.records[0].offset == 2 + 2 * body.find("<Event "));
        CHECK(p.records[1].offset == 2 + 2 * body.find("<Event ", body.find("<Event ") + 1));
        CHECK(p.records[1].field("record_id") == "2");
        CHECK(p.records[1].text.starts_with("The Microsoft Exchange Service Host service terminated"));
    }
}

TEST_CASE("event-xml: a malformed event in the middle is reported with its line and column; the others are kept") {
    const std::string good1 = scm_7031_xml("1");
    std::string bad = scm_7031_xml("2");
    bad.replace(bad.find("</Data><Data Name='param2'>"), 7, "</Dta>");
    const std::string good3 = scm_7031_xml("3");
    const std::string xml = good1 + "\r\n\r\n" + bad + "\r\n" + good3 + "\r\n";
    Parsed p = parse_xml(xml);
    REQUIRE(p.records.size() == 2);
    CHECK(p.records[0].field("record_id") == "1");
    CHECK(p.records[1].field("record_id") == "3");
    CHECK(p.records[1].line == 4);
    REQUIRE(p.errors() == 1);
    const Diagnostic& d = p.diags[0];
    CHECK(d.line == 3);
    CHECK(d.column > 1);
    CHECK(d.message.find("malformed event XML") != std::string::npos);
    CHECK(d.message.find(fmt::format("byte offset {}", xml.find(bad))) != std::string::npos);
    CHECK(d.origin == "event-xml");
    // The summary warning counts the loss.
    CHECK(p.diags.back().message == "1 of 3 events could not be read");
}

TEST_CASE("event-xml: an event with no </Event> before the next one costs only itself") {
    std::string cut = scm_7031_xml("1");
    cut.resize(cut.find("<EventData>"));
    const std::string xml = cut + "\n" + scm_7031_xml("2") + "\n";
    Parsed p = parse_xml(xml, 5);
    REQUIRE(p.records.size() == 1);
    CHECK(p.records[0].field("record_id") == "2");
    CHECK(p.records[0].line == 2);
    REQUIRE(p.errors() == 1);
    CHECK(p.diags[0].line == 1);
    CHECK(p.diags[0].message.find("no closing </Event>") != std::string::npos);
}

TEST_CASE("event-xml: a file that ends inside an event reports it as truncated") {
    std::string xml = "<Events>\n" + scm_7031_xml("1") + "\n" + scm_7031_xml("2");
    xml.resize(xml.size() - 30);
    Parsed p = parse_xml(xml);
    REQUIRE(p.records.size() == 1);
    REQUIRE(p.errors() == 1);
    CHECK(p.diags[0].line == 3);
    CHECK(p.diags[0].message.find("ends inside the event") != std::string::npos);
}

TEST_CASE("event-xml: streams many events across read boundaries in UTF-8 and UTF-16") {
    std::string xml;
    const int n = 3000;   // > 1 MiB, so the scanner refills and compacts its buffer
    for (int i = 1; i <= n; ++i) xml += scm_7031_xml(std::to_string(i)) + "\n";
    REQUIRE(xml.size() > (1u << 20));
    Parsed p = parse_xml(xml);
    REQUIRE(p.records.size() == static_cast<size_t>(n));
    CHECK(p.diags.empty());
    CHECK(p.records.back().line == static_cast<uint64_t>(n));
    CHECK(p.records.back().field("record_id") == std::to_string(n));
    CHECK(p.records.back().offset == xml.size() - scm_7031_xml(std::to_string(n)).size() - 1);
    const std::string wide = to_utf16le(xml, false);   // BOM-less UTF-16 is sniffed from the NULs
    MemorySource src(wide);
    Parsed q = parse_with("event-xml", src);
    REQUIRE(q.records.size() == static_cast<size_t>(n));
    CHECK(q.records.back().offset == 2 * p.records.back().offset);
}

TEST_CASE("event-xml: non-ASCII text survives UTF-16 decoding") {
    std::string xml = scm_7031_xml("1");
    xml.replace(xml.find("Restart the service"), 19, "Dienst neu starten \xC3\xBC \xE2\x82\xAC");
    const std::string wide = to_utf16le(xml);
    MemorySource src(wide);
    Parsed p = parse_with("event-xml", src);
    REQUIRE(p.records.size() == 1);
    CHECK(p.records[0].field("param5") == "Dienst neu starten \xC3\xBC \xE2\x82\xAC");
}

TEST_CASE("event-xml: sniffs Event Viewer and wevtutil exports, not CLIXML or other XML") {
    const Parser* p = find_parser("event-xml");
    REQUIRE(p);
    auto sniff = [&](const std::string& text) { return p->sniff(SniffInput{text, text, "x.xml"}); };
    CHECK(sniff("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<Events>\r\n" + scm_7031_xml()));
    CHECK(sniff(scm_7031_xml()));
    CHECK_FALSE(sniff("<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\"><Obj RefId=\"0\">"));
    CHECK_FALSE(sniff("<?xml version=\"1.0\"?><configuration><system.web/></configuration>"));
    // The registry picks event-xml for the sample exports.
    const std::string head = "<Events>" + scm_7031_xml();
    CHECK(sniff_parser(SniffInput{head, head, "Application.xml"})->name() == "event-xml");
}

TEST_CASE("event-xml: the same event from EVTX, event-xml and event-clixml has the same fields and finding") {
    // 1. EVTX, written by the test fixture.
    namespace w = extriage::evtxw;
    w::EventSpec e;
    e.provider = "Service Control Manager";
    e.provider_guid = "{555908d1-a6d7-4695-8e1e-26931d2012f4}";
    e.event_source_name = "Service Control Manager";
    e.event_id = 7031;
    e.qualifiers = 49152;
    e.level = 2;
    e.keywords = 0x8080000000000000ULL;
    e.time_filetime = w::filetime_from_unix_ms(1715436312770);
    e.process_id = 780;
    e.thread_id = 4410;
    e.channel = "System";
    e.computer = "EX01.contoso.com";
    e.data = {{"param1", "Microsoft Exchange Service Host"}, {"param2", "1"}, {"param3", "5000"}, {"param4", "1"},
              {"param5", "Restart the service"}};
    e.binary = std::string("M\0S\0E\0x\0c\0h\0", 12);
    const std::string evtx = w::write_events({e});
    MemorySource evtx_src(evtx);
    Parsed from_evtx = parse_with("evtx-binary", evtx_src, "System.evtx");
    REQUIRE(from_evtx.records.size() == 1);
    const std::string record_id = from_evtx.records[0].field("record_id");

    // 2. The same event as wevtutil XML.
    Parsed from_xml = parse_xml(scm_7031_xml(record_id));
    REQUIRE(from_xml.records.size() == 1);

    // 3. The same event as Get-EventLog | Export-Clixml.
    const std::string clixml =
        "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\r\n"
        "  <Obj RefId=\"0\">\r\n    <TN RefId=\"0\">\r\n"
        "      <T>System.Diagnostics.EventLogEntry#System/Service Control Manager/3221232503</T>\r\n"
        "      <T>System.Diagnostics.EventLogEntry</T>\r\n    </TN>\r\n"
        "    <ToString>System.Diagnostics.EventLogEntry</ToString>\r\n    <Props>\r\n"
        "      <I32 N=\"Index\">" + record_id + "</I32>\r\n      <S N=\"Category\">(0)</S>\r\n"
        "      <I16 N=\"CategoryNumber\">0</I16>\r\n"
        "      <Obj N=\"EntryType\" RefId=\"1\">\r\n        <TN RefId=\"1\"><T>System.Diagnostics.EventLogEntryType</T></TN>\r\n"
        "        <ToString>Error</ToString>\r\n        <I32>1</I32>\r\n      </Obj>\r\n"
        "      <S N=\"Message\">The Microsoft Exchange Service Host service terminated unexpectedly.</S>\r\n"
        "      <S N=\"Source\">Service Control Manager</S>\r\n"
        "      <Obj N=\"ReplacementStrings\" RefId=\"2\">\r\n        <TN RefId=\"2\"><T>System.String[]</T></TN>\r\n"
        "        <LST><S>Microsoft Exchange Service Host</S><S>1</S><S>5000</S><S>1</S><S>Restart the service</S></LST>\r\n"
        "      </Obj>\r\n      <I64 N=\"InstanceId\">3221232503</I64>\r\n"
        "      <DT N=\"TimeGenerated\">2024-05-11T10:05:12.77-04:00</DT>\r\n"
        "      <DT N=\"TimeWritten\">2024-05-11T10:05:12.77-04:00</DT>\r\n"
        "      <BA N=\"Data\">TQBTAEUAeABjAGgA</BA>\r\n"
        "      <S N=\"MachineName\">EX01.contoso.com</S>\r\n      <I32 N=\"EventID\">7031</I32>\r\n"
        "    </Props>\r\n  </Obj>\r\n</Objs>";
    MemorySource cli_src(clixml);
    Parsed from_cli = parse_with("event-clixml", cli_src, "EX01_System.xml");
    REQUIRE(from_cli.records.size() == 1);
    CHECK(from_cli.diags.empty());

    for (const char* name : {"provider", "event_id", "qualifiers", "level", "task", "record_id", "channel", "computer",
                             "time", "param1", "param2", "param3", "param4", "param5", "Binary"}) {
        CAPTURE(name);
        CHECK(from_xml.records[0].field(name) == from_evtx.records[0].field(name));
        CHECK(from_cli.records[0].field(name) == from_evtx.records[0].field(name));
    }
    // Without RenderingInfo the XML text is the evtx-binary text exactly.
    CHECK(from_xml.records[0].text == from_evtx.records[0].text);
    CHECK(from_xml.records[0].time_ms == from_evtx.records[0].time_ms);
    CHECK(from_cli.records[0].time_ms == from_evtx.records[0].time_ms);
    CHECK(from_xml.records[0].level == from_evtx.records[0].level);
    CHECK(from_cli.records[0].level == from_evtx.records[0].level);

    // One rule, three sources, the same finding.
    DiagSink rule_diags;
    RuleSet rules(load_rules({std::string(EXTRIAGE_TEST_SOURCE_DIR) + "/rules/events/event-scm-exchange-service-crashed.yaml"},
                             rule_diags));
    REQUIRE(rule_diags.error_count() == 0);
    std::map<std::string, std::string> messages;
    auto run = [&](const char* parser, const std::string& data, const std::string& path) {
        DiagSink diags;
        Engine engine(rules, diags);
        MemorySource src(data);
        find_parser(parser)->parse(src, path, engine, diags);
        REQUIRE(engine.findings().size() == 1);
        messages[parser] = engine.findings()[0].message;
        CHECK(engine.findings()[0].evidence.at(0).time_ms == 1715436312770);
    };
    run("evtx-binary", evtx, "System.evtx");
    run("event-xml", scm_7031_xml(record_id), "System.xml");
    run("event-clixml", clixml, "EX01_System.xml");
    CHECK(messages["evtx-binary"] == messages["event-xml"]);
    CHECK(messages["evtx-binary"] == messages["event-clixml"]);
}

TEST_CASE("event-xml: the samples parse with the expected record and error counts") {
    const std::string dir = std::string(EXTRIAGE_TEST_SOURCE_DIR) + "/samples/event-xml/";
    struct Case {
        const char* file;
        size_t records, errors;
    };
    for (const Case& c : {Case{"application-msi-failure.xml", 7, 0}, Case{"system-services-wevtutil.xml", 11, 0},
                          Case{"malformed-middle.xml", 2, 1}}) {
        CAPTURE(c.file);
        FileSource src(dir + c.file);
        Parsed p = parse_with("event-xml", src, c.file);
        CHECK(p.records.size() == c.records);
        CHECK(p.errors() == c.errors);
    }
}
