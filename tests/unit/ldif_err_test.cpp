// Unit tests for the ldifde error file parser ("ldif-err"): error blocks and their fields, the
// variants ldifde writes, the real corpus file when present, sniffing and bad input.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "update_log_test_util.hpp"

using namespace extriage;
using namespace extriage::testutil;

namespace {

constexpr const char* kParser = "ldif-err";

std::unique_ptr<Parsed> parse(std::string_view text) { return parse_with(kParser, text, "ldif.err"); }

}  // namespace

TEST_CASE("ldif-err: one record per error block, with the LDAP details as fields") {
    struct Case {
        const char* name;
        std::string text;
        std::vector<std::pair<const char*, const char*>> fields;
    };
    const std::vector<Case> cases = {
        {"duplicate OID (corpus shape)",
         "Entry DN: CN=ms-Exch-Coexistence-Domains,CN=Schema,CN=Configuration,DC=Solo,DC=local\r\n"
         "Add error on entry starting on line 78: Unwilling To Perform\r\n\r\n"
         "The server side error is: 0x20bb Schema update failed: duplicate OID.\r\n\r\n"
         "The extended server error is:\r\n\r\n"
         "000020BB: SvcErr: DSID-0326036D, problem 5003 (WILL_NOT_PERFORM), data 8379\r\n\r\n\r\n"
         "An error has occurred in the program\r\n",
         {{"entry_dn", "CN=ms-Exch-Coexistence-Domains,CN=Schema,CN=Configuration,DC=Solo,DC=local"},
          {"operation", "Add"},
          {"ldf_line", "78"},
          {"error", "Unwilling To Perform"},
          {"server_error", "0x20bb Schema update failed: duplicate OID."},
          {"server_error_code", "0x20bb"},
          {"extended_error", "000020BB: SvcErr: DSID-0326036D, problem 5003 (WILL_NOT_PERFORM), data 8379"},
          {"extended_error_code", "000020BB"},
          {"problem", "WILL_NOT_PERFORM"},
          {"problem_code", "5003"},
          {"dsid", "DSID-0326036D"},
          {"data", "8379"},
          {"attribute", ""}}},
        {"extended error on the same line, 'error on line' form",
         "Entry DN: CN=x,DC=c\nModify error on line 12: Insufficient Rights\n"
         "The server side error is: 0x2098 Insufficient access rights to perform the operation.\n"
         "The extended server error is: 00002098: SecErr: DSID-03150F93, problem 4003 (INSUFF_ACCESS_RIGHTS), data 0\n",
         {{"operation", "Modify"},
          {"ldf_line", "12"},
          {"error", "Insufficient Rights"},
          {"problem", "INSUFF_ACCESS_RIGHTS"},
          {"dsid", "DSID-03150F93"},
          {"data", "0"}}},
        {"multi-line AtrErr names the attribute",
         "Entry DN: CN=Mail-Recipient,CN=Schema,CN=Configuration,DC=c\n"
         "Modify error on entry starting on line 12031: Attribute Or Value Exists\n"
         "The server side error is: 0x2083 The specified value already exists.\n"
         "The extended server error is:\n"
         "00002083: AtrErr: DSID-03151904, #1:\n"
         "\t0: 00000000: DSID-03151904, problem 1006 (ATT_OR_VALUE_EXISTS), data 0, Att 20009 (mayContain)\n"
         "An error has occurred in the program\n",
         {{"problem", "ATT_OR_VALUE_EXISTS"},
          {"problem_code", "1006"},
          {"attribute", "mayContain"},
          {"extended_error",
           "00002083: AtrErr: DSID-03151904, #1:\n\t0: 00000000: DSID-03151904, problem 1006 (ATT_OR_VALUE_EXISTS), data 0, "
           "Att 20009 (mayContain)"}}},
        {"no Entry DN line", "Add error on entry starting on line 5: Already Exists\nThe server side error is: 0x2071 x\n",
         {{"entry_dn", ""}, {"ldf_line", "5"}, {"error", "Already Exists"}, {"server_error_code", "0x2071"}}},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        auto p = parse(c.text);
        REQUIRE(p->sink.records.size() == 1);
        const Rec& r = p->sink.records[0];
        CHECK(r.level == Level::error);
        CHECK(r.line == 1);
        CHECK(r.segment == -1);
        for (const auto& [name, value] : c.fields) {
            CAPTURE(name);
            CHECK(r.field(name) == value);
        }
    }
}

