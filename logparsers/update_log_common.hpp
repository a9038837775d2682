// Small helpers shared by the update-log parsers (msi-log, exchange-service-control,
// exchange-update-text, ldif-err): ASCII case-insensitive search, locale date and time parsing,
// a day clock for logs that stamp only the time of day, and the LineReader loop with the
// standard truncation/encoding diagnostics (which exchange-setup uses too). Header-only;
// nothing here knows a log format.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "civil_time.hpp"
#include "decode.hpp"
#include "diagnostics.hpp"
#include "record.hpp"

namespace extriage::updlog {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

inline bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

inline size_t ifind(std::string_view s, std::string_view needle, size_t from = 0) {
    if (needle.empty()) return from <= s.size() ? from : std::string_view::npos;
    if (s.size() < needle.size()) return std::string_view::npos;
    const char first = ascii_lower(needle[0]);
    for (size_t i = from; i + needle.size() <= s.size(); ++i)
        if (ascii_lower(s[i]) == first && iequals(s.substr(i, needle.size()), needle)) return i;
    return std::string_view::npos;
}

inline bool icontains(std::string_view s, std::string_view needle) { return ifind(s, needle) != std::string_view::npos; }

inline std::string_view trim_right(std::string_view s) {
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

inline std::string_view trim(std::string_view s) {
    s = trim_right(s);
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    return s;
}

// Drops one trailing period (and spaces): "15.2.1118.7." -> "15.2.1118.7".
inline std::string_view strip_period(std::string_view s) {
    s = trim_right(s);
    if (!s.empty() && s.back() == '.') s.remove_suffix(1);
    return trim_right(s);
}

// Cuts s to at most max bytes without splitting a UTF-8 sequence.
inline std::string_view cut_utf8(std::string_view s, size_t max) {
    if (s.size() <= max) return s;
    size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n);
}

// Leading decimal digits of s as a number (at most 9 digits); count in *len.
inline bool leading_number(std::string_view s, unsigned& value, size_t& len) {
    value = 0;
    len = 0;
    while (len < s.size() && len < 9 && is_digit(s[len])) value = value * 10 + static_cast<unsigned>(s[len++] - '0');
    return len > 0;
}

struct CivilDate {
    int64_t year = 0;
    unsigned month = 0;
    unsigned day = 0;
    bool valid() const { return year > 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31; }
    int64_t days() const { return days_from_civil(year, month, day); }
};

// A date in the machine's locale: "1/9/2023", "08-03-2021", "03.03.2021", "2023-01-09",
// "2023/01/09". Year-first is Y-M-D; dots are D.M.Y (German and friends); otherwise a first
// part above 12 means D/M/Y, and anything still ambiguous is read as M/D/Y (en-US, and what
// .NET's InvariantInfo accepts). `consumed` gets the length of the date text.
inline bool parse_locale_date(std::string_view s, CivilDate& out, size_t& consumed) {
    unsigned part[3] = {0, 0, 0};
    size_t len[3] = {0, 0, 0};
    size_t pos = 0;
    char sep = 0;
    for (int i = 0; i < 3; ++i) {
        if (!leading_number(s.substr(pos), part[i], len[i]) || len[i] > 4) return false;
        pos += len[i];
        if (i == 2) break;
        if (pos >= s.size()) return false;
        const char c = s[pos];
        if (c != '/' && c != '-' && c != '.') return false;
        if (sep == 0) sep = c;
        else if (c != sep) return false;
        ++pos;
    }
    if (pos < s.size() && is_digit(s[pos])) return false;
    CivilDate d;
    if (len[0] == 4) {
        d = {part[0], part[1], part[2]};
    } else if (len[2] == 4 || len[2] == 2) {
        const int64_t year = len[2] == 2 ? 2000 + part[2] : part[2];
        if (sep == '.' || part[0] > 12) d = {year, part[1], part[0]};
        else d = {year, part[0], part[1]};
    } else {
        return false;
    }
    if (!d.valid()) return false;
    out = d;
    consumed = pos;
    return true;
}

// "HH:mm:ss" with an optional ":mmm" / ".fff" fraction -> milliseconds of the day.
inline bool parse_time_of_day(std::string_view s, int64_t& ms, size_t& consumed) {
    if (s.size() < 7) return false;
    unsigned h = 0, m = 0, sec = 0;
    size_t n = 0, pos = 0;
    if (!leading_number(s, h, n) || n > 2) return false;
    pos = n;
    if (pos >= s.size() || s[pos] != ':') return false;
    ++pos;
    if (!leading_number(s.substr(pos), m, n) || n != 2) return false;
    pos += n;
    if (pos >= s.size() || s[pos] != ':') return false;
    ++pos;
    if (!leading_number(s.substr(pos), sec, n) || n != 2) return false;
    pos += n;
    if (h > 23 || m > 59 || sec > 60) return false;
    unsigned frac = 0;
    if (pos + 1 < s.size() && (s[pos] == ':' || s[pos] == '.') && is_digit(s[pos + 1])) {
        size_t k = pos + 1;
        unsigned scale = 100;
        while (k < s.size() && is_digit(s[k]) && k - pos - 1 < 7) {
            frac += static_cast<unsigned>(s[k] - '0') * scale;
            scale /= 10;
            ++k;
        }
        pos = k;
    }
    ms = ((int64_t{h} * 60 + m) * 60 + sec) * 1000 + frac;
    consumed = pos;
    return true;
}

// Turns times of day into full local times once a date is known. Logs that stamp only the
// time (MSI, ServiceControl) cross midnight silently, so a jump back of more than 12 hours is
// read as the next day. Small backwards steps (interleaved client/server threads) are not.
class DayClock {
public:
    void anchor(const CivilDate& date, int64_t ms_of_day) {
        day_ = date.days();
        last_ = ms_of_day;
        known_ = true;
    }
    bool known() const { return known_; }
    int64_t stamp(int64_t ms_of_day) {
        if (!known_) return kNoTime;
        if (ms_of_day + 12 * 3600 * 1000 < last_) ++day_;
        last_ = ms_of_day;
        return day_ * 86400000 + ms_of_day;
    }

private:
    int64_t day_ = 0;
    int64_t last_ = 0;
    bool known_ = false;
};

// "[20:03:20] text", "[02/14/2023 10:01:02] text", "[2023-02-14 10:01:02.123] text",
// "[2/14/2023 10:01:02 AM] text": the bracketed stamp of PowerShell-script logs.
struct BracketStamp {
    bool has_date = false;
    CivilDate date;
    int64_t ms_of_day = 0;
    size_t msg_pos = 0;   // start of the text after "] "
};

inline bool parse_bracket_stamp(std::string_view s, BracketStamp& out) {
    if (s.size() < 10 || s[0] != '[') return false;
    const size_t close = s.find(']');
    if (close == std::string_view::npos || close > 40) return false;
    std::string_view inner = trim(s.substr(1, close - 1));
    BracketStamp b;
    size_t used = 0;
    if (parse_locale_date(inner, b.date, used)) {
        b.has_date = true;
        inner = inner.substr(used);
        if (!inner.empty() && (inner[0] == 'T' || inner[0] == ' ')) inner.remove_prefix(1);
        inner = trim(inner);
    }
    if (!parse_time_of_day(inner, b.ms_of_day, used)) return false;
    std::string_view tail = trim(inner.substr(used));
    if (iequals(tail, "PM") || iequals(tail, "AM")) {
        const int64_t hour = b.ms_of_day / 3600000;
        if (hour > 12) return false;
        if (iequals(tail, "PM") && hour < 12) b.ms_of_day += 12 * 3600000;
        if (iequals(tail, "AM") && hour == 12) b.ms_of_day -= 12 * 3600000;
    } else if (!tail.empty() && tail != "Z") {
        return false;
    }
    b.msg_pos = close + 1;
    if (b.msg_pos < s.size() && s[b.msg_pos] == ' ') ++b.msg_pos;
    out = b;
    return true;
}

// A script banner such as "* ServiceControl.ps1: 03.03.2021 20:03:20": the script name and the
// only full date of a run in logs that otherwise stamp times of day.
inline bool parse_script_banner(std::string_view msg, std::string_view& script, CivilDate& date, int64_t& ms) {
    msg = trim(msg);
    if (!msg.starts_with("* ")) return false;
    const size_t colon = ifind(msg, ".ps1:");
    if (colon == std::string_view::npos) return false;
    script = trim(msg.substr(2, colon + 4 - 2));
    std::string_view rest = trim(msg.substr(colon + 5));
    size_t used = 0;
    if (!parse_locale_date(rest, date, used)) return false;
    rest = trim(rest.substr(used));
    return parse_time_of_day(rest, ms, used);
}

// One entry of a "[time] text" log: the stamped line plus unstamped continuation lines.
struct TextEntry {
    std::string body;
    size_t raw_len = 0;
    size_t msg_pos = 0;
    bool stamped = false;
    bool capped = false;
    int64_t time_ms = kNoTime;
    uint64_t line = 0, line_count = 0, offset = 0;

