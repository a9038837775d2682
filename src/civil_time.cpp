// Calendar fields of times and the report's time format (see the header).
#include "civil_time.hpp"

#include <fmt/format.h>

#include "record.hpp"

namespace extriage {

CivilTime civil_from_seconds(int64_t unix_seconds) {
    const int64_t days = floor_div(unix_seconds, 86400);
    const auto sod = static_cast<unsigned>(unix_seconds - days * 86400);
    const CivilDay d = civil_from_days(days);
    return {d.year, d.month, d.day, sod / 3600, sod / 60 % 60, sod % 60};
}

CivilTime civil_from_ms(int64_t unix_ms) {
    const int64_t secs = floor_div(unix_ms, 1000);
    CivilTime t = civil_from_seconds(secs);
    t.millisecond = static_cast<unsigned>(unix_ms - secs * 1000);
    return t;
}

std::string format_time(int64_t ms, bool utc, bool iso) {
    if (ms == kNoTime) return {};
    const CivilTime t = civil_from_ms(ms);
    if (iso)
        return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{}", t.year, t.month, t.day, t.hour, t.minute,
                           t.second, t.millisecond, utc ? "Z" : "");
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}{}", t.year, t.month, t.day, t.hour, t.minute, t.second,
                       utc ? " UTC" : "");
}

}  // namespace extriage
