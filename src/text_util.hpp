// Small text helpers shared by the analysis and the reporters.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace extriage {

// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

// Whitespace runs (newlines included) become one space; the result is cut at `max` bytes on a
// UTF-8 boundary with "…" appended. With `at_sentence`, a cut prefers the end of the last whole
// sentence ("...done. "), then the last space, when that keeps at least half of `max`.
std::string one_line(std::string_view s, size_t max, bool at_sentence = false);

// Text from an input made safe for a terminal: escape_for_terminal (terminal_text.hpp), with a
// tab shown as a space.
std::string printable(std::string_view s);

}  // namespace extriage
