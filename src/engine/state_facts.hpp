// Facts of a server's state for rules that join a log with a state snapshot: `{state.name}` in
// templates and checks (rules/README.md, "Joining logs and state"). They are gathered from the
// records of the state parsers (system-state, healthchecker-clixml) before the logs are matched.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "engine/rule.hpp"
#include "record.hpp"

namespace extriage {

// True when `parser` produces state records.
bool is_state_parser(std::string_view parser);

// A sink for state records (others are ignored). Facts:
//   server, collected_at, source, exchange_build, pending_reboot (yes/no), dotnet_release,
//   disabled_services / stopped_services (names, space-separated),
//   service.<Name>.start_type, service.<Name>.status,
//   msi_cache_missing (product and patch codes whose cached package is missing; lowercase, no braces).
class StateFactCollector final : public RecordSink {
public:
    void on_file_begin(std::string_view, std::string_view) override {}
    void on_record(const Record& record) override;
    void on_segment_end(const Segment&) override {}
    void on_file_end(std::string_view) override {}

    FactList facts() const;
    bool empty() const { return facts_.empty(); }
    // Servers the state records name (several: the caller decides which state applies).
    const std::set<std::string>& servers() const { return servers_; }

private:
    void set(std::string name, std::string value);
    void append(const std::string& name, std::string_view item);

    FactList facts_;
    std::set<std::string> servers_;
};

// The `contains` check: `list` (items separated by spaces or commas) holds `item`, compared without
// case and without braces, so "{CD981244-...}" matches "cd981244-...".
bool list_contains(std::string_view list, std::string_view item);

}  // namespace extriage
