// Text helpers (see the header).
#include "text_util.hpp"

#include "terminal_text.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace extriage {

namespace {

// Length of the UTF-8 sequence starting at s[i], or 0 when it is not a valid one.
size_t utf8_length(std::string_view s, size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || (n == 2 && c < 0xC2) || i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
    return n;
}

// Removes an incomplete UTF-8 sequence at the end of `s` (left by cutting it at a byte count).
void drop_partial_utf8(std::string& s) {
    size_t lead = s.size();
    while (lead > 0 && s.size() - lead < 4 && (static_cast<unsigned char>(s[lead - 1]) & 0xC0) == 0x80) --lead;
    if (lead == 0) return;
    --lead;   // the byte before the continuation bytes
    if (utf8_length(s, lead) == 0 && static_cast<unsigned char>(s[lead]) >= 0xC0) s.resize(lead);
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string one_line(std::string_view s, size_t max, bool at_sentence) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
        if (out.size() < max) continue;
        // Cut: at the last sentence end when asked and it keeps enough, else at the last space
        // (for a sentence), else here.
        size_t sentence = at_sentence ? out.rfind(". ", max) : std::string::npos;
        if (sentence != std::string::npos && sentence + 1 >= max / 2) {
            out.resize(sentence + 1);
            return out;
        }
        size_t word = at_sentence ? out.rfind(' ', max) : std::string::npos;
        if (word != std::string::npos && word >= max / 2) out.resize(word);
        drop_partial_utf8(out);
        out += "…";
        return out;
    }
    return out;
}

std::string printable(std::string_view s) {
    // One escaping helper for terminal output (terminal_text.hpp); a tab is shown as a space.
    if (s.find('\t') == std::string_view::npos) return escape_for_terminal(s);
    std::string spaced(s);
    std::replace(spaced.begin(), spaced.end(), '\t', ' ');
    return escape_for_terminal(spaced);
}

}  // namespace extriage
