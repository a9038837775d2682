// Unit tests for the saved Get-Queue listing parser ("exchange-queue-listing"): Format-List
// blocks with wrapped values, default and -Wrap tables, Export-Csv, Exchange Online's
// 4.7.230 / 5.7.230 answers in LastError, sniffing, and bad input.
#include <doctest/doctest.h>

#include <string>

#include "update_log_test_util.hpp"

using namespace extriage;
using namespace extriage::testutil;

namespace {

constexpr const char* kParser = "exchange-queue-listing";

// Two queues in Format-List layout; the first one's LastError wraps onto indented lines.
constexpr const char* kList =
    "\r\n"
    "RunspaceId                       : 5b1c0e7a-2f4d-4b8e-9a61-3c2d7e9f0a14\r\n"
    "DeliveryType                     : DnsConnectorDelivery\r\n"
    "NextHopDomain                    : contoso.mail.onmicrosoft.com\r\n"
    "Status                           : Retry\r\n"
    "MessageCount                     : 37\r\n"
    "LastError                        : [{LRT=2/21/2024 9:41:07 AM};{LED=451 4.4.0 Primary target IP address responded with:\r\n"
    "                                   \"450 4.7.230 Connecting Exchange server version is out-of-date; connection to\r\n"
    "                                   Exchange Online throttled for 5 mins/hr.\"};{FQDN=x};{IP=52.101.73.10}]\r\n"
    "LastRetryTime                    : 2/21/2024 9:41:07 AM\r\n"
    "Identity                         : EX01\\1431\r\n"
    "\r\n"
    "RunspaceId                       : 5b1c0e7a-2f4d-4b8e-9a61-3c2d7e9f0a14\r\n"
    "DeliveryType                     : Undefined\r\n"
    "NextHopDomain                    : Submission\r\n"
    "Status                           : Ready\r\n"
    "MessageCount                     : 0\r\n"
    "LastError                        :\r\n"
    "Identity                         : EX01\\Submission\r\n";

}  // namespace

TEST_CASE("exchange-queue-listing: Format-List blocks become one record per queue, wrapped values joined") {
    auto p = parse_with(kParser, kList, "queues.txt");
    REQUIRE(p->sink.records.size() == 2);
    const Rec& r = p->sink.records[0];
    CHECK(r.line == 2);
    CHECK(r.line_count == 10);
    CHECK(r.field("Identity") == "EX01\\1431");
    CHECK(r.field("MessageCount") == "37");
    CHECK(r.field("format") == "list");
    CHECK(r.field("enforcement") == "throttled");
    CHECK(r.field("LastError").find("responded with: \"450 4.7.230 Connecting") != std::string::npos);
    CHECK(r.field("LastError").find("to Exchange Online throttled") != std::string::npos);
    CHECK(r.field("last_error_detail").starts_with("451 4.4.0 Primary target IP address responded with:"));
    CHECK(r.time_ms == civil_ms(2024, 2, 21, 9, 41, 7, 0));
    CHECK(r.level == Level::warning);
    // The text keeps the physical lines, so evidence can point at the line with the answer.
    CHECK(r.text.find("\n                                   \"450 4.7.230") != std::string::npos);
    const Rec& s = p->sink.records[1];
    CHECK(s.field("Identity") == "EX01\\Submission");
    CHECK_FALSE(s.has("LastError"));   // empty values are not fields
    CHECK_FALSE(s.has("enforcement"));
    CHECK(s.level == Level::info);
    REQUIRE(p->sink.segments.size() == 1);
    CHECK(fact(p->sink.segments[0], "queues") == "2");
    CHECK(fact(p->sink.segments[0], "messages") == "37");
    CHECK(fact(p->sink.segments[0], "throttled_queues") == "1");
    CHECK(fact(p->sink.segments[0], "enforced_messages") == "37");
    CHECK(p->diags.empty());
}

