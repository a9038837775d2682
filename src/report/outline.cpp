// Report outline: sections, categories, order and headlines (see the header).
#include "report/outline.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "model/run_labels.hpp"
#include "text_util.hpp"

namespace extriage {

namespace {

constexpr size_t kHeadlineMessageMax = 220;

int role_rank(FindingRole r) { return static_cast<int>(r); }

bool run_did_not_succeed(const Segment* run) {
    return run && (run->outcome == "failed" || run->outcome == "incomplete");
}

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

// What the run was for: the setup mode, or the update an MSI session applied.
std::string run_purpose(const Segment& s) {
    for (const char* name : {"mode", "update_name", "product_name", "operation"})
        if (const std::string* v = s.fact(name); v && !v->empty()) return *v;
    return {};
}

Headline make_headline(const FileSection& section) {
    Headline h;
    if (!section.runs.empty()) {
        h.run = section.runs.back();
        h.runs_in_file = section.runs.size();
        h.outcome = h.run->outcome.empty() ? "unknown" : h.run->outcome;
        std::string purpose = run_purpose(*h.run);
        std::string when = format_time(h.run->start_ms, h.run->time_is_utc);
        std::string details = purpose;
        if (!when.empty()) details += (details.empty() ? "started " : ", started ") + when;
        h.run_text = run_label(*h.run, h.runs_in_file) + (details.empty() ? "" : " (" + one_line(details, 160) + ")");
    }
    // Findings come sorted by category, then severity: the first error is the cause (a cause
    // beats a more severe event of another log); without one, the most severe warning.
    for (const auto& of : section.findings) {
        if (of.role == FindingRole::earlier_run || of.finding->severity < Level::warning) continue;
        if (of.finding->severity >= Level::error) {
            h.top = of.finding;
            break;
        }
        if (!h.top || of.finding->severity > h.top->severity) h.top = of.finding;
    }
    // This file's cause may be shown with another log's run (folded into that log's finding).
    std::string where;
    const Finding* elsewhere = section.cause_elsewhere;
    if (elsewhere && elsewhere->severity >= Level::warning && (!h.top || elsewhere->severity > h.top->severity)) {
        h.top = elsewhere;
        where = fmt::format(" (shown with {})", section.cause_elsewhere_where);
    }
    if (h.top) {
        h.cause_label = h.top->severity >= Level::error ? "Cause" : "Top finding";
        h.cause_message = one_line(h.top->message, kHeadlineMessageMax, true);
        h.cause_text = fmt::format("[{}] {}{}", h.top->rule_id, h.cause_message, where);
        if (!h.top->remediation.empty()) h.first_step = one_line(h.top->remediation.front(), 100000);
    } else {
        size_t info = std::count_if(section.findings.begin(), section.findings.end(),
                                    [](const OutlineFinding& f) { return f.role != FindingRole::earlier_run; });
        h.cause_text = info ? fmt::format("No problem found ({} info finding{}).", info, info == 1 ? "" : "s")
                            : std::string("No problem found.");
        if (section.hidden)
            h.cause_text = fmt::format("No finding at or above --min-severity ({} hidden).", section.hidden);
    }
    return h;
}

}  // namespace

std::string_view role_name(FindingRole role) {
    switch (role) {
        case FindingRole::cause: return "cause";
        case FindingRole::context: return "context";
        case FindingRole::linked_event: return "linked-event";
        case FindingRole::event: return "event";
        case FindingRole::version: return "version";
        case FindingRole::info: return "info";
        case FindingRole::earlier_run: return "earlier-run";
    }
    return "info";
}

std::string run_label(const Segment& run, size_t runs_in_file) {
    return fmt::format("{} {} of {}", run_kind_label(run.kind), run.index + 1, runs_in_file);
}

std::vector<std::string> Headline::lines() const {
    std::vector<std::string> out;
    if (!outcome.empty()) out.push_back(fmt::format("{}  {}", upper(outcome), run_text));
    out.push_back(cause_label.empty() ? cause_text : fmt::format("{}: {}", cause_label, cause_text));
    if (!first_step.empty()) out.push_back("First step: " + first_step);
    return out;
}

Outline build_outline(const AnalysisResult& result, const ReportOptions& options) {
    Outline o;
    std::map<std::string, size_t> section_of;
    for (const auto& f : result.files) {
        section_of.emplace(f.path, o.sections.size());
        FileSection s;
        s.file = &f;
        o.sections.push_back(std::move(s));
    }
    for (const auto& r : result.runs) {
        o.setup_runs += r.kind == "setup-run";
        auto it = section_of.find(r.path);
        if (it != section_of.end()) o.sections[it->second].runs.push_back(&r);
    }
    for (auto& s : o.sections)
        std::stable_sort(s.runs.begin(), s.runs.end(), [](const Segment* a, const Segment* b) { return a->index < b->index; });
    auto latest_index = [&](const std::string& path) {
        auto it = section_of.find(path);
        if (it == section_of.end() || o.sections[it->second].runs.empty()) return -1;
        return o.sections[it->second].runs.back()->index;
    };

    // (section, role, severity, analysis order)
    struct Placed {
        size_t section;
        FindingRole role;
        const Finding* f;
        size_t order;
    };
    std::vector<Placed> placed;
    for (size_t i = 0; i < result.findings.size(); ++i) {
        const Finding& f = result.findings[i];
        if (!f.latest && !options.all_runs) {
            ++o.hidden_earlier_runs;
            continue;
        }
        auto home = section_of.find(f.path);
        if (f.severity < options.min_severity) {
            ++o.hidden_below_min_severity;
            if (home != section_of.end()) ++o.sections[home->second].hidden;
            continue;
        }
        if (home == section_of.end()) continue;
        size_t section = home->second;
        const FileSection& own = o.sections[section];
        const bool event = is_event_parser(own.file->parser);
        FindingRole role;
        if (!f.latest) {
            role = FindingRole::earlier_run;
        } else if (f.rule_id.starts_with("version-")) {
            role = FindingRole::version;
        } else if (event) {
            const RelatedRun* rr = f.related_run ? &*f.related_run : nullptr;
            if (rr && rr->index == latest_index(rr->file) && section_of.count(rr->file)) {
                role = FindingRole::linked_event;
                section = section_of[rr->file];
                ++o.sections[home->second].shown_elsewhere[fmt::format("{} {} of {}", run_kind_label(rr->kind),
                                                                       rr->index + 1, rr->file)];
            } else {
                role = f.severity >= Level::warning || rr ? FindingRole::event : FindingRole::info;
            }
        } else if (f.severity >= Level::error) {
            role = FindingRole::cause;
        } else if (f.severity == Level::warning) {
            role = FindingRole::context;
        } else {
            const Segment* latest = own.runs.empty() ? nullptr : own.runs.back();
            role = run_did_not_succeed(latest) ? FindingRole::context : FindingRole::info;
        }
        placed.push_back({section, role, &f, i});
        ++o.shown;
        ++o.counts[f.severity];
    }
    std::stable_sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
        return std::make_tuple(a.section, role_rank(a.role), -static_cast<int>(a.f->severity), a.order) <
               std::make_tuple(b.section, role_rank(b.role), -static_cast<int>(b.f->severity), b.order);
    });
    for (const auto& p : placed) o.sections[p.section].findings.push_back({p.f, p.role});
    // A finding holding evidence of another file (one cause reported by two logs, folded): that
    // file's section says where it is shown, and its headline can name it.
    for (const auto& p : placed) {
        std::set<size_t> noted;
        for (const auto& e : p.f->evidence) {
            auto other = section_of.find(e.path);
            if (e.path == p.f->path || other == section_of.end() || other->second == p.section ||
                !noted.insert(other->second).second)
                continue;
            const auto& runs = o.sections[p.section].runs;
            auto run = std::find_if(runs.begin(), runs.end(), [&](const Segment* r) { return r->index == p.f->segment; });
            std::string where = run != runs.end() ? fmt::format("{} {} of {}", run_kind_label((*run)->kind), (*run)->index + 1, p.f->path)
                                                  : p.f->path;
            FileSection& s = o.sections[other->second];
            ++s.shown_elsewhere[where];
            if (!s.cause_elsewhere || p.f->severity > s.cause_elsewhere->severity) {
                s.cause_elsewhere = p.f;
                s.cause_elsewhere_where = where;
            }
        }
    }
    for (auto& s : o.sections) s.headline = make_headline(s);
    return o;
}

