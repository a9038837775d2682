// Console detection and output (see console.hpp).
#include "platform/console.hpp"

#include <algorithm>
#include <string>

#ifdef _WIN32
#include <io.h>
#include <windows.h>

#include "platform/utf16.hpp"
#else
#include <unistd.h>
#endif

namespace extriage::platform {

#ifdef _WIN32

namespace {

HANDLE console_handle(std::FILE* stream) {
    int fd = _fileno(stream);
    if (fd < 0) return nullptr;
    auto h = reinterpret_cast<HANDLE>(_get_osfhandle(fd));
    DWORD mode = 0;
    // isatty() is true for NUL as well; only a real console has a console mode.
    return (h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode)) ? h : nullptr;
}

}  // namespace

bool is_console(std::FILE* stream) { return console_handle(stream) != nullptr; }

bool enable_colors(std::FILE* stream) {
    HANDLE h = console_handle(stream);
    DWORD mode = 0;
    if (!h || !GetConsoleMode(h, &mode)) return false;
    if (mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING) return true;
    return SetConsoleMode(h, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0;
}

bool write_text(std::FILE* stream, std::string_view utf8) {
    HANDLE h = console_handle(stream);
    if (!h) {
        // Redirected, stdout and stderr are in text mode: the C runtime writes each "\n" as "\r\n".
        // Text whose lines already end in "\r\n" (CSV, RFC 4180) would get "\r\r\n": hand it "\n".
        std::string folded;
        if (utf8.find("\r\n") != std::string_view::npos) {
            folded.reserve(utf8.size());
            for (size_t i = 0; i < utf8.size(); ++i)
                if (!(utf8[i] == '\r' && i + 1 < utf8.size() && utf8[i + 1] == '\n')) folded += utf8[i];
            utf8 = folded;
        }
        size_t n = std::fwrite(utf8.data(), 1, utf8.size(), stream);
        std::fflush(stream);
        return n == utf8.size();
    }
    std::fflush(stream);   // anything printed through stdio before goes first
    std::u16string text = utf8_to_utf16(utf8);
    // WriteConsoleW takes at most about 64 KB per call on old consoles: write in slices.
    constexpr size_t kSlice = 8192;
    for (size_t at = 0; at < text.size();) {
        size_t n = std::min(kSlice, text.size() - at);
        if (n == kSlice && text[at + n - 1] >= 0xD800 && text[at + n - 1] <= 0xDBFF) --n;   // keep pairs whole
        DWORD written = 0;
        if (!WriteConsoleW(h, reinterpret_cast<const wchar_t*>(text.data() + at), static_cast<DWORD>(n), &written, nullptr))
            return false;
        at += n;
    }
    return true;
}

#else

bool is_console(std::FILE* stream) {
    int fd = fileno(stream);
    return fd >= 0 && ::isatty(fd);
}

bool enable_colors(std::FILE* stream) { return is_console(stream); }

bool write_text(std::FILE* stream, std::string_view utf8) {
    size_t n = std::fwrite(utf8.data(), 1, utf8.size(), stream);
    std::fflush(stream);
    return n == utf8.size();
}

#endif

}  // namespace extriage::platform
