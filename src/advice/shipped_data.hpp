// The data files shipped next to the rules (data/exchange-builds.tsv,
// data/exchange-build-issues.tsv, data/error-codes.tsv), each read and parsed at most once per
// process (batch workers share them). Every read of a shipped data file goes through
// read_shipped_data(), so moving the files (e.g. into the binary) changes one place.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "advice/build_issues.hpp"
#include "advice/builds.hpp"
#include "advice/error_codes.hpp"

namespace extriage {

inline constexpr std::string_view kBuildTableFile = "exchange-builds.tsv";
inline constexpr std::string_view kBuildIssueFile = "exchange-build-issues.tsv";
inline constexpr std::string_view kErrorCodeFile = "error-codes.tsv";

// Where read_shipped_data(file) reads from (resources/resources.hpp: a data folder, or the copy embedded
// in the executable). For messages.
std::string shipped_data_path(std::string_view file);

// The contents of a shipped data file; nullopt (with `error`) when it cannot be read.
std::optional<std::string> read_shipped_data(std::string_view file, std::string& error);

// The shipped tables, or nullptr with `error` saying why (the same error on every call).
const BuildTable* shipped_build_table(std::string& error);
const BuildIssueTable* shipped_build_issues(std::string& error);
const ErrorCodeTable* shipped_error_codes(std::string& error);

}  // namespace extriage
