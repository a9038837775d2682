// Missing inputs and live-server checks (see the header). The commands are those of CSS-Exchange's
// SetupAssist.ps1, whose tests cover exactly these checks ("Msi Cache File", "Exchange Services",
// "Pending Reboot", "Exchange AD Level"), plus the PowerShell that shows the same directly.
#include "advice/coverage.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "advice/correlate.hpp"
#include "civil_time.hpp"

namespace extriage {

namespace {

// A finding that can only be followed up with another log, and which log that is.
struct Need {
    std::string_view rule;        // the finding's rule id
    std::string_view parser;      // a file read by this parser satisfies it
    std::string_view what;
    std::string_view where;
};

constexpr Need kNeeds[] = {
    {"event-msi-exchange-update-failed", "msi-log", "the MSI log of the failed update",
     "V15\\Logging\\Update\\msi\\ExchangeUpdate_<date>.log under the Exchange install path (the event names the file)"},
    {"event-msi-exchange-install-failed", "exchange-setup", "ExchangeSetup.log", "C:\\ExchangeSetupLogs\\ExchangeSetup.log"},
    {"event-exchange-setup-error", "exchange-setup", "ExchangeSetup.log", "C:\\ExchangeSetupLogs\\ExchangeSetup.log"},
};

// "Additional information is available in the log file C:\...\ExchangeUpdate_....log." in an
// MsiInstaller event names the MSI log; "" when the evidence does not.
std::string named_log_file(const Finding& f) {
    constexpr std::string_view kMarker = "available in the log file ";
    for (const auto& e : f.evidence) {
        size_t at = e.text.find(kMarker);
        if (at == std::string::npos) continue;
        std::string_view rest = std::string_view(e.text).substr(at + kMarker.size());
        size_t end = rest.find(".log");
        if (end != std::string_view::npos) return std::string(rest.substr(0, end + 4));
    }
    return {};
}

std::string when_of(const Finding& f) {
    for (const auto& e : f.evidence)
        if (e.time_ms != kNoTime) return format_time(e.time_ms, e.time_is_utc);
    return {};
}

void add_missing(AnalysisResult& result, MissingInput m) {
    bool seen = std::any_of(result.missing_inputs.begin(), result.missing_inputs.end(),
                            [&](const MissingInput& x) { return x.what == m.what; });
    if (!seen) result.missing_inputs.push_back(std::move(m));
}

std::string run_name(const Segment& s) { return fmt::format("{} {} of {}", run_kind_label(s.kind), s.index + 1, s.path); }

}  // namespace

void add_coverage(AnalysisResult& result) {
    std::set<std::string> parsers, channels;
    for (const auto& f : result.files) {
        parsers.insert(f.parser);
        if (!f.channel.empty()) channels.insert(f.channel);
    }
    result.missing_inputs.clear();
    for (const auto& f : result.findings) {
        for (const Need& n : kNeeds) {
            if (f.rule_id != n.rule || parsers.count(std::string(n.parser))) continue;
            std::string where(n.where);
            if (std::string named = named_log_file(f); !named.empty()) where = named;
            std::string when = when_of(f);
            add_missing(result, {std::string(n.what),
                                 fmt::format("{} ({}{})", f.title, f.rule_id, when.empty() ? "" : ", " + when),
                                 where});
        }
    }
    // Setup runs that failed or never ended: the Application log has the crashes, MsiInstaller and
    // MSExchangeSetup events of that time; an unfinished run's restart is in the System log.
    std::map<std::string, const Segment*> latest;
    for (const auto& s : result.runs)
        if (s.kind == "setup-run" || s.kind == "msi-session")
            if (auto& l = latest[s.path]; !l || s.index > l->index) l = &s;
    for (const auto& [path, s] : latest) {
        if (s->outcome != "failed" && s->outcome != "incomplete") continue;
        const std::string outcome = s->outcome == "failed" ? "failed" : "has no end";
        if (!channels.count("Application"))
            add_missing(result, {"the Application event log",
                                 fmt::format("{} {}: the crashes, Windows Installer and MSExchangeSetup events of that time "
                                             "are in the Application log",
                                             run_name(*s), outcome),
                                 "export it on the server: wevtutil epl Application C:\\Temp\\Application.evtx"});
        if (s->outcome == "incomplete" && !channels.count("System"))
            add_missing(result, {"the System event log",
                                 fmt::format("{} has no end: an unexpected restart or a service that stopped is in the "
                                             "System log",
                                             run_name(*s)),
                                 "export it on the server: wevtutil epl System C:\\Temp\\System.evtx"});
    }

    result.live_checks.clear();
    if (result.files.empty()) return;   // nothing was analysed: there is nothing to follow up on
    result.live_checks = {
        {"installer cache contents (the Exchange .msi/.msp files in C:\\Windows\\Installer)",
         ".\\SetupAssist.ps1 (test \"Msi Cache File\"); restore missing files with FixInstallerCache.ps1 "
         "(https://aka.ms/ExInstallerCacheFix)"},
        {"current service start types",
         "Get-Service MSExchange*, HostControllerService, FMS, W3SVC, WinMgmt, RemoteRegistry | Format-Table Name, "
         "Status, StartType"},
        {"a pending reboot now", ".\\SetupAssist.ps1 -Verbose (test \"Pending Reboot\" names the registry location)"},
        {"Active Directory levels (schema, organization and domain preparation, forest functional level)",
         ".\\SetupAssist.ps1 (tests \"Exchange AD Level\" and \"Prepare AD Requirements\"); Get-ADForest | Format-List "
         "ForestMode, SchemaMaster"},
    };
}

}  // namespace extriage
