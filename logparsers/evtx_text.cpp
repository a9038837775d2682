// UTF-16 decoding, XML escaping and time conversions (civil-from-days after H. Hinnant).
#include "evtx_text.hpp"

#include "decode.hpp"

namespace extriage::evtx {

namespace {

constexpr int64_t kFiletimeUnixEpoch = 116444736000000000LL;   // 1970-01-01 in FILETIME ticks

struct Civil {
    int64_t year;
    unsigned month, day;
};

Civil civil_from_days(int64_t z) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Zero-padded decimal of at least `width` digits (value < 10^20).
void put_digits(std::string& out, uint64_t v, int width) {
    char buf[20];
    int n = 0;
    do {
        buf[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v && n < 20);
    while (n < width && n < 20) buf[n++] = '0';
    while (n) out.push_back(buf[--n]);
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace


void append_utf16le(std::string& out, const uint8_t* p, size_t units) {
    size_t i = 0;
    while (i < units) {
        // Fast path: a run of ASCII code units is copied without per-character appends.
        size_t j = i;
        while (j < units && p[2 * j + 1] == 0 && p[2 * j] < 0x80) ++j;
        if (j > i) {
            const size_t at = out.size();
            out.resize(at + (j - i));
            char* dst = out.data() + at;
            for (size_t k = i; k < j; ++k) *dst++ = static_cast<char>(p[2 * k]);
            i = j;
            continue;
        }
        const uint32_t u = static_cast<uint32_t>(p[2 * i] | p[2 * i + 1] << 8);
        if (u >= 0xd800 && u < 0xdc00 && i + 1 < units) {
            const uint32_t lo = static_cast<uint32_t>(p[2 * i + 2] | p[2 * i + 3] << 8);
            if (lo >= 0xdc00 && lo < 0xe000) {
                extriage::append_utf8(out, 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00));
                ++i;
            } else {
                extriage::append_utf8(out, 0xfffd);
            }
        } else if (u >= 0xd800 && u < 0xe000) {
            extriage::append_utf8(out, 0xfffd);
        } else {
            extriage::append_utf8(out, u);
        }
        ++i;
    }
}

void append_xml_escaped(std::string& out, std::string_view s) {
    size_t run = 0;   // start of the pending run of characters that need no escaping
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const char* rep = nullptr;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        default:
            if (static_cast<unsigned char>(c) >= 0x20) continue;
        }
        out.append(s, run, i - run);
        run = i + 1;
        if (rep) {
            out += rep;
        } else {
            out += "&#";
            out += std::to_string(static_cast<int>(c));
            out += ';';
        }
    }
    out.append(s, run, s.size() - run);
}

int64_t filetime_to_unix_ms(uint64_t filetime) {
    // Two steps so that values near 2^64 cannot overflow int64.
    const auto ms = static_cast<int64_t>(filetime / 10000);
    return ms - kFiletimeUnixEpoch / 10000;
}

void append_civil_iso(std::string& out, int64_t year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                      unsigned second) {
    if (year < 0) {
        out.push_back('-');
        year = -year;
    }
    put_digits(out, static_cast<uint64_t>(year), 4);
    out.push_back('-');
    put_digits(out, month, 2);
    out.push_back('-');
    put_digits(out, day, 2);
    out.push_back('T');
    put_digits(out, hour, 2);
    out.push_back(':');
    put_digits(out, minute, 2);
    out.push_back(':');
    put_digits(out, second, 2);
}

void append_filetime_iso(std::string& out, uint64_t filetime) {
    const uint64_t secs_1601 = filetime / 10000000;
    const auto ticks = static_cast<unsigned>(filetime % 10000000);
    const int64_t secs = static_cast<int64_t>(secs_1601) - kFiletimeUnixEpoch / 10000000;
    const int64_t days = floor_div(secs, 86400);
    const auto sod = static_cast<unsigned>(secs - days * 86400);
    const Civil c = civil_from_days(days);
    append_civil_iso(out, c.year, c.month, c.day, sod / 3600, sod / 60 % 60, sod % 60);
    out.push_back('.');
    put_digits(out, ticks, 7);
    out.push_back('Z');
}

void append_unix_ms_iso(std::string& out, int64_t unix_ms) {
    const int64_t secs = floor_div(unix_ms, 1000);
    const auto ms = static_cast<unsigned>(unix_ms - secs * 1000);
    const int64_t days = floor_div(secs, 86400);
    const auto sod = static_cast<unsigned>(secs - days * 86400);
    const Civil c = civil_from_days(days);
    append_civil_iso(out, c.year, c.month, c.day, sod / 3600, sod / 60 % 60, sod % 60);
    out.push_back('.');
    put_digits(out, ms, 3);
    out.push_back('Z');
}

std::optional<int64_t> parse_iso_to_unix_ms(std::string_view s) {
    auto num = [&](size_t pos, size_t len, unsigned& out) {
        if (pos + len > s.size()) return false;
        out = 0;
        for (size_t i = pos; i < pos + len; ++i) {
            if (s[i] < '0' || s[i] > '9') return false;
            out = out * 10 + static_cast<unsigned>(s[i] - '0');
        }
        return true;
    };
    unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    if (!num(0, 4, y) || s.size() < 19 || s[4] != '-' || !num(5, 2, mo) || s[7] != '-' || !num(8, 2, d) ||
        (s[10] != 'T' && s[10] != ' ') || !num(11, 2, h) || s[13] != ':' || !num(14, 2, mi) || s[16] != ':' ||
        !num(17, 2, se))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
    unsigned ms = 0;
    size_t i = 19;
    if (i < s.size() && s[i] == '.') {
        unsigned scale = 100;
        for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
            ms += static_cast<unsigned>(s[i] - '0') * scale;
            scale /= 10;
        }
    }
    return (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se) * 1000 + ms;
}

}  // namespace extriage::evtx
