// Reporters: a terminal report for people and a JSON document for tools. Both follow the same
// outline (report/outline.hpp): per file a headline, then findings cause first. Both are
// deterministic: no run timestamps, no dependence on thread timing.
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
    bool brief = false;             // text: each file's header and headline only (--brief)
    Level min_severity = Level::info;
};

// Findings the report shows, after the run and severity filters.
std::vector<const Finding*> visible_findings(const AnalysisResult& result, const ReportOptions& options);

std::string render_text(const AnalysisResult& result, const std::vector<Diagnostic>& diags, const ReportOptions& options);
std::string render_json(const AnalysisResult& result, const std::vector<Diagnostic>& diags, const ReportOptions& options);

}  // namespace extriage
