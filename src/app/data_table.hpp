// The tab-separated tables under data/: '#' comment lines and blank lines are skipped, the first
// other line names the columns, cells are trimmed. Table types (BuildTable, ErrorCodeTable) turn
// rows into their own records; this file only walks the text and reads files.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace extriage {

class DataRow {
public:
    // The cell of a column; empty when the table has no such column or the row is short.
    std::string_view cell(std::string_view column) const;
    bool has_column(std::string_view column) const { return columns_->contains(column); }
    uint64_t line() const { return line_; }

private:
    friend bool for_each_data_row(std::string_view, std::initializer_list<std::string_view>,
                                  const std::function<void(const DataRow&)>&, std::vector<std::string>*);
    const std::map<std::string, size_t, std::less<>>* columns_ = nullptr;
    std::vector<std::string_view> cells_;
    uint64_t line_ = 0;
};

// Calls on_row for each data row of `tsv`. False, with "line N: header has no 'x' column" in
// *errors, when the header lacks one of the `required` columns (then no row is read).
bool for_each_data_row(std::string_view tsv, std::initializer_list<std::string_view> required,
                       const std::function<void(const DataRow&)>& on_row, std::vector<std::string>* errors);

// The contents of a file; nullopt with `error` when it cannot be read.
std::optional<std::string> read_data_file(const std::string& path, std::string& error);

// Table::parse(text, &errors) for text read from `origin`: nullopt (with `error`) when no row
// was read; otherwise `error` names the first skipped line, if any. `what` names the rows.
template <typename Table>
std::optional<Table> parse_data_table(std::string_view text, const std::string& origin, std::string_view what,
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
