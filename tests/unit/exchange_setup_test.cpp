// Unit tests for the ExchangeSetup.log parser: entry splitting, fields, levels, runs and their
// facts, outcome, last-error context, sniffing, encodings, and the real corpus when present.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "civil_time.hpp"
#include "decode.hpp"
#include "parser.hpp"

using namespace extriage;

namespace {

struct Rec {
    uint64_t line = 0;
    uint64_t line_count = 0;
    uint64_t offset = 0;
    int64_t time_ms = kNoTime;
    bool time_is_utc = false;
    Level level = Level::info;
    std::string text;
    std::string raw;
    std::map<std::string, std::string> fields;
    int segment = -1;

    std::string field(const std::string& name) const {
        auto it = fields.find(name);
        return it == fields.end() ? std::string() : it->second;
    }
};

// Collects copies of everything, plus the order of events ("R" record, "S<n>" segment end).
class CollectSink final : public RecordSink {
public:
    std::vector<Rec> records;
    std::vector<Segment> segments;
    std::vector<std::string> events;
    int begins = 0, ends = 0;

    void on_file_begin(std::string_view, std::string_view parser) override {
        ++begins;
        CHECK(parser == "exchange-setup");
    }
    void on_record(const Record& r) override {
        Rec c;
        c.line = r.line;
        c.line_count = r.line_count;
        c.offset = r.offset;
        c.time_ms = r.time_ms;
        c.time_is_utc = r.time_is_utc;
        c.level = r.level;
        c.text = r.text;
        c.raw = r.raw;
        for (const Field& f : r.fields) c.fields[std::string(f.name)] = std::string(f.value);
        c.segment = r.segment;
        CHECK(r.parser == "exchange-setup");
        records.push_back(std::move(c));
        events.push_back("R" + std::to_string(r.segment));
    }
    void on_segment_end(const Segment& s) override {
        segments.push_back(s);
        events.push_back("S" + std::to_string(s.index));
    }
    void on_file_end(std::string_view) override { ++ends; }
};

struct Parsed {
    CollectSink sink;
    std::vector<Diagnostic> diags;
};

const Parser& setup_parser() {
    const Parser* p = find_parser("exchange-setup");
    REQUIRE(p != nullptr);
    return *p;
}

std::unique_ptr<Parsed> parse_bytes(std::string_view bytes) {
    auto out = std::make_unique<Parsed>();
    MemorySource src(bytes);
    DiagSink diags;
    setup_parser().parse(src, "test.log", out->sink, diags);
    out->diags = diags.snapshot();
    CHECK(out->sink.begins == 1);
    CHECK(out->sink.ends == 1);
    return out;
}

std::unique_ptr<Parsed> parse_file(const std::string& path) {
    auto out = std::make_unique<Parsed>();
    FileSource src(path);
    DiagSink diags;
    setup_parser().parse(src, path, out->sink, diags);
    out->diags = diags.snapshot();
    return out;
}

std::string fact(const Segment& s, std::string_view name) {
    const std::string* v = s.fact(name);
    return v ? *v : std::string("<unset>");
}

std::string ts(int second) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "[03/06/2021 18:37:%02d.0350] ", second % 60);
    return buf;
}

// A compact run: header, a prerequisite line, the given body lines, and a tail.
std::string run_text(std::string_view product, const std::vector<std::string>& body, std::string_view tail) {
    std::string s;
    s += ts(0) + "[0] **********************************************\n";
    s += ts(0) + "[0] Starting Microsoft " + std::string(product) + " Setup\n";
    s += ts(0) + "[0] **********************************************\n";
    s += ts(0) + "[0] Local time zone: (UTC-05:00) Eastern Time (US & Canada).\n";
    s += ts(0) + "[0] Setup version: 15.2.1258.12.\n";
    s += ts(0) + "[0] Logged on user: CONTOSO\\admin.\n";
    int sec = 1;
    for (const std::string& b : body) s += ts(sec++) + b + "\n";
    s += tail;
    return s;
}

const std::string kEndFailed =
    "[03/06/2021 18:38:00.0000] [0] The Exchange Server setup operation didn't complete.  More details can be found.\n"
    "[03/06/2021 18:38:00.0000] [0] End of Setup\n"
    "[03/06/2021 18:38:00.0000] [0] **********************************************\n";
const std::string kEndSucceeded =
    "[03/06/2021 18:38:00.0000] [0] The Exchange Server setup operation completed successfully.\n"
    "[03/06/2021 18:38:00.0000] [0] End of Setup\n"
    "[03/06/2021 18:38:00.0000] [0] **********************************************\n";

std::string utf16le_with_bom(std::string_view ascii) {
    std::string out("\xFF\xFE", 2);
    for (char c : ascii) {
        out.push_back(c);
        out.push_back('\0');
    }
    return out;
}

}  // namespace

TEST_CASE("exchange-setup: joins continuation lines into one record") {
    const std::string log =
        "[03/06/2021 18:39:47.0692] [1] Executing:\n"
        "          $grammarPath = join-path $RoleInstallPath \"UnifiedMessaging\\grammars\\*\";\n"
        "\n"
        "          $dirs = get-item $grammarPath;\n"
        "[03/06/2021 18:39:47.0724] [1] Next entry\n";
    auto p = parse_bytes(log);
    auto& recs = p->sink.records;
    REQUIRE(recs.size() == 2);
    CHECK(recs[0].line == 1);
    CHECK(recs[0].line_count == 4);
    CHECK(recs[0].offset == 0);
    CHECK(recs[0].raw == "[03/06/2021 18:39:47.0692] [1] Executing:");
    CHECK(recs[0].text ==
          "Executing:\n          $grammarPath = join-path $RoleInstallPath \"UnifiedMessaging\\grammars\\*\";\n\n"
          "          $dirs = get-item $grammarPath;");
    CHECK(recs[1].line == 5);
    CHECK(recs[1].line_count == 1);
    CHECK(recs[1].offset == log.find("[03/06/2021 18:39:47.0724]"));
    CHECK(recs[1].text == "Next entry");
    CHECK(p->diags.empty());
}

