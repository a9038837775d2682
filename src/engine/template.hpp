// Message and remediation templates: literal text with {fact} and {run.fact} placeholders and
// optional sections `[[ ... ]]`. Parsed once at rule load; rendered per finding.
//
// Syntax (rules/README.md, "Templates"):
//   {name}        the value of a fact; `{{` and `}}` are literal braces.
//   [[ ... ]]     an optional section: left out, with its text, when any placeholder inside it
//                 has no value. Sections do not nest; each needs at least one placeholder.
//   \[[  \]]      a literal `[[` / `]]` (e.g. PowerShell's `[string[]]`). `{{`/`}}` escape only
//                 braces: brackets after them are still read as section marks.
// A placeholder outside every section is mandatory: without its value the template does not
// render at all (render returns nullopt), and the caller decides what to do instead.
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
        int section = -1;          // index of the optional section holding it; -1: mandatory
    };
    using Lookup = std::function<std::optional<std::string>(std::string_view)>;

    // Throws std::invalid_argument with the offset of the offending character in `error_offset`
    // on bad syntax (unclosed or unmatched braces or brackets, nested or empty sections).
    static Template parse(std::string_view source, size_t* error_offset = nullptr);

    const std::vector<Piece>& pieces() const { return pieces_; }
    std::vector<std::string> placeholders() const;
    // Placeholders outside every optional section.
    std::vector<std::string> mandatory_placeholders() const;
    bool has_sections() const { return sections_ > 0; }
    const std::string& source() const { return source_; }
    bool empty() const { return source_.empty(); }

    // The text with every value filled in and every section whose values are not all there left
    // out. nullopt when a mandatory placeholder has no value; its names then go to `missing`.
    // `lookup` returns nullopt for a value that is not there.
    std::optional<std::string> render(const Lookup& lookup, std::vector<std::string>* missing = nullptr) const;

private:
    std::string source_;
    std::vector<Piece> pieces_;
    int sections_ = 0;
};

}  // namespace extriage
