// Unit tests for the transport log parser ("exchange-transport-log"): #Fields: headers, quoted
// CSV cells, times, and the per-file count of Exchange Online's 4.7.230 / 5.7.230 answers.
#include <doctest/doctest.h>

#include <string>

#include "update_log_test_util.hpp"

using namespace extriage;
using namespace extriage::testutil;

namespace {

constexpr const char* kParser = "exchange-transport-log";
constexpr const char* kSendHead =
    "#Software: Microsoft Exchange Server\r\n#Version: 15.0.0.0\r\n#Log-type: SMTP Send Protocol Log\r\n"
    "#Date: 2024-02-21T09:00:01.112Z\r\n"
    "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\r\n";

std::string fact(const Segment& s, const char* name) {
    const std::string* v = s.fact(name);
    return v ? *v : std::string("<none>");
}

}  // namespace

TEST_CASE("exchange-transport-log: columns by header name, quoted cells and UTC times") {
    auto p = parse_with(kParser,
                        std::string(kSendHead) +
                            "2024-02-21T09:11:01.720Z,To EXO,08DC01,5,10.0.0.21:50412,52.101.73.10:25,<,\"450 4.7.230 a, b \"\"c\"\"\",\r\n",
                        "SEND2024022109-1.LOG");
    REQUIRE(p->sink.records.size() == 1);
    const Rec& r = p->sink.records[0];
    CHECK(r.field("connector-id") == "To EXO");
    CHECK(r.field("data") == "450 4.7.230 a, b \"c\"");
    CHECK(r.field("log_type") == "SMTP Send Protocol Log");
    CHECK(r.time_ms == civil_ms(2024, 2, 21, 9, 11, 1, 720));
    CHECK(r.level == Level::warning);
}

TEST_CASE("exchange-transport-log: counts distinct sessions and the first and last answer") {
    std::string log = kSendHead;
    log += "2024-02-21T09:11:01.720Z,To EXO,S1,5,a,b,<,\"450 4.7.230 Connecting Exchange server version is out-of-date\",\r\n";
    log += "2024-02-21T09:11:02.000Z,To EXO,S1,6,a,b,<,\"450 4.7.230 again in the same session\",\r\n";
    log += "2024-02-21T10:00:00.000Z,To EXO,S2,5,a,b,<,\"450 4.7.230 Connecting Exchange server version is out-of-date\",\r\n";
    log += "2024-02-21T11:40:02.480Z,To EXO,S3,2,a,b,<,\"550 5.7.230 Connecting Exchange server version is out-of-date\",\r\n";
    log += "2024-02-21T12:00:00.000Z,To EXO,S4,2,a,b,<,250 2.6.0 Queued mail for delivery,\r\n";
    auto p = parse_with(kParser, log, "SEND2024022109-1.LOG");
    REQUIRE(p->sink.segments.size() == 1);
    const Segment& s = p->sink.segments[0];
    CHECK(fact(s, "throttled") == "2");
    CHECK(fact(s, "throttled_answers") == "3");
    CHECK(fact(s, "blocked") == "1");
    CHECK(fact(s, "counted") == "SMTP sessions");
    CHECK(fact(s, "first_seen") == "2024-02-21 09:11:01 UTC");
    CHECK(fact(s, "last_seen") == "2024-02-21 11:40:02 UTC");
    CHECK(fact(s, "server_build") == "<none>");   // 15.0.0.0 is the protocol log's schema, not a build
}

TEST_CASE("exchange-transport-log: a tracking log's #Version is the server build; no answers, no counts") {
    auto p = parse_with(kParser,
                        "#Software: Microsoft Exchange Server\n#Version: 15.01.2375.007\n#Log-type: Message Tracking Log\n"
                        "#Fields: date-time,event-id,message-id,recipient-status\n"
                        "2024-02-21T09:11:01.900Z,RECEIVE,<m1@contoso.com>,To\n",
                        "MSGTRK2024022109-1.LOG");
    REQUIRE(p->sink.segments.size() == 1);
    CHECK(fact(p->sink.segments[0], "server_build") == "15.01.2375.007");
    CHECK(fact(p->sink.segments[0], "throttled") == "<none>");
    REQUIRE(p->sink.records.size() == 1);
    CHECK(p->sink.records[0].text == "RECEIVE To");
}

TEST_CASE("exchange-transport-log: bad input never crashes and is reported") {
    auto p = parse_with(kParser, "#Software: Microsoft Exchange Server\nrow before any header,\"open quote\n", "SEND1.LOG");
    CHECK(p->sink.records.empty());
    CHECK_FALSE(p->diags.empty());
}

TEST_CASE("exchange-transport-log: sniffs only Exchange logs with a known log type and #Fields:") {
    const Parser* parser = find_parser(kParser);
    REQUIRE(parser != nullptr);
    auto sniff = [&](std::string_view head) { return parser->sniff(SniffInput{head, head, "x.LOG"}); };
    CHECK(sniff(kSendHead));
    CHECK_FALSE(sniff("#Software: Microsoft Exchange Server\n#Version: 15.01.2375.007\n#Log-type: HttpProxy Logs\n#Fields: DateTime\n"));
    CHECK_FALSE(sniff("#Software: Microsoft DHCP Server\n#Fields: Date\n"));
}
