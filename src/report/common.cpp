// Helpers shared by the reporters.
#include "report/report.hpp"

namespace extriage {

std::vector<const Finding*> visible_findings(const AnalysisResult& result, const ReportOptions& options) {
    std::vector<const Finding*> out;
    for (const auto& f : result.findings)
        if ((options.all_runs || f.latest) && f.severity >= options.min_severity) out.push_back(&f);
    return out;
}

}  // namespace extriage
