// The live server behind SystemAccess on Windows: the registry (64-bit view, read-only), the
// service control manager (enumerate and query only), version resources, free space, Windows
// Installer's product and patch registrations, and event log export. Nothing here asks for more
// than read access or for elevation; a read that fails gives its reason (access denied, not found,
// or the system's message), never an exception. Decoding of what the API returns is portable
// (platform/windows_values.hpp) and unit-tested on every platform.
#ifdef _WIN32
#include <windows.h>
// After windows.h:
#include <msi.h>
#include <winevt.h>
#include <winsvc.h>
#include <winver.h>

#include <algorithm>
#include <cwchar>
#include <iterator>
#include <memory>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "app/system_access.hpp"
#include "platform/files.hpp"
#include "platform/utf16.hpp"
#include "platform/utf8_path.hpp"
#include "platform/windows_values.hpp"

namespace extriage {

namespace {

using platform::ReadFailure;

static_assert(REG_SZ == static_cast<DWORD>(platform::RegistryType::sz) &&
              REG_MULTI_SZ == static_cast<DWORD>(platform::RegistryType::multi_sz) &&
              REG_QWORD == static_cast<DWORD>(platform::RegistryType::qword));
static_assert(SERVICE_DISABLED == 4 && SERVICE_AUTO_START == 2 && SERVICE_RUNNING == 4 && SERVICE_PAUSED == 7);

std::wstring wide(std::string_view utf8) {
    const std::u16string u16 = platform::utf8_to_utf16(utf8);
    return std::wstring(u16.begin(), u16.end());
}

std::string narrow(const wchar_t* text, size_t length) {
    return platform::utf16_to_utf8(std::u16string_view(reinterpret_cast<const char16_t*>(text), length));
}
std::string narrow(const wchar_t* text) { return text ? narrow(text, wcslen(text)) : std::string(); }

// The system's own words for an error, on one line, with its number.
std::string error_text(DWORD code) {
    wchar_t* buffer = nullptr;
    const DWORD n = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                                   nullptr, code, 0, reinterpret_cast<wchar_t*>(&buffer), 0, nullptr);
    std::string text = n ? narrow(buffer, n) : std::string();
    if (buffer) LocalFree(buffer);
    for (char& c : text)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    while (!text.empty() && (text.back() == ' ' || text.back() == '.')) text.pop_back();
    if (code == ERROR_ACCESS_DENIED) text = "access denied";
    return text.empty() ? fmt::format("error {}", code) : fmt::format("{} (error {})", text, code);
}

AccessStatus status_of(DWORD code) {
    switch (platform::classify_win32_error(code)) {
        case ReadFailure::missing: return AccessStatus::missing;
        case ReadFailure::denied: return AccessStatus::denied;
        case ReadFailure::error: break;
    }
    return AccessStatus::error;
}

AccessResult failure(DWORD code) { return {status_of(code), {}, error_text(code)}; }

AccessStatus status_of(const std::error_code& ec) {
    if (ec == std::errc::permission_denied) return AccessStatus::denied;
    if (ec == std::errc::no_such_file_or_directory) return AccessStatus::missing;
    return AccessStatus::error;
}

struct RegKey {
    HKEY key = nullptr;
    LSTATUS rc = ERROR_INVALID_PARAMETER;
    explicit RegKey(std::string_view path) {
        const platform::RegistryPath p = platform::split_registry_path(path);
        if (p.root == platform::RegistryRoot::unknown) return;
        // KEY_WOW64_64KEY: the 64-bit view, where Exchange writes, whatever this process is.
        rc = RegOpenKeyExW(p.root == platform::RegistryRoot::local_machine ? HKEY_LOCAL_MACHINE : HKEY_CURRENT_USER,
                           wide(p.subkey).c_str(), 0, KEY_READ | KEY_WOW64_64KEY, &key);
    }
    ~RegKey() {
        if (key) RegCloseKey(key);
    }
    RegKey(const RegKey&) = delete;
    RegKey& operator=(const RegKey&) = delete;
};

struct ServiceHandle {
    SC_HANDLE h;
    explicit ServiceHandle(SC_HANDLE handle) : h(handle) {}
    ~ServiceHandle() {
        if (h) CloseServiceHandle(h);
    }
    ServiceHandle(const ServiceHandle&) = delete;
    ServiceHandle& operator=(const ServiceHandle&) = delete;
};

// The start type of one service, or its error code.
DWORD query_start_type(SC_HANDLE manager, const wchar_t* name, DWORD& start_type) {
    ServiceHandle svc(OpenServiceW(manager, name, SERVICE_QUERY_CONFIG));
    if (!svc.h) return GetLastError();
    DWORD needed = 0;
    QueryServiceConfigW(svc.h, nullptr, 0, &needed);
    if (needed == 0) return GetLastError();
    std::vector<unsigned char> buffer(needed);
    auto* config = reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.data());
    if (!QueryServiceConfigW(svc.h, config, needed, &needed)) return GetLastError();
    start_type = config->dwStartType;
    return ERROR_SUCCESS;
}

