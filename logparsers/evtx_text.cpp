// UTF-16 decoding, XML escaping and time conversions (the calendar is the core one, in
// civil_time.hpp).
#include "evtx_text.hpp"

#include "civil_time.hpp"
#include "decode.hpp"
#include "event_fields.hpp"

namespace extriage::evtx {

namespace {

constexpr int64_t kFiletimeUnixEpoch = 116444736000000000LL;   // 1970-01-01 in FILETIME ticks

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
    const CivilTime t = civil_from_seconds(static_cast<int64_t>(secs_1601) - kFiletimeUnixEpoch / 10000000);
    append_civil_iso(out, t.year, t.month, t.day, t.hour, t.minute, t.second);
    out.push_back('.');
    put_digits(out, ticks, 7);
    out.push_back('Z');
}

void append_unix_ms_iso(std::string& out, int64_t unix_ms) {
    const CivilTime t = civil_from_ms(unix_ms);
    append_civil_iso(out, t.year, t.month, t.day, t.hour, t.minute, t.second);
    out.push_back('.');
    put_digits(out, t.millisecond, 3);
    out.push_back('Z');
}

std::optional<int64_t> parse_iso_to_unix_ms(std::string_view s) {
    size_t end = 0;   // whatever follows the seconds (a zone) is ignored: SystemTime is UTC
    return eventlog::parse_iso_datetime(s, end);
}

}  // namespace extriage::evtx
