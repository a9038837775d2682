// File names cross between the program and the operating system here. Inside extriage every
// path is a UTF-8 std::string; on Windows the OS speaks UTF-16, and libstdc++'s char-based
// conversions (fs::path(std::string), path::string(), fopen, std::ifstream(std::string)) use the
// ANSI code page there, which loses every name outside it. So a std::string becomes a path only
// through u8_to_path() and a path becomes a string only through path_to_u8(). On other systems
// both pass the bytes through unchanged.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace extriage::platform {

// UTF-8 → path. On Windows a path of kLongPathThreshold characters or more is turned into its
// absolute extended-length form (\\?\C:\..., \\?\UNC\server\share\...), which the file APIs
// accept beyond MAX_PATH (260) whatever the system's long-path setting.
std::filesystem::path u8_to_path(std::string_view utf8);
// path → UTF-8, without an extended-length prefix (\\?\C:\x → C:\x, \\?\UNC\s\x → \\s\x), so
// that what is shown is what the user would type.
std::string path_to_u8(const std::filesystem::path& path);

// fopen with a UTF-8 name (_wfopen on Windows). Same modes and errno as fopen. The name
// /dev/stdin is standard input on every system (on Windows a binary-mode copy of its handle).
std::FILE* fopen_u8(const std::string& utf8, const char* mode);
inline constexpr std::string_view kStandardInput = "/dev/stdin";

// Pure string forms of the extended-length rules, for any absolute Windows path in UTF-8:
//   C:\a\b → \\?\C:\a\b    \\server\share\a → \\?\UNC\server\share\a
// Paths already extended (\\?\...), device paths (\\.\...) and anything not absolute are returned
// unchanged. The input must already be normalised (backslashes, no "." or ".." parts): the
// extended form turns off the system's own normalisation.
std::string to_extended_length(std::string_view absolute_windows_path);
// The inverse: \\?\C:\a → C:\a, \\?\UNC\server\share → \\server\share; others unchanged.
std::string strip_extended_length(std::string_view path);

// At this many UTF-16 units a Windows path gets the extended-length form (MAX_PATH is 260, and a
// folder's "dir\*" search pattern must fit in it too).
inline constexpr size_t kLongPathThreshold = 240;

}  // namespace extriage::platform
