// Finds Windows error codes in log text, without knowing what they mean (error_codes.hpp decodes
// them). A number counts as a code only where it cannot be anything else:
//   - 0x + exactly 8 hex digits with the high bit set (a failure HRESULT or NTSTATUS);
//   - a 10-digit decimal in 2147483648..4294967295, or a negative 10-digit decimal (the same
//     values printed as signed 32-bit numbers, e.g. .NET's HResult -2147024891);
//   - "%%1058" (an event message insertion naming a Win32 message);
//   - "00002098: SecErr: DSID-..." (the Win32 code of an Active Directory extended error);
//   - any other decimal or hex number ONLY right after error words: "error code 1603",
//     "Error 1603.", "exit code 1618", "status: 1603", "is returning 1642", "HRESULT: 0x5",
//     "LDAP error 0x20" (an LDAP result code), "Note: 1: 2203" / "DEBUG: Error 2826" /
//     "The error code is 2753" / "-- Error 1714." (Windows Installer messages).
// Dotted and colon-joined numbers (builds, times, dates, addresses), GUIDs, PIDs and numbers after
// other words ("Return value 3", "Thread:8") are never taken.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace extriage {

// What the text says a number is.
enum class CodeSpace {
    any32,   // a 32-bit value: HRESULT, NTSTATUS, or a Win32 code wrapped in one
    win32,   // a Win32 error code (GetLastError, exit codes, MsiExec return codes)
    ldap,    // an LDAP result code
    msi,     // a Windows Installer message number (the Error table, internal errors 2xxx)
};

struct CodeMention {
    std::string written;   // as it appears: "0x8007200A", "-2147024891", "1603", "%%1058"
    uint32_t value = 0;    // negative numbers as their 32-bit two's complement
    CodeSpace space = CodeSpace::win32;
};

// Every code mentioned in `text`, in order of appearance (repeats included).
std::vector<CodeMention> find_error_codes(std::string_view text);

// A fact whose name says it holds a code ("error_code", "exit_code", "status", "server_error",
// "ldap_error") and whose value starts with a number: that number, in the space the name implies.
// Numbers after other fact names are left to find_error_codes().
std::optional<CodeMention> fact_error_code(std::string_view name, std::string_view value);

}  // namespace extriage
