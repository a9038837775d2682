// Event messages for people (see the header).
//
// Templates: Service Control Manager message strings (netevent.dll), written as Windows renders
// them in en-US: 7000, 7001, 7009, 7011, 7023, 7031, 7034, 7036, 7040 and 7043 appear verbatim in Event
// Viewer and Get-WinEvent output quoted in Microsoft's documentation (e.g. "A service does not
// start, and events 7000 and 7011 are logged") and public threads, and the message
// table layout (MessageId, %1..%n) is the one of the netevent message file ReactOS reimplements.
// Insertion strings: the Win32 error messages of winerror.h (mingw-w64) for the codes Service
// Control Manager writes as %%N in its events.
#include "event_message.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "civil_time.hpp"
#include "record.hpp"
#include "text_util.hpp"

namespace extriage::eventlog {

namespace {

struct Win32Message {
    unsigned code;
    std::string_view text;
};

constexpr Win32Message kWin32Messages[] = {
    {2, "The system cannot find the file specified."},
    {3, "The system cannot find the path specified."},
    {5, "Access is denied."},
    {1053, "The service did not respond to the start or control request in a timely fashion."},
    {1058, "The service cannot be started, either because it is disabled or because it has no enabled devices associated "
           "with it."},
    {1067, "The process terminated unexpectedly."},
    {1068, "The dependency service or group failed to start."},
    {1069, "The service did not start due to a logon failure."},
    {1075, "The dependency service does not exist or has been marked for deletion."},
};

struct Template {
    std::string_view provider;
    std::string_view event_id;
    std::string_view text;
};

constexpr Template kTemplates[] = {
    {"Service Control Manager", "7000", "The %1 service failed to start due to the following error: %n%2"},
    {"Service Control Manager", "7001",
     "The %1 service depends on the %2 service which failed to start because of the following error: %n%3"},
    {"Service Control Manager", "7009", "A timeout was reached (%1 milliseconds) while waiting for the %2 service to connect."},
    {"Service Control Manager", "7011",
     "A timeout (%1 milliseconds) was reached while waiting for a transaction response from the %2 service."},
    {"Service Control Manager", "7023", "The %1 service terminated with the following error: %n%2"},
    {"Service Control Manager", "7031",
     "The %1 service terminated unexpectedly.  It has done this %2 time(s).  The following corrective action will be "
     "taken in %3 milliseconds: %5."},
    {"Service Control Manager", "7034", "The %1 service terminated unexpectedly.  It has done this %2 time(s)."},
    {"Service Control Manager", "7036", "The %1 service entered the %2 state."},
    {"Service Control Manager", "7040", "The start type of the %1 service was changed from %2 to %3."},
    {"Service Control Manager", "7043", "The %1 service did not shut down properly after receiving a preshutdown control."},
};

bool iequal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

std::string resolve_insertions(std::string_view value) {
    std::string out;
    size_t i = 0;
    while (i < value.size()) {
        size_t at = value.find("%%", i);
        if (at == std::string_view::npos) break;
        size_t end = at + 2;
        unsigned code = 0;
        while (end < value.size() && end - at < 12 && std::isdigit(static_cast<unsigned char>(value[end])))
            code = code * 10 + static_cast<unsigned>(value[end++] - '0');
        const Win32Message* known = nullptr;
        if (end > at + 2)
            for (const auto& m : kWin32Messages)
                if (m.code == code) known = &m;
        out.append(value.substr(i, at - i));
        if (known) out += fmt::format("{} ({})", known->text, value.substr(at, end - at));
        else out.append(value.substr(at, end - at));
        i = end;
    }
    out.append(value.substr(std::min(i, value.size())));
    return out;
}

std::string render_known_message(std::string_view provider, std::string_view event_id,
                                 const std::vector<std::string_view>& values) {
    const Template* t = nullptr;
    for (const auto& c : kTemplates)
        if (c.event_id == event_id && iequal(c.provider, provider)) t = &c;
    if (!t) return {};
    std::string out;
    const std::string_view text = t->text;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%' || i + 1 >= text.size()) {
            out += text[i];
            continue;
        }
        if (text[i + 1] == 'n') {   // a line break: one space on one line
            if (!out.empty() && out.back() != ' ') out += ' ';
            ++i;
            continue;
        }
        size_t n = 0, j = i + 1;
        while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) n = n * 10 + static_cast<size_t>(text[j++] - '0');
        if (n == 0 || n > values.size()) return {};   // the event does not have the data the template needs
        out += resolve_insertions(values[n - 1]);
        i = j - 1;
    }
    return out;
}

std::string summary_line(const EventSummary& e, size_t max) {
    std::string out;
    if (e.time_ms != kNoTime) out += format_time(e.time_ms, e.time_is_utc) + "  ";
    out += fmt::format("{} {}", e.provider, e.event_id);
    if (!e.record.empty()) {
        out += fmt::format(" (record {}", e.record);
        if (!e.xml_record.empty() && e.xml_record != e.record) out += fmt::format(", EventRecordID {}", e.xml_record);
        out += ')';
    }
    std::string message = one_line(e.message, max > out.size() + 2 ? max - out.size() - 2 : 1);
    if (!message.empty()) out += "  " + message;
    return out;
}

}  // namespace extriage::eventlog
