// Closest-word suggestions (Levenshtein distance, case-insensitive).
#include "cli/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace extriage {

namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
            const size_t next = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
            diagonal = row[j];
            row[j] = next;
        }
    }
    return row[b.size()];
}

}  // namespace

std::string closest_word(std::string_view word, const std::vector<std::string>& candidates) {
    if (word.empty() || word.size() > 64) return {};
    std::string best;
    size_t best_distance = 3;
    for (const auto& c : candidates) {
        size_t d = edit_distance(word, c);
        if (word.size() >= 3 && c.size() > word.size() && edit_distance(word, c.substr(0, word.size())) == 0) d = std::min<size_t>(d, 1);
        if (d < best_distance) {
            best = c;
            best_distance = d;
        }
    }
    return best;
}

}  // namespace extriage