TEST_CASE("exchange-setup: reads depth, severity tag and level from each line") {
    struct Case {
        std::string line;
        std::string depth, tag;
        Level level;
        std::string text;
    };
    const std::vector<Case> cases = {
        {"[0] Setup version: 15.2.792.3.", "0", "", Level::info, "Setup version: 15.2.792.3."},
        {"[1] [ERROR] Cannot find path 'C:\\x' because it does not exist.", "1", "ERROR", Level::error,
         "[ERROR] Cannot find path 'C:\\x' because it does not exist."},
        {"[1] [ERROR-REFERENCE] Id=UnifiedMessagingComponent___fcbd0bd8 Component=EXCHANGE14:\\Current", "1",
         "ERROR-REFERENCE", Level::error, "[ERROR-REFERENCE] Id=UnifiedMessagingComponent___fcbd0bd8 Component=EXCHANGE14:\\Current"},
        {"[2] [WARNING] The command completed successfully but no settings have been modified.", "2", "WARNING",
         Level::warning, "[WARNING] The command completed successfully but no settings have been modified."},
        {"[1] [REQUIRED] The Active Directory schema isn't up-to-date.", "1", "REQUIRED", Level::info,
         "[REQUIRED] The Active Directory schema isn't up-to-date."},
        {"[1] [RECOMENDED] Install the update.", "1", "RECOMENDED", Level::info, "[RECOMENDED] Install the update."},
        {"[1] [Thread:8] not a tag", "1", "", Level::info, "[Thread:8] not a tag"},
        {"[12] deep", "12", "", Level::info, "deep"},
        {"[0] ", "0", "", Level::info, ""},
        {"[0]", "0", "", Level::info, ""},
    };
    for (const Case& c : cases) {
        CAPTURE(c.line);
        auto p = parse_bytes("[03/06/2021 18:37:29.0350] " + c.line + "\n");
        REQUIRE(p->sink.records.size() == 1);
        const Rec& r = p->sink.records[0];
        CHECK(r.field("depth") == c.depth);
        CHECK(r.field("tag") == c.tag);
        CHECK(r.level == c.level);
        CHECK(r.text == c.text);
    }
}

TEST_CASE("exchange-setup: extracts prerequisite Evaluated and Failed fields") {
    const std::string log =
        "[01/08/2021 23:18:33.0766] [1] Evaluated [Setting:ComputerNameDnsFullyQualified] [HasException:False] "
        "[Value:\"EX01.contoso.com\"] [ParentValue:\"<NULL>\"] [Thread:41] [Duration:00:00:00]\n"
        "[01/08/2021 23:18:33.0766] [1] Evaluated [Rule:PendingRebootWindowsComponents] [HasException:False] "
        "[Value:\"True\"] [ParentValue:\"<NULL>\"] [Thread:8] [Duration:00:00:00.0010002]\n"
        "[01/08/2021 23:18:33.0766] [1] Evaluated [Setting:SmoRoleOwner] [HasException:False] [Value:\"\"] "
        "[ParentValue:\"<NULL>\"] [Thread:23] [Duration:00:00:00]\n"
        "[01/08/2021 23:18:33.0766] [1] Evaluated [Setting:ConfigDCHostName] [HasException:True] [Value:\n"
        "Expected failure for ConfigDCHostName:The registry key wasn't found.\n"
        "] [ParentValue:\"<NULL>\"] [Thread:20] [Duration:00:00:00.0009942]\n"
        "[01/08/2021 23:18:33.0766] [1] Failed [Rule:GlobalUpdateRequired] [Message:Global updates need to be made "
        "to Active Directory, and this user account isn't a member of the 'Enterprise Admins' group.]\n"
        "[01/08/2021 23:18:33.0766] [1] Finished [Setting:ConfigDCHostName] [Duration:00:00:00.0019934]\n";
    auto p = parse_bytes(log);
    auto& r = p->sink.records;
    REQUIRE(r.size() == 6);
    CHECK(r[0].field("kind") == "Setting");
    CHECK(r[0].field("name") == "ComputerNameDnsFullyQualified");
    CHECK(r[0].field("value") == "EX01.contoso.com");
    CHECK(r[0].field("has_exception") == "False");
    CHECK(r[1].field("kind") == "Rule");
    CHECK(r[1].field("name") == "PendingRebootWindowsComponents");
    CHECK(r[1].field("value") == "True");
    CHECK(r[2].field("value").empty());
    CHECK(r[2].fields.count("value") == 1);
    CHECK(r[3].line_count == 3);
    CHECK(r[3].field("has_exception") == "True");
    CHECK(r[3].field("value") == "Expected failure for ConfigDCHostName:The registry key wasn't found.");
    CHECK(r[4].field("kind") == "Rule");
    CHECK(r[4].field("name") == "GlobalUpdateRequired");
    CHECK(r[4].field("message") ==
          "Global updates need to be made to Active Directory, and this user account isn't a member of the "
          "'Enterprise Admins' group.");
    CHECK(r[4].fields.count("value") == 0);
    CHECK(r[5].fields.count("kind") == 0);
    CHECK(r[5].fields.count("name") == 0);
}

