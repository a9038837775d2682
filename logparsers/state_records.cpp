// See state_records.hpp.
#include "state_records.hpp"

#include <utility>
#include <vector>

#include <fmt/format.h>

namespace extriage {

namespace {

// Values come from the server (paths, display names): no control characters reach a record.
std::string clean(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c);
    return out;
}

std::string yes_no(bool b) { return b ? "yes" : "no"; }

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : " | ") + s;
    return out;
}

class Emitter {
public:
    Emitter(std::string_view path, std::string_view parser, RecordSink& sink) : path_(path), parser_(parser), sink_(sink) {}

    // Fields with an empty value are left out, so a rule never matches "key=" for an unknown value.
    void emit(std::string_view kind, std::vector<std::pair<std::string_view, std::string>> kv, Level level = Level::info) {
        std::vector<std::pair<std::string, std::string>> kept;
        std::string text = fmt::format("{}:", kind);
        bool first = true;
        for (auto& [k, v] : kv) {
            if (v.empty()) continue;
            std::string value = clean(v);
            text += fmt::format("{} {}={}", first ? "" : ";", k, value);
            first = false;
            kept.emplace_back(std::string(k), std::move(value));
        }
        std::vector<Field> fields;
        fields.push_back({"kind", kind});
        for (const auto& [k, v] : kept) fields.push_back({k, v});
        Record r;
        r.parser = parser_;
        r.path = path_;
        r.line = 0;
        r.level = level;
        r.text = text;
        r.raw = text;
        r.fields = fields;
        sink_.on_record(r);
    }

private:
    std::string_view path_, parser_;
    RecordSink& sink_;
};

}  // namespace

void emit_state_records(const SystemState& s, std::string_view source, std::string_view path, std::string_view parser,
                        RecordSink& sink) {
    Emitter e(path, parser, sink);
    e.emit("snapshot", {{"server", s.server}, {"collected_at", s.collected_at}, {"collector", s.collector}, {"source", std::string(source)}});
    if (!s.os_name.empty() || !s.os_version.empty()) e.emit("os", {{"name", s.os_name}, {"version", s.os_version}});
    if (!s.exchange_build.empty() || !s.install_path.empty())
        e.emit("exchange", {{"build", s.exchange_build}, {"roles", s.roles}, {"install_path", s.install_path}, {"owa_version", s.owa_version}});
    for (const auto& kb : s.installed_updates) e.emit("installed-update", {{"name", kb}});
    if (s.pending_reboot)
        e.emit("pending-reboot", {{"pending", yes_no(*s.pending_reboot)}, {"locations", joined(s.reboot_locations)}});
    if (s.dotnet_release || !s.dotnet_version.empty())
        e.emit("dotnet", {{"release", s.dotnet_release ? std::to_string(*s.dotnet_release) : ""}, {"version", s.dotnet_version}});
    for (const auto& p : s.prerequisites)
        e.emit("prerequisite", {{"id", p.id}, {"installed", yes_no(p.installed)}, {"version", p.version}, {"name", p.name}});
    for (const auto& v : s.services)
        e.emit("service", {{"name", v.name}, {"start_type", v.start_type}, {"status", v.status}, {"display_name", v.display_name}});
    for (const auto& p : s.packages)
        e.emit("installer-package", {{"present", p.present ? yes_no(*p.present) : "unknown"},
                                     {"product_code", p.product_code},
                                     {"patch_code", p.patch_code},
                                     {"local_package", p.local_package},
                                     {"display_name", p.display_name}});
    for (const auto& w : s.watermarks) e.emit("install-watermark", {{"action", w.action}, {"key", w.key}, {"watermark", w.watermark}});
    for (const auto& d : s.directories) e.emit("directory", {{"exists", yes_no(d.flag)}, {"path", d.path}});
    for (const auto& c : s.config_files) e.emit("config-file", {{"exchange_install_dir_variable", yes_no(c.flag)}, {"path", c.path}});
    for (const auto& f : s.service_cache_files) e.emit("service-cache-file", {{"path", f}});
    if (!s.execution_policy.empty()) e.emit("execution-policy", {{"effective", s.execution_policy}});
    for (const auto& p : s.policy_scopes) e.emit("execution-policy-scope", {{"scope", p.scope}, {"policy", p.policy}});
    for (const auto& v : s.volumes) {
        std::string gb = v.free_bytes ? std::to_string(*v.free_bytes / (1024ull * 1024 * 1024)) : "";
        e.emit("volume", {{"role", v.role}, {"free_gb", gb}, {"free_bytes", v.free_bytes ? std::to_string(*v.free_bytes) : ""}, {"path", v.path}});
    }
    if (s.eems_enabled || !s.eems_mitigations.empty())
        e.emit("eems", {{"enabled", s.eems_enabled ? yes_no(*s.eems_enabled) : ""}, {"mitigations", joined(s.eems_mitigations)}});
    for (const auto& c : s.components) e.emit("server-component", {{"component", c.component}, {"state", c.state}});
    auto num = [](const std::optional<uint64_t>& v) { return v ? std::to_string(*v) : std::string(); };
    if (s.ad_schema_version || s.ad_organization_version || s.ad_domain_version)
        e.emit("active-directory", {{"schema_version", num(s.ad_schema_version)},
                                    {"organization_version", num(s.ad_organization_version)},
                                    {"domain_version", num(s.ad_domain_version)}});
    if (s.user_is_admin) e.emit("user", {{"is_administrator", yes_no(*s.user_is_admin)}});
    for (const auto& u : s.unreadable) e.emit("unreadable", {{"item", u.item}, {"reason", u.reason}}, Level::warning);
}

}  // namespace extriage
