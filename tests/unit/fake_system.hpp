// An in-memory SystemAccess for the collector's unit tests: registry values, keys, services and
// files are whatever the test puts in; paths and keys compare case-insensitively, like Windows.
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "app/system_access.hpp"

namespace extriage::test {

inline std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return out;
}

class FakeSystem final : public SystemAccess {
public:
    std::map<std::string, std::string> values;        // lower("KEY\\name") -> value
    std::map<std::string, std::string> keys;           // lower(key) -> key as written; parents added by set()
    std::set<std::string> denied_keys;                 // lower(key): reads are denied
    std::map<std::string, std::string> files;          // lower(path) -> contents
    std::map<std::string, std::string> versions;       // lower(path) -> file version
    std::vector<ServiceInfo> service_list;
    std::map<std::string, std::string> event_logs;     // channel -> exported bytes
    std::vector<InstallerPackage> installer;           // what the Windows Installer API lists
    AccessStatus installer_status = AccessStatus::missing;   // missing: no API, the registry is read
    std::string installer_error;
    bool elevated = true;

    void set(const std::string& key, const std::string& name, const std::string& value) {
        values[lower(key + "\\" + name)] = value;
        add_key(key);
    }
    void add_key(std::string key) {
        for (;;) {
            keys.emplace(lower(key), key);
            size_t cut = key.rfind('\\');
            if (cut == std::string::npos) break;
            key.resize(cut);
        }
    }

    AccessResult reg_value(std::string_view key, std::string_view name) override {
        if (denied_keys.count(lower(key))) return {AccessStatus::denied, {}, "access denied"};
        auto it = values.find(lower(std::string(key) + "\\" + std::string(name)));
        if (it == values.end()) return {};
        return {AccessStatus::ok, it->second, {}};
    }
    bool reg_key_exists(std::string_view key) override { return keys.count(lower(key)) > 0; }
    std::vector<std::string> reg_subkeys(std::string_view key, AccessStatus& status) override {
        std::vector<std::string> out;
        const std::string prefix = lower(key) + "\\";
        status = keys.count(lower(key)) ? AccessStatus::ok : AccessStatus::missing;
        for (const auto& [k, written] : keys)
            if (k.rfind(prefix, 0) == 0 && k.find('\\', prefix.size()) == std::string::npos) out.push_back(written.substr(prefix.size()));
        return out;
    }
    std::vector<ServiceInfo> services(AccessStatus& status) override {
        status = AccessStatus::ok;
        return service_list;
    }
    std::vector<InstallerPackage> installer_packages(AccessStatus& status, std::string& error) override {
        status = installer_status;
        error = installer_error;
        return installer;
    }
    bool file_exists(std::string_view path) override {
        const std::string p = lower(path);
        if (files.count(p)) return true;
        return std::any_of(files.begin(), files.end(), [&](const auto& kv) { return kv.first.rfind(p + "\\", 0) == 0; });
    }
    std::vector<DirEntry> list_dir(std::string_view path, AccessStatus& status) override {
        std::vector<DirEntry> out;
        const std::string prefix = lower(path) + "\\";
        std::set<std::string> dirs;
        for (const auto& [p, data] : files) {
            if (p.rfind(prefix, 0) != 0) continue;
            std::string rest = p.substr(prefix.size());
            size_t cut = rest.find('\\');
            if (cut == std::string::npos) out.push_back({rest, false, data.size()});
            else if (dirs.insert(rest.substr(0, cut)).second) out.push_back({rest.substr(0, cut), true, 0});
        }
        status = out.empty() ? AccessStatus::missing : AccessStatus::ok;
        return out;
    }
    AccessResult read_file(std::string_view path, uint64_t max_bytes) override {
        auto it = files.find(lower(path));
        if (it == files.end()) return {};
        if (it->second.size() > max_bytes) return {AccessStatus::error, {}, "too large"};
        return {AccessStatus::ok, it->second, {}};
    }
    AccessResult file_version(std::string_view path) override {
        auto it = versions.find(lower(path));
        return it == versions.end() ? AccessResult{} : AccessResult{AccessStatus::ok, it->second, {}};
    }
    std::optional<uint64_t> free_bytes(std::string_view) override { return 40ull << 30; }
    AccessResult export_event_log(std::string_view channel) override {
        auto it = event_logs.find(std::string(channel));
        if (it == event_logs.end()) return {AccessStatus::denied, {}, "access denied"};
        const std::string path = "c:\\temp\\export-" + lower(channel) + ".evtx";
        files[path] = it->second;
        return {AccessStatus::ok, path, {}};
    }
    std::string computer_name() override { return "EX03"; }
    bool is_elevated() override { return elevated; }
    std::string now_utc_iso() override { return "2026-12-01T10:00:00Z"; }
};

}  // namespace extriage::test
