// Template parsing and rendering.
#include "engine/template.hpp"

#include <cctype>
#include <stdexcept>

namespace extriage {

namespace {

[[noreturn]] void fail(size_t* error_offset, size_t at, const char* message) {
    if (error_offset) *error_offset = at;
    throw std::invalid_argument(message);
}

bool at_pair(std::string_view s, size_t i, char c) {
    return i + 1 < s.size() && s[i] == c && s[i + 1] == c;
}

}  // namespace

Template Template::parse(std::string_view source, size_t* error_offset) {
    Template t;
    t.source_ = std::string(source);
    std::string literal;
    int section = -1;               // the open section, -1 outside
    size_t section_start = 0;       // offset of its `[[`
    bool section_has_placeholder = false;
    auto flush = [&] {
        if (!literal.empty()) t.pieces_.push_back({false, std::move(literal), section});
        literal.clear();
    };
    for (size_t i = 0; i < source.size(); ++i) {
        char c = source[i];
        if (c == '\\' && (at_pair(source, i + 1, '[') || at_pair(source, i + 1, ']'))) {
            literal += source.substr(i + 1, 2);
            i += 2;
        } else if (at_pair(source, i, '{')) {
            literal += '{';
            ++i;
        } else if (at_pair(source, i, '}')) {
            literal += '}';
            ++i;
        } else if (at_pair(source, i, '[')) {
            if (section >= 0)
                fail(error_offset, i, "optional sections do not nest: close the '[[' before opening another (write '\\[[' for a literal '[[')");
            flush();
            section = t.sections_++;
            section_start = i;
            section_has_placeholder = false;
            ++i;
        } else if (at_pair(source, i, ']')) {
            if (section < 0) fail(error_offset, i, "']]' without an open '[[' (write '\\]]' for a literal ']]')");
            if (!section_has_placeholder)
                fail(error_offset, section_start, "an optional section '[[ ... ]]' needs a {fact} inside: without one it would always show");
            flush();
            section = -1;
            ++i;
        } else if (c == '{') {
            size_t end = source.find('}', i + 1);
            if (end == std::string_view::npos) fail(error_offset, i, "unclosed '{' in template (write '{{' for a literal brace)");
            std::string_view name = source.substr(i + 1, end - i - 1);
            bool ok = !name.empty();
            for (char n : name)
                ok = ok && (std::isalnum(static_cast<unsigned char>(n)) || n == '_' || n == '.');
            if (!ok) fail(error_offset, i, "placeholder names may contain only letters, digits, '_' and '.'");
            flush();
            t.pieces_.push_back({true, std::string(name), section});
            section_has_placeholder = section_has_placeholder || section >= 0;
            i = end;
        } else if (c == '}') {
            fail(error_offset, i, "unmatched '}' in template (write '}}' for a literal brace)");
        } else {
            literal += c;
        }
    }
    if (section >= 0) fail(error_offset, section_start, "unclosed '[[' in template: close the optional section with ']]'");
    flush();
    return t;
}

std::vector<std::string> Template::placeholders() const {
    std::vector<std::string> out;
    for (const auto& p : pieces_)
        if (p.is_placeholder) out.push_back(p.text);
    return out;
}

std::vector<std::string> Template::mandatory_placeholders() const {
    std::vector<std::string> out;
    for (const auto& p : pieces_)
        if (p.is_placeholder && p.section < 0) out.push_back(p.text);
    return out;
}

std::optional<std::string> Template::render(const Lookup& lookup, std::vector<std::string>* missing) const {
    // Values first: a section is dropped when any of its placeholders has none, wherever it sits.
    std::vector<std::optional<std::string>> values(pieces_.size());
    std::vector<bool> dropped(static_cast<size_t>(sections_), false);
    bool complete = true;
    for (size_t i = 0; i < pieces_.size(); ++i) {
        const Piece& p = pieces_[i];
        if (!p.is_placeholder) continue;
        values[i] = lookup(p.text);
        if (values[i]) continue;
        if (p.section >= 0) {
            dropped[static_cast<size_t>(p.section)] = true;
        } else {
            complete = false;
            if (missing) missing->push_back(p.text);
        }
    }
    if (!complete) return std::nullopt;
    std::string out;
    for (size_t i = 0; i < pieces_.size(); ++i) {
        const Piece& p = pieces_[i];
        if (p.section >= 0 && dropped[static_cast<size_t>(p.section)]) continue;
        out += p.is_placeholder ? *values[i] : p.text;
    }
    return out;
}

}  // namespace extriage
