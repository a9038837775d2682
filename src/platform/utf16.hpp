// UTF-8 ⇄ UTF-16 for the Windows API boundary (file names, the command line, console output).
// Portable code, so that it is tested on every platform. Names on Windows may hold unpaired
// surrogates (NTFS does not check): those are kept as their 3-byte generalised UTF-8 form
// (WTF-8) so that a name read from a folder opens again; any other invalid input becomes U+FFFD.
#pragma once

#include <string>
#include <string_view>

namespace extriage::platform {

std::u16string utf8_to_utf16(std::string_view utf8);
std::string utf16_to_utf8(std::u16string_view utf16);

}  // namespace extriage::platform
