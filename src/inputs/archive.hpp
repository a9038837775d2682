// Zip bundles as inputs, read in place with libarchive: nothing is extracted to disk and inputs
// are never modified. Members (and members of zips nested in zips) are sniffed like files and
// handed to the parsers as ByteSources; hostile bundles are contained by the checks in
// ArchiveLimits, each refusal being a diagnostic naming the archive and the member.
// Discovery of plain files and folders stays in discover.cpp; server names in bundle.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.hpp"

namespace extriage {

struct InputFile;
struct DiscoverOptions;
struct DiscoverStats;

struct ArchiveLimits {
    uint64_t max_entry_size = uint64_t{2} << 30;   // decompressed bytes of one member
    uint64_t max_total_size = uint64_t{8} << 30;   // decompressed bytes per top-level archive, nested included
    uint64_t max_members = 100000;                 // entries per top-level archive, nested included
    int max_depth = 4;                             // archive nesting; the archive given or found on disk is 1
    // Zip-bomb guard: a member stops being read once it has produced ratio_min_size bytes at
    // more than max_ratio decompressed bytes per compressed byte. (Deflate tops out near
    // 1032:1, so the size caps are what stops a single-layer bomb; the ratio stops the rest.)
    uint64_t max_ratio = 1000;
    uint64_t ratio_min_size = uint64_t{100} << 20;
};

// True for the start of a zip file: a local file header, or the end record of an empty zip.
bool looks_like_zip(std::string_view head);

// Member names as written in the archive, with '\' turned into '/' (older .NET zips use '\').
std::string normalize_member_name(std::string_view name);

// Absolute ("/x", "C:\x", "\\srv\x") or escaping ("../x", "a/../../x") member names.
bool is_unsafe_member_name(std::string_view normalized_name);

// Opens the archive at fs_path and appends its recognised members to out, in archive order.
// Display paths are "<display>!member", and "<display>!inner.zip!member" for nested zips.
// Problems are diagnostics (origin "archive"); the walk goes on with the next member when it can.
void discover_archive(const std::string& fs_path, const std::string& display, const DiscoverOptions& options,
                      DiagSink& diags, DiscoverStats& stats, std::vector<InputFile>& out);

// "2G", "512MiB", "100k", "1048576" -> bytes (binary units, case-insensitive); nullopt if malformed.
std::optional<uint64_t> parse_byte_size(std::string_view text);

}  // namespace extriage
