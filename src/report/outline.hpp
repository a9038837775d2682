// The shape of an analysis report, shared by the text and JSON reporters: one section per file,
// opened by a headline (the latest run's outcome, the cause, the first step), then its findings
// in the order an admin acts on them:
//   cause         findings at error or above about the file itself (its latest run, or the file)
//   context       the latest run's warnings, and its info findings when it did not succeed
//   linked-event  event findings linked to this file's latest run (moved here from their event log)
//   event         other event findings, with their distance in time to the nearest run
//   version       computed version advice (version-*)
//   info          everything else at info
//   earlier-run   findings of earlier runs (--all-runs only)
// Within a category: severity (highest first), then the analysis order (file, run, line).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "report/report.hpp"

namespace extriage {

enum class FindingRole { cause, context, linked_event, event, version, info, earlier_run };

std::string_view role_name(FindingRole role);

struct OutlineFinding {
    const Finding* finding = nullptr;
    FindingRole role = FindingRole::info;
};

// At most three lines: the latest run's outcome, the cause (rule and one-line message), the first
// step of its remediation. Plain text; the text reporter paints it.
struct Headline {
    const Segment* run = nullptr;   // the file's latest run (setup run, MSI session...); null if none
    size_t runs_in_file = 0;
    const Finding* top = nullptr;   // the cause, or the most severe finding at warning; null if none
    std::string outcome;            // the run's outcome ("failed", "succeeded", "incomplete", ...)
    std::string run_text;           // "setup run 2 of 2 (Upgrade, started 2024-11-12 10:02:11 UTC)"
    std::string cause_label;        // "Cause" (error or worse), "Top finding" (warning) or "" (none)
    std::string cause_text;         // "[rule-id] one-line message", or "No problem found..."
    std::string cause_message;      // the one-line message alone ("" without a top finding)
    std::string first_step;         // the top finding's first remediation step; "" if none

    std::vector<std::string> lines() const;   // the plain lines, 1 to 3
};

struct FileSection {
    const FileSummary* file = nullptr;
    std::vector<const Segment*> runs;        // this file's runs, in index order
    std::vector<OutlineFinding> findings;    // in report order (may hold other files' linked events)
    Headline headline;
    // This file's findings shown in another section (events linked to a run of another file),
    // by the label of that run ("setup run 2 of C:\...\ExchangeSetup.log").
    std::map<std::string, size_t> shown_elsewhere;
    // The most severe finding of another file that holds this file's evidence (one cause folded
    // from two logs, advice/fold.hpp), and where it is shown: the headline falls back to it.
    const Finding* cause_elsewhere = nullptr;
    std::string cause_elsewhere_where;
    size_t hidden = 0;                       // this file's findings below --min-severity
};

struct Outline {
    std::vector<FileSection> sections;       // in the order of result.files
    size_t shown = 0;                        // findings shown
    std::map<Level, size_t> counts;          // of the findings shown, by severity
    size_t hidden_below_min_severity = 0;    // of the runs shown, below --min-severity
    size_t hidden_earlier_runs = 0;          // findings of earlier runs (without --all-runs)
    size_t setup_runs = 0;                   // runs of kind setup-run (summary)
};

Outline build_outline(const AnalysisResult& result, const ReportOptions& options);

// The section whose headline answers for the whole analysis (the HTML and Markdown reports show
// it first): the one whose cause is `top` (summarize_analysis), else the first with the most
// severe headline finding, else the first; null when there is no section.
const FileSection* lead_section(const Outline& outline, const Finding* top);

// "exchange-setup, 123 records, server EX01; the log ends 2024-11-05 20:14:35 UTC, 747 days ago":
// what a file is, under its name in every report (the age only for logs older than kOldLogDays).
std::string file_description(const FileSummary& file);

// The sentences saying which findings the options hid ("3 findings below --min-severity error
// hidden."), for the reports' "Not checked" part.
std::vector<std::string> hidden_notes(const Outline& outline, const ReportOptions& options);

// "setup run 2 of 3" / "MSI session 1 of 1" / "ServiceControl run 1 of 4".
std::string run_label(const Segment& run, size_t runs_in_file);

}  // namespace extriage
