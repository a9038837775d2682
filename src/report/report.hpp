// Reporters: a terminal report for people and a JSON document for tools.
// Both are deterministic: no run timestamps, findings in (file, run, line, rule) order.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "app/analyze.hpp"
#include "diagnostics.hpp"

namespace extriage {

struct ReportOptions {
    bool color = false;
    bool all_runs = false;          // include findings from earlier runs of the same file
    Level min_severity = Level::info;
};

// Findings the report shows, after the run and severity filters.
std::vector<const Finding*> visible_findings(const AnalysisResult& result, const ReportOptions& options);

std::string render_text(const AnalysisResult& result, const std::vector<Diagnostic>& diags, const ReportOptions& options);
std::string render_json(const AnalysisResult& result, const std::vector<Diagnostic>& diags, const ReportOptions& options);

// "2021-03-06 18:37:29" (local) or "2021-03-06 23:37:29Z" (UTC); "" when no time.
std::string format_time(int64_t ms, bool utc, bool iso = false);

}  // namespace extriage