TEST_CASE("exchange-queue-listing: a pasted listing with blank lines between every line still splits on repeated names") {
    auto p = parse_with(kParser,
                        "DeliveryType : DnsConnectorDelivery\n\nNextHopDomain : destination.com\n\nStatus : Retry\n\n"
                        "MessageCount : 1\n\nLastError : [{LRT=15-01-21 23:50:05};{LED=550 5.7.230 Connecting Exchange server version\n\n"
                        "is out-of-date; connection to Exchange Online blocked for 10 mins/hr.}]\n\nLastRetryTime : 15-01-21 23:50:05\n\n"
                        "Identity : DAG5\\322120\n\nDeliveryType : Undefined\n\nNextHopDomain : Submission\n\nMessageCount : 0\n\n"
                        "Identity : DAG5\\Submission\n",
                        "paste.txt");
    REQUIRE(p->sink.records.size() == 2);
    CHECK(p->sink.records[0].field("enforcement") == "blocked");
    CHECK(p->sink.records[0].field("LastError").find("version is out-of-date; connection") != std::string::npos);
    CHECK(p->sink.records[0].time_ms == civil_ms(2021, 1, 15, 23, 50, 5, 0));   // dd-MM-yy
    CHECK(p->sink.records[0].level == Level::error);
    CHECK(p->sink.records[1].field("Identity") == "DAG5\\Submission");
    CHECK(fact(p->sink.segments[0], "blocked_queues") == "1");
}

TEST_CASE("exchange-queue-listing: the default table, columns read from the header and its dashes") {
    auto p = parse_with(kParser,
                        "[PS] C:\\Windows\\system32>Get-Queue\r\nWARNING: not a queue\r\n"
                        "Identity            DeliveryType Status MessageCount Velocity RiskLevel OutboundIPPool NextHopDomain\r\n"
                        "--------            ------------ ------ ------------ -------- --------- -------------- -------------\r\n"
                        "EX01\\1431           DnsConnec... Retry  37           1.2      Normal    0              contoso.mail.onmicrosoft.com\r\n"
                        "EX01\\Submission     Undefined    Ready  0            0        Normal    0              Submission\r\n",
                        "get-queue.txt");
    REQUIRE(p->sink.records.size() == 2);
    const Rec& r = p->sink.records[0];
    CHECK(r.line == 5);
    CHECK(r.field("Identity") == "EX01\\1431");
    CHECK(r.field("DeliveryType") == "DnsConnec...");
    CHECK(r.field("Status") == "Retry");
    CHECK(r.field("NextHopDomain") == "contoso.mail.onmicrosoft.com");
    CHECK(r.field("format") == "table");
    CHECK(r.level == Level::warning);   // Retry
    CHECK(fact(p->sink.segments[0], "messages") == "37");
    // The prompt is skipped quietly; another stray line is reported with its line.
    REQUIRE(p->diags.size() == 1);
    CHECK(p->diags[0].line == 2);
}

TEST_CASE("exchange-queue-listing: Exchange 2007's five columns and a -Wrap table with LastError") {
    auto p = parse_with(kParser,
                        "Identity            DeliveryType Status MessageCount NextHopDomain\n"
                        "--------            ------------ ------ ------------ -------------\n"
                        "HUB01\\11225         SmartHost... Ready  0            [200.0.0.1]\n",
                        "q.txt");
    REQUIRE(p->sink.records.size() == 1);
    CHECK(p->sink.records[0].field("NextHopDomain") == "[200.0.0.1]");

    auto w = parse_with(kParser,
                        "Identity  Status MessageCount LastError\n"
                        "--------  ------ ------------ ---------\n"
                        "EX01\\7    Retry  12           451 4.4.0 Primary target IP address responded with: \"450\n"
                        "                              4.7.230 Connecting Exchange server version is out-of-date\n"
                        "EX01\\8    Ready  0\n",
                        "q.txt");
    REQUIRE(w->sink.records.size() == 2);
    CHECK(w->sink.records[0].field("LastError").find("\"450 4.7.230 Connecting") != std::string::npos);
    CHECK(w->sink.records[0].field("enforcement") == "throttled");
    CHECK(w->sink.records[0].line_count == 2);
    CHECK(w->sink.records[1].field("Identity") == "EX01\\8");
}

