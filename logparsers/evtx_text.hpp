// Text helpers for the EVTX decoder: UTF-16LE to UTF-8, XML escaping for the one-line raw
// rendering, and FILETIME / ISO-8601 conversions. No allocation beyond the output string.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace extriage::evtx {

// Appends `units` UTF-16LE code units; unpaired surrogates become U+FFFD.
void append_utf16le(std::string& out, const uint8_t* p, size_t units);

// Escapes & < > " and control characters (as &#N;) so the result stays on one line.
void append_xml_escaped(std::string& out, std::string_view s);

// FILETIME is 100 ns ticks since 1601-01-01 UTC.
int64_t filetime_to_unix_ms(uint64_t filetime);
// "2023-01-09T22:54:26.1294562Z", as Windows renders SystemTime.
void append_filetime_iso(std::string& out, uint64_t filetime);
// "2023-01-09T22:54:26.129Z".
void append_unix_ms_iso(std::string& out, int64_t unix_ms);
void append_civil_iso(std::string& out, int64_t year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                      unsigned second);
// Parses "YYYY-MM-DDThh:mm:ss[.fraction][Z]" as UTC; nullopt if malformed.
std::optional<int64_t> parse_iso_to_unix_ms(std::string_view s);

}  // namespace extriage::evtx
