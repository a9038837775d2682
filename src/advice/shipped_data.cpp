// Loading the shipped data files once.
#include "advice/shipped_data.hpp"

#include "advice/tsv_table.hpp"
#include "resources/resources.hpp"

namespace extriage {

std::string shipped_data_path(std::string_view file) { return data_file_label(file); }

std::optional<std::string> read_shipped_data(std::string_view file, std::string& error) {
    return read_data_file(file, error);
}

namespace {

// A table loaded on first use; `error` says why it is missing (or what was skipped).
template <typename Table>
struct Loaded {
    std::optional<Table> table;
    std::string error;
};

template <typename Table>
Loaded<Table> load_table(std::string_view file, std::string_view what) {
    Loaded<Table> l;
    if (auto text = read_shipped_data(file, l.error)) l.table = parse_tsv_table<Table>(*text, shipped_data_path(file), what, l.error);
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

const BuildIssueTable* shipped_build_issues(std::string& error) {
    static const Loaded<BuildIssueTable> loaded = load_table<BuildIssueTable>(kBuildIssueFile, "rows");
    return table_or_error(loaded, error);
}

const ErrorCodeTable* shipped_error_codes(std::string& error) {
    static const Loaded<ErrorCodeTable> loaded = load_table<ErrorCodeTable>(kErrorCodeFile, "error codes");
    return table_or_error(loaded, error);
}

}  // namespace extriage
