// The server-state pipeline: the collector's logic over a fake system, the snapshot round trip,
// the HealthChecker export parser, the join facts and the readiness check.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>

#include "app/analyze.hpp"
#include "app/collect_bundle.hpp"
#include "app/collect_state.hpp"
#include "app/preflight.hpp"
#include "byte_source.hpp"
#include "engine/rule_loader.hpp"
#include "engine/state_facts.hpp"
#include "fake_system.hpp"
#include "parser.hpp"

using namespace extriage;

namespace {

struct Collected final : RecordSink {
    std::vector<std::string> texts;
    void on_file_begin(std::string_view, std::string_view) override {}
    void on_record(const Record& r) override { texts.emplace_back(r.text); }
    void on_segment_end(const Segment&) override {}
    void on_file_end(std::string_view) override {}
    bool has(std::string_view s) const {
        return std::any_of(texts.begin(), texts.end(), [&](const std::string& t) { return t == s; });
    }
};

Collected parse_with(const char* parser, const std::string& text) {
    Collected c;
    DiagSink diags;
    MemorySource src(text);
    find_parser(parser)->parse(src, "<t>", c, diags);
    return c;
}

test::FakeSystem broken_server() {
    test::FakeSystem f;
    const std::string setup = R"(HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\Setup)";
    f.set(setup, "MsiInstallPath", R"(D:\Exchange\V15\)");
    f.set(setup, "OwaVersion", "15.1.2507.6");
    f.versions[test::lower(R"(D:\Exchange\V15\Bin\ExSetup.exe)")] = "15.1.2507.6";
    f.set(R"(HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\MailboxRole)", "Watermark", "ConfigureAdamTask");
    f.set(R"(HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\MailboxRole)", "Action", "Install");
    f.set(R"(HKLM\SYSTEM\CurrentControlSet\Control\Session Manager)", "PendingFileRenameOperations", "x");
    f.set(R"(HKLM\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full)", "Release", "461814");
    f.set(R"(HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{A})", "DisplayName", "Microsoft Visual C++ 2012 x64 Minimum Runtime - 11.0.61030");
    f.set(R"(HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{A})", "DisplayVersion", "11.0.61030");
    // The Exchange product, packed as Windows Installer writes it, with its cached .msi deleted.
    const std::string product = R"(HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Installer\UserData\S-1-5-18\Products\442189DC8B9EA5040962A6BED9EC1F1F)";
    f.set(product + R"(\InstallProperties)", "DisplayName", "Microsoft Exchange Server");
    f.set(product + R"(\InstallProperties)", "LocalPackage", R"(C:\Windows\Installer\2d1f3a.msi)");
    f.set(R"(HKLM\SOFTWARE\Policies\Microsoft\Windows\PowerShell)", "ExecutionPolicy", "AllSigned");
    f.service_list = {{"MSExchangeServiceHost", "Microsoft Exchange Service Host", "Disabled", "Stopped"},
                      {"Spooler", "Print Spooler", "Disabled", "Stopped"}};
    f.files[test::lower(R"(D:\Exchange\V15\FrontEnd\HttpProxy\SharedWebConfig.config)")] = "<add value=\"%ExchangeInstallDir%bin\" />";
    f.files[test::lower(R"(C:\ExchangeSetupLogs\ServiceState.xml)")] = "<x/>";
    f.files[test::lower(R"(C:\ExchangeSetupLogs\ExchangeSetup.log)")] = "[12/01/2026 09:00:00.0000] [0] Starting Microsoft Exchange Server 2016 Setup\n";
    f.files[test::lower(R"(D:\Exchange\V15\UnifiedMessaging\Prompts\a.wav)")] = "x";
    f.set(R"(HKLM\SOFTWARE\Microsoft\UCMA\{902F4F35-D5DC-4363-8671-D5EF0D26C21D})", "Version", "5.0.8308.0");
    f.denied_keys.insert(test::lower(R"(HKLM\SOFTWARE\Microsoft\IIS Extensions\URL Rewrite)"));
    return f;
}

}  // namespace

TEST_CASE("unpack_installer_guid reverses Windows Installer's packed GUIDs") {
    CHECK(unpack_installer_guid("442189DC8B9EA5040962A6BED9EC1F1F") == "{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}");
    CHECK(unpack_installer_guid("not-a-guid").empty());
    CHECK(unpack_installer_guid("442189DC8B9EA5040962A6BED9EC1F1G").empty());
}

