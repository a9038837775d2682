// One CSV row split into cells, as Exchange's transport logs and PowerShell's Export-Csv write
// them: cells separated by commas, quoted cells may hold commas and "" for a quote.
// Header-only; shared by exchange-transport-log and exchange-queue-listing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace extriage::csvrow {

// Splits `line` into `cells` (at most max_cells; the rest of a longer row is dropped).
// Returns false when a quote is left open: the row is then kept as far as it could be read,
// and a caller that allows line breaks inside quoted cells may join the next line and retry.
inline bool split(std::string_view line, std::vector<std::string>& cells, size_t max_cells) {
    cells.clear();
    std::string cell;
    bool quoted = false, was_quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == '"' && cell.empty() && !was_quoted) {
            quoted = was_quoted = true;
        } else if (c == ',') {
            if (cells.size() < max_cells) cells.push_back(std::move(cell));
            cell.clear();
            was_quoted = false;
        } else if (c != '\r') {
            cell += c;
        }
    }
    if (cells.size() < max_cells) cells.push_back(std::move(cell));
    return !quoted;
}

}  // namespace extriage::csvrow