const FileSection* lead_section(const Outline& outline, const Finding* top) {
    const FileSection* best = nullptr;
    for (const auto& s : outline.sections) {
        if (top && s.headline.top == top) return &s;
        if (s.headline.top && (!best || !best->headline.top || s.headline.top->severity > best->headline.top->severity)) best = &s;
    }
    if (best) return best;
    return outline.sections.empty() ? nullptr : &outline.sections.front();
}

std::string file_description(const FileSummary& file) {
    std::string what = fmt::format("{}, {} records", file.parser, file.records);
    if (!file.server.empty()) what += ", server " + file.server;
    // An old log may not describe the server as it is now.
    if (file.age_days > kOldLogDays)
        what += fmt::format("; the log ends {}, {} days ago", format_time(file.last_time_ms, file.last_time_is_utc), file.age_days);
    return what;
}

std::vector<std::string> hidden_notes(const Outline& o, const ReportOptions& options) {
    std::vector<std::string> out;
    if (o.hidden_below_min_severity)
        out.push_back(fmt::format("{} finding{} below --min-severity {} hidden.", o.hidden_below_min_severity,
                                  o.hidden_below_min_severity == 1 ? "" : "s", level_name(options.min_severity)));
    if (o.hidden_earlier_runs)
        out.push_back(fmt::format("{} finding{} of earlier runs hidden (--all-runs shows them).", o.hidden_earlier_runs,
                                  o.hidden_earlier_runs == 1 ? "" : "s"));
    return out;
}

}  // namespace extriage
