// Tests of the core calendar arithmetic (civil_time.hpp): the epoch, leap years, dates before
// 1970, the far end of four-digit years, the round trip day <-> date, and the time format.
#include <doctest/doctest.h>

#include "civil_time.hpp"
#include "record.hpp"

using namespace extriage;

namespace {

bool same_day(CivilDay a, int64_t y, unsigned m, unsigned d) { return a.year == y && a.month == m && a.day == d; }

}  // namespace

// Usable at compile time (the parsers call these per line).
static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(civil_ms(1970, 1, 1, 0, 0, 0) == 0);

TEST_CASE("civil time: 1970-01-01 is day 0 and time 0") {
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(1970, 1, 2) == 1);
    CHECK(same_day(civil_from_days(0), 1970, 1, 1));
    CHECK(civil_ms(1970, 1, 1, 0, 0, 0, 0) == 0);
    const CivilTime t = civil_from_ms(0);
    CHECK(t.year == 1970);
    CHECK(t.month == 1);
    CHECK(t.day == 1);
    CHECK(t.hour + t.minute + t.second + t.millisecond == 0);
}

TEST_CASE("civil time: leap years") {
    CHECK(is_leap_year(2024));
    CHECK(is_leap_year(2000));   // divisible by 400
    CHECK_FALSE(is_leap_year(1900));   // by 100, not by 400
    CHECK_FALSE(is_leap_year(2100));
    CHECK_FALSE(is_leap_year(2023));
    CHECK(days_in_month(2024, 2) == 29);
    CHECK(days_in_month(2000, 2) == 29);
    CHECK(days_in_month(1900, 2) == 28);
    CHECK(days_in_month(2023, 2) == 28);
    CHECK(days_in_month(2023, 1) == 31);
    CHECK(days_in_month(2023, 4) == 30);
    CHECK(days_in_month(2023, 12) == 31);

    CHECK(days_from_civil(2000, 2, 29) == 11016);
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    CHECK(days_from_civil(2024, 2, 29) == 19782);
    CHECK(days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28) == 2);
    CHECK(days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28) == 1);
    CHECK(days_from_civil(2100, 3, 1) - days_from_civil(2100, 2, 28) == 1);
    CHECK(days_from_civil(2001, 1, 1) - days_from_civil(2000, 1, 1) == 366);
    CHECK(days_from_civil(1901, 1, 1) - days_from_civil(1900, 1, 1) == 365);
    CHECK(same_day(civil_from_days(11016), 2000, 2, 29));
    CHECK(same_day(civil_from_days(19782), 2024, 2, 29));
}

TEST_CASE("civil time: dates before 1970") {
    CHECK(days_from_civil(1969, 12, 31) == -1);
    CHECK(days_from_civil(1960, 2, 29) == -3594);
    CHECK(days_from_civil(1900, 2, 28) == -25509);
    CHECK(days_from_civil(1601, 1, 1) == -134774);   // the FILETIME epoch
    CHECK(days_from_civil(1, 1, 1) == -719162);
    CHECK(days_from_civil(0, 3, 1) == -719468);
    CHECK(same_day(civil_from_days(-1), 1969, 12, 31));
    CHECK(same_day(civil_from_days(-134774), 1601, 1, 1));
    CHECK(same_day(civil_from_days(-719162), 1, 1, 1));

    // A millisecond before the epoch splits downwards, not towards zero.
    CHECK(floor_div(-1, 1000) == -1);
    CHECK(floor_div(-1000, 1000) == -1);
    CHECK(floor_div(-1001, 1000) == -2);
    CHECK(floor_div(999, 1000) == 0);
    const CivilTime t = civil_from_ms(-1);
    CHECK(t.year == 1969);
    CHECK(t.month == 12);
    CHECK(t.day == 31);
    CHECK(t.hour == 23);
    CHECK(t.minute == 59);
    CHECK(t.second == 59);
    CHECK(t.millisecond == 999);
    CHECK(civil_ms(1969, 12, 31, 23, 59, 59, 999) == -1);
}

TEST_CASE("civil time: 9999-12-31") {
    CHECK(days_from_civil(9999, 12, 31) == 2932896);
    CHECK(same_day(civil_from_days(2932896), 9999, 12, 31));
    CHECK(same_day(civil_from_days(2932897), 10000, 1, 1));
    const int64_t last = civil_ms(9999, 12, 31, 23, 59, 59, 999);
    CHECK(last == 253402300799999);
    CHECK(format_time(last, true, true) == "9999-12-31T23:59:59.999Z");
    const CivilTime s = civil_from_seconds(253402300799);
    CHECK(s.year == 9999);
    CHECK(s.second == 59);
    CHECK(s.millisecond == 0);
}

TEST_CASE("civil time: every day from year -400 to 10400 round-trips") {
    int64_t expected = days_from_civil(-400, 1, 1);
    for (int64_t y = -400; y <= 10400; ++y) {
        for (unsigned m = 1; m <= 12; ++m) {
            for (unsigned d = 1; d <= days_in_month(y, m); ++d) {
                const int64_t n = days_from_civil(y, m, d);
                if (n != expected || !same_day(civil_from_days(n), y, m, d)) {
                    FAIL("mismatch at " << y << "-" << m << "-" << d << ": " << n << ", expected " << expected);
                }
                ++expected;
            }
        }
    }
    CHECK(expected == days_from_civil(10401, 1, 1));
}

TEST_CASE("civil time: civil_ms adds the time of day") {
    CHECK(civil_ms(2021, 3, 6, 18, 37, 29, 35) == 1615055849035);
    CHECK(civil_ms(2024, 3, 12, 14, 46, 10) == days_from_civil(2024, 3, 12) * 86400000 + ((14 * 60 + 46) * 60 + 10) * 1000);
}

TEST_CASE("civil time: format_time") {
    const int64_t t = civil_ms(2021, 3, 6, 18, 37, 29, 35);
    CHECK(format_time(t, false) == "2021-03-06 18:37:29");
    CHECK(format_time(t, true) == "2021-03-06 18:37:29 UTC");
    CHECK(format_time(t, false, true) == "2021-03-06T18:37:29.035");
    CHECK(format_time(t, true, true) == "2021-03-06T18:37:29.035Z");
    CHECK(format_time(-1, true, true) == "1969-12-31T23:59:59.999Z");
    CHECK(format_time(civil_ms(1601, 1, 1, 0, 0, 0), true, true) == "1601-01-01T00:00:00.000Z");
    CHECK(format_time(kNoTime, true, true).empty());
    CHECK(format_time(kNoTime, false).empty());
}
