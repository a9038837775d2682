// The server state that extriage reasons about, whatever it was read from: a snapshot written by
// `extriage collect` (JSON, schema/system-state.schema.json) or a HealthChecker export (CLIXML).
// Both parsers fill this struct and emit the same records from it (state_records.hpp), so one rule
// set serves both. Optional values stay unset when the source did not say: a rule never sees a
// guess.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace extriage {

struct StatePrerequisite {
    std::string id;            // dotnet is separate; vcredist-2012, vcredist-2013, ucma, url-rewrite
    std::string name;          // as Windows lists it, when installed
    bool installed = false;
    std::string version;
};

struct StateService {
    std::string name, display_name, start_type, status;   // start_type: Automatic, Manual, Disabled...
};

// A product or patch registered with Windows Installer and its cached package in C:\Windows\Installer.
struct StatePackage {
    std::string display_name;
    std::string product_code;  // "{GUID}" as the registry writes it
    std::string patch_code;    // empty for a product
    std::string local_package; // the cached .msi/.msp path
    std::optional<bool> present;
};

struct StateWatermark {
    std::string key, watermark, action;
};

struct StatePath {
    std::string path;
    bool flag = false;         // directories: exists; config files: holds %ExchangeInstallDir%
};

struct StatePolicyScope {
    std::string scope, policy;
};

struct StateVolume {
    std::string role;          // install, logs, system
    std::string path;
    std::optional<uint64_t> free_bytes;
};

struct StateComponent {
    std::string component, state;
};

struct StateUnreadable {
    std::string item, reason;
};

struct SystemState {
    std::string server, collected_at, collector;
    std::string os_name, os_version;
    std::string install_path, exchange_build, roles, owa_version;
    std::vector<std::string> installed_updates;            // KB names HealthChecker lists
    std::optional<bool> pending_reboot;
    std::vector<std::string> reboot_locations;
    std::optional<uint64_t> dotnet_release;
    std::string dotnet_version;
    std::vector<StatePrerequisite> prerequisites;
    std::vector<StateService> services;
    std::vector<StatePackage> packages;
    std::vector<StateWatermark> watermarks;
    std::vector<StatePath> directories;
    std::vector<StatePath> config_files;
    std::vector<std::string> service_cache_files;
    std::string execution_policy;
    std::vector<StatePolicyScope> policy_scopes;
    std::vector<StateVolume> volumes;
    std::optional<bool> eems_enabled;
    std::vector<std::string> eems_mitigations;
    std::vector<StateComponent> components;
    std::optional<uint64_t> ad_schema_version, ad_organization_version, ad_domain_version;
    std::optional<bool> user_is_admin;
    std::vector<StateUnreadable> unreadable;
};

inline constexpr const char* kSnapshotFormat = "extriage-system-state";
inline constexpr int kSnapshotFormatVersion = 1;

// JSON text of a snapshot (pretty-printed) and back. from_snapshot_json collects problems in
// `problems` (one line each) and keeps what it could read; it returns nullopt only when the text is
// not a snapshot at all.
std::string to_snapshot_json(const SystemState& state);
std::optional<SystemState> from_snapshot_json(std::string_view text, std::vector<std::string>& problems);

}  // namespace extriage
