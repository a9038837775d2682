// Tests of the event-clixml parser: Get-EventLog | Export-Clixml objects mapped to the event
// field names, TN/TNRef and Ref references, _xHHHH_ escapes, channel sources, Get-WinEvent
// records, malformed objects, sniffing, and the EX01_System.xml sample.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "event_test_util.hpp"
#include "parser.hpp"

using namespace extriage;
using Rec = testutil::EventRec;

namespace {

struct Parsed {
    std::vector<Rec> records;
    std::vector<Diagnostic> diags;
};

Parsed parse(const std::string& data, const std::string& path = "EX01_Application.xml") {
    testutil::EventCollect sink("event-clixml", "event-clixml");
    DiagSink diags;
    MemorySource src(data);
    find_parser("event-clixml")->parse(src, path, sink, diags);
    return {std::move(sink.records), diags.snapshot()};
}

const std::string kHead = "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\r\n";

// One EventLogEntry; the first one defines the type names, later ones refer to them.
std::string entry(int ref, bool first, const std::string& log, const std::string& source, const std::string& event_id,
                  const std::string& instance_id, const std::string& entry_type_xml, const std::string& message,
                  const std::vector<std::string>& strings, const std::string& time, const std::string& extra = "") {
    std::string s = "  <Obj RefId=\"" + std::to_string(ref) + "\">\r\n";
    if (first)
        s += "    <TN RefId=\"0\">\r\n      <T>System.Diagnostics.EventLogEntry#" + log + "/" + source + "/" + instance_id +
             "</T>\r\n      <T>System.Diagnostics.EventLogEntry</T>\r\n      <T>System.Object</T>\r\n    </TN>\r\n";
    else
        s += "    <TNRef RefId=\"0\" />\r\n";
    s += "    <ToString>System.Diagnostics.EventLogEntry</ToString>\r\n    <Props>\r\n";
    s += "      <I32 N=\"Index\">" + std::to_string(1000 + ref) + "</I32>\r\n";
    s += "      <I16 N=\"CategoryNumber\">0</I16>\r\n";
    s += entry_type_xml;
    s += "      <S N=\"Message\">" + message + "</S>\r\n";
    s += "      <S N=\"Source\">" + source + "</S>\r\n";
    s += "      <Obj N=\"ReplacementStrings\" RefId=\"" + std::to_string(ref * 10 + 2) + "\">\r\n        <TNRef RefId=\"9\" />\r\n        <LST>\r\n";
    for (const auto& x : strings) s += "          <S>" + x + "</S>\r\n";
    s += "        </LST>\r\n      </Obj>\r\n";
    s += "      <I64 N=\"InstanceId\">" + instance_id + "</I64>\r\n";
    s += "      <DT N=\"TimeGenerated\">" + time + "</DT>\r\n";
    s += "      <S N=\"MachineName\">EX01.contoso.com</S>\r\n";
    if (!event_id.empty()) s += "      <I32 N=\"EventID\">" + event_id + "</I32>\r\n";
    s += extra;
    s += "    </Props>\r\n  </Obj>\r\n";
    return s;
}

std::string entry_type(int ref, const std::string& name, int value, bool define_tn) {
    std::string s = "      <Obj N=\"EntryType\" RefId=\"" + std::to_string(ref) + "\">\r\n";
    s += define_tn ? "        <TN RefId=\"1\"><T>System.Diagnostics.EventLogEntryType</T><T>System.Enum</T></TN>\r\n"
                   : "        <TNRef RefId=\"1\" />\r\n";
    s += "        <ToString>" + name + "</ToString>\r\n        <I32>" + std::to_string(value) + "</I32>\r\n      </Obj>\r\n";
    return s;
}

// String arrays are declared once by a separate TN (RefId 9) in the first object's Props.
const std::string kStringArrayTn =
    "      <Obj N=\"Unused\" RefId=\"900\">\r\n        <TN RefId=\"9\"><T>System.String[]</T></TN>\r\n        <LST />\r\n      </Obj>\r\n";

}  // namespace

