// Where a report goes: standard output, or the file named by -o/--output (written as bytes, so an
// HTML or Markdown report is the same file on every system). Reports are written piece by piece
// (report/report.hpp ReportWriter), so a large one is never held whole.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace extriage {

class ReportOutput {
public:
    // "" or "-": standard output. A file that cannot be created makes opened() false.
    explicit ReportOutput(const std::string& path);
    ~ReportOutput();
    ReportOutput(const ReportOutput&) = delete;
    ReportOutput& operator=(const ReportOutput&) = delete;

    bool opened() const { return to_stdout_ || file_; }
    // Appends a piece; the first failure is kept for finish().
    void write(std::string_view piece);
    // Closes the file. False when opening, a write or closing failed; `error` says which and why.
    bool finish(std::string& error);

private:
    std::string path_;
    bool to_stdout_ = false;
    std::FILE* file_ = nullptr;
    int failed_errno_ = 0;
};

// Writes `text` to `path` ("" or "-": standard output). On failure returns false and sets `error`.
bool write_report(const std::string& path, const std::string& text, std::string& error);

}  // namespace extriage