TEST_CASE("exchange-setup: converts timestamps to milliseconds") {
    SUBCASE("without a time zone line the calendar fields are read as if UTC") {
        auto p = parse_bytes(
            "[03/06/2021 18:37:29.0350] [0] a\n"
            "[02/29/2024 23:59:59.9999] [0] b\n"
            "[12/31/1999 00:00:00.0000] [0] c\n"
            "[13/45/2021 18:37:29.0350] [0] impossible date keeps the entry\n");
        auto& r = p->sink.records;
        REQUIRE(r.size() == 4);
        CHECK(r[0].time_ms == 1615055849035);
        CHECK_FALSE(r[0].time_is_utc);
        CHECK(r[1].time_ms == 1709251199999);
        CHECK(r[2].time_ms == 946598400000);
        CHECK(r[3].time_ms == kNoTime);
        CHECK(r[3].text == "impossible date keeps the entry");
    }
    SUBCASE("a run's Local time zone line turns every record of the run into UTC") {
        auto p = parse_bytes(run_text("Exchange Server 2019", {"[1] Working"}, kEndFailed));
        auto& r = p->sink.records;
        REQUIRE(!r.empty());
        for (const Rec& rec : r) {
            CAPTURE(rec.raw);
            CHECK(rec.time_is_utc);
        }
        CHECK(r[0].time_ms == 1615055849035 - 29000 + 5 * 3600 * 1000);  // 18:37:00.035 local, UTC-05:00
        REQUIRE(p->sink.segments.size() == 1);
        CHECK(p->sink.segments[0].time_is_utc);
        CHECK(p->sink.segments[0].start_ms == r[0].time_ms);
        CHECK(p->sink.segments[0].end_ms == r.back().time_ms);
    }
}

TEST_CASE("exchange-setup: reads stamps written with any culture's date and time separators") {
    // Setup writes "MM/dd/yyyy HH:mm:ss.ffff" in the server's culture: '/' and ':' become the
    // culture's separators; the order, the digits and the '.' before the fraction stay.
    const int64_t want = civil_ms(2021, 4, 17, 11, 23, 39, 87);
    struct Case {
        std::string name;
        std::string stamp;
        int64_t time_ms;
    };
    const std::vector<Case> cases = {
        {"en-US", "[04/17/2021 11:23:39.0874]", want},
        {"dash", "[04-17-2021 11:23:39.0874]", want},
        {"dot", "[04.17.2021 11:23:39.0874]", want},
        {"dot date and time separators", "[04.17.2021 11.23.39.0874]", want},
        {"two-character separator (hu-HU)", "[04. 17. 2021 11:23:39.0874]", want},
        {"Thai Buddhist year", "[04/17/2564 11:23:39.0874]", want},
        {"Hijri year: entry kept, time left out", "[09/05/1442 11:23:39.0874]", kNoTime},
        {"31 April: entry kept, time left out", "[04/31/2021 11:23:39.0874]", kNoTime},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        auto p = parse_bytes(c.stamp + " [1] Setup launched task 'Install-MailboxRole'\n" + c.stamp + " [1] [ERROR] boom\n");
        REQUIRE(p->sink.records.size() == 2);
        CHECK(p->sink.records[0].time_ms == c.time_ms);
        CHECK(p->sink.records[0].text == "Setup launched task 'Install-MailboxRole'");
        CHECK(p->sink.records[0].field("depth") == "1");
        CHECK(p->sink.records[1].level == Level::error);
        CHECK(p->diags.empty());
    }
    SUBCASE("separators that differ within one stamp do not make a stamp") {
        auto p = parse_bytes("[04/17/2021 11:23:39.0874] [1] first\n[04-17/2021 11:23:39.0874] [1] second\n");
        REQUIRE(p->sink.records.size() == 1);
        CHECK(p->sink.records[0].text == "first\n[04-17/2021 11:23:39.0874] [1] second");
    }
}

TEST_CASE("exchange-setup: a dotted-stamp log forms the same runs, facts and outcome as an en-US one") {
    std::string us = run_text("Exchange Server 2019", {"[1] [ERROR] boom", "[1] Working"}, kEndFailed);
    std::string de;
    // "[03/06/2021 18:37:29.0350]" -> "[03.06.2021 18.37.29.0350]"
    for (size_t i = 0; i < us.size(); ++i) {
        const bool stamp_start = us[i] == '[' && (i == 0 || us[i - 1] == '\n');
        if (!stamp_start) {
            de += us[i];
            continue;
        }
        std::string stamp = us.substr(i, 27);
        for (size_t k : {3u, 6u}) stamp[k] = '.';
        for (size_t k : {14u, 17u}) stamp[k] = '.';
        de += stamp;
        i += 26;
    }
    REQUIRE(de.find("[03.06.2021 18.37.") != std::string::npos);
    auto a = parse_bytes(us);
    auto b = parse_bytes(de);
    REQUIRE(a->sink.records.size() == b->sink.records.size());
    for (size_t i = 0; i < a->sink.records.size(); ++i) {
        CHECK(a->sink.records[i].text == b->sink.records[i].text);
        CHECK(a->sink.records[i].time_ms == b->sink.records[i].time_ms);
        CHECK(a->sink.records[i].fields == b->sink.records[i].fields);
    }
    REQUIRE(b->sink.segments.size() == 1);
    CHECK(b->sink.segments[0].facts == a->sink.segments[0].facts);
    CHECK(b->sink.segments[0].outcome == "failed");
    CHECK(b->sink.segments[0].start_ms == a->sink.segments[0].start_ms);
    CHECK(b->diags.empty());
}

