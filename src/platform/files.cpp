// Folder listing and file checks with UTF-8 names (see files.hpp).
#include "platform/files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <set>
#include <utility>

#include "platform/utf8_path.hpp"

#include <sys/stat.h>
#include <sys/types.h>

#ifdef _WIN32
#include <windows.h>
#endif

namespace extriage::platform {

namespace fs = std::filesystem;

namespace {

bool is_separator(char c) {
#ifdef _WIN32
    return c == '\\' || c == '/';
#else
    return c == '/';
#endif
}

// folder + separator + name, keeping the folder as it was written ("C:/Logs" + "a" → "C:/Logs\a").
std::string join(const std::string& folder, const std::string& name) {
    if (folder.empty()) return name;
#ifdef _WIN32
    if (folder.size() == 2 && folder[1] == ':') return folder + name;   // drive-relative "C:"
    constexpr char kSeparator = '\\';
#else
    constexpr char kSeparator = '/';
#endif
    if (is_separator(folder.back())) return folder + name;
    return folder + kSeparator + name;
}

#ifdef _WIN32

#ifndef IO_REPARSE_TAG_LX_SYMLINK
#define IO_REPARSE_TAG_LX_SYMLINK 0xA000001DL
#endif

std::error_code win_error(DWORD e) {
    switch (e) {
        case ERROR_ACCESS_DENIED: return std::make_error_code(std::errc::permission_denied);
        case ERROR_FILE_NOT_FOUND:
        case ERROR_PATH_NOT_FOUND: return std::make_error_code(std::errc::no_such_file_or_directory);
        default: return {static_cast<int>(e), std::system_category()};
    }
}

bool not_found(DWORD e) {
    return e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND || e == ERROR_INVALID_NAME || e == ERROR_BAD_NETPATH ||
           e == ERROR_BAD_NET_NAME || e == ERROR_INVALID_DRIVE || e == ERROR_BAD_PATHNAME;
}

FileKind kind_of_attributes(DWORD attrs) {
    if (attrs & FILE_ATTRIBUTE_DEVICE) return FileKind::other;
    return (attrs & FILE_ATTRIBUTE_DIRECTORY) ? FileKind::directory : FileKind::regular;
}

// Junctions (mount points) and symbolic links are links; other reparse points (deduplicated or
// cloud files, ...) are read as what they hold.
bool is_link_tag(DWORD tag) {
    return tag == IO_REPARSE_TAG_SYMLINK || tag == IO_REPARSE_TAG_MOUNT_POINT || tag == IO_REPARSE_TAG_LX_SYMLINK;
}

#endif

}  // namespace

#ifdef _WIN32

FileKind file_kind(const std::string& path, std::error_code& ec) {
    ec.clear();
    if (path == kStandardInput) return FileKind::other;   // read once, as a stream
    const fs::path p = u8_to_path(path);
    DWORD attrs = GetFileAttributesW(p.c_str());
    if (attrs == INVALID_FILE_ATTRIBUTES) {
        DWORD e = GetLastError();
        if (not_found(e)) return FileKind::missing;
        ec = win_error(e);
        return FileKind::other;
    }
    if (!(attrs & FILE_ATTRIBUTE_REPARSE_POINT)) return kind_of_attributes(attrs);
    // Follow the link: the attributes of what it points to.
    HANDLE h = CreateFileW(p.c_str(), 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                           FILE_FLAG_BACKUP_SEMANTICS, nullptr);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        if (not_found(e)) return FileKind::missing;   // a dangling link
        ec = win_error(e);
        return FileKind::other;
    }
    BY_HANDLE_FILE_INFORMATION info{};
    BOOL ok = GetFileInformationByHandle(h, &info);
    CloseHandle(h);
    return ok ? kind_of_attributes(info.dwFileAttributes) : kind_of_attributes(attrs);
}

std::optional<uint64_t> file_size(const std::string& path) {
    WIN32_FILE_ATTRIBUTE_DATA data{};
    if (!GetFileAttributesExW(u8_to_path(path).c_str(), GetFileExInfoStandard, &data)) return std::nullopt;
    if (data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) return std::nullopt;
    return (static_cast<uint64_t>(data.nFileSizeHigh) << 32) | data.nFileSizeLow;
}

std::vector<FolderEntry> list_folder(const std::string& folder, std::error_code& ec) {
    ec.clear();
    std::vector<FolderEntry> out;
    const fs::path pattern = u8_to_path(folder) / L"*";
    WIN32_FIND_DATAW data{};
    HANDLE h = FindFirstFileExW(pattern.c_str(), FindExInfoBasic, &data, FindExSearchNameMatch, nullptr,
                                FIND_FIRST_EX_LARGE_FETCH);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        if (e != ERROR_FILE_NOT_FOUND) ec = win_error(e);   // not found: an empty drive root
        return out;
    }
    do {
        std::wstring_view name = data.cFileName;
        if (name == L"." || name == L"..") continue;
        FolderEntry entry;
        entry.name = path_to_u8(fs::path(std::wstring(name)));
        entry.path = join(folder, entry.name);
        if ((data.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) && is_link_tag(data.dwReserved0))
            entry.kind = FileKind::link;
        else
            entry.kind = kind_of_attributes(data.dwFileAttributes);
        out.push_back(std::move(entry));
    } while (FindNextFileW(h, &data));
    DWORD e = GetLastError();
    FindClose(h);
    if (e != ERROR_NO_MORE_FILES) ec = win_error(e);
    std::sort(out.begin(), out.end(), [](const FolderEntry& a, const FolderEntry& b) { return a.name < b.name; });
    return out;
}

