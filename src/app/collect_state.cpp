// See collect_state.hpp. Registry locations are those SetupAssist (Setup/SetupAssist/Checks/
// LocalServer), Shared/Get-ServerRebootPending.ps1, Setup/Shared/Get-InstallerPackages.ps1 and
// HealthChecker read; the reasons are in the rules that judge them (rules/state/).
#include "app/collect_state.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "advice/builds.hpp"
#include "model/version.hpp"

namespace extriage {

namespace {

constexpr std::string_view kExchangeSetupKey = R"(HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\Setup)";
constexpr std::string_view kExchangeKey = R"(HKLM\SOFTWARE\Microsoft\ExchangeServer\v15)";
constexpr std::string_view kUninstallKey = R"(HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall)";
constexpr std::string_view kInstallerUserData = R"(HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Installer\UserData\S-1-5-18)";
constexpr uint64_t kMaxConfigBytes = 8u << 20;

bool icontains(std::string_view hay, std::string_view needle) {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           }) != hay.end();
}

bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && icontains(s.substr(0, prefix.size()), prefix);
}

std::string join_path(std::string_view dir, std::string_view name) {
    std::string out(dir);
    if (!out.empty() && out.back() != '\\') out += '\\';
    out += name;
    return out;
}

std::string status_reason(AccessStatus s, const std::string& error) {
    if (!error.empty()) return error;
    switch (s) {
        case AccessStatus::denied: return "access denied";
        case AccessStatus::missing: return "not found";
        case AccessStatus::error: return "read error";
        case AccessStatus::ok: break;
    }
    return {};
}

// Collection context: reads that fail for a reason other than "not there" are noted as unreadable.
class Collector {
public:
    Collector(SystemAccess& sys, SystemState& st) : sys_(sys), st_(st) {}

    AccessResult value(std::string_view key, std::string_view name) {
        AccessResult r = sys_.reg_value(key, name);
        note(r.status, fmt::format("{}\\{}", key, name), r.error);
        return r;
    }
    std::vector<std::string> subkeys(std::string_view key) {
        AccessStatus s = AccessStatus::ok;
        auto out = sys_.reg_subkeys(key, s);
        note(s, std::string(key), {});
        return out;
    }
    void note(AccessStatus s, std::string item, const std::string& error) {
        if (s == AccessStatus::denied || s == AccessStatus::error) st_.unreadable.push_back({std::move(item), status_reason(s, error)});
    }

    SystemAccess& sys() { return sys_; }

private:
    SystemAccess& sys_;
    SystemState& st_;
};

void collect_os(Collector& c, SystemState& st) {
    constexpr std::string_view key = R"(HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion)";
    st.os_name = c.value(key, "ProductName").value;
    auto major = c.value(key, "CurrentMajorVersionNumber"), minor = c.value(key, "CurrentMinorVersionNumber");
    auto build = c.value(key, "CurrentBuildNumber");
    if (major.ok() && minor.ok() && build.ok()) st.os_version = fmt::format("{}.{}.{}", major.value, minor.value, build.value);
    else if (build.ok()) st.os_version = build.value;
}

void collect_exchange(Collector& c, SystemState& st) {
    st.install_path = c.value(kExchangeSetupKey, "MsiInstallPath").value;
    st.owa_version = c.value(kExchangeSetupKey, "OwaVersion").value;
    if (!st.install_path.empty()) {
        AccessResult v = c.sys().file_version(join_path(st.install_path, R"(Bin\ExSetup.exe)"));
        if (v.ok()) st.exchange_build = v.value;
    }
    if (st.exchange_build.empty()) {
        auto a = c.value(kExchangeSetupKey, "MsiProductMajor"), b = c.value(kExchangeSetupKey, "MsiProductMinor");
        auto d = c.value(kExchangeSetupKey, "MsiBuildMajor"), e = c.value(kExchangeSetupKey, "MsiBuildMinor");
        if (a.ok() && b.ok() && d.ok() && e.ok()) st.exchange_build = fmt::format("{}.{}.{}.{}", a.value, b.value, d.value, e.value);
    }
    // Installed roles are subkeys named *Role; one that still has Action/Watermark did not finish.
    std::string roles;
    for (const auto& sub : c.subkeys(kExchangeKey)) {
        const std::string key = join_path(kExchangeKey, sub);
        if (sub.size() > 4 && icontains(sub.substr(sub.size() - 4), "Role"))
            roles += (roles.empty() ? "" : ", ") + sub.substr(0, sub.size() - 4);
        AccessResult watermark = c.sys().reg_value(key, "Watermark");
        if (watermark.ok()) st.watermarks.push_back({key, watermark.value, c.sys().reg_value(key, "Action").value});
    }
    st.roles = roles;
    // SetupAssist's Test-MissingDirectory: Exchange 2013/2016 only (not 15.2).
    if (!st.install_path.empty() && !st.owa_version.empty() && !istarts_with(st.owa_version, "15.2."))
        for (const char* d : {R"(UnifiedMessaging\Grammars)", R"(UnifiedMessaging\Prompts)"}) {
            std::string path = join_path(st.install_path, d);
            st.directories.push_back({path, c.sys().file_exists(path)});
        }
}