TEST_CASE("exchange-setup: splits runs at the banner and gives the asterisk frame to the new run") {
    std::string log = run_text("Exchange Server 2016", {"[1] [ERROR] First attempt failed."}, kEndFailed);
    const uint64_t first_run_lines = 10;  // 6 header + 1 body + 3 tail
    log += run_text("Exchange Server 2016", {"[1] Second attempt works."}, kEndSucceeded);
    auto p = parse_bytes(log);
    auto& segs = p->sink.segments;
    REQUIRE(segs.size() == 2);
    CHECK(segs[0].index == 0);
    CHECK(segs[0].kind == "setup-run");
    CHECK(segs[0].parser == "exchange-setup");
    CHECK(segs[0].path == "test.log");
    CHECK(segs[0].first_line == 1);
    CHECK(segs[0].last_line == first_run_lines);
    CHECK(segs[0].outcome == "failed");
    CHECK(segs[1].index == 1);
    CHECK(segs[1].first_line == first_run_lines + 1);
    CHECK(segs[1].last_line == 2 * first_run_lines);
    CHECK(segs[1].outcome == "succeeded");
    CHECK_FALSE(segs[1].last_error.has_value());
    // Every record of run 0 comes before the end of run 0, which comes before run 1's records.
    std::vector<std::string> expected(first_run_lines, "R0");
    expected.push_back("S0");
    expected.insert(expected.end(), first_run_lines, "R1");
    expected.push_back("S1");
    CHECK(p->sink.events == expected);
    CHECK(p->sink.records[first_run_lines].text == "**********************************************");
    CHECK(p->sink.records[first_run_lines].segment == 1);
}

TEST_CASE("exchange-setup: recognises both banner spellings, case-insensitively") {
    struct Case {
        std::string banner;
        std::string product;
    };
    const std::vector<Case> cases = {
        {"Starting Microsoft Exchange Server 2019 Setup", "Exchange Server 2019"},
        {"Starting Microsoft Exchange Server Subscription Edition Setup", "Exchange Server Subscription Edition"},
        {"starting microsoft exchange server 2013 setup", "exchange server 2013"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.banner);
        auto p = parse_bytes("[03/06/2021 18:37:29.0350] [0] before\n[03/06/2021 18:37:29.0350] [0] " + c.banner + "\n");
        REQUIRE(p->sink.segments.size() == 2);
        CHECK(fact(p->sink.segments[1], "product") == c.product);
        CHECK(fact(p->sink.segments[0], "product") == "<unset>");
    }
    auto p = parse_bytes("[03/06/2021 18:37:29.0350] [0] Starting Microsoft Exchange Server Setup\n");
    CHECK(p->sink.segments.size() == 1);
}

TEST_CASE("exchange-setup: collects run facts from the header, last occurrence wins") {
    const std::vector<std::string> body = {
        "[0] Command Line Parameter Name='sourcedir', Value='D:\\CU14'.",
        "[0] Command Line Parameter Name='mode', Value='Upgrade'.",
        "[0] Command Line Parameter Name='iacceptexchangeserverlicenseterms_diagnosticdataoff', Value=''.",
        "[0] RuntimeAssembly was started with the following command: '/mode:upgrade /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /sourcedir:D:\"'.",
        "[0] Operating system version: Microsoft Windows NT 10.0.20348.0.",
        "[0] The following roles are installed: ",
        "[0] The following roles are installed: BridgeheadRole ClientAccessRole MailboxRole AdminToolsRole ",
        "[0] Setup will use the domain controller 'DC01.contoso.com'.",
        "[0] Setup will use the global catalog 'DC02.contoso.com'.",
        "[0] PrepareAD has either not been run or has not replicated to the domain controller used by Setup. "
        "Setup will attempt to use the Schema Master domain controller DC01.contoso.com",
        "[0] Server Name=EX01",
        "[0] The backup copy of the previously installed version is '15.2.1118.7'.",
        "[0] The installation mode is set to: 'BuildToBuildUpgrade'.",
        "[0] An Exchange organization with name 'Contoso Corp' was found in this forest.",
        "[0] Active Directory Initialization status : 'True'.",
        "[0] Schema Update Required Status : 'True'.",
        "[0] Organization Configuration Update Required Status : 'True'.",
        "[0] Domain Configuration Update Required Status : 'False'.",
        "[0] The locally installed version is 15.2.1118.7.",
        "[0] Exchange Installation Directory : 'C:\\Program Files\\Microsoft\\Exchange Server\\V15'.",
        "[1] Evaluated [Setting:ComputerNameDnsFullyQualified] [HasException:False] [Value:\"EX01.contoso.com\"] [ParentValue:\"<NULL>\"] [Thread:6] [Duration:00:00:00]",
        "[1] Evaluated [Setting:SiteName] [HasException:False] [Value:\"HQ-Site\"] [ParentValue:\"<NULL>\"] [Thread:6] [Duration:00:00:00]",
        "[1] Evaluated [Setting:DomainControllerSiteName] [HasException:False] [Value:\"Branch-Site\"] [ParentValue:\"<NULL>\"] [Thread:6] [Duration:00:00:00]",
        "[1] Evaluated [Setting:SMOSchemaSiteName] [HasException:False] [Value:\"\"] [ParentValue:\"<NULL>\"] [Thread:6] [Duration:00:00:00]",
        "[0] Setup will use the domain controller 'DC03.contoso.com'.",
        "[1] Setup version: 99.9.9.9.",  // not a header line: depth 1 is ignored
    };
    auto p = parse_bytes(run_text("Exchange Server 2019", body, kEndSucceeded));
    REQUIRE(p->sink.segments.size() == 1);
    const Segment& s = p->sink.segments[0];
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"product", "Exchange Server 2019"},
        {"time_zone", "(UTC-05:00) Eastern Time (US & Canada)"},
        {"setup_version", "15.2.1258.12"},
        {"user", "CONTOSO\\admin"},
        {"source_dir", "D:\\CU14"},
        {"mode", "Upgrade"},
        {"command_line", "/mode:upgrade /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /sourcedir:D:\""},
        {"os_version", "Microsoft Windows NT 10.0.20348.0"},
        {"roles", "BridgeheadRole ClientAccessRole MailboxRole AdminToolsRole"},
        {"domain_controller", "DC03.contoso.com"},
        {"global_catalog", "DC02.contoso.com"},
        {"schema_master", "DC01.contoso.com"},
        {"server_name", "EX01"},
        {"previous_version", "15.2.1118.7"},
        {"install_mode", "BuildToBuildUpgrade"},
        {"organization", "Contoso Corp"},
        {"ad_initialized", "True"},
        {"schema_update_required", "True"},
        {"org_update_required", "True"},
        {"domain_update_required", "False"},
        {"installed_version", "15.2.1118.7"},
        {"install_path", "C:\\Program Files\\Microsoft\\Exchange Server\\V15"},
        {"server_fqdn", "EX01.contoso.com"},
        {"site", "HQ-Site"},
        {"dc_site", "Branch-Site"},
        {"schema_master_site", "<unset>"},
    };
    for (const auto& [name, value] : expected) {
        CAPTURE(name);
        CHECK(fact(s, name) == value);
    }
}