TEST_CASE("exchange-queue-listing: Export-Csv with a type line and a quoted cell over two lines") {
    auto p = parse_with(kParser,
                        "#TYPE Deserialized.Microsoft.Exchange.Data.QueueViewer.PropertyBagBasedQueueInfo\r\n"
                        "\"DeliveryType\",\"NextHopDomain\",\"Status\",\"MessageCount\",\"LastError\",\"Identity\"\r\n"
                        "\"DnsConnectorDelivery\",\"contoso.mail.onmicrosoft.com\",\"Retry\",\"5\",\"550 5.7.230 Connecting, \"\"quoted\"\"\r\n"
                        "blocked for 10 mins/hr.\",\"EX01\\9\"\r\n"
                        "\"Undefined\",\"Submission\",\"Ready\",\"0\",\"\",\"EX01\\Submission\"\r\n",
                        "queues.csv");
    REQUIRE(p->sink.records.size() == 2);
    const Rec& r = p->sink.records[0];
    CHECK(r.line == 3);
    CHECK(r.line_count == 2);
    CHECK(r.field("LastError") == "550 5.7.230 Connecting, \"quoted\"\nblocked for 10 mins/hr.");
    CHECK(r.field("enforcement") == "blocked");
    CHECK(r.field("format") == "csv");
    CHECK(p->sink.records[1].field("Identity") == "EX01\\Submission");
    CHECK(p->diags.empty());
}

TEST_CASE("exchange-queue-listing: bad input gives diagnostics with line numbers, never a crash") {
    SUBCASE("a count that is not a number") {
        auto p = parse_with(kParser, "DeliveryType : Undefined\nNextHopDomain : Submission\nMessageCount : lots\nIdentity : EX01\\1\n");
        REQUIRE(p->sink.records.size() == 1);
        REQUIRE(p->diags.size() == 1);
        CHECK(p->diags[0].line == 1);
        CHECK(p->diags[0].message.find("MessageCount") != std::string::npos);
    }
    SUBCASE("a CSV quote left open at the end") {
        auto p = parse_with(kParser, "\"Identity\",\"DeliveryType\",\"MessageCount\"\n\"EX01\\1\",\"Undefined\",\"0\n");
        REQUIRE(p->sink.records.size() == 1);
        REQUIRE_FALSE(p->diags.empty());
        CHECK(p->diags[0].line == 2);
    }
    SUBCASE("a CSV row with too few cells") {
        auto p = parse_with(kParser, "\"Identity\",\"DeliveryType\",\"MessageCount\"\n\"EX01\\1\",\"Undefined\"\n");
        REQUIRE(p->sink.records.size() == 1);
        REQUIRE(p->diags.size() == 1);
        CHECK(p->diags[0].line == 2);
    }
    SUBCASE("garbage, control bytes and nothing listed") {
        auto p = parse_with(kParser, std::string("\x01\x02 : \xff\xfe\n:::\n\0\0\0\n", 16));
        CHECK(p->sink.records.empty());
        CHECK_FALSE(p->diags.empty());
        REQUIRE(p->sink.segments.size() == 1);
        CHECK(fact(p->sink.segments[0], "queues") == "0");
    }
    SUBCASE("a huge wrapped value is capped") {
        std::string big = "DeliveryType : Undefined\nNextHopDomain : Submission\nLastError : x\n";
        for (int i = 0; i < 20000; ++i) big += "                 0123456789\n";
        big += "Identity : EX01\\1\n";
        auto p = parse_with(kParser, big);
        REQUIRE(p->sink.records.size() == 1);
        CHECK(p->sink.records[0].field("LastError").size() <= 64 * 1024);
        CHECK(p->sink.records[0].field("Identity") == "EX01\\1");
        CHECK_FALSE(p->diags.empty());
    }
}

TEST_CASE("exchange-queue-listing: sniffed by content in all three shapes, and not other listings") {
    CHECK(sniffed(kList, "anything.log") == kParser);
    CHECK(sniffed("Identity  DeliveryType Status MessageCount NextHopDomain\n--------  ------------ ------ ------------ -------------\n") ==
          kParser);
    CHECK(sniffed("#TYPE X\n\"RunspaceId\",\"DeliveryType\",\"NextHopDomain\",\"MessageCount\",\"Identity\"\n") == kParser);
    // Get-Mailbox | fl, a message tracking listing, a table of something else.
    CHECK(sniffed("Name        : Jane\nAlias       : jane\nDatabase    : DB01\n") != kParser);
    CHECK(sniffed("EventId     : RECEIVE\nSource      : SMTP\nMessageId   : <m@x>\n") != kParser);
    CHECK(sniffed("Identity  Status\n--------  ------\nDB01      Mounted\n") != kParser);
}