// msi.h's INSTALLPROPERTY_* names are TCHAR strings, narrow in this build (no UNICODE).
constexpr const wchar_t* kProductName = L"ProductName";     // INSTALLPROPERTY_PRODUCTNAME
constexpr const wchar_t* kDisplayName = L"DisplayName";     // INSTALLPROPERTY_DISPLAYNAME (patches)
constexpr const wchar_t* kLocalPackage = L"LocalPackage";   // INSTALLPROPERTY_LOCALPACKAGE: the cached .msi/.msp

// One Windows Installer property (MsiGetProductInfoEx or MsiGetPatchInfoEx, machine context).
template <typename Query>
std::string installer_property(Query query) {
    DWORD length = 0;
    wchar_t empty[1] = {};
    UINT rc = query(empty, &length);
    if (rc != ERROR_MORE_DATA && rc != ERROR_SUCCESS) return {};
    std::wstring value(length + 1, L'\0');
    length = static_cast<DWORD>(value.size());
    if (query(value.data(), &length) != ERROR_SUCCESS) return {};
    return narrow(value.c_str(), length);
}

class WindowsSystemAccess final : public SystemAccess {
public:
    ~WindowsSystemAccess() override {
        if (export_dir_.empty()) return;
        std::error_code ec;
        for (const auto& e : platform::list_folder(export_dir_, ec)) DeleteFileW(wide(e.path).c_str());
        RemoveDirectoryW(wide(export_dir_).c_str());
    }

    AccessResult reg_value(std::string_view key, std::string_view value) override {
        RegKey k(key);
        if (k.rc != ERROR_SUCCESS) return failure(static_cast<DWORD>(k.rc));
        const std::wstring name = wide(value);
        std::vector<unsigned char> data(256);
        for (int attempt = 0; attempt < 4; ++attempt) {
            DWORD type = 0, size = static_cast<DWORD>(data.size());
            const LSTATUS rc = RegQueryValueExW(k.key, name.c_str(), nullptr, &type, data.data(), &size);
            if (rc == ERROR_MORE_DATA) {   // the value grew or the buffer was short: again with its size
                data.resize(size + 2);
                continue;
            }
            if (rc != ERROR_SUCCESS) return failure(static_cast<DWORD>(rc));
            auto text = platform::registry_value_text(type, std::string_view(reinterpret_cast<const char*>(data.data()), size));
            if (!text) return {AccessStatus::error, {}, fmt::format("registry value of type {} is {} bytes long", type, size)};
            return {AccessStatus::ok, std::move(*text), {}};
        }
        return {AccessStatus::error, {}, "the value kept changing size while it was read"};
    }

    // A key this account may not open exists (Windows says "not found" otherwise).
    bool reg_key_exists(std::string_view key) override {
        RegKey k(key);
        return k.rc == ERROR_SUCCESS || k.rc == ERROR_ACCESS_DENIED;
    }

    std::vector<std::string> reg_subkeys(std::string_view key, AccessStatus& status) override {
        std::vector<std::string> out;
        RegKey k(key);
        if (k.rc != ERROR_SUCCESS) {
            status = status_of(static_cast<DWORD>(k.rc));
            return out;
        }
        status = AccessStatus::ok;
        wchar_t name[256];   // a key name is at most 255 characters
        for (DWORD i = 0;; ++i) {
            DWORD length = static_cast<DWORD>(std::size(name));
            const LSTATUS rc = RegEnumKeyExW(k.key, i, name, &length, nullptr, nullptr, nullptr, nullptr);
            if (rc == ERROR_NO_MORE_ITEMS) break;
            if (rc != ERROR_SUCCESS) {
                status = status_of(static_cast<DWORD>(rc));
                break;
            }
            out.push_back(narrow(name, length));
        }
        return out;
    }