TEST_CASE("event-clixml: maps EventLogEntry properties to the event field names") {
    const std::string xml = kHead +
                            entry(0, true, "Application", "MsiInstaller", "1033", "1033",
                                  kStringArrayTn + entry_type(1, "Information", 4, true),
                                  "Windows Installer installed the product._x000D__x000A_Status: 1603.",
                                  {"Microsoft Exchange Server", "15.2.1544.4", "1033", "1603"},
                                  "2024-05-11T09:40:12.51-04:00") +
                            "</Objs>";
    Parsed p = parse(xml);
    REQUIRE(p.records.size() == 1);
    CHECK(p.diags.empty());
    const Rec& r = p.records[0];
    CHECK(r.field("provider") == "MsiInstaller");
    CHECK(r.field("event_id") == "1033");
    CHECK(r.field("qualifiers") == "<absent>");   // InstanceId has no high bits
    CHECK(r.field("level") == "4");
    CHECK(r.field("task") == "0");
    CHECK(r.field("record_id") == "1000");
    CHECK(r.field("channel") == "Application");
    CHECK(r.field("computer") == "EX01.contoso.com");
    CHECK(r.field("time") == "2024-05-11T13:40:12.510Z");   // the offset is applied: UTC
    CHECK(r.utc);
    CHECK(r.field("Data[1]") == "Microsoft Exchange Server");
    CHECK(r.field("Data[4]") == "1603");
    CHECK(r.field("message") == "Windows Installer installed the product.\r\nStatus: 1603.");
    CHECK(r.text == r.field("message"));
    CHECK(r.line == 2);
    CHECK(r.offset == kHead.size() + 2);   // after the two spaces of indentation
}

TEST_CASE("event-clixml: TNRef and Ref point back to earlier objects") {
    const std::string first = entry(0, true, "System", "Service Control Manager", "7036", "1073748860",
                                    kStringArrayTn + entry_type(1, "Error", 1, true), "first", {"A", "stopped"},
                                    "2024-05-11T10:00:00Z");
    // The second object reuses the type name (TNRef) and the very same EntryType object (Ref).
    const std::string second = entry(3, false, "System", "Service Control Manager", "7031", "3221232503",
                                     "      <Ref N=\"EntryType\" RefId=\"1\" />\r\n", "second", {"B", "1"},
                                     "2024-05-11T10:01:00Z");
    Parsed p = parse(kHead + first + second + "</Objs>", "anything.xml");
    REQUIRE(p.records.size() == 2);
    CHECK(p.diags.empty());
    CHECK(p.records[1].field("level") == "2");
    CHECK(p.records[1].level == Level::error);
    CHECK(p.records[1].field("channel") == "System");   // from the TNRef'd type name
    CHECK(p.records[1].field("qualifiers") == "49152");
    CHECK(p.records[1].field("param1") == "B");          // SCM strings get their manifest names
    CHECK(p.records[1].field("Data[1]") == "<absent>");
}

TEST_CASE("event-clixml: a reference to an object never seen is a warning, not a crash") {
    const std::string obj = entry(0, true, "System", "Service Control Manager", "7036", "1073748860",
                                  kStringArrayTn + "      <Ref N=\"EntryType\" RefId=\"77\" />\r\n", "m", {"A"},
                                  "2024-05-11T10:00:00Z");
    Parsed p = parse(kHead + obj + "</Objs>");
    REQUIRE(p.records.size() == 1);
    CHECK(p.records[0].field("level") == "<absent>");
    REQUIRE(p.diags.size() == 1);
    CHECK(p.diags[0].severity == DiagSeverity::warning);
    CHECK(p.diags[0].message.find("pointed to nothing") != std::string::npos);
}

TEST_CASE("event-clixml: channel comes from the Log property, then the type name, then the file name") {
    const std::string et = kStringArrayTn + entry_type(1, "Warning", 2, true);
    // No log in the type name: the file name decides.
    std::string obj = entry(0, true, "", "MSExchange Common", "4999", "3221230471", et, "m", {"x"}, "2024-05-11T10:00:00Z");
    obj.replace(obj.find("EventLogEntry#/"), 15, "EventLogEntry");
    CHECK(parse(kHead + obj + "</Objs>", "C:/MS_Logs/EX01-123.zip!Windows_Event_Logs/EX01_Application.xml")
              .records.at(0)
              .field("channel") == "Application");
    CHECK(parse(kHead + obj + "</Objs>", "random.xml").records.at(0).field("channel") == "<absent>");
    // A Log property wins over everything.
    std::string with_log = entry(0, true, "System", "MSExchange Common", "4999", "3221230471", et, "m", {"x"},
                                 "2024-05-11T10:00:00Z", "      <S N=\"Log\">Application</S>\r\n");
    CHECK(parse(kHead + with_log + "</Objs>", "EX01_System.xml").records.at(0).field("channel") == "Application");
}

