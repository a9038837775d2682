// Helpers shared by the reporters.
#include <fmt/format.h>

#include "report/report.hpp"

namespace extriage {

std::vector<const Finding*> visible_findings(const AnalysisResult& result, const ReportOptions& options) {
    std::vector<const Finding*> out;
    for (const auto& f : result.findings)
        if ((options.all_runs || f.latest) && f.severity >= options.min_severity) out.push_back(&f);
    return out;
}

std::string format_time(int64_t ms, bool utc, bool iso) {
    if (ms == kNoTime) return {};
    int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    int64_t frac = ms - secs * 1000;
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t rem = secs - days * 86400;
    // Civil-from-days (Howard Hinnant's algorithm), proleptic Gregorian.
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) ++y;
    if (iso)
        return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{}", y, m, d, rem / 3600, rem / 60 % 60, rem % 60, frac,
                           utc ? "Z" : "");
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}{}", y, m, d, rem / 3600, rem / 60 % 60, rem % 60,
                       utc ? " UTC" : "");
}

}  // namespace extriage
