// Tab-separated data tables.
#include "advice/tsv_table.hpp"

#include <fmt/format.h>

#include "platform/files.hpp"

namespace extriage {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
    std::vector<std::string_view> cells;
    size_t start = 0;
    while (true) {
        size_t tab = line.find('\t', start);
        cells.push_back(trim(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start)));
        if (tab == std::string_view::npos) break;
        start = tab + 1;
    }
    return cells;
}

}  // namespace

std::string_view TsvRow::operator[](std::string_view column) const {
    auto it = columns_.find(column);
    return it == columns_.end() || it->second >= cells_.size() ? std::string_view() : cells_[it->second];
}

bool read_tsv(std::string_view tsv, std::initializer_list<std::string_view> required,
              const std::function<void(uint64_t, const TsvRow&, std::vector<std::string>*)>& on_row,
              std::vector<std::string>* errors,
              std::initializer_list<std::pair<std::string_view, std::string_view>> aliases) {
    std::map<std::string, size_t, std::less<>> columns;
    bool have_header = false;
    uint64_t number = 0;
    size_t pos = 0;
    while (pos < tsv.size()) {
        size_t end = tsv.find('\n', pos);
        if (end == std::string_view::npos) end = tsv.size();
        std::string_view line = tsv.substr(pos, end - pos);
        pos = end + 1;
        ++number;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (trim(line).empty() || line.starts_with("#")) continue;
        auto cells = split_tabs(line);
        if (!have_header) {
            have_header = true;
            for (size_t i = 0; i < cells.size(); ++i) columns.emplace(std::string(cells[i]), i);
            for (const auto& [wanted, older] : aliases)
                if (!columns.count(wanted) && columns.count(older)) columns.emplace(std::string(wanted), columns.find(older)->second);
            for (std::string_view need : required)
                if (!columns.count(need)) {
                    if (errors) errors->push_back(fmt::format("line {}: header has no '{}' column", number, need));
                    return false;
                }
            continue;
        }
        on_row(number, TsvRow(columns, std::move(cells)), errors);
    }
    return have_header;
}

std::optional<std::string> read_whole_file(const std::string& path, std::string& error) {
    std::error_code ec;
    auto text = platform::read_file(path, ec);
    if (!text) error = fmt::format("cannot open {}", path);
    return text;
}

}  // namespace extriage
