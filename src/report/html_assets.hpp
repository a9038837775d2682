// The style sheet and script of the HTML reports, as constants (their hashes go into the CSP).
#pragma once

#include <string_view>

namespace extriage {

extern const std::string_view kReportCss;
extern const std::string_view kReportJs;

}  // namespace extriage