TEST_CASE("exchange-setup: names the mode of /Prepare* and /RecoverServer runs after the switch") {
    struct Case {
        std::string param;
        std::string mode;
    };
    const std::vector<Case> cases = {
        {"prepareschema", "PrepareSchema"},
        {"preparead", "PrepareAD"},
        {"preparedomain", "PrepareDomain"},
        {"preparealldomains", "PrepareAllDomains"},
        {"recoverserver", "RecoverServer"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.param);
        auto p = parse_bytes(run_text("Exchange Server 2019",
                                      {"[0] Command Line Parameter Name='" + c.param + "', Value=''.",
                                       "[0] Command Line Parameter Name='iacceptexchangeserverlicenseterms', Value=''."},
                                      kEndSucceeded));
        REQUIRE(p->sink.segments.size() == 1);
        CHECK(fact(p->sink.segments[0], "mode") == c.mode);
    }
}

TEST_CASE("exchange-setup: decides each run's outcome from its result lines and errors") {
    struct Case {
        std::string name;
        std::vector<std::string> body;
        std::string tail;
        std::string outcome;
    };
    const std::string end_only = "[03/06/2021 18:38:00.0000] [0] End of Setup\n";
    const std::vector<Case> cases = {
        {"success sentence", {"[1] Working"}, kEndSucceeded, "succeeded"},
        {"success wins over an earlier retried error", {"[1] [ERROR] transient"}, kEndSucceeded, "succeeded"},
        {"didn't complete", {"[1] Working"}, kEndFailed, "failed"},
        {"critical errors line alone", {"[1] Setup is stopping now because of one or more critical errors."}, "",
         "failed"},
        {"an [ERROR] line without result", {"[1] [ERROR] boom"}, "", "failed"},
        {"ERROR-REFERENCE alone is not an [ERROR]", {"[1] [ERROR-REFERENCE] Id=x Component=y"}, end_only, "unknown"},
        {"other 'completed successfully' lines do not count",
         {"[2] [WARNING] The command completed successfully but no settings of 'EX01' have been modified.",
          "[1] The operation completed successfully."},
         end_only, "unknown"},
        {"cut off before End of Setup", {"[1] Working"}, "", "incomplete"},
        {"End of Setup without a result line", {"[1] Working"}, end_only, "unknown"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        auto p = parse_bytes(run_text("Exchange Server 2019", c.body, c.tail));
        REQUIRE(p->sink.segments.size() == 1);
        CHECK(p->sink.segments[0].outcome == c.outcome);
    }
}

TEST_CASE("exchange-setup: keeps the last [ERROR] of a run with up to 10 lines before it") {
    std::vector<std::string> body;
    body.push_back("[1] [ERROR] an earlier error");
    for (int i = 0; i < 12; ++i) body.push_back("[1] step " + std::to_string(i));
    body.push_back("[1] Executing:\n    $x = 1;\n    throw 'boom';");
    body.push_back("[1] [ERROR] The following error was generated when \"$error.Clear();\n  \" was run: \"boom\".");
    body.push_back("[1] [ERROR-REFERENCE] Id=SomeComponent___0123 Component=EXCHANGE14:\\Current");
    body.push_back("[1] Setup is stopping now because of one or more critical errors.");
    auto p = parse_bytes(run_text("Exchange Server 2019", body, kEndFailed));
    REQUIRE(p->sink.segments.size() == 1);
    const Segment& s = p->sink.segments[0];
    REQUIRE(s.last_error.has_value());
    // 6 header lines, the earlier error at 7, steps at 8..19, Executing at 20..22, the error at 23.
    CHECK(s.last_error->line == 23);
    CHECK(s.last_error->text ==
          "[ERROR] The following error was generated when \"$error.Clear();\n  \" was run: \"boom\".");
    REQUIRE(s.error_context.size() == 10);
    CHECK(s.error_context.front().line == 13);
    CHECK(s.error_context.front().text == "[03/06/2021 18:37:07.0350] [1] step 5");
    CHECK(s.error_context[8].line == 21);
    CHECK(s.error_context[8].text == "    $x = 1;");
    CHECK(s.error_context.back().line == 22);
    CHECK(s.error_context.back().text == "    throw 'boom';");
    CHECK(s.outcome == "failed");
}

TEST_CASE("exchange-setup: error context does not reach into the previous run") {
    std::string log = run_text("Exchange Server 2019", {"[1] older run"}, kEndFailed);
    log += "[03/06/2021 18:40:00.0000] [0] **********************************************\n"
           "[03/06/2021 18:40:00.0000] [0] Starting Microsoft Exchange Server 2019 Setup\n"
           "[03/06/2021 18:40:00.0000] [0] [ERROR] The mode 'prepareschema' is not a valid mode.\n";
    auto p = parse_bytes(log);
    REQUIRE(p->sink.segments.size() == 2);
    const Segment& s = p->sink.segments[1];
    REQUIRE(s.last_error.has_value());
    CHECK(s.last_error->line == 13);
    REQUIRE(s.error_context.size() == 2);  // the asterisk frame and the banner of its own run
    CHECK(s.error_context[0].line == 11);
    CHECK(s.error_context[1].line == 12);
    CHECK(s.outcome == "failed");
    CHECK_FALSE(p->sink.segments[0].last_error.has_value());
}

TEST_CASE("exchange-setup: a log without banner still forms one implicit run") {
    auto p = parse_bytes(
        "   at Microsoft.Exchange.Foo.Bar()\n"
        "\n"
        "--- End of inner exception stack trace ---\n"
        "[03/06/2021 18:39:47.0724] [1] [ERROR] Cannot find path 'C:\\x' because it does not exist.\n"
        "[03/06/2021 18:39:47.0724] [1] Setup is stopping now because of one or more critical errors.\n");
    auto& r = p->sink.records;
    REQUIRE(r.size() == 4);
    CHECK(r[0].text == "   at Microsoft.Exchange.Foo.Bar()");
    CHECK(r[0].raw == r[0].text);
    CHECK(r[0].level == Level::info);
    CHECK(r[0].fields.empty());
    CHECK(r[1].line == 3);
    CHECK(r[2].line == 4);
    for (const Rec& rec : r) CHECK(rec.segment == 0);
    REQUIRE(p->sink.segments.size() == 1);
    const Segment& s = p->sink.segments[0];
    CHECK(s.index == 0);
    CHECK(s.first_line == 1);
    CHECK(s.last_line == 5);
    CHECK(s.outcome == "failed");
    REQUIRE(s.last_error.has_value());
    CHECK(s.last_error->line == 4);
    CHECK(s.error_context.size() == 3);
    CHECK(p->diags.empty());
}

TEST_CASE("exchange-setup: reports a file without any setup log line") {
    auto p = parse_bytes("hello\nworld\n");
    CHECK(p->sink.records.size() == 2);
    REQUIRE(p->diags.size() == 1);
    CHECK(p->diags[0].severity == DiagSeverity::error);
    CHECK(p->diags[0].message == "no ExchangeSetup.log lines found");
    CHECK(p->diags[0].origin == "exchange-setup");

    auto empty = parse_bytes("");
    CHECK(empty->sink.records.empty());
    CHECK(empty->sink.segments.empty());
    REQUIRE(empty->diags.size() == 1);
    CHECK(empty->diags[0].message == "no ExchangeSetup.log lines found");
}

TEST_CASE("exchange-setup: warns once per file about invalid encoding") {
    // Valid UTF-8 letters outnumber the stray bytes: a UTF-8 file with damage, not ANSI.
    auto p = parse_bytes(
        "[03/06/2021 18:37:29.0350] [0] M\xC3\xBCller, J\xC3\xBCrgen, G\xC3\xB6ran\n"
        "[03/06/2021 18:37:29.0350] [0] caf\xE9 one\n"
        "[03/06/2021 18:37:29.0350] [0] caf\xE9 two\n");
    REQUIRE(p->sink.records.size() == 3);
    CHECK(p->sink.records[0].text == "M\xC3\xBCller, J\xC3\xBCrgen, G\xC3\xB6ran");
    CHECK(p->sink.records[1].text == "caf\xEF\xBF\xBD one");
    REQUIRE(p->diags.size() == 1);
    CHECK(p->diags[0].severity == DiagSeverity::warning);
    CHECK(p->diags[0].line == 2);
    CHECK(p->diags[0].message.find("2 invalid utf-8 sequences") != std::string::npos);
}

TEST_CASE("exchange-setup: reads an ANSI (Windows-1252) log and says so in a note") {
    auto p = parse_bytes(
        "[03/06/2021 18:37:29.0350] [0] Starting Microsoft Exchange Server 2019 Setup\n"
        "[03/06/2021 18:37:29.0350] [0] Logged on user: CONTOSO\\j\xFCrgen.m\xFCller.\n"
        "[03/06/2021 18:37:29.0350] [1] Setup will use the path 'D:\\Programme\\Gr\xFC\xDF" "e \x80'.\n");
    REQUIRE(p->sink.records.size() == 3);
    CHECK(p->sink.records[1].text == "Logged on user: CONTOSO\\j\xC3\xBCrgen.m\xC3\xBCller.");
    CHECK(p->sink.records[2].text == "Setup will use the path 'D:\\Programme\\Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC'.");
    REQUIRE(p->sink.segments.size() == 1);
    CHECK(fact(p->sink.segments[0], "user") == "CONTOSO\\j\xC3\xBCrgen.m\xC3\xBCller");
    REQUIRE(p->diags.size() == 1);
    CHECK(p->diags[0].severity == DiagSeverity::note);
    CHECK(p->diags[0].line == 1);
    CHECK(p->diags[0].message == "not UTF-8: read as Windows-1252 (ANSI)");
}

TEST_CASE("exchange-setup: warns about a line longer than the line limit") {
    std::string log = "[03/06/2021 18:37:29.0350] [2] LDAP ";
    log.append(LineReader::kDefaultMaxLine + 10, 'x');
    log += "\n[03/06/2021 18:37:29.0350] [0] after\n";
    auto p = parse_bytes(log);
    REQUIRE(p->sink.records.size() == 2);
    CHECK(p->sink.records[0].raw.size() == LineReader::kDefaultMaxLine);
    CHECK(p->sink.records[1].text == "after");
    CHECK(p->sink.records[1].line == 2);
    REQUIRE(p->diags.size() == 1);
    CHECK(p->diags[0].severity == DiagSeverity::warning);
    CHECK(p->diags[0].line == 1);
}

TEST_CASE("exchange-setup: parses UTF-16LE with BOM and CRLF like UTF-8") {
    std::string utf8 = run_text("Exchange Server 2019", {"[1] [ERROR] boom", "[1] Working"}, kEndFailed);
    std::string crlf;
    for (char c : utf8) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    auto a = parse_bytes(utf8);
    auto b = parse_bytes(utf16le_with_bom(crlf));
    REQUIRE(a->sink.records.size() == b->sink.records.size());
    for (size_t i = 0; i < a->sink.records.size(); ++i) {
        CHECK(a->sink.records[i].text == b->sink.records[i].text);
        CHECK(a->sink.records[i].line == b->sink.records[i].line);
        CHECK(a->sink.records[i].fields == b->sink.records[i].fields);
    }
    CHECK(b->sink.records[1].offset == 2 + 2 * (a->sink.records[1].offset + 1));
    REQUIRE(b->sink.segments.size() == 1);
    CHECK(b->sink.segments[0].facts == a->sink.segments[0].facts);
    CHECK(b->sink.segments[0].outcome == "failed");
    CHECK(b->diags.empty());
}

TEST_CASE("exchange-setup: sniffs the line shape or the banner cheaply") {
    struct Case {
        std::string name;
        std::string head;
        bool expected;
    };
    const std::vector<Case> cases = {
        {"timestamped first line", "[03/06/2021 18:37:29.0350] [0] ****\n", true},
        {"after blank lines", "\n\r\n  \n[12/19/2020 04:47:15.0307] [0] x\n", true},
        {"after a UTF-8 BOM", "\xEF\xBB\xBF[12/19/2020 04:47:15.0307] [0] x", true},
        {"head cut inside the first line", "[12/19/2020 04:47:15.0307] [1", true},
        {"dash stamp", "[04-17-2021 11:23:39.0874] [0] ****\n", true},
        {"dotted date and time", "[04.17.2021 11.23.39.0874] [0] ****\n", true},
        {"time of day only (ServiceControl.log)", "[20:03:21] Stopping service 'MSExchangeIS'.\n", false},
        {"banner somewhere in the head", "junk\nmore junk\nStarting Microsoft Exchange Server 2016 Setup\n", true},
        {"MSI log", "=== Verbose logging started: 3/6/2021  18:39:47  Build type: SHIP UNICODE 5.00.10011.00 ===\n",
         false},
        {"ISO timestamps", "2021-03-06T18:37:29.035Z [0] hello\n", false},
        {"empty", "", false},
        {"timestamp on the sixth non-blank line only", "a\nb\nc\nd\ne\n[03/06/2021 18:37:29.0350] [0] x\n", false},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        SniffInput in{c.head, c.head, "x.log"};
        CHECK(setup_parser().sniff(in) == c.expected);
    }
}

// ---------------------------------------------------------------------------------------------
// Real logs from microsoft/CSS-Exchange (read in place, never copied into the project).

namespace {

std::filesystem::path corpus_dir() {
    return std::filesystem::path(EXTRIAGE_TEST_SOURCE_DIR) / ".." / "shared" / "corpus" / "setup-logs";
}

}  // namespace

TEST_CASE("exchange-setup: parses every corpus log into runs without errors") {
    const auto dir = corpus_dir();
    if (!std::filesystem::exists(dir)) {
        MESSAGE("corpus not found at " << dir.string() << "; skipped");
        return;
    }
    int files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (entry.path().extension() != ".log") continue;
        CAPTURE(entry.path().string());
        ++files;
        auto p = parse_file(entry.path().string());
        CHECK(p->diags.empty());
        REQUIRE_FALSE(p->sink.segments.empty());
        // Every physical line is accounted for exactly once, in order.
        uint64_t expect_line = 1;
        for (const Rec& r : p->sink.records) {
            CHECK(r.line == expect_line);
            expect_line = r.line + r.line_count;
        }
        CHECK(p->sink.segments.back().last_line == expect_line - 1);
        for (const Segment& s : p->sink.segments) {
            CHECK(s.first_line > 0);
            CHECK(s.last_line >= s.first_line);
            CHECK(s.start_ms != kNoTime);
            CHECK(fact(s, "setup_version") != "<unset>");
            CHECK(fact(s, "user") != "<unset>");
        }
        // The corpus runs are all failed attempts.
        CHECK(p->sink.segments.back().outcome == "failed");
    }
    CHECK(files >= 20);
}

