// Message and remediation templates: literal text with {fact} and {run.fact} placeholders.
// `{{` and `}}` stand for literal braces. Parsed once at rule load; rendered per finding.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace extriage {

class Template {
public:
    struct Piece {
        bool is_placeholder = false;
        std::string text;          // literal text, or the placeholder name
    };

    // Throws std::invalid_argument with the column offset in `error_offset` on bad syntax.
    static Template parse(std::string_view source, size_t* error_offset = nullptr);

    const std::vector<Piece>& pieces() const { return pieces_; }
    std::vector<std::string> placeholders() const;
    const std::string& source() const { return source_; }
    bool empty() const { return source_.empty(); }

    // Lookup returns nullopt when a value is missing; it is then rendered as `missing`.
    std::string render(const std::function<std::optional<std::string>(std::string_view)>& lookup,
                       std::string_view missing = "(unknown)") const;

private:
    std::string source_;
    std::vector<Piece> pieces_;
};

}  // namespace extriage
