// Findings computed from the outcome of each file's latest setup run or MSI session, so that the
// exit code tells the truth even when no rule knows the failure:
// - run-unfinished (error): the latest run has no end (setup crashed, was killed, the server
//   restarted, or it was still running when the log was copied);
// - run-failed-unexplained (error): the latest run FAILED and no finding of that file says why at
//   error or above (a run that failed without an [ERROR] line, which the fallback rule needs).
// Like the version-* findings they have no YAML file.
#pragma once

#include "model/analysis.hpp"

namespace extriage {

inline constexpr std::string_view kRunUnfinishedRule = "run-unfinished";
inline constexpr std::string_view kRunFailedUnexplainedRule = "run-failed-unexplained";

// Appends the findings above to result.findings (the caller restores the report order).
void add_outcome_findings(AnalysisResult& result);

}  // namespace extriage
