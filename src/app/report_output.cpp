// Report output (see the header).
#include "app/report_output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "platform/console.hpp"
#include "platform/utf8_path.hpp"

namespace extriage {

bool write_report(const std::string& path, const std::string& text, std::string& error) {
    if (path.empty() || path == "-") {
        platform::write_text(stdout, text);   // a closed pipe (`| head`) is not an error
        return true;
    }
    std::FILE* f = platform::fopen_u8(path, "wb");
    if (!f) {
        error = path + ": " + std::strerror(errno);
        return false;
    }
    const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    const int saved = errno;
    const bool closed = std::fclose(f) == 0;
    if (!written || !closed) {
        error = path + ": " + std::strerror(written ? errno : saved);
        return false;
    }
    return true;
}

}  // namespace extriage