TEST_CASE("exchange-setup: finds both runs of SchemaAdmin_PrepareSchema.log") {
    const auto path = corpus_dir() / "PrerequisiteCheck" / "ExchangeSetup_SchemaAdmin_PrepareSchema.log";
    if (!std::filesystem::exists(path)) {
        MESSAGE("corpus file missing; skipped");
        return;
    }
    auto p = parse_file(path.string());
    auto& segs = p->sink.segments;
    REQUIRE(segs.size() == 2);
    // Banners at lines 2 and 20; each run starts at the asterisk line before its banner.
    CHECK(segs[0].first_line == 1);
    CHECK(segs[0].last_line == 18);
    CHECK(segs[1].first_line == 19);
    CHECK(fact(segs[0], "product") == "Exchange Server 2019");
    CHECK(fact(segs[0], "mode") == "<unset>");
    CHECK(fact(segs[0], "command_line") == "/mode:prepareschema /IAcceptExchangeServerLicenseTerms /sourcedir:D:\"");
    CHECK(segs[0].outcome == "failed");
    REQUIRE(segs[0].last_error.has_value());
    CHECK(segs[0].last_error->line == 9);
    CHECK(segs[0].last_error->text == "[ERROR] The mode 'prepareschema' is not a valid mode.");
    CHECK(fact(segs[1], "mode") == "PrepareSchema");
    CHECK(fact(segs[1], "time_zone") == "(UTC-08:00) Pacific Time (US & Canada)");
    CHECK(fact(segs[1], "source_dir") == "D:\\");
    CHECK(fact(segs[1], "schema_master") == "Solo-DC1.Solo.com");
    CHECK(segs[1].time_is_utc);
    // 12/19/2020 04:47:34.0538 local, UTC-08:00.
    CHECK(segs[1].start_ms == 1608353254053 + 8 * 3600 * 1000);
    CHECK(segs[1].outcome == "failed");
}