void collect_pending_reboot(Collector& c, SystemState& st) {
    bool pending = false;
    auto add = [&](bool hit, std::string location) {
        if (!hit) return;
        pending = true;
        st.reboot_locations.push_back(std::move(location));
    };
    add(c.value(R"(HKLM\SYSTEM\CurrentControlSet\Control\Session Manager)", "PendingFileRenameOperations").ok(),
        R"(HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\PendingFileRenameOperations)");
    add(c.sys().reg_key_exists(R"(HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending)"),
        R"(HKLM:\Software\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending)");
    add(c.sys().reg_key_exists(R"(HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired)"),
        R"(HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired)");
    add(c.value(R"(HKLM\SOFTWARE\Microsoft\Updates\UpdateExeVolatile)", "Flags").ok(),
        R"(HKLM:\Software\Microsoft\Updates\UpdateExeVolatile\Flags)");
    st.pending_reboot = pending;
}

bool version_older(const std::string& a, const std::string& b) {
    auto va = BuildNumber::parse(a), vb = BuildNumber::parse(b);
    return va && vb ? *va < *vb : a < b;
}

void collect_prerequisites(Collector& c, SystemState& st) {
    AccessResult release = c.value(R"(HKLM\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full)", "Release");
    if (release.ok() && !release.value.empty() && release.value.size() < 10 &&
        std::all_of(release.value.begin(), release.value.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        st.dotnet_release = std::stoull(release.value);
    st.dotnet_version = c.value(R"(HKLM\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full)", "Version").value;

    StatePrerequisite vc2012{"vcredist-2012", "", false, ""}, vc2013{"vcredist-2013", "", false, ""};
    for (const auto& sub : c.subkeys(kUninstallKey)) {
        const std::string key = join_path(kUninstallKey, sub);
        AccessResult name = c.sys().reg_value(key, "DisplayName");
        if (!name.ok()) continue;
        for (StatePrerequisite* p : {&vc2012, &vc2013}) {
            const std::string prefix = fmt::format("Microsoft Visual C++ {}", p == &vc2012 ? "2012" : "2013");
            if (!istarts_with(name.value, prefix)) continue;
            std::string version = c.sys().reg_value(key, "DisplayVersion").value;
            if (!p->installed || version_older(p->version, version)) {
                p->installed = true;
                p->version = version;
                p->name = name.value;
            }
        }
    }
    st.prerequisites.push_back(vc2012);
    st.prerequisites.push_back(vc2013);
    AccessResult ucma = c.value(R"(HKLM\SOFTWARE\Microsoft\UCMA\{902F4F35-D5DC-4363-8671-D5EF0D26C21D})", "Version");
    st.prerequisites.push_back({"ucma", "", ucma.ok(), ucma.value});
    AccessResult rewrite = c.value(R"(HKLM\SOFTWARE\Microsoft\IIS Extensions\URL Rewrite)", "Version");
    st.prerequisites.push_back({"url-rewrite", "", rewrite.ok(), rewrite.value});
}

bool is_setupassist_service(std::string_view name) {
    static constexpr std::string_view kOthers[] = {"MpsSvc", "FMS", "HostControllerService", "RemoteRegistry", "WinMgmt"};
    if (istarts_with(name, "MSExchange")) return true;
    return std::any_of(std::begin(kOthers), std::end(kOthers), [&](std::string_view s) {
        return s.size() == name.size() && icontains(name, s);
    });
}

void collect_services(Collector& c, SystemState& st) {
    AccessStatus s = AccessStatus::ok;
    for (auto& svc : c.sys().services(s))
        if (is_setupassist_service(svc.name)) st.services.push_back({svc.name, svc.display_name, svc.start_type, svc.status});
    c.note(s, "services", {});
}

// The products SetupAssist's Get-InstallerPackages keeps: Exchange's, and Lync, Server Speech and
// Unified Communications (UCMA), whose packages Exchange setup also needs.
bool wanted_product(std::string_view name) {
    return icontains(name, "Exchange") || icontains(name, "Microsoft Lync Server") ||
           icontains(name, "Microsoft Server Speech") || icontains(name, "Microsoft Unified Communications");
}

StatePackage state_package(SystemAccess& sys, const InstallerPackage& p) {
    StatePackage out{p.display_name, p.product_code, p.patch_code, p.local_package, std::nullopt};
    if (!p.local_package.empty()) out.present = sys.file_exists(p.local_package);
    return out;
}

// Through the Windows Installer API (what FixInstallerCache asks): the wanted products and every
// patch of theirs. False when the API is not there or failed: the registry is read instead.
bool collect_installer_cache_api(Collector& c, SystemState& st) {
    AccessStatus s = AccessStatus::ok;
    std::string error;
    const std::vector<InstallerPackage> all = c.sys().installer_packages(s, error);
    if (s == AccessStatus::missing) return false;
    if (s != AccessStatus::ok) {   // noted, and the registry may still say
        c.note(s, "Windows Installer products and patches", error);
        return false;
    }
    std::vector<std::string> kept;   // product codes of the wanted products
    for (const auto& p : all)
        if (p.patch_code.empty() && wanted_product(p.display_name)) {
            kept.push_back(p.product_code);
            st.packages.push_back(state_package(c.sys(), p));
        }
    for (const auto& p : all)
        if (!p.patch_code.empty() && std::find(kept.begin(), kept.end(), p.product_code) != kept.end())
            st.packages.push_back(state_package(c.sys(), p));
    return true;
}

// Get-InstallerPackages' way, from the registry: every product and patch under
// Installer\UserData\S-1-5-18 whose display name is wanted.
void collect_installer_cache(Collector& c, SystemState& st) {
    if (collect_installer_cache_api(c, st)) return;
    const std::string products = join_path(kInstallerUserData, "Products");
    for (const auto& packed : c.subkeys(products)) {
        const std::string props = join_path(join_path(products, packed), "InstallProperties");
        AccessResult name = c.sys().reg_value(props, "DisplayName");
        if (!name.ok() || !wanted_product(name.value)) continue;
        const std::string product_code = unpack_installer_guid(packed);
        AccessResult local = c.sys().reg_value(props, "LocalPackage");
        StatePackage p{name.value, product_code, "", local.value, std::nullopt};
        if (local.ok()) p.present = c.sys().file_exists(local.value);
        st.packages.push_back(p);
        const std::string patches = join_path(join_path(products, packed), "Patches");
        for (const auto& packed_patch : c.subkeys(patches)) {
            AccessResult patch_name = c.sys().reg_value(join_path(patches, packed_patch), "DisplayName");
            AccessResult patch_local = c.sys().reg_value(join_path(join_path(kInstallerUserData, "Patches"), packed_patch), "LocalPackage");
            StatePackage q{patch_name.value, product_code, unpack_installer_guid(packed_patch), patch_local.value, std::nullopt};
            if (patch_local.ok()) q.present = c.sys().file_exists(patch_local.value);
            st.packages.push_back(q);
        }
    }
}

void collect_files(Collector& c, SystemState& st) {
    if (!st.install_path.empty()) {
        static constexpr const char* kConfigs[] = {
            R"(FrontEnd\HttpProxy\SharedWebConfig.config)", R"(ClientAccess\SharedWebConfig.config)",
            R"(FrontEnd\HttpProxy\owa\web.config)",         R"(FrontEnd\HttpProxy\ecp\web.config)",
            R"(ClientAccess\Owa\web.config)",               R"(ClientAccess\ecp\web.config)"};
        for (const char* rel : kConfigs) {
            const std::string path = join_path(st.install_path, rel);
            AccessResult text = c.sys().read_file(path, kMaxConfigBytes);
            if (text.ok()) st.config_files.push_back({path, icontains(text.value, "%ExchangeInstallDir%")});
            else c.note(text.status, path, text.error);
        }
    }
    AccessStatus s = AccessStatus::ok;
    for (const auto& e : c.sys().list_dir(R"(C:\ExchangeSetupLogs)", s))
        if (!e.is_dir && istarts_with(e.name, "Service") && e.name.size() > 4 && icontains(e.name.substr(e.name.size() - 4), ".xml"))
            st.service_cache_files.push_back(join_path(R"(C:\ExchangeSetupLogs)", e.name));
    c.note(s, R"(C:\ExchangeSetupLogs)", {});
}

// Get-ExecutionPolicy -List, from where each scope is stored (Windows PowerShell 5.1). The Process
// scope belongs to a running shell and is not read.
void collect_execution_policy(Collector& c, SystemState& st) {
    constexpr std::string_view kGpo = R"(SOFTWARE\Policies\Microsoft\Windows\PowerShell)";
    constexpr std::string_view kShell = R"(SOFTWARE\Microsoft\PowerShell\1\ShellIds\Microsoft.PowerShell)";
    const std::pair<const char*, std::string> scopes[] = {{"MachinePolicy", fmt::format("HKLM\\{}", kGpo)},
                                                          {"UserPolicy", fmt::format("HKCU\\{}", kGpo)},
                                                          {"CurrentUser", fmt::format("HKCU\\{}", kShell)},
                                                          {"LocalMachine", fmt::format("HKLM\\{}", kShell)}};
    for (const auto& [scope, key] : scopes) {
        AccessResult v = c.value(key, "ExecutionPolicy");
        std::string policy = v.ok() && !v.value.empty() ? v.value : "Undefined";
        st.policy_scopes.push_back({scope, policy});
        if (st.execution_policy.empty() && policy != "Undefined") st.execution_policy = policy;
    }
}

void collect_volumes(Collector& c, SystemState& st) {
    auto volume = [&](const char* role, const std::string& path) {
        if (path.size() < 3 || path[1] != ':') return;
        const std::string root = path.substr(0, 3);
        std::optional<uint64_t> free = c.sys().free_bytes(root);
        if (!free) c.note(AccessStatus::error, fmt::format("free space on {}", root), "the system did not give it");
        st.volumes.push_back({role, root, free});
    };
    volume("install", st.install_path);
    volume("logs", R"(C:\ExchangeSetupLogs)");
}

}  // namespace

std::string unpack_installer_guid(std::string_view p) {
    if (p.size() != 32 || !std::all_of(p.begin(), p.end(), [](char ch) { return std::isxdigit(static_cast<unsigned char>(ch)); }))
        return {};
    auto rev = [&](size_t at, size_t n) {
        std::string out(p.substr(at, n));
        std::reverse(out.begin(), out.end());
        return out;
    };
    auto swapped = [&](size_t at, size_t n) {
        std::string out;
        for (size_t i = at; i < at + n; i += 2) out += {p[i + 1], p[i]};
        return out;
    };
    std::string g = fmt::format("{{{}-{}-{}-{}-{}}}", rev(0, 8), rev(8, 4), rev(12, 4), swapped(16, 4), swapped(20, 12));
    std::transform(g.begin(), g.end(), g.begin(), [](char ch) { return static_cast<char>(std::toupper(static_cast<unsigned char>(ch))); });
    return g;
}

SystemState collect_state(SystemAccess& sys) {
    SystemState st;
    Collector c(sys, st);
    st.server = sys.computer_name();
    st.collected_at = sys.now_utc_iso();
    st.collector = fmt::format("extriage {}", tool_version());
    st.user_is_admin = sys.is_elevated();
    collect_os(c, st);
    collect_exchange(c, st);
    collect_pending_reboot(c, st);
    collect_prerequisites(c, st);
    collect_services(c, st);
    collect_installer_cache(c, st);
    collect_files(c, st);
    collect_execution_policy(c, st);
    collect_volumes(c, st);
    return st;
}

}  // namespace extriage
