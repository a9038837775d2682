// "did you mean ...?" for mistyped subcommands.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace extriage {

// The candidate closest to `word` (case-insensitive edit distance of at most 2, or a prefix);
// "" when none is close.
std::string closest_word(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace extriage
