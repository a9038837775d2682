// Reporters: a terminal report for people and a JSON document for tools.
// Both are deterministic: no run timestamps, findings in (file, run, line, rule) order.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "app/analyze.hpp"
#include "civil_time.hpp"   // format_time()
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

}  // namespace extriage
