// Hand-written because it runs on every physical line of a setup log (a regex would dominate the
// run time). Separators are read, not assumed: whatever stands between the month and the day
// must stand again between the day and the year, and likewise for the time.
#include "setup_stamp.hpp"

#include "civil_time.hpp"
#include "record.hpp"

namespace extriage {

namespace {

constexpr size_t kMaxSeparator = 3;   // "/", "-", ".", ". " (hu-HU) ... never longer

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Two digits at s[i]; advances i.
bool two_digits(std::string_view s, size_t& i, unsigned& value) {
    if (i + 2 > s.size() || !is_digit(s[i]) || !is_digit(s[i + 1])) return false;
    value = static_cast<unsigned>((s[i] - '0') * 10 + (s[i + 1] - '0'));
    i += 2;
    return true;
}

// The separator starting at s[i]: up to kMaxSeparator bytes that are not digits, brackets or
// line ends. Advances i past it.
bool separator(std::string_view s, size_t& i, std::string_view& sep) {
    const size_t begin = i;
    while (i < s.size() && i - begin < kMaxSeparator && !is_digit(s[i]) && s[i] != '[' && s[i] != ']' && s[i] != '\n')
        ++i;
    sep = s.substr(begin, i - begin);
    return !sep.empty();
}

// The same separator again.
bool same_separator(std::string_view s, size_t& i, std::string_view sep) {
    if (s.substr(i, sep.size()) != sep) return false;
    i += sep.size();
    return true;
}

// Plausible Gregorian years. The Thai Buddhist calendar (th-TH's default in .NET) counts 543
// years ahead and is converted; the Hijri-based calendars (ar-SA's UmAlQura, years in the 1400s)
// fall below the range and their time is left out rather than guessed.
constexpr int64_t kThaiBuddhistOffset = 543;
constexpr int64_t kFirstYear = 1900;
constexpr int64_t kLastYear = 2399;

}  // namespace

bool parse_setup_stamp(std::string_view s, SetupStamp& out) {
    if (s.empty() || s[0] != '[') return false;
    size_t i = 1;
    unsigned mon = 0, day = 0, y1 = 0, y2 = 0, hh = 0, mi = 0, ss = 0;
    std::string_view date_sep, time_sep;
    if (!two_digits(s, i, mon) || !separator(s, i, date_sep) || !two_digits(s, i, day) ||
        !same_separator(s, i, date_sep) || !two_digits(s, i, y1) || !two_digits(s, i, y2))
        return false;
    if (i >= s.size() || s[i] != ' ') return false;
    ++i;
    if (!two_digits(s, i, hh) || !separator(s, i, time_sep) || !two_digits(s, i, mi) ||
        !same_separator(s, i, time_sep) || !two_digits(s, i, ss))
        return false;
    if (i >= s.size() || s[i] != '.') return false;
    const size_t frac = ++i;
    while (i < s.size() && i - frac < 7 && is_digit(s[i])) ++i;
    if (i == frac || i >= s.size() || s[i] != ']') return false;
    out.end = i + 1;

    unsigned ms = 0, scale = 100;
    for (size_t k = frac; k < i && scale > 0; ++k, scale /= 10) ms += static_cast<unsigned>(s[k] - '0') * scale;
    int64_t year = int64_t{y1} * 100 + y2;
    if (year >= kFirstYear + kThaiBuddhistOffset && year <= kLastYear + kThaiBuddhistOffset) year -= kThaiBuddhistOffset;
    if (year < kFirstYear || year > kLastYear || mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon) ||
        hh > 23 || mi > 59 || ss > 60) {
        out.local_ms = kNoTime;   // the shape is right, the calendar is not: keep the line, drop the time
    } else {
        out.local_ms = civil_ms(year, mon, day, hh, mi, ss, ms);
    }
    return true;
}

bool looks_like_setup_line(std::string_view s) {
    SetupStamp stamp;
    if (!parse_setup_stamp(s, stamp)) return false;
    const size_t i = stamp.end;
    return i + 3 <= s.size() && s[i] == ' ' && s[i + 1] == '[' && is_digit(s[i + 2]);
}

}  // namespace extriage
