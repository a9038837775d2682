// How old extriage's knowledge is, and where it comes from: the build table version advice
// reads (data/exchange-builds.tsv, or --data DIR), shared by every analysis in the process, and
// the warning when today is more than 90 days past the newest build it lists (newer updates
// are then unknown to it). `extriage --version` shows the same.
#pragma once

#include <optional>
#include <string>

#include "advice/builds.hpp"

namespace extriage {

class RuleSet;

inline constexpr int64_t kStaleTableDays = 90;

// <data_dir>/exchange-builds.tsv; the bundled data folder when data_dir is "".
std::string build_table_path(const std::string& data_dir);

// How reports name the table: "data/exchange-builds.tsv" for the bundled one (the same on every
// machine), else the path given with --data.
std::string build_table_display(const std::string& data_dir);

// The table at `path`, loaded once per process and path (thread-safe); nullptr with `error` set
// when it cannot be read. `error` may also hold a warning about skipped lines.
const BuildTable* shared_build_table(const std::string& path, std::string& error);

// The table of --data DIR, or the shipped one (advice/shipped_data.hpp) when data_dir is "".
const BuildTable* build_table_for(const std::string& data_dir, std::string& error);

// "The newest build in the build table was released on 2026-08-11, 103 days before 2026-11-22:
// ..." when today is more than kStaleTableDays past it; nullopt otherwise.
std::optional<std::string> stale_table_warning(const BuildTable& table, const Date& today);

// The text of `extriage --version`: version, rule count and folder, the build table and its
// newest build, and the staleness warning when there is one.
std::string version_text(const RuleSet* rules, const std::string& rules_dir, const std::string& data_dir, const Date& today);

}  // namespace extriage