#else

FileKind file_kind(const std::string& path, std::error_code& ec) {
    auto st = fs::status(u8_to_path(path), ec);
    if (ec) {
        if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) {
            ec.clear();
            return FileKind::missing;
        }
        return FileKind::other;
    }
    switch (st.type()) {
        case fs::file_type::not_found: return FileKind::missing;
        case fs::file_type::regular: return FileKind::regular;
        case fs::file_type::directory: return FileKind::directory;
        default: return FileKind::other;
    }
}

std::optional<uint64_t> file_size(const std::string& path) {
    std::error_code ec;
    uint64_t n = fs::file_size(u8_to_path(path), ec);
    if (ec) return std::nullopt;
    return n;
}

std::vector<FolderEntry> list_folder(const std::string& folder, std::error_code& ec) {
    ec.clear();
    std::vector<FolderEntry> out;
    for (auto it = fs::directory_iterator(u8_to_path(folder), ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        FolderEntry entry;
        entry.name = path_to_u8(it->path().filename());
        entry.path = join(folder, entry.name);
        std::error_code sec;
        auto st = it->symlink_status(sec);
        if (sec) entry.kind = FileKind::other;
        else if (fs::is_symlink(st)) entry.kind = FileKind::link;
        else if (fs::is_regular_file(st)) entry.kind = FileKind::regular;
        else if (fs::is_directory(st)) entry.kind = FileKind::directory;
        else entry.kind = FileKind::other;
        out.push_back(std::move(entry));
    }
    std::sort(out.begin(), out.end(), [](const FolderEntry& a, const FolderEntry& b) { return a.name < b.name; });
    return out;
}

#endif

std::optional<std::string> read_file(const std::string& path, std::error_code& ec) {
    ec.clear();
    if (file_kind(path, ec) == FileKind::directory) ec = std::make_error_code(std::errc::is_a_directory);
    if (ec) return std::nullopt;
    std::FILE* f = fopen_u8(path, "rb");
    if (!f) {
        ec = std::error_code(errno, std::generic_category());
        return std::nullopt;
    }
    std::string out;
    char buf[1 << 16];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    if (std::ferror(f)) ec = std::error_code(errno ? errno : EIO, std::generic_category());
    std::fclose(f);
    if (ec) return std::nullopt;
    return out;
}

std::optional<uint64_t> open_file_size(std::FILE* file) {
#ifdef _WIN32
    struct _stat64 st {};
    if (_fstat64(_fileno(file), &st) != 0 || (st.st_mode & _S_IFMT) != _S_IFREG) return std::nullopt;
#else
    struct stat st {};
    if (::fstat(fileno(file), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
#endif
    return static_cast<uint64_t>(st.st_size);
}

namespace {

// A folder's identity on its volume: (volume or device, file index or inode).
using FolderId = std::pair<uint64_t, uint64_t>;

std::optional<FolderId> folder_id(const std::string& folder) {
#ifdef _WIN32
    HANDLE h = CreateFileW(u8_to_path(folder).c_str(), 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                           OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
    if (h == INVALID_HANDLE_VALUE) return std::nullopt;
    BY_HANDLE_FILE_INFORMATION info{};
    BOOL ok = GetFileInformationByHandle(h, &info);
    CloseHandle(h);
    if (!ok) return std::nullopt;
    return FolderId{info.dwVolumeSerialNumber, (static_cast<uint64_t>(info.nFileIndexHigh) << 32) | info.nFileIndexLow};
#else
    struct stat st {};
    if (::stat(folder.c_str(), &st) != 0) return std::nullopt;
    return FolderId{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
#endif
}

// Depth-first, each folder's entries in name order: the files come out in path order. A folder
// seen before is not entered again: links are skipped already, but where the system does not
// show a link as one (wine shows Unix symbolic links as plain folders; bind mounts) a loop
// still ends.
// Returns the error of listing `folder` itself; those of its sub-folders go to on_unreadable.
struct WalkLimits {
    const UnreadableFolder& on_unreadable;
    int max_depth;
    const TooDeepFolder& on_too_deep;
};

std::error_code walk(const std::string& folder, std::vector<std::string>& files, int depth, std::set<FolderId>& seen,
                     const WalkLimits& limits) {
    if (auto id = folder_id(folder); id && !seen.insert(*id).second) return {};
    std::error_code ec;
    auto entries = list_folder(folder, ec);
    if (ec) return ec;
    for (const auto& e : entries) {
        if (e.kind == FileKind::regular) {
            files.push_back(e.path);
        } else if (e.kind == FileKind::directory) {
            if (depth + 1 >= limits.max_depth) {
                if (limits.on_too_deep) limits.on_too_deep(e.path);
            } else if (std::error_code sub = walk(e.path, files, depth + 1, seen, limits); sub && limits.on_unreadable) {
                limits.on_unreadable(e.path, sub);
            }
        }
    }
    return {};
}

}  // namespace

std::vector<std::string> walk_files(const std::string& folder, std::error_code& ec, const UnreadableFolder& on_unreadable,
                                    int max_depth, const TooDeepFolder& on_too_deep) {
    std::vector<std::string> files;
    std::set<FolderId> seen;
    ec = walk(folder, files, 0, seen, WalkLimits{on_unreadable, max_depth, on_too_deep});
    return files;
}

}  // namespace extriage::platform
