// What an event says, for people: the evidence line of every event record, the same for the
// three event parsers ("2023-01-09 22:40:31 UTC  Service Control Manager 7000 (record 3)  The
// Microsoft Exchange Transport service failed to start due to the following error: The service
// cannot be started, either because it is disabled ..."). Events without a rendered message
// (binary .evtx, wevtutil without /rd) get the Windows message template of a few well-known
// events filled in, and insertion strings such as %%1058 are replaced by their Windows text.
// Record fields and text (what rules match) are not changed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace extriage::eventlog {

// "%%1058" (an insertion string naming a Windows error message) -> the message, with the code
// kept: "The service cannot be started, ... associated with it. (%%1058)". Unknown codes and all
// other text stay as they are.
std::string resolve_insertions(std::string_view value);

// The message of a well-known event without a rendered message: its template (%1, %2 ... are the
// data values in order, %n a line break) filled in; "" when (provider, event id) is not known.
std::string render_known_message(std::string_view provider, std::string_view event_id,
                                 const std::vector<std::string_view>& values);

struct EventSummary {
    int64_t time_ms;               // kNoTime when unknown
    bool time_is_utc;
    std::string_view provider;
    std::string_view event_id;
    std::string_view record;       // the record number (EVTX record header, else EventRecordID)
    std::string_view xml_record;   // <EventRecordID> when it differs from `record` ("" otherwise)
    std::string_view message;      // rendered message, or data text
};

// "time  Provider EventID (record N)  message" on one line, at most `max` bytes (UTF-8 safe).
std::string summary_line(const EventSummary& e, size_t max);

}  // namespace extriage::eventlog
