// What the central directory of a zip file on disk says about where its members are, for the
// checks libarchive does not make: members whose data overlap (the trick that lets a zip of a
// few hundred KiB inflate to gigabytes by pointing many entries at one compressed kernel; Info-ZIP
// refuses such files since CVE-2019-13232) and member names that hold a NUL byte (libarchive stops
// the name at the NUL, which would hide the rest of it).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace extriage {

struct ZipLayout {
    bool readable = false;                         // a central directory was found and parsed
    std::optional<std::string> overlap;            // "'a' and 'b'": two members whose bytes overlap
    // Full names of the members whose name holds a NUL, by position in the file (the order in which
    // libarchive lists them: by local header offset).
    std::map<size_t, std::string> nul_names;
};

// Reads the central directory (zip64 included) and each member's local header. Never throws; a
// file it cannot make sense of gives readable == false and is left to libarchive.
ZipLayout read_zip_layout(const std::string& fs_path);

}  // namespace extriage