TEST_CASE("ldif-err: the sample has two entries; a new Entry DN or a second error line starts a block") {
    auto p = parse_file_with(kParser, EXTRIAGE_TEST_SOURCE_DIR "/samples/ldif/ldif.err");
    CHECK(p->diags.empty());
    REQUIRE(p->sink.records.size() == 2);
    CHECK(p->sink.records[0].field("ldf_line") == "1204");
    CHECK(p->sink.records[0].field("problem") == "INSUFF_ACCESS_RIGHTS");
    CHECK(p->sink.records[0].line == 1);
    CHECK(p->sink.records[0].line_count == 8);
    CHECK(p->sink.records[1].field("ldf_line") == "2381");
    CHECK(p->sink.records[1].field("server_error_code") == "0x20e7");
    CHECK(p->sink.records[1].line == 11);
    CHECK(p->sink.records[1].text.ends_with("An error has occurred in the program"));

    auto q = parse("Add error on line 5: Busy\nAdd error on line 9: Busy\n");
    REQUIRE(q->sink.records.size() == 2);
    CHECK(q->sink.records[1].field("ldf_line") == "9");
    CHECK(q->sink.records[1].line == 2);
}

TEST_CASE("ldif-err: the corpus ldif.err (when present)") {
    const std::string path = EXTRIAGE_TEST_SOURCE_DIR "/../shared/corpus/setup-logs/KnownIssues/ldif.err";
    if (!std::filesystem::exists(path)) {
        MESSAGE("corpus not present, skipped: " << path);
        return;
    }
    auto p = parse_file_with(kParser, path);
    CHECK(p->diags.empty());
    REQUIRE(p->sink.records.size() == 1);
    const Rec& r = p->sink.records[0];
    CHECK(r.field("entry_dn") == "CN=ms-Exch-Coexistence-Domains,CN=Schema,CN=Configuration,DC=Solo,DC=local");
    CHECK(r.field("ldf_line") == "78");
    CHECK(r.field("server_error_code") == "0x20bb");
    CHECK(r.field("problem") == "WILL_NOT_PERFORM");
    CHECK(r.field("data") == "8379");
    CHECK(sniffed("Entry DN: CN=ms-Exch-Coexistence-Domains,CN=Schema\r\n", "ldif.err") == "ldif-err");
}

TEST_CASE("ldif-err: sniffing and bad data") {
    CHECK(sniffed("Entry DN: CN=x\nAdd error on entry starting on line 1: Busy\n") == "ldif-err");
    CHECK(sniffed("Add error on line 40: Unwilling To Perform\n") == "ldif-err");
    CHECK(sniffed("\n\nThe server side error is: 0x51 The server is busy.\n") == "ldif-err");
    CHECK(sniffed("Connecting to \"DC1.contoso.com\"\nLogging in as current user using SSPI\n") != "ldif-err");
    CHECK(sniffed("[03/06/2021 18:37:29.0350] [0] Starting Microsoft Exchange Server 2019 Setup\n") == "exchange-setup");

    for (std::string in : {std::string(), std::string("\n\n\n"), std::string("Entry DN:\n"),
                           std::string("Add error on line : x\nThe extended server error is:"),
                           std::string("garbage\x80\xff\n"), std::string("The extended server error is:\nDSID-\n")}) {
        CAPTURE(in);
        std::unique_ptr<Parsed> p;
        CHECK_NOTHROW(p = parse(in));
    }
    auto empty = parse("");
    REQUIRE(empty->diags.size() == 1);
    CHECK(empty->diags[0].severity == DiagSeverity::warning);
    auto junk = parse("some other text file\n");
    CHECK(junk->errors() == 1);
    CHECK(junk->diags[0].origin == "ldif-err");
    // "An error has occurred in the program" on its own is still a record.
    auto lone = parse("An error has occurred in the program\n");
    REQUIRE(lone->sink.records.size() == 1);
    CHECK(lone->sink.records[0].level == Level::error);
}
