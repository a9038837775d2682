// What folder walks, file checks and small whole-file reads need from the file system, with
// UTF-8 names. On Windows
// this talks to the Win32 API directly: MinGW's std::filesystem lists folders through
// _wopendir (which stops at MAX_PATH) and cannot tell a junction or symbolic link from a plain
// folder, so a walk would loop through links and fail below 260 characters.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace extriage::platform {

enum class FileKind {
    missing,     // nothing there
    regular,     // a file (on Windows also one with a reparse tag that is not a link, e.g. deduplicated)
    directory,
    link,        // a symbolic link, or on Windows a junction (mount point); only from list_folder
    other,       // device, pipe, socket...
};

// The kind of what `path` names, following links (an explicitly named link is used). Errors
// other than "not found" go to ec (and give FileKind::other).
FileKind file_kind(const std::string& path, std::error_code& ec);

// Size of a regular file, nullopt when it cannot be had.
std::optional<uint64_t> file_size(const std::string& path);
// Size of an open stream when it is a regular file (not a pipe or device); 64-bit on Windows too.
std::optional<uint64_t> open_file_size(std::FILE* file);

struct FolderEntry {
    std::string name;   // UTF-8
    std::string path;   // folder and name joined with the system's separator
    FileKind kind = FileKind::other;   // links are FileKind::link, never followed
};

// The entries of one folder (no "." or ".."), sorted by name (bytewise). A folder that cannot be
// listed sets ec (std::errc::permission_denied when access was refused).
std::vector<FolderEntry> list_folder(const std::string& folder, std::error_code& ec);

// Every regular file below `folder`, in path order (each folder's entries by name), links not
// followed, a folder met twice (a loop the system does not show as a link) walked once. When
// `folder` itself cannot be listed, ec says why; a sub-folder that cannot be listed is passed to
// on_unreadable (if given) and the walk goes on. A folder `max_depth` levels below `folder` is
// not entered; it is passed to on_too_deep (if given).
using UnreadableFolder = std::function<void(const std::string& folder, std::error_code why)>;
using TooDeepFolder = std::function<void(const std::string& folder)>;
std::vector<std::string> walk_files(const std::string& folder, std::error_code& ec,
                                    const UnreadableFolder& on_unreadable = {}, int max_depth = 512,
                                    const TooDeepFolder& on_too_deep = {});

// The whole content of a (small) file: rules, data tables. nullopt with ec when it cannot be read.
std::optional<std::string> read_file(const std::string& path, std::error_code& ec);

}  // namespace extriage::platform
