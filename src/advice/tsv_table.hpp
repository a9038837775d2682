// Tab-separated data tables under data/: '#' comment lines, one header line naming the columns,
// then one row per line (CRLF or LF). Shared by the build, build-issue and error code tables.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace extriage {

class TsvRow {
public:
    TsvRow(const std::map<std::string, size_t, std::less<>>& columns, std::vector<std::string_view> cells)
        : columns_(columns), cells_(std::move(cells)) {}
    // The cell of a column, trimmed; "" when the column or the cell is missing.
    std::string_view operator[](std::string_view column) const;

private:
    const std::map<std::string, size_t, std::less<>>& columns_;
    std::vector<std::string_view> cells_;
};

// Calls on_row(line number, row) for each data row. `aliases` maps a wanted column name to an
// older one that may stand for it. Returns false (with "line N: ..." in *errors) when the header
// lacks one of `required`; rows the callback rejects describe themselves through `error`.
bool read_tsv(std::string_view tsv, std::initializer_list<std::string_view> required,
              const std::function<void(uint64_t number, const TsvRow& row, std::vector<std::string>* errors)>& on_row,
              std::vector<std::string>* errors,
              std::initializer_list<std::pair<std::string_view, std::string_view>> aliases = {});

// The whole file, or nullopt with `error` set ("cannot open PATH").
std::optional<std::string> read_whole_file(const std::string& path, std::string& error);

// Table::parse(text, &errors) for the text of `origin`: nullopt (with `error`) when no row was
// read; otherwise `error` names the first skipped line, if any. `what` names the rows ("builds").
template <typename Table>
std::optional<Table> parse_tsv_table(std::string_view text, const std::string& origin, std::string_view what,
                                     std::string& error) {
    std::vector<std::string> errors;
    Table t = Table::parse(text, &errors);
    if (t.size() == 0) {
        error = fmt::format("{}: no {}{}", origin, what, errors.empty() ? "" : " (" + errors.front() + ")");
        return std::nullopt;
    }
    error = errors.empty() ? std::string() : fmt::format("{}: {}", origin, errors.front());
    return t;
}

}  // namespace extriage
