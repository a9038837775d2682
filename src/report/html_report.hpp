// Pieces of the analyze HTML page that the timeline and batch pages reuse.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.hpp"
#include "report/html_chart.hpp"
#include "record.hpp"

namespace extriage {

// "r-succeeded", "r-failed" or "r-other": a run bar's class.
std::string run_css(std::string_view outcome);

// A run as a bar of the chart, linking to `href`.
ChartItem run_chart_item(const Segment& run, size_t runs_in_file, std::string href);

// "7 findings (1 critical, 3 error, 2 warning, 1 info)".
std::string summary_counts(const std::map<Level, size_t>& counts, size_t shown);

// The "Problems reading inputs" section ("" without diagnostics).
std::string diagnostics_html(const std::vector<Diagnostic>& diags);

}  // namespace extriage
