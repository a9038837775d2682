// Folds findings that would otherwise repeat themselves in a report:
// - the same rule with the same facts and message in the same file and run is one finding whose
//   count is the sum and whose evidence is the union;
// - the failed readiness checks of one setup run (prereq-failed-rule, one finding per check) are
//   one finding that lists each check on its own line (Finding::items);
// - checks that failed only because setup could not read Active Directory (they follow a failed
//   CannotAccessAD check: the forest functional level, and "role isn't installed" on an upgrade of
//   a server that has the role) are listed under CannotAccessAD instead of as failures of their own;
// - rules that name one cause from two logs of the same server are one finding holding the evidence
//   of both (kSameCause in fold.cpp lists the pairs): the setup log's 1603 with an access error
//   keeps the MSI log's Error 1303 about the same folder; an ldif.err finding keeps the setup
//   log's "error while running 'ldifde.exe'" line that points to that file.
#pragma once

#include <string_view>

#include "model/analysis.hpp"

namespace extriage {

inline constexpr std::string_view kReadinessRule = "prereq-failed-rule";

void fold_findings(AnalysisResult& result);

// True when a readiness check's failure follows from setup not reading Active Directory
// (CannotAccessAD) in a run of the given mode ("Upgrade", "Install", ...). Exposed for tests.
bool fails_without_ad(std::string_view check, std::string_view run_mode);

// True when two facts name the same file or folder: case-insensitive, '/' read as '\', trailing
// dots, spaces and separators ignored ("owa\auth\15.1.1913." is "owa\auth\15.1.1913"). Exposed for tests.
bool same_path(std::string_view a, std::string_view b);

}  // namespace extriage
