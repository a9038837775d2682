// Terminal colours for the text reporters (analyze, timeline, batch): severities, outcomes,
// bold and dim text; plain text when colour is off (--color never, NO_COLOR, not a terminal).
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include <fmt/color.h>
#include <fmt/format.h>

#include "record.hpp"

namespace extriage {

class Painter {
public:
    explicit Painter(bool color) : color_(color) {}
    std::string operator()(std::string_view s, fmt::text_style style) const {
        return color_ ? fmt::format(style, "{}", s) : std::string(s);
    }
    std::string severity(Level l) const { return severity_text(level_name(l), l); }
    std::string severity_text(std::string_view name, Level l) const {
        switch (l) {
            case Level::critical: return (*this)(name, fmt::emphasis::bold | fg(fmt::terminal_color::bright_red));
            case Level::error: return (*this)(name, fmt::emphasis::bold | fg(fmt::terminal_color::red));
            case Level::warning: return (*this)(name, fmt::emphasis::bold | fg(fmt::terminal_color::yellow));
            default: return (*this)(name, fg(fmt::terminal_color::cyan));
        }
    }
    // The outcome in capitals, in its colour.
    std::string outcome(const std::string& o) const {
        std::string up = o;
        std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        return outcome_text(up, o);
    }
    // Any text in the colour of an outcome ("succeeded" green, "failed" red, others yellow).
    std::string outcome_text(std::string_view text, std::string_view o) const {
        if (o == "succeeded") return (*this)(text, fmt::emphasis::bold | fg(fmt::terminal_color::green));
        if (o == "failed") return (*this)(text, fmt::emphasis::bold | fg(fmt::terminal_color::red));
        return (*this)(text, fmt::emphasis::bold | fg(fmt::terminal_color::yellow));
    }
    std::string bold(std::string_view s) const { return (*this)(s, fmt::emphasis::bold); }
    std::string dim(std::string_view s) const { return (*this)(s, fg(fmt::terminal_color::bright_black)); }

private:
    bool color_;
};

}  // namespace extriage