    std::string_view raw() const { return std::string_view(body).substr(0, raw_len); }
    std::string_view text() const { return std::string_view(body).substr(msg_pos); }
};

// Groups physical lines into TextEntries and stamps them with full local times once a date is
// known (from the stamp itself or a script banner). deliver(entry) gets each complete entry.
class StampedTextAssembler {
public:
    static constexpr size_t kMaxEntryBytes = 1u << 20;

    template <class Deliver>
    void on_line(std::string_view line, uint64_t number, uint64_t offset, Deliver&& deliver) {
        BracketStamp b;
        if (parse_bracket_stamp(line, b)) {
            saw_stamped_ = true;
            if (has_pending_) deliver(pending_);
            start(line, number, offset);
            pending_.stamped = true;
            pending_.msg_pos = std::min(b.msg_pos, pending_.raw_len);
            std::string_view script;
            CivilDate date;
            int64_t banner_ms = 0;
            if (b.has_date) clock_.anchor(b.date, b.ms_of_day);
            else if (parse_script_banner(line.substr(b.msg_pos), script, date, banner_ms)) clock_.anchor(date, banner_ms);
            pending_.time_ms = clock_.stamp(b.ms_of_day);
            return;
        }
        if (trim(line).empty()) return;
        // Unstamped lines continue a stamped entry (stack traces, option lists); before the first
        // stamp (a cut log) each line stands alone.
        if (has_pending_ && !pending_.stamped) deliver(pending_), has_pending_ = false;
        if (has_pending_) {
            TextEntry& e = pending_;
            ++e.line_count;
            if (e.capped) return;
            if (e.body.size() + 1 + line.size() > kMaxEntryBytes) {
                e.capped = true;
                ++capped_entries_;
                return;
            }
            e.body.push_back('\n');
            e.body.append(line);
            return;
        }
        start(line, number, offset);
    }

