// make_evtx_samples: writes the EVTX samples under samples/evtx/ with the fixture writer.
//   make_evtx_samples OUT_DIR          the committed samples (small, deterministic)
//   make_evtx_samples --big FILE MB    a large file of many chunks for bench/evtx_bench.sh
// The events mimic what an Exchange server logs around a failed CU/SU install: MsiInstaller
// results, Exchange service crashes and Service Control Manager start-type changes.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "evtx_writer.hpp"

namespace {

using namespace extriage::evtxw;

constexpr const char* kComputer = "EX01.contoso.local";
constexpr const char* kAdminSid = "S-1-5-21-3623811015-3361044348-30300820-500";
constexpr const char* kScmGuid = "{555908d1-a6d7-4695-8e1e-26931d2012f4}";
// 2023-01-09T22:30:00Z
constexpr int64_t kStartMs = 1673303400000;

struct Clock {
    int64_t ms = kStartMs;
    uint64_t next(int64_t step_ms) {
        ms += step_ms;
        return filetime_from_unix_ms(ms);
    }
};

EventSpec classic(const std::string& provider, uint16_t id, uint8_t level, uint16_t qualifiers, uint16_t task,
                  uint64_t ft, std::vector<std::string> data, std::string binary = {}) {
    EventSpec e;
    e.provider = provider;
    e.event_id = id;
    e.qualifiers = qualifiers;
    e.level = level;
    e.task = task;
    e.keywords = 0x80000000000000ULL;
    e.time_filetime = ft;
    e.channel = "Application";
    e.computer = kComputer;
    for (auto& d : data) e.data.emplace_back("", std::move(d));
    e.binary = std::move(binary);
    return e;
}

EventSpec msi(uint16_t id, uint8_t level, uint64_t ft, std::vector<std::string> data) {
    // MsiInstaller attaches the product code as ANSI bytes in <Binary>.
    EventSpec e = classic("MsiInstaller", id, level, 0, 0, ft, std::move(data), "{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}");
    e.user_sid = kAdminSid;
    e.process_id = 4312;
    return e;
}

std::string utf16_bytes(const std::string& ascii) {
    std::string b;
    for (char c : ascii) {
        b.push_back(c);
        b.push_back('\0');
    }
    b += std::string(2, '\0');
    return b;
}

EventSpec scm(uint16_t id, uint8_t level, uint64_t ft, std::vector<std::pair<std::string, std::string>> params,
              std::string binary = {}) {
    EventSpec e;
    e.provider = "Service Control Manager";
    e.provider_guid = kScmGuid;
    e.event_source_name = "Service Control Manager";
    e.event_id = id;
    e.qualifiers = level == 2 ? 49152 : level == 3 ? 32768 : 16384;
    e.level = level;
    e.keywords = 0x8080000000000000ULL;
    e.time_filetime = ft;
    e.process_id = 688;
    e.thread_id = 4720;
    e.channel = "System";
    e.computer = kComputer;
    e.data = std::move(params);
    e.binary = std::move(binary);
    return e;
}

std::vector<EventSpec> application_events() {
    Clock c;
    const std::string msi_path = "C:\\Windows\\Installer\\4d7f9c.msp";
    const std::string product = "Microsoft Exchange Server";
    const std::string version = "15.2.1118.7";
    std::vector<EventSpec> v;
    v.push_back(classic("Microsoft-Windows-Security-SPP", 16384, 4, 16384, 0, c.next(1000),
                        {"2023-01-09T22:30:01Z", "RulesEngine"}));
    v.push_back(msi(1040, 4, c.next(60000), {msi_path, "4312"}));
    v.push_back(msi(1042, 4, c.next(2000), {msi_path, "4312"}));
    v.push_back(classic("MSExchange ADAccess", 2142, 2, 49152, 3, c.next(45000),
                        {"MSExchangeTransport.exe", "2764",
                         "Process MSExchangeTransport.exe (PID=2764). Topology discovery failed, error 0x80040a02 "
                         "(DSC_E_NO_SUITABLE_CDC). Make sure there is at least one Windows Server domain controller "
                         "running in the site."}));
    v.push_back(classic("MSExchange Common", 4999, 2, 16388, 6, c.next(30000),
                        {"10512", "E12IIS", "c-RTL-AMD64", "15.02.1118.007", "w3wp#MSExchangeOWAAppPool",
                         "M.Exchange.Diagnostics", "M.E.D.ExAssert.AssertCallback", "System.IO.FileNotFoundException",
                         "a7a0", "15.02.1118.007", "False", "True", "w3wp#MSExchangeOWAAppPool"}));
    v.push_back(classic(
        "ASP.NET 4.0.30319.0", 1309, 3, 32768, 3, c.next(5000),
        {"3005", "An unhandled exception has occurred.", "1/9/2023 10:32:21 PM", "1/9/2023 10:32:21 PM",
         "7d2b6b3b6d0a4b1f9d2c8f3e5a6b7c8d", "4", "1", "0", "/LM/W3SVC/1/ROOT/owa-1-133177867412345678", "Full", "/owa",
         "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\", "EX01", "", "10512",
         "w3wp.exe", "NT AUTHORITY\\SYSTEM", "FileNotFoundException",
         "Could not load file or assembly 'Microsoft.Exchange.Diagnostics, Version=15.0.0.0, Culture=neutral, "
         "PublicKeyToken=31bf3856ad364e35' or one of its dependencies. The system cannot find the file specified.",
         "https://ex01.contoso.local:443/owa/", "/owa/", "10.0.0.15", "", "False", "", "NT AUTHORITY\\SYSTEM", "5",
         "NT AUTHORITY\\SYSTEM", "False",
         "   at System.Reflection.RuntimeAssembly._nLoad(AssemblyName fileName)\n   at "
         "Microsoft.Exchange.HttpProxy.ProxyApplication.Application_Start(Object sender, EventArgs e)"}));
    v.push_back(classic("Application Error", 1000, 2, 0, 100, c.next(1500),
                        {"w3wp.exe", "10.0.17763.1", "cfdb13d8", "KERNELBASE.dll", "10.0.17763.3653", "6f3b2c4a",
                         "e0434352", "0000000000039319", "2910", "01d9247a4c2b3e10",
                         "c:\\windows\\system32\\inetsrv\\w3wp.exe", "C:\\Windows\\System32\\KERNELBASE.dll",
                         "3b1a2f5e-8c47-4d2a-9f16-0e5b7c9d1a23", "", ""}));
    v.push_back(classic(
        ".NET Runtime", 1026, 2, 0, 0, c.next(800),
        {"Application: MSExchangeTransport.exe\nFramework Version: v4.0.30319\nDescription: The process was "
         "terminated due to an unhandled exception.\nException Info: System.IO.FileNotFoundException\n   at "
         "Microsoft.Exchange.Transport.TransportServiceStartup.Start()\n"}));
    v.push_back(classic("Application Error", 1000, 2, 0, 100, c.next(200),
                        {"MSExchangeTransport.exe", "15.2.1118.7", "63754f3e", "KERNELBASE.dll", "10.0.17763.3653",
                         "6f3b2c4a", "e0434352", "0000000000039319", "1b0c", "01d9247a52e1c7a0",
                         "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\MSExchangeTransport.exe",
                         "C:\\Windows\\System32\\KERNELBASE.dll", "9e4d6c1b-2a5f-4e8b-b7c3-5d1f0a2e6b94", "", ""}));
    v.push_back(msi(11708, 4, c.next(240000),
                    {"Product: Microsoft Exchange Server -- Installation operation failed.", "(NULL)", "(NULL)",
                     "(NULL)", "(NULL)", "(NULL)", ""}));
    v.push_back(msi(1033, 4, c.next(100), {product, version, "1033", "1603", "Microsoft Corporation", "(NULL)", ""}));
    // 1023 as Windows Installer logs it: %1 product, %2 update, %3 error code, %4 log file.
    v.push_back(msi(1023, 2, c.next(100),
                    {product, "Security Update for Exchange Server 2019 Cumulative Update 12 (KB5019758) 15.2.1118.20",
                     "1603", "C:\\ExchangeSetupLogs\\ServiceControl.log"}));
    // 1036: %1 product, %2 version, %3 language, %4 update, %5 status, %6 manufacturer.
    v.push_back(msi(1036, 4, c.next(100),
                    {product, version, "1033",
                     "Security Update for Exchange Server 2019 Cumulative Update 12 (KB5019758) 15.2.1118.20", "1603",
                     "Microsoft Corporation"}));
    v.push_back(msi(1035, 4, c.next(100), {product, version, "1033", "1603", "Microsoft Corporation", "(NULL)", ""}));
    v.push_back(msi(1042, 4, c.next(500), {msi_path, "4312"}));
    v.push_back(classic("MSExchange Common", 4999, 2, 16388, 6, c.next(90000),
                        {"2764", "E12", "c-RTL-AMD64", "15.02.1118.007", "MSExchangeTransport",
                         "M.Exchange.Transport", "M.E.T.Components.Start", "System.IO.FileNotFoundException", "5c1e",
                         "15.02.1118.007", "False", "True", "MSExchangeTransport"}));
    return v;
}

// A Security Update installed successfully, in the MsiInstaller layout (1022: %1 product, %2
// update; 1036 with status 0 in %5).
std::vector<EventSpec> su_installed_events() {
    Clock c;
    const std::string product = "Microsoft Exchange Server";
    const std::string update = "Security Update for Exchange Server 2019 Cumulative Update 14 (KB5036404) 15.2.1544.11";
    std::vector<EventSpec> v;
    v.push_back(msi(1022, 4, c.next(1800000), {product, update}));
    v.push_back(msi(1036, 4, c.next(100), {product, "15.2.1544.4", "1033", update, "0", "Microsoft Corporation"}));
    return v;
}

std::vector<EventSpec> system_events() {
    Clock c;
    std::vector<EventSpec> v;
    const std::string transport_bin = utf16_bytes("MSExchangeTransport");
    v.push_back(scm(7036, 4, c.next(500), {{"param1", "Windows Modules Installer"}, {"param2", "running"}},
                    utf16_bytes("TrustedInstaller")));
    EventSpec e7040 = scm(7040, 4, c.next(30000),
                          {{"param1", "Microsoft Exchange Transport"},
                           {"param2", "auto start"},
                           {"param3", "disabled"},
                           {"param4", "MSExchangeTransport"}});
    e7040.user_sid = kAdminSid;
    v.push_back(e7040);
    EventSpec e7040b = scm(7040, 4, c.next(200),
                           {{"param1", "Microsoft Exchange Active Directory Topology"},
                            {"param2", "auto start"},
                            {"param3", "disabled"},
                            {"param4", "MSExchangeADTopology"}});
    e7040b.user_sid = kAdminSid;
    v.push_back(e7040b);
    v.push_back(scm(7036, 4, c.next(1000), {{"param1", "Microsoft Exchange Transport"}, {"param2", "stopped"}},
                    transport_bin));
    v.push_back(scm(7000, 2, c.next(600000), {{"param1", "Microsoft Exchange Active Directory Topology"},
                                              {"param2", "%%1058"}}));
    v.push_back(scm(7009, 2, c.next(30000),
                    {{"param1", "30000"}, {"param2", "Microsoft Exchange Information Store"}}));
    v.push_back(scm(7000, 2, c.next(100),
                    {{"param1", "Microsoft Exchange Information Store"}, {"param2", "%%1053"}}));
    v.push_back(scm(7023, 2, c.next(5000), {{"param1", "Microsoft Exchange Transport"}, {"param2", "%%1067"}},
                    transport_bin));
    v.push_back(scm(7031, 2, c.next(4000),
                    {{"param1", "Microsoft Exchange Transport"},
                     {"param2", "1"},
                     {"param3", "5000"},
                     {"param4", "1"},
                     {"param5", "Restart the service"}},
                    transport_bin));
    v.push_back(scm(7034, 2, c.next(9000),
                    {{"param1", "Microsoft Exchange Mailbox Transport Delivery"}, {"param2", "1"}},
                    utf16_bytes("MSExchangeDelivery")));
    v.push_back(scm(7043, 2, c.next(60000), {{"param1", "Microsoft Exchange Search Host Controller"}}));
    EventSpec restart;
    restart.provider = "User32";
    restart.provider_guid = "{b0aa8734-56f7-41cc-b2f4-de228e98b946}";
    restart.event_source_name = "User32";
    restart.event_id = 1074;
    restart.qualifiers = 32768;
    restart.level = 4;
    restart.keywords = 0x8080000000000000ULL;
    restart.time_filetime = c.next(120000);
    restart.channel = "System";
    restart.computer = kComputer;
    restart.user_sid = kAdminSid;
    restart.process_id = 2876;
    restart.thread_id = 3104;
    restart.data = {{"param1", "C:\\Windows\\system32\\winlogon.exe (EX01)"},
                    {"param2", "EX01"},
                    {"param3", "Operating System: Upgrade (Planned)"},
                    {"param4", "0x80020003"},
                    {"param5", "restart"},
                    {"param6", ""},
                    {"param7", "CONTOSO\\Administrator"}};
    v.push_back(restart);
    EventSpec cleared;
    cleared.provider = "Microsoft-Windows-Eventlog";
    cleared.provider_guid = "{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}";
    cleared.event_id = 104;
    cleared.level = 4;
    cleared.task = 104;
    cleared.keywords = 0x8000000000000000ULL;
    cleared.time_filetime = c.next(1000);
    cleared.channel = "System";
    cleared.computer = kComputer;
    cleared.user_sid = kAdminSid;
    cleared.process_id = 1412;
    cleared.thread_id = 7532;
    cleared.user_data_root = "LogFileCleared";
    cleared.user_data_ns = "http://manifests.microsoft.com/win/2004/08/windows/eventlog";
    cleared.user_data = {{"SubjectUserName", "Administrator"},
                         {"SubjectDomainName", "CONTOSO"},
                         {"Channel", "Application"},
                         {"BackupPath", "C:\\Temp\\Application-before-CU12.evtx"}};
    v.push_back(cleared);
    return v;
}

// A System log that fills many chunks: mostly short service state changes (7036), now and then
// one of the Exchange failure events; `count` events.
std::vector<EventSpec> many_events(size_t count) {
    static const char* const kServices[][2] = {
        {"Microsoft Exchange Transport", "MSExchangeTransport"},
        {"Microsoft Exchange Active Directory Topology", "MSExchangeADTopology"},
        {"Microsoft Exchange Information Store", "MSExchangeIS"},
        {"Microsoft Exchange Search", "MSExchangeFastSearch"},
        {"Microsoft Exchange Frontend Transport", "MSExchangeFrontEndTransport"},
        {"Windows Modules Installer", "TrustedInstaller"},
        {"World Wide Web Publishing Service", "W3SVC"},
        {"Windows Update", "wuauserv"}};
    const std::vector<EventSpec> failures = system_events();
    std::vector<EventSpec> v;
    v.reserve(count);
    Clock c;
    for (size_t i = 0; i < count; ++i) {
        EventSpec e;
        if (i % 10 == 9) {
            e = failures[(i / 10) % failures.size()];
            e.time_filetime = c.next(1000);
        } else {
            const auto& svc = kServices[i % 8];
            e = scm(7036, 4, c.next(1000), {{"param1", svc[0]}, {"param2", (i / 8) % 2 ? "stopped" : "running"}},
                    utf16_bytes(svc[1]));
        }
        v.push_back(std::move(e));
    }
    return v;
}

size_t chunk_count(const std::string& file) { return (file.size() - kFileHeaderSize) / kChunkSize; }

// The most events of many_events() that fit in `chunks` chunks.
std::string file_of_chunks(size_t chunks) {
    size_t lo = 1, hi = 64;
    while (chunk_count(write_events(many_events(hi))) <= chunks) hi *= 2;
    while (lo + 1 < hi) {
        const size_t mid = (lo + hi) / 2;
        (chunk_count(write_events(many_events(mid))) <= chunks ? lo : hi) = mid;
    }
    return write_events(many_events(lo));
}

bool write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
        std::fprintf(stderr, "make_evtx_samples: cannot write %s\n", path.c_str());
        return false;
    }
    std::printf("%s: %zu bytes\n", path.c_str(), bytes.size());
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 4 && std::string(argv[1]) == "--big") {
        const size_t mb = std::stoul(argv[3]);
        // About 475 bytes per event (MiB-ish sizes).
        const std::string bytes = write_events(many_events(mb * 2100));
        return write_file(argv[2], bytes) ? 0 : 1;
    }
    if (argc != 2) {
        std::fputs("usage: make_evtx_samples OUT_DIR | --big FILE MB\n", stderr);
        return 2;
    }
    const std::string dir = argv[1];
    bool ok = true;
    ok &= write_file(dir + "/application-exchange-update.evtx", write_events(application_events()));
    ok &= write_file(dir + "/system-services.evtx", write_events(system_events()));
    ok &= write_file(dir + "/application-exchange-su-installed.evtx", write_events(su_installed_events()));

    // Four full chunks.
    ok &= write_file(dir + "/multi-chunk.evtx", file_of_chunks(4));

    // Three chunks, the file cut in the middle of the third.
    const std::string three = file_of_chunks(3);
    ok &= write_file(dir + "/truncated.evtx", three.substr(0, kFileHeaderSize + 2 * kChunkSize + 30000));

    // Three chunks, the second one's signature overwritten.
    std::string bad = three;
    bad.replace(kFileHeaderSize + kChunkSize, 8, std::string("BadChnk\0", 8));
    ok &= write_file(dir + "/bad-chunk-magic.evtx", bad);
    return ok ? 0 : 1;
}