TEST_CASE("exchange-setup: reads the header facts of MissingDirectory.log") {
    const auto path = corpus_dir() / "KnownIssues" / "ExchangeSetup_MissingDirectory.log";
    if (!std::filesystem::exists(path)) {
        MESSAGE("corpus file missing; skipped");
        return;
    }
    auto p = parse_file(path.string());
    REQUIRE(p->sink.segments.size() == 1);
    const Segment& s = p->sink.segments[0];
    CHECK(fact(s, "product") == "Exchange Server 2013");
    CHECK(fact(s, "setup_version") == "15.0.1497.2");
    CHECK(fact(s, "user") == "SOLO\\Han");
    CHECK(fact(s, "previous_version") == "15.0.1293.2");
    CHECK(fact(s, "installed_version") == "15.0.1497.2");
    CHECK(fact(s, "domain_controller") == "DC2.Solo.local");
    CHECK(fact(s, "global_catalog") == "DC2.Solo.local");
    CHECK(fact(s, "mode") == "Install");
    CHECK(fact(s, "source_dir") == "C:\\EXCH2013-CU23");
    CHECK(fact(s, "install_mode") == "BuildToBuildUpgrade");
    CHECK(fact(s, "organization") == "SoloORG");
    CHECK(fact(s, "server_fqdn") == "ExSvr1.Solo.local");
    CHECK(fact(s, "roles") ==
          "BridgeheadRole ClientAccessRole MailboxRole UnifiedMessagingRole FrontendTransportRole AdminToolsRole CafeRole");
    CHECK(s.outcome == "failed");
    REQUIRE(s.last_error.has_value());
    CHECK(s.last_error->line == 137);
    CHECK(s.last_error->text.starts_with("[ERROR] Cannot find path 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\UnifiedMessaging\\grammars'"));
    CHECK(s.error_context.size() == 10);
    CHECK(s.error_context.back().line == 136);
}

