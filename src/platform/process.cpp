// Command line and executable path (see process.hpp).
#include "platform/process.hpp"

#include <cstdlib>
#include <filesystem>

#include "platform/utf8_path.hpp"

#ifdef _WIN32
#include <windows.h>
#include <shellapi.h>

#include "platform/utf16.hpp"
#endif

namespace extriage::platform {

Utf8Arguments::Utf8Arguments(int argc, char** argv) {
#ifdef _WIN32
    int n = 0;
    if (LPWSTR* wide = CommandLineToArgvW(GetCommandLineW(), &n)) {
        for (int i = 0; i < n; ++i) {
            std::wstring_view w = wide[i];
            args_.push_back(utf16_to_utf8(std::u16string(w.begin(), w.end())));
        }
        LocalFree(wide);
    }
    if (args_.empty())   // the system could not split it: the ANSI copy is better than nothing
#endif
        for (int i = 0; i < argc; ++i) args_.emplace_back(argv[i]);
    for (auto& a : args_) pointers_.push_back(a.data());
    pointers_.push_back(nullptr);
}

std::optional<std::string> environment_variable(const char* name) {
#ifdef _WIN32
    std::u16string wide_name = utf8_to_utf16(name);
    const wchar_t* v = _wgetenv(reinterpret_cast<const wchar_t*>(wide_name.c_str()));
    if (!v || !*v) return std::nullopt;
    std::wstring_view w = v;
    return utf16_to_utf8(std::u16string(w.begin(), w.end()));
#else
    const char* v = std::getenv(name);
    if (!v || !*v) return std::nullopt;
    return std::string(v);
#endif
}

std::optional<std::string> executable_path() {
#ifdef _WIN32
    std::wstring buf(512, L'\0');
    for (;;) {
        DWORD n = GetModuleFileNameW(nullptr, buf.data(), static_cast<DWORD>(buf.size()));
        if (n == 0) return std::nullopt;
        if (n < buf.size()) {
            buf.resize(n);
            return path_to_u8(std::filesystem::path(buf));
        }
        if (buf.size() >= 32768) return std::nullopt;
        buf.resize(buf.size() * 2);
    }
#else
    std::error_code ec;
    auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return std::nullopt;
    return path_to_u8(p);
#endif
}

}  // namespace extriage::platform
