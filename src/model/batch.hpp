// The result of `extriage batch`: one analysis per bundle, in bundle order. Filled by
// app/batch.cpp, summarised and printed by report/batch_report.cpp.
#pragma once

#include <string>
#include <vector>

#include "diagnostics.hpp"
#include "model/analysis.hpp"

namespace extriage {

struct BundleResult {
    std::string path;                        // the bundle, as found below the paths given
    std::vector<std::string> servers;        // distinct servers of its files, most files first
    AnalysisResult analysis;
    std::vector<Diagnostic> diagnostics;
    size_t errors = 0;                       // error diagnostics among them
};

struct BatchResult {
    std::vector<BundleResult> bundles;       // sorted by path
    std::vector<Diagnostic> diagnostics;     // problems finding the bundles
};

}  // namespace extriage