TEST_CASE("event-clixml: EventID falls back to the low 16 bits of InstanceId; escapes are decoded") {
    const std::string obj = entry(0, true, "Application", "MSExchange ADAccess", "", "3221227614",
                                  kStringArrayTn + entry_type(1, "Error", 1, true),
                                  "Process x_x005F_y.exe_x000A_line2 _x_ \xE2\x82\xAC _xD83D__xDE00_",
                                  {"MSExchangeADTopologyService.exe", "2296"}, "2024-05-11T10:00:00.1234567+02:00");
    Parsed p = parse(kHead + obj + "</Objs>");
    REQUIRE(p.records.size() == 1);
    CHECK(p.records[0].field("event_id") == "2142");   // 3221227614 = 0xC000085E
    CHECK(p.records[0].field("qualifiers") == "49152");
    CHECK(p.records[0].field("message") == "Process x_y.exe\nline2 _x_ \xE2\x82\xAC \xF0\x9F\x98\x80");
    CHECK(p.records[0].field("time") == "2024-05-11T08:00:00.123Z");
}

TEST_CASE("event-clixml: Data bytes become the hex Binary field like EVTX") {
    const std::string obj = entry(0, true, "System", "Service Control Manager", "7031", "3221232503",
                                  kStringArrayTn + entry_type(1, "Error", 1, true), "m", {"Microsoft Exchange Transport"},
                                  "2024-05-11T10:00:00Z", "      <BA N=\"Data\">TQBTAEUA</BA>\r\n");
    Parsed p = parse(kHead + obj + "</Objs>");
    REQUIRE(p.records.size() == 1);
    CHECK(p.records[0].field("Binary") == "4D0053004500");
    CHECK(p.records[0].text == "m");
}

TEST_CASE("event-clixml: a malformed object is reported with its line; the following ones are read") {
    const std::string et = kStringArrayTn + entry_type(1, "Error", 1, true);
    const std::string good = entry(0, true, "System", "Service Control Manager", "7000", "3221232472", et, "ok",
                                   {"Microsoft Exchange Transport", "%%1058"}, "2024-05-11T10:00:00Z");
    std::string bad = entry(3, false, "System", "Service Control Manager", "7000", "3221232472",
                            entry_type(4, "Error", 1, false), "bad", {"x"}, "2024-05-11T10:00:01Z");
    bad.replace(bad.find("<S N=\"Source\">"), 14, "<S N=\"Source\"");
    const std::string last = entry(5, false, "System", "Service Control Manager", "7000", "3221232472",
                                   entry_type(6, "Error", 1, false), "last", {"y"}, "2024-05-11T10:00:02Z");
    const std::string xml = kHead + good + bad + last + "</Objs>";
    Parsed p = parse(xml);
    REQUIRE(p.records.size() == 2);
    CHECK(p.records[1].text == "last");
    const Diagnostic* err = nullptr;
    for (const auto& d : p.diags)
        if (d.severity == DiagSeverity::error) err = &d;
    REQUIRE(err);
    const uint64_t bad_line = 1 + static_cast<uint64_t>(std::count(xml.begin(), xml.begin() + static_cast<long>(xml.find("<S N=\"Source\"Service")), '\n'));
    CHECK(err->line == bad_line);
    CHECK(err->message.find("malformed CLIXML object") != std::string::npos);
}

