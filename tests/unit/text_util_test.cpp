// Text helpers: one-line clipping and terminal-safe text.
#include <doctest/doctest.h>

#include "text_util.hpp"

using namespace extriage;

TEST_CASE("text: one_line collapses whitespace and cuts on a UTF-8 boundary") {
    CHECK(one_line("  a\r\n\tb   c ", 100) == "a b c");
    CHECK(one_line("abcdef", 3) == "abc…");
    // A cut inside a two-byte character drops the partial character, never a whole one.
    CHECK(one_line("abé", 3) == "ab…");
    CHECK(one_line("aé", 3) == "aé…");
    // At a sentence end when that keeps half, else at a word.
    CHECK(one_line("First sentence. Second one is long", 20, true) == "First sentence.");
    CHECK(one_line("Words words words words", 14, true) == "Words words…");
    CHECK(one_line("", 5).empty());
}

TEST_CASE("text: printable shows control characters and broken UTF-8 as escapes") {
    CHECK(printable("plain é text") == "plain é text");
    CHECK(printable("a\x1b[31mred") == "a\\x1b[31mred");
    CHECK(printable("bell\x07") == "bell\\x07");
    CHECK(printable("tab\there") == "tab here");
    CHECK(printable("nl\nx") == "nl\\nx");
    CHECK(printable("del\x7f") == "del\\x7f");
    CHECK(printable("csi\xc2\x9b" "2J") == "csi\\u009b2J");   // C1 control (CSI) in UTF-8
    CHECK(printable("bad\xff") == "bad\\xff");
    CHECK(printable("cut\xc3") == "cut\\xc3");
}

TEST_CASE("text: iequals") {
    CHECK(iequals("Upgrade", "upgrade"));
    CHECK_FALSE(iequals("Upgrade", "upgrades"));
}
