// Calendar arithmetic shared by the parsers and the reporters: proleptic Gregorian dates to and
// from days since 1970-01-01 (after H. Hinnant's days_from_civil / civil_from_days), building
// millisecond times from calendar fields, splitting them back, and the report's time format.
// No time zones: a "local" time is its calendar fields read as if UTC. The small pieces are
// constexpr here because the parsers call them once per line.
#pragma once

#include <cstdint>
#include <string>

namespace extriage {

// a / b rounded towards negative infinity (b > 0), so times before 1970 split correctly.
constexpr int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

constexpr bool is_leap_year(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// m in 1..12.
constexpr unsigned days_in_month(int64_t y, unsigned m) {
    constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap_year(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 (negative before) of y-m-d; m in 1..12, d in 1..31 (not checked
// against the month: 02-31 is 03-03 or 03-02).
constexpr int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct CivilDay {
    int64_t year;
    unsigned month, day;
};

// The inverse of days_from_civil.
constexpr CivilDay civil_from_days(int64_t days) {
    const int64_t z = days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned day = doy - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int64_t>(yoe) + era * 400 + (month <= 2), month, day};
}

// Milliseconds since 1970-01-01T00:00:00 of a calendar date and time of day.
constexpr int64_t civil_ms(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s, unsigned ms = 0) {
    return ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 + int64_t{s} * 1000 + ms;
}

struct CivilTime {
    int64_t year;
    unsigned month, day, hour, minute, second;
    unsigned millisecond = 0;
};

// Calendar fields of seconds / milliseconds since 1970 (millisecond stays 0 for seconds).
CivilTime civil_from_seconds(int64_t unix_seconds);
CivilTime civil_from_ms(int64_t unix_ms);

// "2021-03-06 18:37:29" (local) or "2021-03-06 18:37:29 UTC"; with iso,
// "2021-03-06T18:37:29.035" (local) or "2021-03-06T18:37:29.035Z". "" for kNoTime.
std::string format_time(int64_t ms, bool utc, bool iso = false);

}  // namespace extriage
