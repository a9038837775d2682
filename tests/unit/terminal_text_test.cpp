// Output safe to paste (issue 10): control characters from inputs are escaped visibly, JSON gets
// \u escapes for the controls nlohmann writes raw, CSV cells cannot start a formula, and the
// diagnostics a damaged file floods are capped per kind and per run with a count of the rest.
#include <doctest/doctest.h>

#include <string>

#include "diagnostics.hpp"
#include "terminal_text.hpp"

using namespace extriage;

TEST_CASE("terminal text: controls, C1, bidi and invalid bytes are escaped visibly") {
    struct Case {
        std::string in, out;
    };
    const Case cases[] = {
        {"plain ascii, a backslash \\ and UTF-8 \xc3\xa9\xe2\x82\xac", "plain ascii, a backslash \\ and UTF-8 \xc3\xa9\xe2\x82\xac"},
        {"", ""},
        {"osc52 \x1b]52;c;aGk=\x07 end", "osc52 \\x1b]52;c;aGk=\\x07 end"},
        {"clear\x1b[2J\x1b[H", "clear\\x1b[2J\\x1b[H"},
        {"over\rwrite", "over\\rwrite"},
        {"two\nlines\tand tab", "two\\nlines\\tand tab"},
        {std::string("nul\0byte", 8), "nul\\x00byte"},
        {"del\x7f", "del\\x7f"},
        {"c1 csi \xc2\x9b" "31m", "c1 csi \\u009b31m"},
        {"bidi \xe2\x80\xae" "exe.gol", "bidi \\u202eexe.gol"},
        {"isolate \xe2\x81\xa6x\xe2\x81\xa9", "isolate \\u2066x\\u2069"},
        {"bom \xef\xbb\xbf", "bom \\ufeff"},
        {"raw 8-bit csi \x9b" "1m", "raw 8-bit csi \\x9b1m"},
        {"cut \xe2\x82", "cut \\xe2\\x82"},
        {"overlong \xc0\xaf", "overlong \\xc0\\xaf"},
        {"surrogate \xed\xa0\x80", "surrogate \\xed\\xa0\\x80"},
        {"emoji \xf0\x9f\x98\x80 stays", "emoji \xf0\x9f\x98\x80 stays"},
    };
    for (const auto& c : cases) {
        INFO(c.in);
        CHECK(escape_for_terminal(c.in) == c.out);
        CHECK(needs_terminal_escape(c.in) == (c.in != c.out));
        std::string in_place = c.in;
        escape_for_terminal_in_place(in_place);
        CHECK(in_place == c.out);
    }
}

TEST_CASE("terminal text: JSON keeps its value but loses raw DEL, C1 and bidi characters") {
    std::string json = "{\"a\": \"x\x7fy\xc2\x9bz\xe2\x80\xae\", \"b\": \"\xc3\xa9\"}";
    CHECK(escape_json_controls(json) == 3);
    CHECK(json == "{\"a\": \"x\\u007fy\\u009bz\\u202e\", \"b\": \"\xc3\xa9\"}");
    std::string clean = "{\"a\": \"plain \xc3\xa9\"}";
    CHECK(escape_json_controls(clean) == 0);
    CHECK(clean == "{\"a\": \"plain \xc3\xa9\"}");
}

TEST_CASE("terminal text: CSV cells that a spreadsheet would run get an apostrophe") {
    CHECK(defuse_csv_formula("=1+1") == "'=1+1");
    CHECK(defuse_csv_formula("+1") == "'+1");
    CHECK(defuse_csv_formula("-1") == "'-1");
    CHECK(defuse_csv_formula("@SUM(A1)") == "'@SUM(A1)");
    CHECK(defuse_csv_formula("\tx") == "'\tx");
    CHECK(defuse_csv_formula("\rx") == "'\rx");
    CHECK(defuse_csv_formula("EX01") == "EX01");
    CHECK(defuse_csv_formula("a=b") == "a=b");
    CHECK(defuse_csv_formula("") == "");
}

TEST_CASE("diagnostics: a line shows no raw control character from the path or the message") {
    Diagnostic d{DiagSeverity::error, "bundle.zip!a\x1b[2J.log", 3, 0, 0, false, "bad \nEX01.log:1: error: forged", "archive"};
    CHECK(d.format() == "bundle.zip!a\\x1b[2J.log:3: error: bad \\nEX01.log:1: error: forged [archive]");
    Diagnostic run_note{DiagSeverity::note, "", 0, 0, 0, false, "12 more", ""};
    CHECK(run_note.format() == "extriage: note: 12 more");
}

TEST_CASE("diagnostics: kinds ignore numbers and quoted text") {
    auto kind = [](std::string path, std::string message) {
        return diagnostic_kind({DiagSeverity::error, std::move(path), 0, 0, 0, true, std::move(message), "evtx-binary"});
    };
    CHECK(kind("a.evtx", "chunk 3: bad record signature 0x41414141 (expected 0x00002a2a)") ==
          kind("a.evtx", "chunk 17: bad record signature 0x00002b2a (expected 0x00002a2a)"));
    CHECK(kind("a.evtx", "chunk 3: bad signature 'abc' here") == kind("a.evtx", "chunk 4: bad signature 'xyz!' here"));
    CHECK(kind("a.evtx", "chunk 3: bad record") != kind("b.evtx", "chunk 3: bad record"));
    CHECK(kind("a.evtx", "record 1: truncated string length") != kind("a.evtx", "record 1: unknown BinXML token 0x41"));
}

TEST_CASE("diagnostics: the first N of a kind per file are kept, then one note counts the rest") {
    DiagSink sink(DiagLimits{3, 100, 1000});
    for (int i = 0; i < 10; ++i) sink.error_at_offset("a.evtx", 4096u + static_cast<unsigned>(i), "chunk " + std::to_string(i) + ": bad", "evtx-binary");
    sink.warning_at_line("a.evtx", 0, "3 of 10 records could not be decoded", "evtx-binary");
    for (int i = 0; i < 5; ++i) sink.error_at_offset("b.evtx", 4096, "chunk 0: bad", "evtx-binary");
    CHECK(sink.size() == 16);
    CHECK(sink.error_count() == 15);   // suppressed errors still make the exit code 2
    CHECK(sink.suppressed() == 9);
    auto list = sink.snapshot();
    REQUIRE(list.size() == 9);
    CHECK(list[0].message == "chunk 0: bad");
    CHECK(list[2].message == "chunk 2: bad");
    CHECK(list[3].path == "a.evtx");
    CHECK(list[3].severity == DiagSeverity::note);
    CHECK(list[3].message.starts_with("7 more like this suppressed"));
    CHECK(list[4].message == "3 of 10 records could not be decoded");
    CHECK(list[7].path == "b.evtx");
    CHECK(list[8].message.starts_with("2 more like this suppressed"));
}

TEST_CASE("diagnostics: a run keeps a bounded number and says how many it dropped") {
    DiagSink sink(DiagLimits{2, 5, 1000});
    for (int f = 0; f < 10; ++f) sink.warning_at_line("file" + std::to_string(f) + ".log", 0, "no objects found", "event-clixml");
    CHECK(sink.size() == 10);
    CHECK(sink.error_count() == 0);
    auto list = sink.snapshot();
    REQUIRE(list.size() == 6);
    CHECK(list[4].path == "file4.log");
    CHECK(list[5].path.empty());
    CHECK(list[5].message.starts_with("5 more diagnostic(s) suppressed"));
    CHECK(list[5].format().starts_with("extriage: note: 5 more"));
}
