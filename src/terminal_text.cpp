// Visible escapes for control characters from inputs (see terminal_text.hpp).
#include "terminal_text.hpp"

#include <cstdint>

#include <fmt/format.h>

namespace extriage {

namespace {

// Format and bidi controls that change what a terminal shows without showing themselves.
bool is_invisible_control(uint32_t cp) {
    return cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF;
}

bool is_escaped_code_point(uint32_t cp) { return cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || is_invisible_control(cp); }

// Length of the valid UTF-8 sequence at s[i] and its code point; 0 if the bytes there are not
// valid UTF-8 (overlong forms, surrogates and values past U+10FFFF included).
size_t utf8_at(std::string_view s, size_t i, uint32_t& cp) {
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    size_t len = 0;
    uint32_t min = 0;
    if (c < 0x80) {
        cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1Fu, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0Fu, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07u, min = 0x10000;
    else return 0;
    if (i + len > s.size()) return 0;
    for (size_t k = 1; k < len; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(i + k) & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

// Where the next character to escape starts (s.size() if none), with its code point and length
// (length 0: a byte that is not valid UTF-8).
size_t next_escape(std::string_view s, size_t from, uint32_t& cp, size_t& len) {
    for (size_t i = from; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7F) {
            ++i;
            continue;
        }
        len = utf8_at(s, i, cp);
        if (len <= 1 || is_escaped_code_point(cp)) return i;
        i += len;
    }
    return s.size();
}

}  // namespace

bool needs_terminal_escape(std::string_view s) {
    uint32_t cp = 0;
    size_t len = 0;
    return next_escape(s, 0, cp, len) < s.size();
}

std::string escape_for_terminal(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    uint32_t cp = 0;
    size_t len = 0;
    for (size_t run = 0;;) {
        const size_t i = next_escape(s, run, cp, len);
        out.append(s.substr(run, i - run));
        if (i == s.size()) return out;
        if (len == 0) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i]));
        else if (cp == '\t') out += "\\t";
        else if (cp == '\n') out += "\\n";
        else if (cp == '\r') out += "\\r";
        else if (cp < 0x80) out += fmt::format("\\x{:02x}", cp);
        else out += fmt::format("\\u{:04x}", cp);
        run = i + (len == 0 ? 1 : len);
    }
}

void escape_for_terminal_in_place(std::string& s) {
    if (needs_terminal_escape(s)) s = escape_for_terminal(s);
}

size_t escape_json_controls(std::string& json) {
    size_t count = 0;
    std::string out;
    size_t run = 0;
    for (size_t i = 0; i < json.size();) {
        const auto c = static_cast<unsigned char>(json[i]);
        if (c != 0x7F && c < 0xC2) {   // ASCII, or bytes that cannot start an escaped code point
            ++i;
            continue;
        }
        uint32_t cp = 0;
        const size_t len = utf8_at(json, i, cp);
        if (len == 0 || !is_escaped_code_point(cp)) {
            i += len == 0 ? 1 : len;
            continue;
        }
        if (count++ == 0) out.reserve(json.size() + 64);
        out.append(json, run, i - run);
        out += fmt::format("\\u{:04x}", cp);
        i += len;
        run = i;
    }
    if (count) {
        out.append(json, run, std::string::npos);
        json = std::move(out);
    }
    return count;
}

std::string defuse_csv_formula(std::string_view cell) {
    std::string out;
    out.reserve(cell.size() + 1);
    // Built piecewise: GCC 12 warns falsely (-Wrestrict) on "'" + std::string.
    if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos) out += '\'';
    out.append(cell);
    return out;
}

}  // namespace extriage
