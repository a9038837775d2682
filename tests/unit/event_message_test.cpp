// Event messages for people: insertion strings, known templates, the evidence line (issue 9).
#include <doctest/doctest.h>

#include "event_message.hpp"
#include "record.hpp"

using namespace extriage;
using namespace extriage::eventlog;

TEST_CASE("event message: %%N insertion strings become their Windows text, other text is kept") {
    CHECK(resolve_insertions("%%1058") ==
          "The service cannot be started, either because it is disabled or because it has no enabled devices associated with "
          "it. (%%1058)");
    CHECK(resolve_insertions("error %%1053 then %%5.") ==
          "error The service did not respond to the start or control request in a timely fashion. (%%1053) then Access is "
          "denied. (%%5).");
    // Unknown codes, a bare "%%" and ordinary percent signs stay as written.
    CHECK(resolve_insertions("%%4242") == "%%4242");
    CHECK(resolve_insertions("100%% done") == "100%% done");
    CHECK(resolve_insertions("50% of %1") == "50% of %1");
    CHECK(resolve_insertions("") == "");
    CHECK(resolve_insertions("%%") == "%%");
}

TEST_CASE("event message: known Service Control Manager templates are filled with the data values") {
    CHECK(render_known_message("Service Control Manager", "7000", {"Microsoft Exchange Transport", "%%1069"}) ==
          "The Microsoft Exchange Transport service failed to start due to the following error: The service did not start "
          "due to a logon failure. (%%1069)");
    CHECK(render_known_message("service control manager", "7040", {"Microsoft Exchange Transport", "auto start", "disabled",
                                                                      "MSExchangeTransport"}) ==
          "The start type of the Microsoft Exchange Transport service was changed from auto start to disabled.");
    CHECK(render_known_message("Service Control Manager", "7031",
                               {"Microsoft Exchange Service Host", "1", "60000", "1", "Restart the service"}) ==
          "The Microsoft Exchange Service Host service terminated unexpectedly.  It has done this 1 time(s).  The following "
          "corrective action will be taken in 60000 milliseconds: Restart the service.");
    // Unknown events, and events missing a value the template needs, get no template.
    CHECK(render_known_message("Service Control Manager", "7045", {"x"}).empty());
    CHECK(render_known_message("MsiInstaller", "7000", {"x", "y"}).empty());
    CHECK(render_known_message("Service Control Manager", "7000", {"only one"}).empty());
}

TEST_CASE("event message: the evidence line is time, provider, id, record and the message on one line") {
    const int64_t t = 1673304866129;   // 2023-01-09T22:54:26.129Z
    CHECK(summary_line({t, true, "MsiInstaller", "1023", "9295", "", "Product: X -\r\n could not be installed."}, 600) ==
          "2023-01-09 22:54:26 UTC  MsiInstaller 1023 (record 9295)  Product: X - could not be installed.");
    // Both numbers when the record header and <EventRecordID> differ; not when they agree.
    CHECK(summary_line({t, true, "P", "1", "5", "7", "m"}, 600) == "2023-01-09 22:54:26 UTC  P 1 (record 5, EventRecordID 7)  m");
    CHECK(summary_line({t, true, "P", "1", "5", "5", "m"}, 600) == "2023-01-09 22:54:26 UTC  P 1 (record 5)  m");
    // Without a time, record or message.
    CHECK(summary_line({kNoTime, true, "P", "1", "", "", ""}, 600) == "P 1");
    // Long messages are cut on a UTF-8 boundary.
    std::string long_message(1000, 'x');
    long_message.insert(40, "é");
    std::string line = summary_line({kNoTime, true, "P", "1", "", "", long_message}, 50);
    CHECK(line.size() <= 50 + std::string("…").size());
    CHECK(line.ends_with("…"));
}
