// Where a report goes: standard output, or the file named by -o/--output (written as bytes, so an
// HTML or Markdown report is the same file on every system).
#pragma once

#include <string>

namespace extriage {

// Writes `text` to `path` ("" or "-": standard output). On failure returns false and sets `error`.
bool write_report(const std::string& path, const std::string& text, std::string& error);

}  // namespace extriage