TEST_CASE("exchange-setup: parses the project's own samples") {
    const auto dir = std::filesystem::path(EXTRIAGE_TEST_SOURCE_DIR) / "samples" / "exchange-setup";
    struct Case {
        std::string file;
        size_t runs;
        std::string last_outcome;
    };
    const std::vector<Case> cases = {
        {"good-upgrade.log", 1, "succeeded"},
        {"utf16-bom.log", 1, "failed"},
        {"two-runs.log", 2, "succeeded"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.file);
        const auto path = dir / c.file;
        REQUIRE(std::filesystem::exists(path));
        auto p = parse_file(path.string());
        CHECK(p->diags.empty());
        REQUIRE(p->sink.segments.size() == c.runs);
        CHECK(p->sink.segments.back().outcome == c.last_outcome);
        CHECK(p->sink.segments.back().time_is_utc);
        CHECK(fact(p->sink.segments.back(), "setup_version") != "<unset>");
    }
}

namespace {

// Hands out the input 1..7 bytes at a time.
class TrickleSource final : public ByteSource {
public:
    explicit TrickleSource(std::string data) : data_(std::move(data)) {}
    size_t read(char* buffer, size_t n) override {
        size_t want = std::min({n, data_.size() - pos_, size_t{1} + (calls_++ % 7)});
        data_.copy(buffer, want, pos_);
        pos_ += want;
        return want;
    }
    std::optional<uint64_t> size() const override { return data_.size(); }

private:
    std::string data_;
    size_t pos_ = 0;
    size_t calls_ = 0;
};

}  // namespace

TEST_CASE("exchange-setup: gives the same records and runs whatever the read sizes") {
    const auto dir = std::filesystem::path(EXTRIAGE_TEST_SOURCE_DIR) / "samples" / "exchange-setup";
    for (const char* file : {"good-upgrade.log", "utf16-bom.log", "two-runs.log"}) {
        CAPTURE(std::string(file));
        const auto path = dir / file;
        REQUIRE(std::filesystem::exists(path));
        FileSource whole_src(path.string());
        std::string bytes = whole_src.read_all(1 << 24);
        auto whole = parse_bytes(bytes);
        auto trickled = std::make_unique<Parsed>();
        TrickleSource src(bytes);
        DiagSink diags;
        setup_parser().parse(src, "test.log", trickled->sink, diags);
        REQUIRE(whole->sink.records.size() == trickled->sink.records.size());
        for (size_t i = 0; i < whole->sink.records.size(); ++i) {
            const Rec& a = whole->sink.records[i];
            const Rec& b = trickled->sink.records[i];
            CHECK(a.text == b.text);
            CHECK(a.line == b.line);
            CHECK(a.offset == b.offset);
            CHECK(a.line_count == b.line_count);
            CHECK(a.time_ms == b.time_ms);
        }
        REQUIRE(whole->sink.segments.size() == trickled->sink.segments.size());
        for (size_t i = 0; i < whole->sink.segments.size(); ++i) {
            CHECK(whole->sink.segments[i].facts == trickled->sink.segments[i].facts);
            CHECK(whole->sink.segments[i].outcome == trickled->sink.segments[i].outcome);
        }
        CHECK(whole->sink.events == trickled->sink.events);
    }
}
