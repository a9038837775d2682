// Terminal output. On Windows a console is written in UTF-16 (WriteConsoleW), whatever its code
// page, and colours need its virtual-terminal mode; output to a file or pipe is UTF-8 bytes
// (with CRLF line ends: stdout stays in text mode). Elsewhere a terminal is whatever isatty says.
#pragma once

#include <cstdio>
#include <string_view>

namespace extriage::platform {

// Whether the stream is an interactive terminal or console (not a file, a pipe or NUL).
bool is_console(std::FILE* stream);

// Turns on ANSI escape sequences for a console stream (Windows 10 / Server 2016 and later);
// false when the console cannot show them (older Windows), or the stream is no console.
bool enable_colors(std::FILE* stream);

// Writes UTF-8 text; false if not all of it could be written (e.g. the reader of a pipe left).
bool write_text(std::FILE* stream, std::string_view utf8);

}  // namespace extriage::platform
