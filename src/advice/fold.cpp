// Folding of repeated findings (see the header).
//
// Which readiness checks follow from CannotAccessAD comes from real logs: in the SetupLogReviewer
// test logs ExchangeSetup_Fail_In_Child.log (/PrepareAD) and ExchangeSetup_AD_Prep_Reboot.log
// (/Mode:Upgrade) setup "will use the domain controller ''", CannotAccessAD fails, and with it
// ForestLevelNotWin2003Native (the forest level is read from AD) and, on the upgrade,
// UnifiedMessagingRoleNotInstalled / BridgeheadRoleNotInstalled ("The Mailbox server role isn't
// installed on this computer" on a server whose roles the same log lists as installed).
#include "advice/fold.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "text_util.hpp"

namespace extriage {

namespace {

constexpr std::string_view kCannotAccessAD = "CannotAccessAD";
constexpr size_t kMaxFoldedEvidence = 10;


std::string fact_of(const Finding& f, std::string_view name) {
    const std::string* v = f.fact(name);
    return v ? *v : std::string();
}

// Adds the evidence `into` does not hold yet, after its own.
void add_new_evidence(std::vector<Evidence>& into, const std::vector<Evidence>& from) {
    for (const auto& e : from) {
        bool seen = std::any_of(into.begin(), into.end(), [&](const Evidence& x) {
            return x.path == e.path && x.line == e.line && x.offset == e.offset && x.text == e.text;
        });
        if (!seen) into.push_back(e);
    }
}

// In file and line order (one file's repeated lines).
void merge_evidence(std::vector<Evidence>& into, const std::vector<Evidence>& from) {
    add_new_evidence(into, from);
    std::stable_sort(into.begin(), into.end(), [](const Evidence& a, const Evidence& b) {
        return std::tie(a.path, a.line, a.offset) < std::tie(b.path, b.line, b.offset);
    });
    if (into.size() > kMaxFoldedEvidence) into.resize(kMaxFoldedEvidence);
}

// The kept finding's evidence first, then the other log's (not sorted by file name).
void append_evidence(std::vector<Evidence>& into, const std::vector<Evidence>& from) {
    add_new_evidence(into, from);
    if (into.size() > kMaxFoldedEvidence) into.resize(kMaxFoldedEvidence);
}

// The same rule with the same facts, message and related run, in the same file and run.
void fold_same(std::vector<Finding>& findings) {
    using Key = std::tuple<std::string, int, bool, std::string, FactList, std::string, std::string, int>;
    std::map<Key, size_t> first;
    std::vector<Finding> out;
    out.reserve(findings.size());
    for (auto& f : findings) {
        Key key{f.path, f.segment, f.latest, f.rule_id, f.facts, f.message,
                f.related_run ? f.related_run->file : std::string(), f.related_run ? f.related_run->index : -1};
        auto [it, fresh] = first.emplace(std::move(key), out.size());
        if (fresh) {
            out.push_back(std::move(f));
            continue;
        }
        Finding& kept = out[it->second];
        kept.count += f.count;
        merge_evidence(kept.evidence, f.evidence);
    }
    findings = std::move(out);
}

// Remediation steps every folded finding has, in the first one's order.
std::vector<std::string> common_steps(const std::vector<const Finding*>& group) {
    std::vector<std::string> out;
    for (const auto& step : group.front()->remediation) {
        bool everywhere = std::all_of(group.begin(), group.end(), [&](const Finding* f) {
            return std::find(f->remediation.begin(), f->remediation.end(), step) != f->remediation.end();
        });
        if (everywhere) out.push_back(step);
    }
    return out;
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

// One finding for the failed readiness checks of one run; `group` is in report order.
Finding fold_readiness(const std::vector<const Finding*>& group, const std::string& run_mode) {
    const bool ad_failed = std::any_of(group.begin(), group.end(),
                                       [](const Finding* f) { return fact_of(*f, "rule") == kCannotAccessAD; });
    Finding out = *group.front();
    out.facts.clear();
    out.evidence.clear();
    out.count = 1;
    std::vector<std::string> top, under_ad;
    std::vector<FindingItem> ad_items;
    for (const Finding* f : group) {
        out.severity = std::max(out.severity, f->severity);
        merge_evidence(out.evidence, f->evidence);
        const std::string check = fact_of(*f, "rule");
        FindingItem item{check, fact_of(*f, "rule_message"), ""};
        if (ad_failed && fails_without_ad(check, run_mode)) {
            item.under = std::string(kCannotAccessAD);
            under_ad.push_back(check);
            ad_items.push_back(std::move(item));
        } else {
            top.push_back(check);
            out.items.push_back(std::move(item));
        }
    }
    // The consequences follow their cause.
    auto ad_pos = std::find_if(out.items.begin(), out.items.end(), [](const FindingItem& i) { return i.name == kCannotAccessAD; });
    if (ad_pos != out.items.end()) out.items.insert(ad_pos + 1, ad_items.begin(), ad_items.end());

    out.facts.emplace_back("checks", join(top));
    if (!under_ad.empty()) out.facts.emplace_back("checks_failed_without_ad", join(under_ad));
    out.title = top.size() == 1 ? fmt::format("The setup readiness check {} failed", top.front())
                                : fmt::format("{} setup readiness checks failed", top.size());
    if (under_ad.empty()) {
        out.message = fmt::format("{} readiness check{} failed:", top.size(), top.size() == 1 ? "" : "s");
    } else {
        out.message = fmt::format("{} readiness check{} failed; {} more failed only because setup could not read Active "
                                  "Directory (listed under {}):",
                                  top.size(), top.size() == 1 ? "" : "s", under_ad.size(), kCannotAccessAD);
    }
    std::vector<std::string> steps;
    if (ad_failed) {
        steps.push_back(
            "Start with CannotAccessAD: setup could not read Active Directory. Fix the Active Directory error this run "
            "reports, if any; otherwise make sure this server finds a domain controller (nltest /dsgetdc:<domain>) and "
            "setup runs as a domain account. The checks listed under CannotAccessAD clear once setup can read AD.");
    }
    if (top.size() > (ad_failed ? 1u : 0u)) {
        steps.push_back(
            "Fix each failed check listed; in the log, the [REQUIRED] line of each check is followed by a Help URL naming "
            "its readiness article (ms.exch.setupreadiness.<check>).");
    }
    for (auto& s : common_steps(group)) steps.push_back(std::move(s));
    out.remediation = std::move(steps);
    return out;
}

void fold_readiness_checks(AnalysisResult& result) {
    std::map<std::pair<std::string, int>, std::string> mode_of;   // (file, run) -> mode
    for (const auto& s : result.runs)
        if (const std::string* m = s.fact("mode")) mode_of[{s.path, s.index}] = *m;
    using Key = std::tuple<std::string, int, bool>;
    std::map<Key, std::vector<size_t>> groups;
    for (size_t i = 0; i < result.findings.size(); ++i) {
        const Finding& f = result.findings[i];
        if (f.rule_id == kReadinessRule && f.fact("rule")) groups[{f.path, f.segment, f.latest}].push_back(i);
    }
    std::set<size_t> drop;
    std::map<size_t, Finding> replace;
    for (const auto& [key, idx] : groups) {
        std::vector<const Finding*> group;
        for (size_t i : idx) group.push_back(&result.findings[i]);
        const std::string& mode = mode_of[{std::get<0>(key), std::get<1>(key)}];
        bool ad_children = std::any_of(group.begin(), group.end(), [](const Finding* f) {
            return fact_of(*f, "rule") == kCannotAccessAD;
        }) && std::any_of(group.begin(), group.end(), [&](const Finding* f) { return fails_without_ad(fact_of(*f, "rule"), mode); });
        if (group.size() < 2 && !ad_children) continue;
        replace.emplace(idx.front(), fold_readiness(group, mode));
        for (size_t k = 1; k < idx.size(); ++k) drop.insert(idx[k]);
    }
    if (replace.empty()) return;
    std::vector<Finding> out;
    for (size_t i = 0; i < result.findings.size(); ++i) {
        if (drop.count(i)) continue;
        auto it = replace.find(i);
        out.push_back(it != replace.end() ? std::move(it->second) : std::move(result.findings[i]));
    }
    result.findings = std::move(out);
}

// Rules that report one cause: when `absorbed` names the same path (its fact `absorbed_fact`) as
// `kept` (its fact `kept_fact`, or with an empty `kept_fact` the file `kept` was found in, by file
// name), on the same server, `kept` takes the evidence of `absorbed`, which goes. A `kept` ending
// in '*' names the rules starting with the rest, except the fallback kKeptNever. Pairs apply in
// this order.
// - Both logs of a CU that Windows Installer could not apply to a folder carry its Error 1303:
//   ExchangeSetup.log as the "Last error reported by the MSI package" of the 1603 line, the MSI
//   log (ExchangeSetup.msilog) as the error itself, where msi-file-write-denied (1303 is one of its
//   codes) fires on the same line. The setup log's finding is kept: its run is the one the admin
//   retries, and its steps restore the folder first.
// - ExchangeSetup.log's "There was an error while running 'ldifde.exe' ... ldif.err" only points
//   to the ldif.err; when that file is analysed too, its specific ldif- finding is the cause and
//   keeps the setup log's line as evidence.
struct SameCause {
    std::string_view kept, kept_fact, absorbed, absorbed_fact;
};
constexpr SameCause kSameCause[] = {
    {"msi-install-1603-access-denied", "denied_path", "msi-error-1303-insufficient-privileges", "directory"},
    {"msi-install-1603-access-denied", "denied_path", "msi-file-write-denied", "denied_path"},
    {"msi-error-1303-insufficient-privileges", "directory", "msi-file-write-denied", "denied_path"},
    {"ldif-*", "", "schema-ldifde-import-failed", "ldif_err_file"},
};
constexpr std::string_view kKeptNever = "ldif-import-error";   // the ldif.err fallback says no more than the setup log

bool is_kept_rule(std::string_view pattern, std::string_view rule_id) {
    if (rule_id == kKeptNever) return false;
    if (!pattern.empty() && pattern.back() == '*') return rule_id.starts_with(pattern.substr(0, pattern.size() - 1));
    return rule_id == pattern;
}

std::string_view file_name(std::string_view path) {
    const size_t slash = path.find_last_of("\\/");
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

constexpr std::string_view kAlsoReportedBy = "also_reported_by";

void fold_same_cause(AnalysisResult& result) {
    std::map<std::string, std::string> server_of;
    for (const auto& f : result.files) server_of[f.path] = f.server;
    auto same_server = [&](const Finding& a, const Finding& b) {
        const std::string& x = server_of[a.path];
        const std::string& y = server_of[b.path];
        return x.empty() || y.empty() || iequals(x, y);
    };
    std::vector<bool> gone(result.findings.size(), false);
    // One cause, two logs: a finding takes at most one finding of each rule (two setup logs that
    // name "ldif.err" are two runs; only one of them wrote the ldif.err analysed with them).
    std::set<std::pair<size_t, std::string_view>> taken;
    for (const auto& pair : kSameCause) {
        for (size_t j = 0; j < result.findings.size(); ++j) {
            Finding& absorbed = result.findings[j];
            if (gone[j] || !absorbed.latest || absorbed.rule_id != pair.absorbed) continue;
            const std::string* path = absorbed.fact(pair.absorbed_fact);
            if (!path) continue;
            for (size_t i = 0; i < result.findings.size(); ++i) {
                Finding& kept = result.findings[i];
                if (i == j || gone[i] || !kept.latest || !is_kept_rule(pair.kept, kept.rule_id)) continue;
                const bool same = pair.kept_fact.empty()
                                      ? same_path(file_name(kept.path), file_name(*path))
                                      : kept.fact(pair.kept_fact) && same_path(*kept.fact(pair.kept_fact), *path);
                if (!same || !same_server(kept, absorbed) || !taken.emplace(i, pair.absorbed).second) continue;
                append_evidence(kept.evidence, absorbed.evidence);
                kept.severity = std::max(kept.severity, absorbed.severity);
                std::string* also = nullptr;
                for (auto& [name, value] : kept.facts)
                    if (name == kAlsoReportedBy) also = &value;
                if (!also) also = &kept.facts.emplace_back(std::string(kAlsoReportedBy), std::string()).second;
                std::string what = fmt::format("{} ({})", absorbed.rule_id, absorbed.path);
                if (also->find(what) == std::string::npos) *also += (also->empty() ? "" : ", ") + what;
                gone[j] = true;
                break;
            }
        }
    }
    std::vector<Finding> out;
    out.reserve(result.findings.size());
    for (size_t i = 0; i < result.findings.size(); ++i)
        if (!gone[i]) out.push_back(std::move(result.findings[i]));
    result.findings = std::move(out);
}

}  // namespace

bool same_path(std::string_view a, std::string_view b) {
    auto trimmed = [](std::string_view s) {
        while (!s.empty() && std::string_view(". \t\\/").find(s.back()) != std::string_view::npos) s.remove_suffix(1);
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
        return s;
    };
    auto folded = [](char c) {
        if (c == '/') return '\\';
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    };
    a = trimmed(a);
    b = trimmed(b);
    if (a.empty() || a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (folded(a[i]) != folded(b[i])) return false;
    return true;
}

bool fails_without_ad(std::string_view check, std::string_view run_mode) {
    if (iequals(check, "ForestLevelNotWin2003Native")) return true;
    // "<Role>RoleNotInstalled": an upgrade runs on a server that has its roles; setup reads them from AD.
    constexpr std::string_view kRoleNotInstalled = "RoleNotInstalled";
    return iequals(run_mode, "Upgrade") && check.size() > kRoleNotInstalled.size() &&
           iequals(check.substr(check.size() - kRoleNotInstalled.size()), kRoleNotInstalled);
}

void fold_findings(AnalysisResult& result) {
    fold_same(result.findings);
    fold_readiness_checks(result);
    fold_same_cause(result);
}

}  // namespace extriage