TEST_CASE("collect_state reads what SetupAssist reads, and notes what it could not") {
    auto f = broken_server();
    SystemState s = collect_state(f);
    CHECK(s.server == "EX03");
    CHECK(s.exchange_build == "15.1.2507.6");
    CHECK(s.roles == "Mailbox");
    REQUIRE(s.watermarks.size() == 1);
    CHECK(s.watermarks[0].action == "Install");
    CHECK(s.pending_reboot == true);
    CHECK(s.dotnet_release == 461814u);
    REQUIRE(s.packages.size() == 1);
    CHECK(s.packages[0].product_code == "{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}");
    CHECK(s.packages[0].present == false);
    REQUIRE(s.services.size() == 1);   // Spooler is not one of SetupAssist's services
    CHECK(s.services[0].start_type == "Disabled");
    CHECK(s.execution_policy == "AllSigned");
    REQUIRE(s.service_cache_files.size() == 1);
    REQUIRE(s.directories.size() == 2);   // 15.1: Grammars missing, Prompts present
    CHECK_FALSE(s.directories[0].flag);
    CHECK(s.directories[1].flag);
    bool rewrite_unreadable = std::any_of(s.unreadable.begin(), s.unreadable.end(),
                                          [](const StateUnreadable& u) { return u.item.find("URL Rewrite") != std::string::npos; });
    CHECK(rewrite_unreadable);
    auto vc = std::find_if(s.prerequisites.begin(), s.prerequisites.end(), [](auto& p) { return p.id == "vcredist-2013"; });
    REQUIRE(vc != s.prerequisites.end());
    CHECK_FALSE(vc->installed);
}

TEST_CASE("collect_state asks Windows Installer for products and patches, and reads the registry when it cannot") {
    auto f = broken_server();   // its registry lists the Exchange product with a missing .msi
    f.installer_status = AccessStatus::ok;
    const std::string exchange = "{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}";
    f.installer = {{exchange, "", "Microsoft Exchange Server", R"(C:\Windows\Installer\1a2b3c.msi)"},
                   {exchange, "{11111111-2222-3333-4444-555555555555}", "Security Update for Exchange Server 2016 CU23 (KB5049233)",
                    R"(C:\Windows\Installer\9f8e7d.msp)"},
                   {"{AAAAAAAA-0000-0000-0000-000000000000}", "", "Notepad++", R"(C:\Windows\Installer\n.msi)"},
                   {"{AAAAAAAA-0000-0000-0000-000000000000}", "{BBBBBBBB-0000-0000-0000-000000000000}", "Notepad++ fix", ""}};
    f.files[test::lower(R"(C:\Windows\Installer\1a2b3c.msi)")] = "msi";
    SystemState s = collect_state(f);
    REQUIRE(s.packages.size() == 2);   // Notepad++ and its patch are not Exchange's
    CHECK(s.packages[0].local_package == R"(C:\Windows\Installer\1a2b3c.msi)");
    CHECK(s.packages[0].present == true);
    CHECK(s.packages[1].patch_code == "{11111111-2222-3333-4444-555555555555}");
    CHECK(s.packages[1].product_code == exchange);
    CHECK(s.packages[1].present == false);

    // The API refused: said so, and the registry's registration is used.
    f.installer_status = AccessStatus::denied;
    f.installer_error = "access denied";
    s = collect_state(f);
    REQUIRE(s.packages.size() == 1);
    CHECK(s.packages[0].local_package == R"(C:\Windows\Installer\2d1f3a.msi)");
    bool noted = std::any_of(s.unreadable.begin(), s.unreadable.end(), [](const StateUnreadable& u) {
        return u.item == "Windows Installer products and patches" && u.reason == "access denied";
    });
    CHECK(noted);
}

TEST_CASE("a snapshot survives the JSON round trip and becomes state records") {
    auto f = broken_server();
    const std::string json = to_snapshot_json(collect_state(f));
    std::vector<std::string> problems;
    auto back = from_snapshot_json(json, problems);
    REQUIRE(back);
    CHECK(problems.empty());
    CHECK(back->packages.size() == 1);
    Collected c = parse_with("system-state", json);
    CHECK(c.has("service: name=MSExchangeServiceHost; start_type=Disabled; status=Stopped; display_name=Microsoft Exchange Service Host"));
    CHECK(c.has("execution-policy-scope: scope=MachinePolicy; policy=AllSigned"));
}

