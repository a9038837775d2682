// Report output (see the header).
#include "app/report_output.hpp"

#include <cerrno>
#include <cstring>

#include "platform/console.hpp"
#include "platform/utf8_path.hpp"

namespace extriage {

ReportOutput::ReportOutput(const std::string& path) : path_(path) {
    if (path.empty() || path == "-") {
        to_stdout_ = true;
        return;
    }
    file_ = platform::fopen_u8(path, "wb");
    if (!file_) failed_errno_ = errno;
}

ReportOutput::~ReportOutput() {
    if (file_) std::fclose(file_);
}

void ReportOutput::write(std::string_view piece) {
    if (to_stdout_) {
        platform::write_text(stdout, piece);   // a closed pipe (`| head`) is not an error
        return;
    }
    if (!file_ || failed_errno_) return;
    if (std::fwrite(piece.data(), 1, piece.size(), file_) != piece.size()) failed_errno_ = errno ? errno : EIO;
}

bool ReportOutput::finish(std::string& error) {
    if (file_) {
        if (std::fclose(file_) != 0 && !failed_errno_) failed_errno_ = errno ? errno : EIO;
        file_ = nullptr;
    }
    if (!failed_errno_) return true;
    error = path_ + ": " + std::strerror(failed_errno_);
    return false;
}

bool write_report(const std::string& path, const std::string& text, std::string& error) {
    ReportOutput out(path);
    out.write(text);
    return out.finish(error);
}

}  // namespace extriage
