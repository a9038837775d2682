// Outcome findings (see the header). The text is ours; the event IDs named in the advice are
// Windows' own: Application Error 1000 and .NET Runtime 1026 (a process crash), EventLog 6008
// and Kernel-Power 41 (an unexpected restart).
#include "advice/outcome.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "advice/correlate.hpp"
#include "civil_time.hpp"

namespace extriage {

namespace {

const Link kSetupLogReviewer{"SetupLogReviewer (CSS-Exchange)", "https://microsoft.github.io/CSS-Exchange/Setup/SetupLogReviewer/"};
const Link kSetupAssist{"SetupAssist (CSS-Exchange)", "https://microsoft.github.io/CSS-Exchange/Setup/SetupAssist/"};
const Link kInstallWatermark{"SetupAssist: Install Watermark (CSS-Exchange)", "https://aka.ms/SA-InstallWatermark"};
const Link kRepairUpdates{"Repair failed installations of Exchange CUs and SUs",
                          "https://learn.microsoft.com/en-us/exchange/troubleshoot/client-connectivity/exchange-security-update-issues"};

std::string fact_or(const Segment& s, std::string_view name) {
    const std::string* v = s.fact(name);
    return v ? *v : std::string();
}

// "Setup run 2 of 3" / "MSI session 1 of 1": the label starts the finding's message.
std::string run_label(const Segment& s, size_t runs_in_file) {
    std::string out = fmt::format("{} {} of {}", run_kind_label(s.kind), s.index + 1, runs_in_file);
    out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    return out;
}

// What the run was doing, for the message: "(Upgrade)", "(Security Update ... KB5036386)".
std::string run_purpose(const Segment& s) {
    std::string what = s.kind == "msi-session" ? fact_or(s, "update_name") : fact_or(s, "mode");
    if (what.empty() && s.kind == "msi-session") what = fact_or(s, "product_name");
    return what.empty() ? std::string() : fmt::format(" ({})", what);
}

// The command that runs this setup again: the logged arguments, else the mode's switch.
std::string setup_again(const Segment& s) {
    std::string args = fact_or(s, "command_line");
    // The logged command line can end in a stray quote ('/sourcedir:D:"'): drop unbalanced ones.
    if (std::count(args.begin(), args.end(), '"') % 2 == 1) args.erase(args.rfind('"'), 1);
    if (args.empty()) {
        const std::string mode = fact_or(s, "mode");
        if (mode == "Upgrade" || mode == "Install" || mode == "Uninstall" || mode == "RecoverServer")
            args = "/Mode:" + mode + " /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF";
        else if (!mode.empty())
            args = "/" + mode + " /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF";
    }
    return args.empty() ? std::string(".\\Setup.exe with the same options") : ".\\Setup.exe " + args;
}

Evidence end_evidence(const Segment& s, const std::string& label) {
    Evidence e;
    e.path = s.path;
    e.line = s.last_line;
    e.time_ms = s.end_ms;
    e.time_is_utc = s.time_is_utc;
    std::string when = format_time(s.end_ms, s.time_is_utc);
    e.text = fmt::format("{} ends here{}, with no line saying how it ended", label, when.empty() ? "" : " (" + when + ")");
    return e;
}

void add_run_facts(Finding& f, const Segment& s) {
    for (const char* name : {"mode", "command_line", "setup_version", "update_name", "product_version"})
        if (std::string v = fact_or(s, name); !v.empty()) f.facts.emplace_back(name, v);
    f.facts.emplace_back("run", std::to_string(s.index + 1));
    f.facts.emplace_back("last_line", std::to_string(s.last_line));
    if (std::string when = format_time(s.end_ms, s.time_is_utc); !when.empty()) f.facts.emplace_back("last_time", when);
}

// An error finding about run `s`, with the run's facts.
Finding run_finding(std::string_view rule, const Segment& s) {
    Finding f;
    f.rule_id = std::string(rule);
    f.severity = Level::error;
    f.path = s.path;
    f.segment = s.index;
    add_run_facts(f, s);
    return f;
}

Finding unfinished(const Segment& s, size_t runs_in_file) {
    const std::string label = run_label(s, runs_in_file);
    Finding f = run_finding(kRunUnfinishedRule, s);
    f.evidence.push_back(end_evidence(s, label));
    std::string last_error = s.last_error ? fmt::format(" The last error before that, at line {}: {}", s.last_error->line,
                                                        s.last_error->text)
                                          : std::string();
    if (s.kind == "msi-session") {
        f.title = "The latest MSI session has no end: the update was interrupted";
        f.message = fmt::format(
            "{}{} stops at line {} before Windows Installer logged a result: msiexec crashed or was stopped, the server "
            "restarted, or the update was still running when the log was copied.{}",
            label, run_purpose(s), s.last_line, last_error);
        f.remediation = {
            "If the update is no longer running (Get-Process msiexec), restart the server and install the update again from "
            "an elevated command prompt: the SU's .exe package, or msiexec /update <file>.msp /l*v C:\\Temp\\su.log.",
            "Look in the Application and System event logs at the time the log stops for a crash (Application Error 1000, "
            ".NET Runtime 1026) or an unexpected restart (EventLog 6008, Kernel-Power 41); add them to the analysis.",
            "Check that the Exchange services are set to Automatic and running again before users depend on the server "
            "(Get-Service MSExchange*, HostControllerService, FMS)."};
        f.links = {kRepairUpdates};
    } else {
        f.title = "The latest setup run has no end: setup was interrupted";
        f.message = fmt::format(
            "{}{} stops at line {} without \"completed successfully\" or a failure line: setup crashed or was stopped, the "
            "server restarted, or setup was still running when the log was copied.{}",
            label, run_purpose(s), s.last_line, last_error);
        f.remediation = {
            fmt::format("If setup is no longer running (Get-Process ExSetup, Setup -ErrorAction SilentlyContinue shows "
                        "nothing), run it again from an elevated command prompt: {}. It continues from the watermark the "
                        "interrupted run left; if unattended setup then stops at the InstallWatermark check, start "
                        "Setup.exe from the GUI instead, and do not delete the watermark.",
                        setup_again(s)),
            "Look in the Application and System event logs at the time the log stops for a crash of ExSetup.exe or "
            "setup.exe (Application Error 1000, .NET Runtime 1026) or an unexpected restart (EventLog 6008, Kernel-Power "
            "41); add them to the analysis.",
            "Check that the Exchange services are set to Automatic and running again once setup has completed "
            "(Get-Service MSExchange*, HostControllerService, FMS)."};
        f.links = {kInstallWatermark, kSetupAssist};
    }
    return f;
}

Finding failed_unexplained(const Segment& s, size_t runs_in_file) {
    const std::string label = run_label(s, runs_in_file);
    Finding f = run_finding(kRunFailedUnexplainedRule, s);
    if (s.last_error) {
        f.facts.emplace_back("last_error", s.last_error->text);
        Evidence e;
        e.path = s.path;
        e.line = s.last_error->line;
        e.text = s.last_error->text;
        f.evidence.push_back(std::move(e));
    } else {
        f.evidence.push_back(end_evidence(s, label));
    }
    f.title = s.kind == "msi-session" ? "The latest MSI session failed for a reason no rule recognizes"
                                      : "The latest setup run failed for a reason no rule recognizes";
    f.message = fmt::format("{}{} FAILED, and no rule recognizes why.{}", label, run_purpose(s),
                            s.last_error ? fmt::format(" The last error, at line {}: {}", s.last_error->line, s.last_error->text)
                                         : std::string(" The log names no error line."));
    if (s.kind == "msi-session") {
        f.remediation = {
            "Find the first \"Return value 3\" in the MSI log: the lines just above it name the action that failed and "
            "usually the error.",
            "Install the update again from an elevated command prompt after a restart: the SU's .exe package, or msiexec "
            "/update <file>.msp /l*v C:\\Temp\\su.log."};
        f.links = {kRepairUpdates};
    } else {
        f.remediation = {
            fmt::format("Read the log just above line {}: the failing task, its parameters and the domain controller or "
                        "file it used are logged there.",
                        s.last_error ? s.last_error->line : s.last_line),
            "Run SetupAssist.ps1 on the server (elevated) and fix every test that did not pass; it also runs "
            "SetupLogReviewer on C:\\ExchangeSetupLogs\\ExchangeSetup.log.",
            fmt::format("Then run setup again: {}.", setup_again(s))};
        f.links = {kSetupAssist, kSetupLogReviewer};
    }
    return f;
}

}  // namespace

void add_outcome_findings(AnalysisResult& result) {
    // The latest setup run / MSI session of each file (runs come in file order, index ascending).
    std::map<std::string, const Segment*> latest;
    std::map<std::string, size_t> runs_in_file;
    for (const auto& s : result.runs) {
        if (s.kind != "setup-run" && s.kind != "msi-session") continue;
        ++runs_in_file[s.path];
        auto& l = latest[s.path];
        if (!l || s.index > l->index) l = &s;
    }
    std::vector<Finding> added;
    for (const auto& [path, s] : latest) {
        if (s->outcome == "incomplete") {
            added.push_back(unfinished(*s, runs_in_file[path]));
        } else if (s->outcome == "failed") {
            bool explained = false;
            for (const auto& f : result.findings)
                explained = explained || (f.path == path && f.latest && f.severity >= Level::error &&
                                          (f.segment == s->index || f.segment < 0));
            if (!explained) added.push_back(failed_unexplained(*s, runs_in_file[path]));
        }
    }
    for (auto& f : added) result.findings.push_back(std::move(f));
}

}  // namespace extriage