TEST_CASE("bad snapshots never crash and say what is wrong") {
    std::vector<std::string> problems;
    CHECK_FALSE(from_snapshot_json("{not json", problems));
    CHECK_FALSE(from_snapshot_json(R"({"format": "other"})", problems));
    problems.clear();
    auto s = from_snapshot_json(R"({"format": "extriage-system-state", "services": 5, "dotnet": {"release": "x"}, "server": "A\u0001B"})", problems);
    REQUIRE(s);
    CHECK(problems.size() == 2);
    Collected c = parse_with("system-state", R"({"format": "extriage-system-state", "server": "A\u0001B"})");
    CHECK(c.has("snapshot: server=A B; source=snapshot"));
}

// Laid out as Export-Clixml writes HealthChecker's analyzer result (Invoke-HealthCheckerMainReport):
// PSCustomObjects and lists in full, RefIds shared by type names, a Ref to an earlier object.
static const char* kHealthCheckerExport = R"(<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
  <Obj RefId="0">
    <TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN>
    <MS>
      <Obj N="HealthCheckerExchangeServer" RefId="1">
        <TNRef RefId="0" />
        <MS>
          <DT N="GenerationTime">2026-11-30T08:15:00.1234567+01:00</DT>
          <S N="HealthCheckerVersion">25.11.20.1415</S>
          <S N="ServerName">EX04</S>
          <Obj N="ExchangeInformation" RefId="2">
            <TNRef RefId="0" />
            <MS>
              <Obj N="BuildInformation" RefId="3">
                <TNRef RefId="0" />
                <MS>
                  <S N="ServerRole">Mailbox</S>
                  <Obj N="ExchangeSetup" RefId="4"><TNRef RefId="0" /><MS><S N="FileVersion">15.2.1544.4</S></MS></Obj>
                  <Obj N="KBsInstalledInfo" RefId="5">
                    <TN RefId="1"><T>System.Object[]</T><T>System.Array</T><T>System.Object</T></TN>
                    <LST>
                      <Obj RefId="6"><TNRef RefId="0" /><MS><S N="PackageName">Security Update for Exchange Server 2019 Cumulative Update 14 (KB5044062)</S></MS></Obj>
                    </LST>
                  </Obj>
                </MS>
              </Obj>
              <Obj N="RegistryValues" RefId="7"><TNRef RefId="0" /><MS><S N="MsiInstallPath">C:\Program Files\Microsoft\Exchange Server\V15\</S></MS></Obj>
              <Obj N="DependentServices" RefId="8">
                <TNRef RefId="0" />
                <MS>
                  <Obj N="Services" RefId="9">
                    <TNRef RefId="1" />
                    <LST>
                      <Obj RefId="10"><TNRef RefId="0" /><MS><S N="Name">MSExchangeServiceHost</S><S N="Status">Stopped</S><S N="StartType">Disabled</S></MS></Obj>
                    </LST>
                  </Obj>
                  <Ref N="Critical" RefId="9" />
                </MS>
              </Obj>
              <Obj N="IISSettings" RefId="11">
                <TNRef RefId="0" />
                <MS>
                  <Obj N="IISSharedWebConfig" RefId="12">
                    <TNRef RefId="1" />
                    <LST>
                      <Obj RefId="13"><TNRef RefId="0" /><MS><S N="Location">C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\SharedWebConfig.config</S><B N="Exist">true</B><S N="Content">&lt;add value="%ExchangeInstallDir%bin" /&gt;_x000D__x000A_</S><B N="Valid">true</B></MS></Obj>
                    </LST>
                  </Obj>
                </MS>
              </Obj>
            </MS>
          </Obj>
          <Obj N="OSInformation" RefId="14">
            <TNRef RefId="0" />
            <MS>
              <Obj N="BuildInformation" RefId="15"><TNRef RefId="0" /><MS><Version N="BuildVersion">10.0.20348</Version><S N="FriendlyName">Windows Server 2022</S></MS></Obj>
              <Obj N="ServerPendingReboot" RefId="16">
                <TNRef RefId="0" />
                <MS>
                  <B N="PendingFileRenameOperations">true</B>
                  <B N="PendingReboot">true</B>
                  <Obj N="PendingRebootLocations" RefId="17"><TN RefId="2"><T>System.Collections.Generic.List`1[[System.String]]</T><T>System.Object</T></TN><LST><S>HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\PendingFileRenameOperations</S></LST></Obj>
                </MS>
              </Obj>
              <Obj N="NETFramework" RefId="18"><TNRef RefId="0" /><MS><S N="FriendlyName">4.8</S><I32 N="RegistryValue">528449</I32><I32 N="MinimumValue">528040</I32></MS></Obj>
              <Obj N="VcRedistributable" RefId="19">
                <TNRef RefId="1" />
                <LST>
                  <Obj RefId="20"><TNRef RefId="0" /><MS><S N="DisplayName">Microsoft Visual C++ 2012 x64 Additional Runtime - 11.0.61030</S><S N="DisplayVersion">11.0.61030</S><I32 N="VersionIdentifier">184610406</I32></MS></Obj>
                  <Obj RefId="21"><TNRef RefId="0" /><MS><S N="DisplayName">Microsoft Visual C++ 2013 x64 Additional Runtime - 12.0.21005</S><S N="DisplayVersion">12.0.21005</S><I32 N="VersionIdentifier">201347597</I32></MS></Obj>
                </LST>
              </Obj>
            </MS>
          </Obj>
        </MS>
      </Obj>
      <Obj N="HtmlServerValues" RefId="22"><TN RefId="3"><T>System.Collections.Hashtable</T><T>System.Object</T></TN><DCT /></Obj>
    </MS>
  </Obj>
</Objs>)";

TEST_CASE("a HealthChecker export gives the same state records as a snapshot") {
    SniffInput in{kHealthCheckerExport, kHealthCheckerExport, "HealthChecker-EX04-20261130081500.xml"};
    REQUIRE(sniff_parser(in));
    CHECK(sniff_parser(in)->name() == "healthchecker-clixml");
    Collected c = parse_with("healthchecker-clixml", kHealthCheckerExport);
    CHECK(c.has("snapshot: server=EX04; collected_at=2026-11-30T08:15:00.1234567+01:00; collector=HealthChecker 25.11.20.1415; source=healthchecker"));
    CHECK(c.has("exchange: build=15.2.1544.4; roles=Mailbox; install_path=C:\\Program Files\\Microsoft\\Exchange Server\\V15\\"));
    CHECK(c.has("installed-update: name=Security Update for Exchange Server 2019 Cumulative Update 14 (KB5044062)"));
    CHECK(c.has("service: name=MSExchangeServiceHost; start_type=Disabled; status=Stopped"));
    CHECK(c.has("pending-reboot: pending=yes; locations=HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\PendingFileRenameOperations"));
    CHECK(c.has("dotnet: release=528449; version=4.8"));
    CHECK(c.has("prerequisite: id=vcredist-2013; installed=yes; version=12.0.21005; name=Microsoft Visual C++ 2013 x64 Additional Runtime - 12.0.21005"));
    CHECK(c.has("config-file: exchange_install_dir_variable=yes; path=C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\SharedWebConfig.config"));
}

TEST_CASE("HealthChecker parser rejects other CLIXML and broken XML without crashing") {
    DiagSink diags;
    Collected c;
    MemorySource bad("<Objs xmlns=\"http://schemas.microsoft.com/powershell/2004/04\"><Obj RefId=\"0\"><MS><S N=\"X\">1</S></MS></Obj></Objs>");
    find_parser("healthchecker-clixml")->parse(bad, "<t>", c, diags);
    CHECK(c.texts.empty());
    CHECK(diags.error_count() == 1);
    const std::string cut = std::string(kHealthCheckerExport).substr(0, 700);   // MemorySource only views it
    MemorySource broken(cut);
    find_parser("healthchecker-clixml")->parse(broken, "<t>", c, diags);
    CHECK(diags.error_count() == 2);
}

TEST_CASE("state facts for joins") {
    StateFactCollector st;
    DiagSink diags;
    MemorySource src(R"({"format": "extriage-system-state", "server": "EX02", "services": [{"name": "MSExchangeServiceHost", "start_type": "Disabled", "status": "Stopped"}],
        "installer_packages": [{"product_code": "{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}", "present": false}]})");
    find_parser("system-state")->parse(src, "<t>", st, diags);
    FactList facts = st.facts();
    auto fact = [&](const char* name) {
        for (const auto& [k, v] : facts)
            if (k == name) return v;
        return std::string();
    };
    CHECK(fact("service.MSExchangeServiceHost.start_type") == "Disabled");
    CHECK(list_contains(fact("disabled_services"), "msexchangeservicehost"));
    CHECK(list_contains(fact("msi_cache_missing"), "CD981244-E9B8-405A-9026-6AEB9DCEF1F1"));
    CHECK_FALSE(list_contains(fact("msi_cache_missing"), "CD981244"));
    CHECK_FALSE(list_contains("", "x"));
}

TEST_CASE("collect_bundle writes a zip that analyze reads, snapshot included") {
    auto f = broken_server();
    f.event_logs["Application"] = "not really an evtx";
    const auto dir = std::filesystem::temp_directory_path() / "extriage-collect-test";
    std::filesystem::create_directories(dir);
    const std::string zip = (dir / "EX03.zip").string();
    std::vector<std::string> lines;
    CollectSummary sum = collect_bundle(f, zip, [&](const std::string& l) { lines.push_back(l); });
    CHECK(sum.error.empty());
    CHECK(sum.skipped >= 2);   // System and MSExchange Management exports are denied
    // Every read that failed is said, with its reason.
    auto said = [&](const std::string& line) { return std::find(lines.begin(), lines.end(), line) != lines.end(); };
    CHECK(said("  could not read event log System: access denied"));
    CHECK(said(R"(  could not read HKLM\SOFTWARE\Microsoft\IIS Extensions\URL Rewrite\Version: access denied)"));
    DiagSink rule_diags;
    auto rules = std::make_unique<RuleSet>(load_rules({std::string(EXTRIAGE_TEST_SOURCE_DIR) + "/rules"}, rule_diags));
    DiagSink diags;
    AnalyzeOptions opts;
    opts.version_advice = false;
    AnalysisResult r = analyze_paths({zip}, *rules, diags, opts);
    bool snapshot = std::any_of(r.files.begin(), r.files.end(), [](const FileSummary& s) { return s.parser == "system-state"; });
    CHECK(snapshot);
    bool disabled = std::any_of(r.findings.begin(), r.findings.end(), [](const Finding& x) { return x.rule_id == "state-exchange-service-disabled"; });
    CHECK(disabled);
    std::filesystem::remove_all(dir);
}

TEST_CASE("check_readiness: blocking state makes the server not ready") {
    DiagSink rule_diags;
    auto rules = std::make_unique<RuleSet>(load_rules({std::string(EXTRIAGE_TEST_SOURCE_DIR) + "/rules"}, rule_diags));
    DiagSink diags;
    auto f = broken_server();
    Readiness bad = check_readiness(to_snapshot_json(collect_state(f)), "system-state", "CU15", *rules, nullptr, diags);
    CHECK(bad.verdict == Readiness::Verdict::not_ready);
    CHECK(bad.server == "EX03");
    Readiness good = check_readiness(R"({"format": "extriage-system-state", "server": "EX01", "pending_reboot": {"pending": false}})",
                                     "system-state", "CU15", *rules, nullptr, diags);
    CHECK(good.verdict == Readiness::Verdict::ready);
    CHECK(format_readiness(bad).find("not ready") != std::string::npos);
}

TEST_CASE("analyze joins a log with the snapshot in the same folder, and not with one elsewhere") {
    const auto root = std::filesystem::temp_directory_path() / "extriage-join-test";
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root / "case" / "ExchangeSetupLogs");
    std::filesystem::create_directories(root / "other");
    auto write = [](const std::filesystem::path& p, const std::string& s) {
        std::FILE* f = std::fopen(p.string().c_str(), "wb");
        REQUIRE(f);
        std::fwrite(s.data(), 1, s.size(), f);
        std::fclose(f);
    };
    const std::string log =
        "[06/14/2024 21:30:00.0000] [0] Starting Microsoft Exchange Server 2019 Cumulative Update 14 Setup\n"
        "[06/14/2024 21:40:11.0362] [1] [ERROR] Cannot start service MSExchangeServiceHost on computer '.'. ---> "
        "System.ComponentModel.Win32Exception: The service cannot be started, either because it is disabled or because it has no enabled devices associated with it\n";
    const std::string snapshot = R"({"format": "extriage-system-state", "server": "EX02", "services": [{"name": "MSExchangeServiceHost", "start_type": "Disabled"}]})";
    write(root / "case" / "ExchangeSetupLogs" / "ExchangeSetup.log", log);
    write(root / "case" / "system-state.json", snapshot);
    write(root / "other" / "system-state.json", snapshot);
    DiagSink rule_diags;
    auto rules = std::make_unique<RuleSet>(load_rules({std::string(EXTRIAGE_TEST_SOURCE_DIR) + "/rules"}, rule_diags));
    AnalyzeOptions opts;
    opts.version_advice = false;
    auto joined = [&](const std::vector<std::string>& paths) {
        DiagSink diags;
        AnalysisResult r = analyze_paths(paths, *rules, diags, opts);
        return std::any_of(r.findings.begin(), r.findings.end(),
                           [](const Finding& f) { return f.rule_id == "state-join-setup-1058-service-disabled"; });
    };
    CHECK(joined({(root / "case").string()}));
    CHECK_FALSE(joined({(root / "case" / "ExchangeSetupLogs").string(), (root / "other").string()}));
    std::filesystem::remove_all(root);
}
