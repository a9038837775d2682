// The timestamp that starts every ExchangeSetup.log line, "[04/17/2021 11:23:39.0874]".
// Setup formats it with the custom pattern "MM/dd/yyyy HH:mm:ss.ffff" in the server's culture,
// and .NET renders the '/' of a custom pattern as the culture's date separator and the ':' as
// its time separator: "[04-17-2021 ...]", "[04.17.2021 ...]", "[04.17.2021 11.23.39.0874]". The
// field order, the digits and the '.' before the fraction never change. (SetupLogReviewer reads
// the stamp with [DateTime]::Parse and the invariant culture, which accepts '/', '-' and '.'.)
// Shared by the exchange-setup parser and the sniffers that must not mistake a setup log for
// another "[time] text" log.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace extriage {

struct SetupStamp {
    int64_t local_ms = 0;      // calendar fields read as if UTC; kNoTime when not a usable date
    size_t end = 0;            // index just after the closing ']'
};

// Parses the bracketed stamp at the start of s. The shape decides (digits where digits belong,
// the same date separator twice, the same time separator twice, a 1-7 digit fraction); an
// impossible calendar value keeps the shape but gives local_ms = kNoTime.
bool parse_setup_stamp(std::string_view s, SetupStamp& out);

// True when s starts like a setup log line, "[<stamp>] [<digit>", or is a prefix of one that
// was cut after the stamp's seconds (a sniff head may end anywhere).
bool looks_like_setup_line(std::string_view s);

}  // namespace extriage
