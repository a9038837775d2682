// Walking the rows of a data/ table and reading its file.
#include "app/data_table.hpp"

#include <fstream>
#include <sstream>

namespace extriage {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

void split_tabs(std::string_view line, std::vector<std::string_view>& out) {
    out.clear();
    size_t pos = 0;
    while (true) {
        size_t tab = line.find('\t', pos);
        out.push_back(trim(line.substr(pos, tab == std::string_view::npos ? std::string_view::npos : tab - pos)));
        if (tab == std::string_view::npos) break;
        pos = tab + 1;
    }
}

}  // namespace

std::string_view DataRow::cell(std::string_view column) const {
    auto it = columns_->find(column);
    return it == columns_->end() || it->second >= cells_.size() ? std::string_view() : cells_[it->second];
}

bool for_each_data_row(std::string_view tsv, std::initializer_list<std::string_view> required,
                       const std::function<void(const DataRow&)>& on_row, std::vector<std::string>* errors) {
    std::map<std::string, size_t, std::less<>> columns;
    DataRow row;
    row.columns_ = &columns;
    size_t pos = 0;
    while (pos < tsv.size()) {
        size_t end = tsv.find('\n', pos);
        if (end == std::string_view::npos) end = tsv.size();
        std::string_view line = tsv.substr(pos, end - pos);
        pos = end + 1;
        ++row.line_;
        if (trim(line).empty() || line.starts_with("#")) continue;
        split_tabs(line, row.cells_);
        if (columns.empty()) {
            for (size_t i = 0; i < row.cells_.size(); ++i) columns.emplace(std::string(row.cells_[i]), i);
            for (std::string_view need : required)
                if (!columns.contains(need)) {
                    if (errors) errors->push_back(fmt::format("line {}: header has no '{}' column", row.line_, need));
                    return false;
                }
            continue;
        }
        on_row(row);
    }
    return true;
}

std::optional<std::string> read_data_file(const std::string& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = fmt::format("cannot open {}", path);
        return std::nullopt;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    if (in.bad()) {
        error = fmt::format("cannot read {}", path);
        return std::nullopt;
    }
    return buf.str();
}

}  // namespace extriage
