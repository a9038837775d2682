// Knowledge age (see the header).
#include "advice/knowledge.hpp"

#include <map>
#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "advice/shipped_data.hpp"
#include "model/version.hpp"
#include "engine/engine.hpp"
#include "engine/rule_loader.hpp"

namespace extriage {

std::string build_table_path(const std::string& data_dir) {
    return data_dir.empty() ? shipped_data_path(kBuildTableFile) : data_dir + "/" + std::string(kBuildTableFile);
}

const BuildTable* build_table_for(const std::string& data_dir, std::string& error) {
    return data_dir.empty() ? shipped_build_table(error) : shared_build_table(build_table_path(data_dir), error);
}

std::string build_table_display(const std::string& data_dir) {
    return data_dir.empty() ? std::string("data/exchange-builds.tsv") : build_table_path(data_dir);
}

const BuildTable* shared_build_table(const std::string& path, std::string& error) {
    struct Loaded {
        std::optional<BuildTable> table;
        std::string error;
    };
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<Loaded>> cache;
    std::lock_guard lock(mutex);
    auto& slot = cache[path];
    if (!slot) {
        slot = std::make_unique<Loaded>();
        slot->table = BuildTable::load(path, slot->error);
    }
    error = slot->error;
    return slot->table ? &*slot->table : nullptr;
}

std::optional<std::string> stale_table_warning(const BuildTable& table, const Date& today) {
    const BuildInfo* newest = table.newest_release();
    if (!newest) return std::nullopt;
    const int64_t age = days_between(*newest->released, today);
    if (age <= kStaleTableDays) return std::nullopt;
    return fmt::format("the newest build in the build table ({}) was released on {}, {} days before {}: updates released "
                       "since are unknown to the version advice; use a newer extriage or pass --data DIR with a newer "
                       "exchange-builds.tsv",
                       newest->name, newest->release_date, age, today.iso());
}

std::string version_text(const RuleSet* rules, const std::string& rules_dir, const std::string& data_dir, const Date& today) {
    std::string out = fmt::format("extriage {}\n", tool_version());
    if (rules) out += fmt::format("rules: {} ({})\n", rules->rules().size(), rules_dir);
    else out += fmt::format("rules: not loaded ({})\n", rules_dir);
    const std::string path = build_table_path(data_dir);
    std::string error;
    const BuildTable* table = build_table_for(data_dir, error);
    if (!table) return out + fmt::format("build table: not loaded: {}\n", error);
    const BuildInfo* newest = table->newest_release();
    out += fmt::format("build table: {} builds ({})", table->rows().size(), path);
    if (newest) out += fmt::format(", newest {} released {}", newest->name, newest->release_date);
    out += "\n";
    if (auto stale = stale_table_warning(*table, today)) out += "warning: " + *stale + "\n";
    return out;
}

}  // namespace extriage