TEST_CASE("event-clixml: Get-WinEvent EventLogRecord objects are read too") {
    const std::string xml = kHead +
                            "  <Obj RefId=\"0\">\r\n    <TN RefId=\"0\"><T>System.Diagnostics.Eventing.Reader.EventLogRecord</T>"
                            "<T>System.Diagnostics.Eventing.Reader.EventRecord</T></TN>\r\n    <Props>\r\n"
                            "      <I32 N=\"Id\">2142</I32>\r\n      <Nil N=\"Version\" />\r\n      <I32 N=\"Qualifiers\">49156</I32>\r\n"
                            "      <By N=\"Level\">2</By>\r\n      <I32 N=\"Task\">1</I32>\r\n"
                            "      <S N=\"ProviderName\">MSExchange ADAccess</S>\r\n      <I64 N=\"Keywords\">36028797018963968</I64>\r\n"
                            "      <I64 N=\"RecordId\">48301</I64>\r\n      <S N=\"LogName\">Application</S>\r\n"
                            "      <S N=\"MachineName\">EX01.contoso.com</S>\r\n"
                            "      <DT N=\"TimeCreated\">2024-05-11T14:31:10Z</DT>\r\n"
                            "      <Obj N=\"Properties\" RefId=\"1\"><TN RefId=\"1\"><T>System.Collections.Generic.List`1</T></TN><LST>"
                            "<Obj RefId=\"2\"><Props><S N=\"Value\">MSExchangeADTopologyService.exe</S></Props></Obj>"
                            "<Obj RefId=\"3\"><Props><S N=\"Value\">2296</S></Props></Obj></LST></Obj>\r\n"
                            "      <S N=\"Message\">Process MSExchangeADTopologyService.exe (PID=2296). Topology discovery failed.</S>\r\n"
                            "    </Props>\r\n  </Obj>\r\n</Objs>";
    Parsed p = parse(xml);
    REQUIRE(p.records.size() == 1);
    const Rec& r = p.records[0];
    CHECK(r.field("provider") == "MSExchange ADAccess");
    CHECK(r.field("event_id") == "2142");
    CHECK(r.field("qualifiers") == "49156");
    CHECK(r.field("level") == "2");
    CHECK(r.field("keywords") == "0x80000000000000");
    CHECK(r.field("record_id") == "48301");
    CHECK(r.field("channel") == "Application");
    CHECK(r.field("Data[1]") == "MSExchangeADTopologyService.exe");
    CHECK(r.field("Data[2]") == "2296");
    CHECK(r.level == Level::error);
}

TEST_CASE("event-clixml: objects that are not events are skipped with a note") {
    const std::string xml = kHead +
                            "  <Obj RefId=\"0\"><TN RefId=\"0\"><T>System.ServiceProcess.ServiceController</T></TN>"
                            "<Props><S N=\"Name\">MSExchangeIS</S></Props></Obj>\r\n</Objs>";
    Parsed p = parse(xml);
    CHECK(p.records.empty());
    REQUIRE(p.diags.size() == 1);
    CHECK(p.diags[0].message == "1 object(s), none of them an event log entry");
}

TEST_CASE("event-clixml: sniffs Get-EventLog exports only") {
    const Parser* p = find_parser("event-clixml");
    auto sniff = [&](const std::string& text, const char* name) { return p->sniff(SniffInput{text, text, name}); };
    const std::string obj = kHead + "  <Obj RefId=\"0\">\r\n    <TN RefId=\"0\">\r\n      <T>System.Diagnostics.EventLogEntry#System/x/1</T>";
    CHECK(sniff(obj, "EX01_System.xml"));
    CHECK(sniff(kHead + "</Objs>", "EX01_Application.xml"));   // an empty export, claimed by its name
    CHECK_FALSE(sniff(kHead + "</Objs>", "EX01_Services_Information.xml"));
    CHECK_FALSE(sniff(kHead + "  <Obj RefId=\"0\"><TN RefId=\"0\"><T>System.ServiceProcess.ServiceController</T>",
                      "EX01_Services_Information.xml"));
    CHECK_FALSE(sniff("<Events><Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>", "x.xml"));
}

TEST_CASE("event-clixml: the EX01_System.xml sample (UTF-16LE, refs, escapes) parses cleanly") {
    FileSource src(std::string(EXTRIAGE_TEST_SOURCE_DIR) + "/samples/event-clixml/EX01_System.xml");
    testutil::EventCollect sink("event-clixml", "event-clixml");
    DiagSink diags;
    find_parser("event-clixml")->parse(src, "EX01_System.xml", sink, diags);
    CHECK(diags.size() == 0);
    REQUIRE(sink.records.size() == 4);
    CHECK(sink.records[0].field("event_id") == "7000");
    CHECK(sink.records[0].field("param2") == "%%1058");
    CHECK(sink.records[1].field("level") == "2");   // EntryType given by <Ref>
    CHECK(sink.records[3].field("param3") == "disabled");
    CHECK(sink.records[3].field("time") == "2024-05-11T14:02:31.512Z");
}
