// Template parsing and rendering.
#include "engine/template.hpp"

#include <cctype>
#include <stdexcept>

namespace extriage {

Template Template::parse(std::string_view source, size_t* error_offset) {
    Template t;
    t.source_ = std::string(source);
    std::string literal;
    auto flush = [&] {
        if (!literal.empty()) t.pieces_.push_back({false, std::move(literal)});
        literal.clear();
    };
    for (size_t i = 0; i < source.size(); ++i) {
        char c = source[i];
        if (c == '{' && i + 1 < source.size() && source[i + 1] == '{') {
            literal += '{';
            ++i;
        } else if (c == '}' && i + 1 < source.size() && source[i + 1] == '}') {
            literal += '}';
            ++i;
        } else if (c == '{') {
            size_t end = source.find('}', i + 1);
            if (end == std::string_view::npos) {
                if (error_offset) *error_offset = i;
                throw std::invalid_argument("unclosed '{' in template (write '{{' for a literal brace)");
            }
            std::string_view name = source.substr(i + 1, end - i - 1);
            bool ok = !name.empty();
            for (char n : name)
                ok = ok && (std::isalnum(static_cast<unsigned char>(n)) || n == '_' || n == '.');
            if (!ok) {
                if (error_offset) *error_offset = i;
                throw std::invalid_argument("placeholder names may contain only letters, digits, '_' and '.'");
            }
            flush();
            t.pieces_.push_back({true, std::string(name)});
            i = end;
        } else if (c == '}') {
            if (error_offset) *error_offset = i;
            throw std::invalid_argument("unmatched '}' in template (write '}}' for a literal brace)");
        } else {
            literal += c;
        }
    }
    flush();
    return t;
}

std::vector<std::string> Template::placeholders() const {
    std::vector<std::string> out;
    for (const auto& p : pieces_)
        if (p.is_placeholder) out.push_back(p.text);
    return out;
}

std::string Template::render(const std::function<std::optional<std::string>(std::string_view)>& lookup,
                             std::string_view missing) const {
    std::string out;
    for (const auto& p : pieces_) {
        if (!p.is_placeholder) {
            out += p.text;
        } else if (auto v = lookup(p.text)) {
            out += *v;
        } else {
            out += missing;
        }
    }
    return out;
}

}  // namespace extriage