    template <class Deliver>
    void finish(Deliver&& deliver) {
        if (has_pending_) deliver(pending_);
        has_pending_ = false;
    }

    bool saw_stamped() const { return saw_stamped_; }
    uint64_t capped_entries() const { return capped_entries_; }

private:
    void start(std::string_view line, uint64_t number, uint64_t offset) {
        TextEntry& e = pending_;
        e.body.assign(cut_utf8(line, kMaxEntryBytes));
        e.raw_len = e.body.size();
        e.msg_pos = 0;
        e.stamped = false;
        e.capped = false;
        e.time_ms = kNoTime;
        e.line = number;
        e.line_count = 1;
        e.offset = offset;
        has_pending_ = true;
    }

    TextEntry pending_;
    bool has_pending_ = false;
    bool saw_stamped_ = false;
    uint64_t capped_entries_ = 0;
    DayClock clock_;
};

// Rough severity of free text: "error", "exception", "failed", "unable to", "cannot", "timed out"
// mean error; "warning" means warning. Words are matched whole, so "ErrorAction" and
// "Failover" do not count.
inline bool has_word_start(std::string_view text, std::string_view word, bool whole = false) {
    size_t at = ifind(text, word);
    while (at != std::string_view::npos) {
        const bool start_ok = at == 0 || !std::isalpha(static_cast<unsigned char>(text[at - 1]));
        const size_t end = at + word.size();
        const bool end_ok = !whole || end >= text.size() || !std::isalpha(static_cast<unsigned char>(text[end]));
        if (start_ok && end_ok) return true;
        at = ifind(text, word, at + 1);
    }
    return false;
}

inline Level keyword_level(std::string_view text) {
    if (has_word_start(text, "error", true) || has_word_start(text, "errors", true) || icontains(text, "exception") ||
        has_word_start(text, "failed", true) || has_word_start(text, "failure", true) ||
        has_word_start(text, "fails", true) || has_word_start(text, "unable to") || has_word_start(text, "cannot") ||
        has_word_start(text, "could not") || has_word_start(text, "timed out") || has_word_start(text, "access is denied"))
        return Level::error;
    if (has_word_start(text, "warning")) return Level::warning;
    return Level::info;
}

// Last path component of a display path ("bundle.zip!dir/UpdateCas.log" -> "UpdateCas.log").
inline std::string_view file_name_of(std::string_view path) {
    size_t cut = path.find_last_of("/\\!");
    return cut == std::string_view::npos ? path : path.substr(cut + 1);
}

// Runs on_line(line, number, offset) for every line of the source and reports over-long lines
// and invalid encoding as warnings, and a file read as Windows-1252 as a note (origin = the
// parser name).
template <class OnLine>
void for_each_line(ByteSource& source, const std::string& path, std::string_view origin, DiagSink& diags,
                   OnLine&& on_line) {
    constexpr int kMaxTruncationWarnings = 20;
    LineReader reader(source);
    std::string_view line;
    uint64_t first_invalid_line = 0;
    int truncations = 0;
    while (reader.next(line)) {
        if (reader.truncated() && ++truncations <= kMaxTruncationWarnings)
            diags.warning_at_line(path, reader.line_number(),
                                  fmt::format("line longer than {} bytes; the rest of it was skipped",
                                              LineReader::kDefaultMaxLine),
                                  std::string(origin));
        if (first_invalid_line == 0 && reader.invalid_sequences() > 0) first_invalid_line = reader.line_number();
        on_line(line, reader.line_number(), reader.line_offset());
    }
    if (truncations > kMaxTruncationWarnings)
        diags.warning_at_line(path, 0, fmt::format("{} more over-long lines were truncated", truncations - kMaxTruncationWarnings),
                              std::string(origin));
    if (reader.invalid_sequences() > 0)
        diags.warning_at_line(path, first_invalid_line,
                              fmt::format("{} invalid {} sequence{} replaced with U+FFFD (first at this line)",
                                          reader.invalid_sequences(), encoding_name(reader.encoding()),
                                          reader.invalid_sequences() == 1 ? "" : "s"),
                              std::string(origin));
    // Say so: a name that still looks wrong then points at the server's code page, not at us.
    if (reader.ansi_from_line() > 0)
        diags.report({DiagSeverity::note, path, reader.ansi_from_line(), 0, 0, false,
                      reader.ansi_from_line() == 1 ? "not UTF-8: read as Windows-1252 (ANSI)"
                                                   : "not UTF-8: read as Windows-1252 (ANSI) from this line on",
                      std::string(origin)});
}

// The first non-blank lines of a sniff head (at most max_lines), without allocating.
template <class OnLine>
void for_each_head_line(std::string_view text, int max_lines, OnLine&& on_line) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    size_t pos = 0;
    int seen = 0;
    while (pos < text.size() && seen < max_lines) {
        size_t end = text.find_first_of("\r\n", pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        if (trim(line).empty()) continue;
        ++seen;
        if (!on_line(line)) return;
    }
}

}  // namespace extriage::updlog