    std::vector<ServiceInfo> services(AccessStatus& status) override {
        std::vector<ServiceInfo> out;
        ServiceHandle manager(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE));
        if (!manager.h) {
            status = status_of(GetLastError());
            return out;
        }
        status = AccessStatus::ok;
        std::vector<unsigned char> buffer(64 * 1024);
        DWORD resume = 0;
        for (int pass = 0; pass < 1000; ++pass) {   // bounded: each round returns some services or grows the buffer
            DWORD needed = 0, count = 0;
            const BOOL done = EnumServicesStatusExW(manager.h, SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_STATE_ALL, buffer.data(),
                                                    static_cast<DWORD>(buffer.size()), &needed, &count, &resume, nullptr);
            const DWORD rc = done ? ERROR_SUCCESS : GetLastError();
            if (rc != ERROR_SUCCESS && rc != ERROR_MORE_DATA) {
                status = status_of(rc);
                break;
            }
            const auto* entries = reinterpret_cast<const ENUM_SERVICE_STATUS_PROCESSW*>(buffer.data());
            for (DWORD i = 0; i < count; ++i) {
                ServiceInfo info{narrow(entries[i].lpServiceName), narrow(entries[i].lpDisplayName), {},
                                 platform::service_state_name(entries[i].ServiceStatusProcess.dwCurrentState)};
                DWORD start_type = 0;
                const DWORD why = query_start_type(manager.h, entries[i].lpServiceName, start_type);
                if (why == ERROR_SUCCESS) info.start_type = platform::service_start_type_name(start_type);
                else if (status == AccessStatus::ok) status = status_of(why);
                out.push_back(std::move(info));
            }
            if (rc == ERROR_SUCCESS) break;
            if (count == 0) {
                if (buffer.size() >= (64u << 20)) {
                    status = AccessStatus::error;
                    break;
                }
                buffer.resize(std::max<size_t>(buffer.size() * 2, needed));
            }
        }
        return out;
    }

    std::vector<InstallerPackage> installer_packages(AccessStatus& status, std::string& error) override {
        std::vector<InstallerPackage> out;
        status = AccessStatus::ok;
        // Per-machine only: Exchange and its prerequisites install per machine, and asking for
        // every user's products needs administrator rights.
        for (DWORD i = 0;; ++i) {
            wchar_t product[39] = {};
            const UINT rc = MsiEnumProductsExW(nullptr, nullptr, MSIINSTALLCONTEXT_MACHINE, i, product, nullptr, nullptr, nullptr);
            if (rc == ERROR_NO_MORE_ITEMS) break;
            if (rc != ERROR_SUCCESS) {
                status = status_of(rc);
                error = error_text(rc);
                break;
            }
            auto product_info = [&](const wchar_t* property) {
                return installer_property([&](wchar_t* value, DWORD* length) {
                    return MsiGetProductInfoExW(product, nullptr, MSIINSTALLCONTEXT_MACHINE, property, value, length);
                });
            };
            const std::string code = narrow(product);
            out.push_back({code, {}, product_info(kProductName), product_info(kLocalPackage)});
            for (DWORD j = 0;; ++j) {
                wchar_t patch[39] = {}, target[39] = {};
                const UINT prc = MsiEnumPatchesExW(product, nullptr, MSIINSTALLCONTEXT_MACHINE, MSIPATCHSTATE_ALL, j, patch, target,
                                                   nullptr, nullptr, nullptr);
                if (prc == ERROR_NO_MORE_ITEMS) break;
                if (prc != ERROR_SUCCESS) {
                    status = status_of(prc);
                    error = fmt::format("patches of {}: {}", code, error_text(prc));
                    break;
                }
                auto patch_info = [&](const wchar_t* property) {
                    return installer_property([&](wchar_t* value, DWORD* length) {
                        return MsiGetPatchInfoExW(patch, product, nullptr, MSIINSTALLCONTEXT_MACHINE, property, value, length);
                    });
                };
                out.push_back({code, narrow(patch), patch_info(kDisplayName), patch_info(kLocalPackage)});
            }
        }
        return out;
    }

    bool file_exists(std::string_view path) override {
        std::error_code ec;
        return platform::file_kind(std::string(path), ec) != platform::FileKind::missing;
    }

    std::vector<DirEntry> list_dir(std::string_view path, AccessStatus& status) override {
        std::error_code ec;
        std::vector<DirEntry> out;
        const auto entries = platform::list_folder(std::string(path), ec);
        if (ec) {
            status = status_of(ec);
            return out;
        }
        status = AccessStatus::ok;
        for (const auto& e : entries) {
            // Links and junctions are not followed (the platform layer's rule for every walk).
            if (e.kind == platform::FileKind::directory) out.push_back({e.name, true, 0});
            else if (e.kind == platform::FileKind::regular) out.push_back({e.name, false, platform::file_size(e.path).value_or(0)});
        }
        return out;
    }

    AccessResult read_file(std::string_view path, uint64_t max_bytes) override {
        const std::string p(path);
        std::error_code ec;
        if (auto size = platform::file_size(p); size && *size > max_bytes)
            return {AccessStatus::error, {}, fmt::format("{} bytes, more than the {} read at most", *size, max_bytes)};
        auto text = platform::read_file(p, ec);
        if (!text) return {status_of(ec), {}, ec.message()};
        return {AccessStatus::ok, std::move(*text), {}};
    }

    AccessResult file_version(std::string_view path) override {
        const std::wstring name = platform::u8_to_path(path).wstring();
        DWORD ignored = 0;
        const DWORD size = GetFileVersionInfoSizeW(name.c_str(), &ignored);
        if (size == 0) return failure(GetLastError());
        std::vector<unsigned char> data(size);
        if (!GetFileVersionInfoW(name.c_str(), 0, size, data.data())) return failure(GetLastError());
        VS_FIXEDFILEINFO* info = nullptr;
        UINT length = 0;
        if (!VerQueryValueW(data.data(), L"\\", reinterpret_cast<void**>(&info), &length) || length < sizeof(VS_FIXEDFILEINFO))
            return {AccessStatus::missing, {}, "no fixed version information"};
        return {AccessStatus::ok, platform::file_version_text(info->dwFileVersionMS, info->dwFileVersionLS), {}};
    }

    std::optional<uint64_t> free_bytes(std::string_view path) override {
        ULARGE_INTEGER available{};
        if (!GetDiskFreeSpaceExW(wide(path).c_str(), &available, nullptr, nullptr)) return std::nullopt;
        return available.QuadPart;
    }

    AccessResult export_event_log(std::string_view channel) override {
        if (export_dir_.empty()) {
            wchar_t temp[MAX_PATH + 1];
            const DWORD n = GetTempPathW(MAX_PATH + 1, temp);
            if (n == 0 || n > MAX_PATH) return failure(GetLastError());
            std::string dir = narrow(temp, n) + fmt::format("extriage-collect-{}", GetCurrentProcessId());
            if (!CreateDirectoryW(wide(dir).c_str(), nullptr) && GetLastError() != ERROR_ALREADY_EXISTS)
                return failure(GetLastError());
            export_dir_ = dir;
        }
        std::string base(channel);   // "Microsoft-Windows-X/Operational" names a file too
        std::replace(base.begin(), base.end(), '/', '-');
        std::string file = fmt::format("{}\\{}.evtx", export_dir_, base);
        DeleteFileW(wide(file).c_str());   // EvtExportLog does not overwrite
        if (!EvtExportLog(nullptr, wide(channel).c_str(), L"*", wide(file).c_str(), EvtExportLogChannelPath))
            return failure(GetLastError());
        return {AccessStatus::ok, std::move(file), {}};
    }

    std::string computer_name() override {
        wchar_t name[MAX_COMPUTERNAME_LENGTH + 1];
        DWORD length = static_cast<DWORD>(std::size(name));
        return GetComputerNameW(name, &length) ? narrow(name, length) : std::string();
    }

    bool is_elevated() override {
        HANDLE token = nullptr;
        if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return false;
        TOKEN_ELEVATION elevation{};
        DWORD length = 0;
        const bool ok = GetTokenInformation(token, TokenElevation, &elevation, sizeof elevation, &length);
        CloseHandle(token);
        return ok && elevation.TokenIsElevated;
    }

    std::string now_utc_iso() override {
        SYSTEMTIME t;
        GetSystemTime(&t);
        return platform::utc_iso(t.wYear, t.wMonth, t.wDay, t.wHour, t.wMinute, t.wSecond);
    }

private:
    std::string export_dir_;   // where event logs are exported, deleted with this object
};

}  // namespace

std::unique_ptr<SystemAccess> make_local_system_access() { return std::make_unique<WindowsSystemAccess>(); }

}  // namespace extriage
#endif
