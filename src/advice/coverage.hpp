// What the analysis could not check, so that a report never looks more complete than it is:
// inputs the findings ask for but that were not given (an update failed in the event log but its
// MSI log is missing; setup failed but there is no Application log), and the checks that only the
// live server can answer (installer cache contents, service start types now, a pending reboot
// now, the Active Directory preparation levels), each with the command that makes it.
#pragma once

#include "model/analysis.hpp"

namespace extriage {

// Fills result.missing_inputs and result.live_checks from the files, runs and findings.
void add_coverage(AnalysisResult& result);

}  // namespace extriage
