// Snapshot JSON <-> SystemState. The layout is documented in schema/system-state.schema.json;
// reading is lenient (a wrong type skips that value and says so), writing omits unset values.
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "system_state_model.hpp"

namespace extriage {

namespace {

using json = nlohmann::json;

// Reads typed members of one object and notes the ones of the wrong type.
class Reader {
public:
    Reader(const json& obj, std::string where, std::vector<std::string>& problems)
        : obj_(obj), where_(std::move(where)), problems_(problems) {}

    void str(const char* key, std::string& out) const {
        const json* v = get(key);
        if (!v) return;
        if (v->is_string()) out = v->get<std::string>();
        else if (v->is_number()) out = v->dump();
        else wrong(key, "a string");
    }
    void boolean(const char* key, bool& out) const {
        std::optional<bool> b;
        boolean(key, b);
        if (b) out = *b;
    }
    void boolean(const char* key, std::optional<bool>& out) const {
        const json* v = get(key);
        if (!v) return;
        if (v->is_boolean()) out = v->get<bool>();
        else wrong(key, "true or false");
    }
    void number(const char* key, std::optional<uint64_t>& out) const {
        const json* v = get(key);
        if (!v) return;
        if (v->is_number_unsigned()) out = v->get<uint64_t>();
        else if (v->is_number_integer() && v->get<int64_t>() >= 0) out = static_cast<uint64_t>(v->get<int64_t>());
        else wrong(key, "a whole number");
    }
    void strings(const char* key, std::vector<std::string>& out) const {
        const json* v = get(key);
        if (!v) return;
        if (!v->is_array()) return wrong(key, "a list of strings");
        for (const auto& item : *v)
            if (item.is_string()) out.push_back(item.get<std::string>());
            else wrong(key, "a list of strings");
    }
    // Calls fn(Reader) for each object of an array member.
    template <class Fn>
    void objects(const char* key, Fn fn) const {
        const json* v = get(key);
        if (!v) return;
        if (!v->is_array()) return wrong(key, "a list");
        size_t i = 0;
        for (const auto& item : *v) {
            const std::string at = fmt::format("{}.{}[{}]", where_, key, i++);
            if (item.is_object()) fn(Reader(item, at, problems_));
            else problems_.push_back(at + ": expected an object");
        }
    }
    template <class Fn>
    void object(const char* key, Fn fn) const {
        const json* v = get(key);
        if (!v) return;
        if (v->is_object()) fn(Reader(*v, where_ + "." + key, problems_));
        else wrong(key, "an object");
    }

private:
    const json* get(const char* key) const {
        auto it = obj_.find(key);
        if (it == obj_.end() || it->is_null()) return nullptr;
        return &*it;
    }
    void wrong(const char* key, const char* what) const {
        problems_.push_back(fmt::format("{}.{}: expected {}", where_, key, what));
    }

