// UTF-8 ⇄ file system paths (see utf8_path.hpp).
#include "platform/utf8_path.hpp"

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#include <windows.h>

#include "platform/utf16.hpp"
#endif

namespace extriage::platform {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kExtended = "\\\\?\\";          // \\?\   .
constexpr std::string_view kExtendedUnc = "\\\\?\\UNC\\";  // \\?\UNC\   .

bool is_drive_absolute(std::string_view p) {
    return p.size() >= 3 && ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':' &&
           p[2] == '\\';
}

#ifdef _WIN32
std::wstring to_wide(std::string_view utf8) {
    std::u16string u = utf8_to_utf16(utf8);
    return std::wstring(u.begin(), u.end());
}

std::string from_wide(std::wstring_view wide) {
    return utf16_to_utf8(std::u16string(wide.begin(), wide.end()));
}

// The absolute, normalised form of a path (GetFullPathNameW resolves "." and "..", turns '/' into
// '\' and prefixes the current drive or folder); empty if the system refuses it.
std::wstring full_path(const std::wstring& p) {
    DWORD n = GetFullPathNameW(p.c_str(), 0, nullptr, nullptr);
    if (n == 0) return {};
    std::wstring out(n, L'\0');
    DWORD got = GetFullPathNameW(p.c_str(), n, out.data(), nullptr);
    if (got == 0 || got >= n) return {};
    out.resize(got);
    return out;
}
#endif

}  // namespace

std::string to_extended_length(std::string_view p) {
    if (p.starts_with(kExtended) || p.starts_with("\\\\.\\")) return std::string(p);
    if (is_drive_absolute(p)) return std::string(kExtended) + std::string(p);
    if (p.size() > 2 && p[0] == '\\' && p[1] == '\\') return std::string(kExtendedUnc) + std::string(p.substr(2));
    return std::string(p);
}

std::string strip_extended_length(std::string_view p) {
    if (p.starts_with(kExtendedUnc)) return "\\\\" + std::string(p.substr(kExtendedUnc.size()));
    if (p.starts_with(kExtended) && is_drive_absolute(p.substr(kExtended.size())))
        return std::string(p.substr(kExtended.size()));
    return std::string(p);
}

#ifdef _WIN32

fs::path u8_to_path(std::string_view utf8) {
    std::wstring wide = to_wide(utf8);
    if (wide.size() < kLongPathThreshold || wide.starts_with(L"\\\\?\\") || wide.starts_with(L"\\\\.\\"))
        return fs::path(std::move(wide));
    std::wstring full = full_path(wide);
    if (full.empty()) return fs::path(std::move(wide));
    return fs::path(to_wide(to_extended_length(from_wide(full))));
}

std::string path_to_u8(const fs::path& path) { return strip_extended_length(from_wide(path.native())); }

std::FILE* fopen_u8(const std::string& utf8, const char* mode) {
    if (utf8 == kStandardInput) {
        const int fd = _dup(_fileno(stdin));
        if (fd < 0) return nullptr;
        _setmode(fd, _O_BINARY);   // the bytes as they are: no CRLF folding, no stop at ^Z
        return _fdopen(fd, mode);
    }
    return _wfopen(u8_to_path(utf8).c_str(), to_wide(mode).c_str());
}

#else

fs::path u8_to_path(std::string_view utf8) { return fs::path(utf8); }

std::string path_to_u8(const fs::path& path) { return path.native(); }

std::FILE* fopen_u8(const std::string& utf8, const char* mode) { return std::fopen(utf8.c_str(), mode); }

#endif

}  // namespace extriage::platform
