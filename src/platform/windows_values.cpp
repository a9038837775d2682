// See windows_values.hpp.
#include "platform/windows_values.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "platform/utf16.hpp"

namespace extriage::platform {

namespace {

// The UTF-16LE code units of `data` (a trailing odd byte is dropped).
std::u16string utf16_units(std::string_view data) {
    std::u16string out(data.size() / 2, u'\0');
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<char16_t>(static_cast<unsigned char>(data[2 * i]) |
                                       (static_cast<unsigned>(static_cast<unsigned char>(data[2 * i + 1])) << 8));
    return out;
}

uint64_t little_endian(std::string_view data, size_t bytes) {
    uint64_t v = 0;
    for (size_t i = bytes; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(data[i]);
    return v;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

std::optional<std::string> registry_value_text(uint32_t type, std::string_view data) {
    switch (static_cast<RegistryType>(type)) {
        case RegistryType::sz:
        case RegistryType::expand_sz:
        case RegistryType::link: {
            std::u16string units = utf16_units(data);
            units.resize(std::min(units.size(), units.find(u'\0')));
            return utf16_to_utf8(units);
        }
        case RegistryType::multi_sz: {
            // Strings each ended by a NUL, the list by one more. Empty strings inside the list are
            // kept: PendingFileRenameOperations writes one as the target of a file to delete.
            std::u16string units = utf16_units(data);
            while (!units.empty() && units.back() == u'\0') units.pop_back();
            std::string out;
            for (size_t at = 0; at <= units.size();) {
                const size_t end = std::min(units.size(), units.find(u'\0', at));
                if (at > 0) out += '\n';
                out += utf16_to_utf8(std::u16string_view(units).substr(at, end - at));
                at = end + 1;
            }
            return out;
        }
        case RegistryType::dword:
            if (data.size() < 4) return std::nullopt;
            return std::to_string(little_endian(data, 4));
        case RegistryType::dword_big_endian: {
            if (data.size() < 4) return std::nullopt;
            uint32_t v = 0;
            for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(data[i]);
            return std::to_string(v);
        }
        case RegistryType::qword:
            if (data.size() < 8) return std::nullopt;
            return std::to_string(little_endian(data, 8));
        case RegistryType::none:
        case RegistryType::binary:
            break;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(data.size() * 2);
    for (unsigned char c : data) {
        hex += kHex[c >> 4];
        hex += kHex[c & 0xf];
    }
    return hex;
}

RegistryPath split_registry_path(std::string_view key) {
    const size_t cut = key.find('\\');
    const std::string_view root = key.substr(0, cut);
    RegistryPath out;
    if (iequals(root, "HKLM") || iequals(root, "HKEY_LOCAL_MACHINE")) out.root = RegistryRoot::local_machine;
    else if (iequals(root, "HKCU") || iequals(root, "HKEY_CURRENT_USER")) out.root = RegistryRoot::current_user;
    if (cut != std::string_view::npos) out.subkey = std::string(key.substr(cut + 1));
    while (!out.subkey.empty() && out.subkey.back() == '\\') out.subkey.pop_back();
    return out;
}

std::string service_start_type_name(uint32_t start_type) {
    switch (start_type) {
        case 0: return "Boot";
        case 1: return "System";
        case 2: return "Automatic";
        case 3: return "Manual";
        case 4: return "Disabled";
        default: return std::to_string(start_type);
    }
}

std::string service_state_name(uint32_t state) {
    switch (state) {
        case 1: return "Stopped";
        case 2: return "StartPending";
        case 3: return "StopPending";
        case 4: return "Running";
        case 5: return "ContinuePending";
        case 6: return "PausePending";
        case 7: return "Paused";
        default: return std::to_string(state);
    }
}

std::string file_version_text(uint32_t version_ms, uint32_t version_ls) {
    return std::to_string(version_ms >> 16) + "." + std::to_string(version_ms & 0xffff) + "." +
           std::to_string(version_ls >> 16) + "." + std::to_string(version_ls & 0xffff);
}

ReadFailure classify_win32_error(uint32_t code) {
    switch (code) {
        case 2:      // ERROR_FILE_NOT_FOUND
        case 3:      // ERROR_PATH_NOT_FOUND
        case 15:     // ERROR_INVALID_DRIVE
        case 1060:   // ERROR_SERVICE_DOES_NOT_EXIST
        case 1168:   // ERROR_NOT_FOUND
        case 1605:   // ERROR_UNKNOWN_PRODUCT
        case 1608:   // ERROR_UNKNOWN_PROPERTY
        case 1647:   // ERROR_UNKNOWN_PATCH
        case 1812:   // ERROR_RESOURCE_DATA_NOT_FOUND (no version resource)
        case 1813:   // ERROR_RESOURCE_TYPE_NOT_FOUND
        case 15007:  // ERROR_EVT_CHANNEL_NOT_FOUND
            return ReadFailure::missing;
        case 5:      // ERROR_ACCESS_DENIED
        case 1314:   // ERROR_PRIVILEGE_NOT_HELD
            return ReadFailure::denied;
        default:
            return ReadFailure::error;
    }
}

std::string utc_iso(int year, int month, int day, int hour, int minute, int second) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour, minute, second);
    return buf;
}

}  // namespace extriage::platform
