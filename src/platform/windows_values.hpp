// How the Windows-only reader of a live server (app/system_access_windows.cpp) turns what the
// Win32 API hands back (registry data, service codes, version numbers, error codes) into the text
// the snapshot keeps. Portable code with the API's numeric constants written out, so that it is
// unit-tested on every platform; the Windows file checks them against the SDK's headers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace extriage::platform {

// Registry value types (winnt.h REG_*).
enum class RegistryType : uint32_t {
    none = 0,
    sz = 1,
    expand_sz = 2,
    binary = 3,
    dword = 4,
    dword_big_endian = 5,
    link = 6,
    multi_sz = 7,
    qword = 11,
};

// The text of a registry value's raw data: REG_SZ/REG_EXPAND_SZ as UTF-8 (as stored, unexpanded,
// up to the first NUL; a missing terminator or an odd trailing byte is tolerated), REG_DWORD/
// REG_QWORD in decimal, REG_MULTI_SZ joined with '\n' (empty strings inside it kept), anything else as lowercase hex. nullopt when
// a number has fewer bytes than its type needs.
std::optional<std::string> registry_value_text(uint32_t type, std::string_view data);

// "HKLM\SOFTWARE\x" → {HKLM, "SOFTWARE\x"}; HKEY_LOCAL_MACHINE and HKEY_CURRENT_USER spelt out
// are accepted too, in any case. A bare root gives an empty subkey.
enum class RegistryRoot { local_machine, current_user, unknown };
struct RegistryPath {
    RegistryRoot root = RegistryRoot::unknown;
    std::string subkey;
};
RegistryPath split_registry_path(std::string_view key);

// Service start types (SERVICE_BOOT_START..SERVICE_DISABLED) and states (SERVICE_STOPPED..
// SERVICE_PAUSED) under the names PowerShell's Get-Service gives them, which the rules use.
// An unknown code gives its number.
std::string service_start_type_name(uint32_t start_type);
std::string service_state_name(uint32_t state);

// VS_FIXEDFILEINFO's dwFileVersionMS/LS as "15.2.1544.4".
std::string file_version_text(uint32_t version_ms, uint32_t version_ls);

// What a Win32 error code means for a read: the thing is not there, this account may not read it,
// or something else went wrong.
enum class ReadFailure { missing, denied, error };
ReadFailure classify_win32_error(uint32_t code);

// "2026-12-06T09:14:03Z" from a UTC calendar time (SYSTEMTIME's fields).
std::string utc_iso(int year, int month, int day, int hour, int minute, int second);

}  // namespace extriage::platform
