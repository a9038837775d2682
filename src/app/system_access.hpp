// What `extriage collect` and `extriage check` read from the server, behind one small interface:
// the registry (HKLM/HKCU), services, files, event-log export and identity. The collector's logic
// (collect_state.cpp, collect_bundle.cpp) only talks to this interface, so unit tests run it against
// a fake (tests/unit/fake_system.hpp) and the Windows build supplies the real one
// (make_local_system_access, system_access_windows.cpp; on other platforms it returns null and the
// commands say they need Windows). Every call is read-only and nothing asks for elevation.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace extriage {

enum class AccessStatus { ok, missing, denied, error };

// A value or a reason it could not be read.
struct AccessResult {
    AccessStatus status = AccessStatus::missing;
    std::string value;            // REG_SZ/REG_EXPAND_SZ as text, REG_DWORD/QWORD in decimal, REG_MULTI_SZ joined with '\n'
    std::string error;            // for denied/error: what the system said
    bool ok() const { return status == AccessStatus::ok; }
};

struct ServiceInfo {
    std::string name, display_name;
    std::string start_type;       // Automatic, Manual, Disabled, Boot, System
    std::string status;           // Running, Stopped, StartPending, StopPending, Paused...
};

// A product or patch registered with Windows Installer, as its API reports it.
struct InstallerPackage {
    std::string product_code;     // "{GUID}"
    std::string patch_code;       // "{GUID}" for a patch, empty for a product
    std::string display_name;     // the product's name, or the patch's display name
    std::string local_package;    // the cached .msi/.msp (C:\Windows\Installer\...), empty when not registered
};

struct DirEntry {
    std::string name;
    bool is_dir = false;
    uint64_t size = 0;
};

class SystemAccess {
public:
    virtual ~SystemAccess() = default;

    // Registry keys are written "HKLM\SOFTWARE\..." or "HKCU\...".
    virtual AccessResult reg_value(std::string_view key, std::string_view value) = 0;
    virtual bool reg_key_exists(std::string_view key) = 0;
    virtual std::vector<std::string> reg_subkeys(std::string_view key, AccessStatus& status) = 0;

    // Every service; status is denied/error when the list, or some service's start type (left
    // empty then), could not be read.
    virtual std::vector<ServiceInfo> services(AccessStatus& status) = 0;

    // The per-machine products registered with Windows Installer and the patches of each, with
    // their cached packages (MsiEnumProductsEx/MsiEnumPatchesEx). status missing: this system
    // offers no Windows Installer API to ask, and the caller reads the registry instead.
    virtual std::vector<InstallerPackage> installer_packages(AccessStatus& status, std::string& error) = 0;

    virtual bool file_exists(std::string_view path) = 0;
    virtual std::vector<DirEntry> list_dir(std::string_view path, AccessStatus& status) = 0;
    // The whole file, refused (status error) above max_bytes.
    virtual AccessResult read_file(std::string_view path, uint64_t max_bytes) = 0;
    // Version resource of an executable ("15.2.1544.4"), for ExSetup.exe.
    virtual AccessResult file_version(std::string_view path) = 0;
    virtual std::optional<uint64_t> free_bytes(std::string_view path) = 0;

    // Exports an event log channel ("Application", "MSExchange Management") to an .evtx file
    // through the event log API (EvtExportLog), since the live files are locked. `value` is the
    // path of the exported file, readable with read_file; the implementation deletes its exports
    // when it is destroyed.
    virtual AccessResult export_event_log(std::string_view channel) = 0;

    virtual std::string computer_name() = 0;
    virtual bool is_elevated() = 0;
    virtual std::string now_utc_iso() = 0;   // "2026-11-20T09:14:03Z"
};

// The running machine's implementation (system_access_windows.cpp), or null where extriage cannot
// read a live server (not Windows: system_access_unsupported.cpp).
std::unique_ptr<SystemAccess> make_local_system_access();

}  // namespace extriage
