// Loading the shipped data files once.
#include "app/shipped_data.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "engine/rule_loader.hpp"

namespace extriage {

namespace {

// A table loaded on first use; `error` says why it is missing (or what was skipped).
template <typename Table>
struct Loaded {
    std::optional<Table> table;
    std::string error;
};

}  // namespace

std::string shipped_data_path(std::string_view file) { return default_data_dir() + "/" + std::string(file); }

std::optional<std::string> read_shipped_data(std::string_view file, std::string& error) {
    const std::string path = shipped_data_path(file);
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

namespace {

// Reads and parses a shipped table; a table without rows is an error, a skipped line a warning.
template <typename Table>
Loaded<Table> load_table(std::string_view file, std::string_view what) {
    Loaded<Table> l;
    auto text = read_shipped_data(file, l.error);
    if (!text) return l;
    std::vector<std::string> errors;
    Table t = Table::parse(*text, &errors);
    const std::string path = shipped_data_path(file);
    if (t.size() == 0) {
        l.error = fmt::format("{}: no {}{}", path, what, errors.empty() ? "" : " (" + errors.front() + ")");
        return l;
    }
    if (!errors.empty()) l.error = fmt::format("{}: {}", path, errors.front());
    l.table = std::move(t);
    return l;
}

template <typename Table>
const Table* table_or_error(const Loaded<Table>& loaded, std::string& error) {
    error = loaded.error;
    return loaded.table ? &*loaded.table : nullptr;
}

}  // namespace

const BuildTable* shipped_build_table(std::string& error) {
    static const Loaded<BuildTable> loaded = load_table<BuildTable>(kBuildTableFile, "builds");
    return table_or_error(loaded, error);
}

const ErrorCodeTable* shipped_error_codes(std::string& error) {
    static const Loaded<ErrorCodeTable> loaded = load_table<ErrorCodeTable>(kErrorCodeFile, "error codes");
    return table_or_error(loaded, error);
}

}  // namespace extriage