    const json& obj_;
    std::string where_;
    std::vector<std::string>& problems_;
};

template <class T>
void put(json& j, const char* key, const std::optional<T>& v) {
    if (v) j[key] = *v;
}
void put(json& j, const char* key, const std::string& v) {
    if (!v.empty()) j[key] = v;
}

}  // namespace

std::optional<SystemState> from_snapshot_json(std::string_view text, std::vector<std::string>& problems) {
    json root = json::parse(text, nullptr, false);
    if (root.is_discarded()) {
        problems.push_back("not valid JSON");
        return std::nullopt;
    }
    if (!root.is_object() || !root.contains("format") || root["format"] != kSnapshotFormat) {
        problems.push_back(fmt::format("not a system-state snapshot (\"format\" is not \"{}\")", kSnapshotFormat));
        return std::nullopt;
    }
    SystemState s;
    Reader r(root, "snapshot", problems);
    std::optional<uint64_t> version;
    r.number("format_version", version);
    if (version && *version > static_cast<uint64_t>(kSnapshotFormatVersion))
        problems.push_back(fmt::format("format_version {} is newer than this extriage reads ({}); unknown members are ignored",
                                       *version, kSnapshotFormatVersion));
    r.str("server", s.server);
    r.str("collected_at", s.collected_at);
    r.str("collector", s.collector);
    r.object("os", [&](const Reader& o) {
        o.str("name", s.os_name);
        o.str("version", s.os_version);
    });
    r.object("exchange", [&](const Reader& o) {
        o.str("install_path", s.install_path);
        o.str("build", s.exchange_build);
        o.str("roles", s.roles);
        o.str("owa_version", s.owa_version);
        o.strings("installed_updates", s.installed_updates);
    });
    r.object("pending_reboot", [&](const Reader& o) {
        o.boolean("pending", s.pending_reboot);
        o.strings("locations", s.reboot_locations);
    });
    r.object("dotnet", [&](const Reader& o) {
        o.number("release", s.dotnet_release);
        o.str("version", s.dotnet_version);
    });
    r.objects("prerequisites", [&](const Reader& o) {
        StatePrerequisite p;
        o.str("id", p.id);
        o.str("name", p.name);
        o.boolean("installed", p.installed);
        o.str("version", p.version);
        s.prerequisites.push_back(std::move(p));
    });
    r.objects("services", [&](const Reader& o) {
        StateService v;
        o.str("name", v.name);
        o.str("display_name", v.display_name);
        o.str("start_type", v.start_type);
        o.str("status", v.status);
        s.services.push_back(std::move(v));
    });
    r.objects("installer_packages", [&](const Reader& o) {
        StatePackage p;
        o.str("display_name", p.display_name);
        o.str("product_code", p.product_code);
        o.str("patch_code", p.patch_code);
        o.str("local_package", p.local_package);
        o.boolean("present", p.present);
        s.packages.push_back(std::move(p));
    });
    r.objects("install_watermarks", [&](const Reader& o) {
        StateWatermark w;
        o.str("key", w.key);
        o.str("watermark", w.watermark);
        o.str("action", w.action);
        s.watermarks.push_back(std::move(w));
    });
    r.objects("directories", [&](const Reader& o) {
        StatePath p;
        o.str("path", p.path);
        o.boolean("exists", p.flag);
        s.directories.push_back(std::move(p));
    });
    r.objects("config_files", [&](const Reader& o) {
        StatePath p;
        o.str("path", p.path);
        o.boolean("exchange_install_dir_variable", p.flag);
        s.config_files.push_back(std::move(p));
    });
    r.strings("service_cache_files", s.service_cache_files);
    r.object("execution_policy", [&](const Reader& o) {
        o.str("effective", s.execution_policy);
        o.objects("scopes", [&](const Reader& e) {
            StatePolicyScope p;
            e.str("scope", p.scope);
            e.str("policy", p.policy);
            s.policy_scopes.push_back(std::move(p));
        });
    });
    r.objects("volumes", [&](const Reader& o) {
        StateVolume v;
        o.str("role", v.role);
        o.str("path", v.path);
        o.number("free_bytes", v.free_bytes);
        s.volumes.push_back(std::move(v));
    });
    r.object("eems", [&](const Reader& o) {
        o.boolean("enabled", s.eems_enabled);
        o.strings("mitigations", s.eems_mitigations);
    });
    r.objects("server_components", [&](const Reader& o) {
        StateComponent c;
        o.str("component", c.component);
        o.str("state", c.state);
        s.components.push_back(std::move(c));
    });
    r.object("active_directory", [&](const Reader& o) {
        o.number("schema_version", s.ad_schema_version);
        o.number("organization_version", s.ad_organization_version);
        o.number("domain_version", s.ad_domain_version);
    });
    r.object("user", [&](const Reader& o) { o.boolean("is_administrator", s.user_is_admin); });
    r.objects("unreadable", [&](const Reader& o) {
        StateUnreadable u;
        o.str("item", u.item);
        o.str("reason", u.reason);
        s.unreadable.push_back(std::move(u));
    });
    return s;
}

std::string to_snapshot_json(const SystemState& s) {
    json j = json::object();
    j["format"] = kSnapshotFormat;
    j["format_version"] = kSnapshotFormatVersion;
    put(j, "server", s.server);
    put(j, "collected_at", s.collected_at);
    put(j, "collector", s.collector);
    json os = json::object();
    put(os, "name", s.os_name);
    put(os, "version", s.os_version);
    if (!os.empty()) j["os"] = os;
    json ex = json::object();
    put(ex, "install_path", s.install_path);
    put(ex, "build", s.exchange_build);
    put(ex, "roles", s.roles);
    put(ex, "owa_version", s.owa_version);
    if (!s.installed_updates.empty()) ex["installed_updates"] = s.installed_updates;
    if (!ex.empty()) j["exchange"] = ex;
    if (s.pending_reboot) j["pending_reboot"] = {{"pending", *s.pending_reboot}, {"locations", s.reboot_locations}};
    json net = json::object();
    put(net, "release", s.dotnet_release);
    put(net, "version", s.dotnet_version);
    if (!net.empty()) j["dotnet"] = net;
    for (const auto& p : s.prerequisites) {
        json o = {{"id", p.id}, {"installed", p.installed}};
        put(o, "name", p.name);
        put(o, "version", p.version);
        j["prerequisites"].push_back(o);
    }
    for (const auto& v : s.services) {
        json o = {{"name", v.name}};
        put(o, "display_name", v.display_name);
        put(o, "start_type", v.start_type);
        put(o, "status", v.status);
        j["services"].push_back(o);
    }
    for (const auto& p : s.packages) {
        json o = json::object();
        put(o, "display_name", p.display_name);
        put(o, "product_code", p.product_code);
        put(o, "patch_code", p.patch_code);
        put(o, "local_package", p.local_package);
        put(o, "present", p.present);
        j["installer_packages"].push_back(o);
    }
    for (const auto& w : s.watermarks) j["install_watermarks"].push_back({{"key", w.key}, {"watermark", w.watermark}, {"action", w.action}});
    for (const auto& d : s.directories) j["directories"].push_back({{"path", d.path}, {"exists", d.flag}});
    for (const auto& c : s.config_files)
        j["config_files"].push_back({{"path", c.path}, {"exchange_install_dir_variable", c.flag}});
    if (!s.service_cache_files.empty()) j["service_cache_files"] = s.service_cache_files;
    if (!s.execution_policy.empty() || !s.policy_scopes.empty()) {
        json ep = json::object();
        put(ep, "effective", s.execution_policy);
        for (const auto& p : s.policy_scopes) ep["scopes"].push_back({{"scope", p.scope}, {"policy", p.policy}});
        j["execution_policy"] = ep;
    }
    for (const auto& v : s.volumes) {
        json o = {{"role", v.role}, {"path", v.path}};
        put(o, "free_bytes", v.free_bytes);
        j["volumes"].push_back(o);
    }
    if (s.eems_enabled || !s.eems_mitigations.empty()) {
        json e = json::object();
        put(e, "enabled", s.eems_enabled);
        if (!s.eems_mitigations.empty()) e["mitigations"] = s.eems_mitigations;
        j["eems"] = e;
    }
    for (const auto& c : s.components) j["server_components"].push_back({{"component", c.component}, {"state", c.state}});
    json ad = json::object();
    put(ad, "schema_version", s.ad_schema_version);
    put(ad, "organization_version", s.ad_organization_version);
    put(ad, "domain_version", s.ad_domain_version);
    if (!ad.empty()) j["active_directory"] = ad;
    if (s.user_is_admin) j["user"] = {{"is_administrator", *s.user_is_admin}};
    for (const auto& u : s.unreadable) j["unreadable"].push_back({{"item", u.item}, {"reason", u.reason}});
    return j.dump(2) + "\n";
}

}  // namespace extriage
