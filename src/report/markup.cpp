// Escaping for HTML and Markdown (see the header).
#include "report/markup.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "text_util.hpp"

namespace extriage {

std::string html_escape(std::string_view raw) {
    const std::string s = printable(raw);
    std::string out;
    out.reserve(s.size() + s.size() / 8);
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        // Bidirectional overrides and isolates (U+202A-202E, U+2066-2069) would reorder the text
        // around them on screen: shown by code point instead.
        if (c == '\xE2' && i + 2 < s.size()) {
            const auto b1 = static_cast<unsigned char>(s[i + 1]), b2 = static_cast<unsigned char>(s[i + 2]);
            if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
                out += fmt::format("\\u{:04X}", 0x2000 + ((b1 & 0x3F) << 6) + (b2 & 0x3F));
                i += 2;
                continue;
            }
        }
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string safe_link(std::string_view url) {
    auto starts = [&](std::string_view scheme) {
        return url.size() > scheme.size() && iequals(url.substr(0, scheme.size()), scheme);
    };
    if (!starts("https://") && !starts("http://")) return {};
    // A link with spaces, quotes, angle brackets or control bytes is not one a rule would carry.
    const bool clean = std::none_of(url.begin(), url.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u == 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == '\\';
    });
    return clean ? std::string(url) : std::string();
}

std::string html_id(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        out += std::isalnum(u) && u < 0x80 ? static_cast<char>(std::tolower(u)) : '-';
    }
    return out;
}

std::string md_escape(std::string_view raw) {
    const std::string s = printable(raw);
    std::string out;
    out.reserve(s.size() + s.size() / 8);
    // At the start of a line these make a heading, list, quote or rule: "# ", "- ", "1. ".
    size_t digits = 0;
    while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits]))) ++digits;
    if (!s.empty() && (s[0] == '#' || s[0] == '-' || s[0] == '+' || s[0] == '=')) out += '\\';
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (i == digits && digits > 0 && (c == '.' || c == ')')) out += '\\';
        switch (c) {
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '&': out += "&amp;"; break;
            // Emphasis, code, links, images, tables, strike-through and escapes anywhere in a line.
            case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '~': case '!':
                out += '\\';
                out += c;
                break;
            default: out += c;
        }
    }
    return out;
}

namespace {

size_t longest_backtick_run(std::string_view s) {
    size_t longest = 0, run = 0;
    for (char c : s) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return longest;
}

}  // namespace

std::string md_code_span(std::string_view raw) {
    std::string s = printable(raw);
    std::replace(s.begin(), s.end(), '\n', ' ');
    const std::string fence(longest_backtick_run(s) + 1, '`');
    // A space on both sides keeps a leading or trailing backtick apart from the fence.
    const bool pad = !s.empty() && (s.front() == '`' || s.back() == '`');
    return fence + (pad ? " " : "") + s + (pad ? " " : "") + fence;
}

std::string md_code_block(std::string_view raw, std::string_view info) {
    // printable() keeps newlines out; a block holds several lines, so escape each line alone.
    std::string body;
    size_t start = 0;
    while (start <= raw.size()) {
        size_t end = raw.find('\n', start);
        if (end == std::string_view::npos) end = raw.size();
        std::string_view line = raw.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        body += printable(line);
        body += '\n';
        start = end + 1;
    }
    const std::string fence(std::max<size_t>(3, longest_backtick_run(body) + 1), '`');
    return fence + std::string(info) + "\n" + body + fence + "\n";
}

}  // namespace extriage
