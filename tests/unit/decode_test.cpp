// Unit tests for encoding sniffing and the streaming LineReader: encodings, line endings,
// chunk boundaries (via a source that hands out 1-3 bytes per read), truncation, bad input.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "decode.hpp"

using namespace extriage;

namespace {

// Hands out the input in tiny reads (1, 2, 3, 1, 2, 3, ...) so every boundary case is hit.
class DribbleSource final : public ByteSource {
public:
    explicit DribbleSource(std::string_view data) : data_(data) {}
    size_t read(char* buffer, size_t n) override {
        size_t want = std::min({n, data_.size() - pos_, size_t{1} + (calls_++ % 3)});
        std::copy_n(data_.data() + pos_, want, buffer);
        pos_ += want;
        return want;
    }
    std::optional<uint64_t> size() const override { return data_.size(); }

private:
    std::string_view data_;
    size_t pos_ = 0;
    size_t calls_ = 0;
};

// Hands out the input in the given read sizes, then the rest in one read.
class SplitSource final : public ByteSource {
public:
    SplitSource(std::string_view data, std::vector<size_t> sizes) : data_(data), sizes_(std::move(sizes)) {}
    size_t read(char* buffer, size_t n) override {
        size_t want = data_.size() - pos_;
        if (next_ < sizes_.size()) want = std::min(want, sizes_[next_++]);
        want = std::min(want, n);
        std::copy_n(data_.data() + pos_, want, buffer);
        pos_ += want;
        return want;
    }
    std::optional<uint64_t> size() const override { return data_.size(); }

private:
    std::string_view data_;
    std::vector<size_t> sizes_;
    size_t pos_ = 0;
    size_t next_ = 0;
};

struct Line {
    std::string text;
    uint64_t number = 0;
    uint64_t offset = 0;
    bool truncated = false;
    bool operator==(const Line&) const = default;
};

struct ReadResult {
    std::vector<Line> lines;
    uint64_t invalid = 0;
    TextEncoding encoding = TextEncoding::utf8;
};

ReadResult read_lines(ByteSource& src, size_t max_line = LineReader::kDefaultMaxLine) {
    ReadResult r;
    LineReader reader(src, max_line);
    std::string_view line;
    while (reader.next(line))
        r.lines.push_back({std::string(line), reader.line_number(), reader.line_offset(), reader.truncated()});
    r.invalid = reader.invalid_sequences();
    r.encoding = reader.encoding();
    return r;
}

ReadResult read_all_at_once(std::string_view data, size_t max_line = LineReader::kDefaultMaxLine) {
    MemorySource src(data);
    return read_lines(src, max_line);
}

ReadResult read_dribbled(std::string_view data, size_t max_line = LineReader::kDefaultMaxLine) {
    DribbleSource src(data);
    return read_lines(src, max_line);
}

std::vector<std::string> texts(const ReadResult& r) {
    std::vector<std::string> out;
    for (const Line& l : r.lines) out.push_back(l.text);
    return out;
}

// UTF-8 (valid, test-controlled) to UTF-16 bytes.
std::string utf16(std::string_view utf8, bool big_endian, bool bom) {
    std::string out;
    auto put = [&](unsigned u) {
        char lo = static_cast<char>(u & 0xFF), hi = static_cast<char>(u >> 8);
        if (big_endian) {
            out.push_back(hi);
            out.push_back(lo);
        } else {
            out.push_back(lo);
            out.push_back(hi);
        }
    };
    if (bom) put(0xFEFF);
    for (size_t i = 0; i < utf8.size();) {
        auto c = static_cast<unsigned char>(utf8[i]);
        uint32_t cp;
        size_t len;
        if (c < 0x80) {
            cp = c;
            len = 1;
        } else if (c < 0xE0) {
            cp = c & 0x1Fu;
            len = 2;
        } else if (c < 0xF0) {
            cp = c & 0x0Fu;
            len = 3;
        } else {
            cp = c & 0x07u;
            len = 4;
        }
        for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3Fu);
        i += len;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put(0xD800 + (cp >> 10));
            put(0xDC00 + (cp & 0x3FF));
        } else {
            put(cp);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("decode: sniffs BOMs and BOM-less UTF-16 from the first bytes") {
    struct Case {
        std::string name;
        std::string head;
        TextEncoding expected;
    };
    const std::vector<Case> cases = {
        {"plain ASCII", "[03/06/2021 18:37:29.0350] [0] x", TextEncoding::utf8},
        {"empty", "", TextEncoding::utf8},
        {"UTF-8 BOM", "\xEF\xBB\xBF[03/06", TextEncoding::utf8_bom},
        {"UTF-16LE BOM", std::string("\xFF\xFE[\0", 4), TextEncoding::utf16le},
        {"UTF-16BE BOM", std::string("\xFE\xFF\0[", 4), TextEncoding::utf16be},
        {"BOM-less UTF-16LE", utf16("[03/06/2021 18:37:29.0350] [0] x", false, false), TextEncoding::utf16le},
        {"BOM-less UTF-16LE, two bytes", std::string("[\0", 2), TextEncoding::utf16le},
        {"BOM-less UTF-16BE", utf16("[03/06/2021 18:37:29.0350] [0] x", true, false), TextEncoding::utf16be},
        {"UTF-8 with accents", "Caf\xC3\xA9 cr\xC3\xA8me", TextEncoding::utf8},
        {"Windows-1252 accents", "Caf\xE9 cr\xE8me", TextEncoding::windows1252},
        {"UTF-8 letters outnumber a stray byte", "M\xC3\xBCller J\xC3\xBCrgen \xFF", TextEncoding::utf8},
        {"as many stray bytes as UTF-8 letters", "M\xC3\xBCller \xFF", TextEncoding::windows1252},
        {"a sequence cut by the end of the head does not count", "abc\xC3", TextEncoding::utf8},
        {"a UTF-8 BOM keeps UTF-8 whatever follows", "\xEF\xBB\xBF" "Caf\xE9", TextEncoding::utf8_bom},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        CHECK(sniff_encoding(c.head) == c.expected);
    }
}

TEST_CASE("decode: names every encoding") {
    CHECK(encoding_name(TextEncoding::utf8) == "utf-8");
    CHECK(encoding_name(TextEncoding::utf8_bom) == "utf-8-bom");
    CHECK(encoding_name(TextEncoding::utf16le) == "utf-16le");
    CHECK(encoding_name(TextEncoding::utf16be) == "utf-16be");
    CHECK(encoding_name(TextEncoding::windows1252) == "windows-1252");
}

TEST_CASE("decode: decode_head drops the BOM and converts UTF-16 to UTF-8") {
    CHECK(decode_head("\xEF\xBB\xBFhello") == "hello");
    CHECK(decode_head(utf16("h\xC3\xA9llo", false, true)) == "h\xC3\xA9llo");
    CHECK(decode_head(utf16("hello", true, true)) == "hello");
    CHECK(decode_head(utf16("[0] hello", false, false)) == "[0] hello");
    // A head cut inside a character loses the partial character, not the rest.
    CHECK(decode_head("abc\xE2\x82") == "abc");
    // A stray byte among UTF-8 letters is damage; on its own it is Windows-1252 (0xFF is y-umlaut).
    CHECK(decode_head("\xC3\xA9\xC3\xA9 a\xFF" "b") == "\xC3\xA9\xC3\xA9 a\xEF\xBF\xBD" "b");
    CHECK(decode_head("a\xFF" "b") == "a\xC3\xBF" "b");
}

TEST_CASE("decode: decode_head converts Windows-1252 to UTF-8") {
    // 0x80-0x9F are not Latin-1: euro sign, quotes, dashes, S/Z/Y with caron or diaeresis.
    CHECK(decode_head("CONTOSO\\j\xFCrgen.m\xFCller") == "CONTOSO\\j\xC3\xBCrgen.m\xC3\xBCller");
    CHECK(decode_head("\x80 \x84\x93\x94 \x96\x97 \x8A\x9F") ==
          "\xE2\x82\xAC \xE2\x80\x9E\xE2\x80\x9C\xE2\x80\x9D \xE2\x80\x93\xE2\x80\x94 \xC5\xA0\xC5\xB8");
    // The five bytes Windows-1252 leaves undefined become U+FFFD, never raw C1 controls.
    CHECK(decode_head("\xE9\x81\x8D\x8F\x90\x9D") == "\xC3\xA9\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("decode: splits lines on LF, CRLF and lone CR in every encoding") {
    struct Case {
        std::string name;
        std::string bytes;
        TextEncoding encoding;
    };
    const std::string text_lf = "first\nsecond \xC3\xA9\n\nfourth";
    const std::string text_crlf = "first\r\nsecond \xC3\xA9\r\n\r\nfourth";
    const std::string text_cr = "first\rsecond \xC3\xA9\r\rfourth";
    const std::string text_mixed = "first\r\nsecond \xC3\xA9\r\n\rfourth";
    const std::vector<Case> cases = {
        {"UTF-8 LF", text_lf, TextEncoding::utf8},
        {"UTF-8 CRLF", text_crlf, TextEncoding::utf8},
        {"UTF-8 CR", text_cr, TextEncoding::utf8},
        {"UTF-8 mixed", text_mixed, TextEncoding::utf8},
        {"UTF-8 BOM CRLF", "\xEF\xBB\xBF" + text_crlf, TextEncoding::utf8_bom},
        {"UTF-16LE BOM CRLF", utf16(text_crlf, false, true), TextEncoding::utf16le},
        {"UTF-16LE no BOM LF", utf16(text_lf, false, false), TextEncoding::utf16le},
        {"UTF-16LE BOM CR", utf16(text_cr, false, true), TextEncoding::utf16le},
        {"UTF-16BE BOM CRLF", utf16(text_crlf, true, true), TextEncoding::utf16be},
    };
    const std::vector<std::string> expected = {"first", "second \xC3\xA9", "", "fourth"};
    for (const Case& c : cases) {
        CAPTURE(c.name);
        ReadResult whole = read_all_at_once(c.bytes);
        CHECK(whole.encoding == c.encoding);
        CHECK(texts(whole) == expected);
        CHECK(whole.invalid == 0);
        ReadResult dribbled = read_dribbled(c.bytes);
        CHECK(dribbled.lines == whole.lines);
        CHECK(dribbled.encoding == c.encoding);
    }
}

TEST_CASE("decode: reports 1-based line numbers and exact raw offsets") {
    SUBCASE("UTF-8 with CRLF") {
        ReadResult r = read_all_at_once("ab\r\ncde\n\nf");
        REQUIRE(r.lines.size() == 4);
        CHECK(r.lines[0] == Line{"ab", 1, 0, false});
        CHECK(r.lines[1] == Line{"cde", 2, 4, false});
        CHECK(r.lines[2] == Line{"", 3, 8, false});
        CHECK(r.lines[3] == Line{"f", 4, 9, false});
    }
    SUBCASE("UTF-8 BOM counts in the offset") {
        ReadResult r = read_all_at_once("\xEF\xBB\xBF" "ab\ncd");
        REQUIRE(r.lines.size() == 2);
        CHECK(r.lines[0].offset == 3);
        CHECK(r.lines[1].offset == 6);
    }
    SUBCASE("UTF-16LE: two bytes per code unit plus the BOM") {
        // BOM(2) "ab"(4) CRLF(4) -> "c\xC3\xA9"(4) LF(2) -> "\xF0\x9F\x98\x80"(4, a surrogate pair)
        std::string bytes = utf16("ab\r\nc\xC3\xA9\n\xF0\x9F\x98\x80\nz", false, true);
        for (const ReadResult& r : {read_all_at_once(bytes), read_dribbled(bytes)}) {
            REQUIRE(r.lines.size() == 4);
            CHECK(r.lines[0] == Line{"ab", 1, 2, false});
            CHECK(r.lines[1] == Line{"c\xC3\xA9", 2, 10, false});
            CHECK(r.lines[2] == Line{"\xF0\x9F\x98\x80", 3, 16, false});
            CHECK(r.lines[3] == Line{"z", 4, 22, false});
        }
    }
    SUBCASE("invalid UTF-8 does not shift offsets") {
        ReadResult r = read_all_at_once("a\xFF\xFE" "b\nnext");
        REQUIRE(r.lines.size() == 2);
        CHECK(r.lines[1].offset == 5);
    }
}

TEST_CASE("decode: treats a CR at the end of one read and LF at the start of the next as one terminator") {
    const std::string data = "ab\r\ncd\r\nef";
    for (size_t split = 1; split < data.size(); ++split) {
        CAPTURE(split);
        SplitSource src(data, {split});
        ReadResult r = read_lines(src);
        CHECK(texts(r) == std::vector<std::string>{"ab", "cd", "ef"});
        CHECK(r.lines.back().offset == 8);
    }
    // The same in UTF-16LE, splitting at every byte (including inside a code unit).
    const std::string wide = utf16(data, false, true);
    for (size_t split = 1; split < wide.size(); ++split) {
        CAPTURE(split);
        SplitSource src(wide, {split, 1, 1});
        ReadResult r = read_lines(src);
        CHECK(texts(r) == std::vector<std::string>{"ab", "cd", "ef"});
        CHECK(r.lines.back().offset == 18);
    }
    // A lone CR at the end of a read followed by text is still a terminator.
    SplitSource src("ab\rcd", {3});
    CHECK(texts(read_lines(src)) == std::vector<std::string>{"ab", "cd"});
}

TEST_CASE("decode: handles empty files, final newlines and missing final newlines") {
    struct Case {
        std::string name;
        std::string bytes;
        std::vector<std::string> expected;
    };
    const std::vector<Case> cases = {
        {"empty file", "", {}},
        {"only a UTF-8 BOM", "\xEF\xBB\xBF", {}},
        {"only a UTF-16 BOM", "\xFF\xFE", {}},
        {"single newline", "\n", {""}},
        {"single CRLF", "\r\n", {""}},
        {"ends with newline", "a\nb\n", {"a", "b"}},
        {"ends with CR", "a\rb\r", {"a", "b"}},
        {"ends with CRLF", "a\r\nb\r\n", {"a", "b"}},
        {"no final newline", "a\nb", {"a", "b"}},
        {"ends with a blank line", "a\n\n", {"a", ""}},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        CHECK(texts(read_all_at_once(c.bytes)) == c.expected);
        CHECK(texts(read_dribbled(c.bytes)) == c.expected);
    }
}

TEST_CASE("decode: replaces invalid sequences with U+FFFD and counts them") {
    struct Case {
        std::string name;
        std::string bytes;
        std::string expected;
        uint64_t invalid;
    };
    const std::string r = "\xEF\xBF\xBD";
    // Four valid UTF-8 letters first, so that the file counts as UTF-8, not ANSI (decode.hpp).
    const std::string u = "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9";
    const std::vector<Case> cases = {
        {"stray byte", u + "a\xFF" "b", u + "a" + r + "b", 1},
        {"stray continuation", u + "a\x80" "b", u + "a" + r + "b", 1},
        {"truncated 3-byte sequence is one replacement", u + "a\xE2\x82" "b", u + "a" + r + "b", 1},
        {"overlong encoding", u + "a\xC0\xAF" "b", u + "a" + r + r + "b", 2},
        {"UTF-8 encoded surrogate", u + "a\xED\xA0\x80" "b", u + "a" + r + r + r + "b", 3},
        {"incomplete sequence at end of file", u + "ab\xE2\x82", u + "ab" + r, 1},
        {"valid 4-byte sequence", "a\xF0\x9F\x98\x80", "a\xF0\x9F\x98\x80", 0},
        {"UTF-16LE lone high surrogate", std::string("\xFF\xFE" "a\0\x00\xD8" "b\0", 8), "a" + r + "b", 1},
        {"UTF-16LE lone low surrogate", std::string("\xFF\xFE" "a\0\x00\xDC" "b\0", 8), "a" + r + "b", 1},
        {"UTF-16LE high surrogate at end of file", std::string("\xFF\xFE" "a\0\x00\xD8", 6), "a" + r, 1},
        {"UTF-16LE odd trailing byte", std::string("\xFF\xFE" "a\0b", 5), "a" + r, 1},
        {"UTF-16BE surrogate pair", std::string("\xFE\xFF\xD8\x3D\xDE\x00", 6), "\xF0\x9F\x98\x80", 0},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        for (const ReadResult& res : {read_all_at_once(c.bytes), read_dribbled(c.bytes)}) {
            REQUIRE(res.lines.size() == 1);
            CHECK(res.lines[0].text == c.expected);
            CHECK(res.invalid == c.invalid);
        }
    }
    SUBCASE("an odd trailing byte after the last newline is its own line") {
        ReadResult res = read_all_at_once(std::string("\xFF\xFE" "a\0\n\0z", 7));
        CHECK(texts(res) == std::vector<std::string>{"a", r});
        CHECK(res.invalid == 1);
    }
}

TEST_CASE("decode: reads an ANSI file as Windows-1252 from the first line") {
    const std::string data = "[0] Logged on user: CONTOSO\\j\xFCrgen.\r\n[1] Stra\xDF" "e \x80 \x81\r\n[2] plain\r\n";
    for (const ReadResult& res : {read_all_at_once(data), read_dribbled(data)}) {
        CHECK(texts(res) == std::vector<std::string>{"[0] Logged on user: CONTOSO\\j\xC3\xBCrgen.",
                                                     "[1] Stra\xC3\x9F" "e \xE2\x82\xAC \xEF\xBF\xBD", "[2] plain"});
        CHECK(res.encoding == TextEncoding::windows1252);
        CHECK(res.invalid == 1);   // only the undefined 0x81
    }
    MemorySource src(data);
    LineReader reader(src);
    std::string_view line;
    REQUIRE(reader.next(line));
    CHECK(reader.ansi_from_line() == 1);
}

TEST_CASE("decode: a line after the first 64 KiB can turn the file ANSI, and it stays ANSI") {
    std::string ascii;
    while (ascii.size() <= kEncodingSniffBytes) ascii += "[01/02/2024 10:00:00.0000] [1] nothing but ASCII here\n";
    const size_t ascii_lines = static_cast<size_t>(std::count(ascii.begin(), ascii.end(), '\n'));

    SUBCASE("only ASCII before: the first stray byte switches, later look-alike UTF-8 is ANSI too") {
        const std::string data = ascii + "user j\xFCrgen\n" "\xC3\xA9\n";
        for (const ReadResult& res : {read_all_at_once(data), read_dribbled(data)}) {
            REQUIRE(res.lines.size() == ascii_lines + 2);
            CHECK(res.lines[ascii_lines].text == "user j\xC3\xBCrgen");
            CHECK(res.lines[ascii_lines + 1].text == "\xC3\x83\xC2\xA9");   // bytes C3 A9: A-tilde, copyright sign
            CHECK(res.encoding == TextEncoding::windows1252);
            CHECK(res.invalid == 0);
        }
        MemorySource src(data);
        LineReader reader(src);
        std::string_view line;
        while (reader.next(line)) {
        }
        CHECK(reader.ansi_from_line() == ascii_lines + 1);
    }
    SUBCASE("UTF-8 letters before: a stray byte later is damage, replaced") {
        const std::string data = "M\xC3\xBCller G\xC3\xB6ran\n" + ascii + "bad \xFC byte\n" "caf\xC3\xA9\n";
        for (const ReadResult& res : {read_all_at_once(data), read_dribbled(data)}) {
            REQUIRE(res.lines.size() == ascii_lines + 3);
            CHECK(res.lines[ascii_lines + 1].text == "bad \xEF\xBF\xBD byte");
            CHECK(res.lines[ascii_lines + 2].text == "caf\xC3\xA9");
            CHECK(res.encoding == TextEncoding::utf8);
            CHECK(res.invalid == 1);
        }
    }
}

TEST_CASE("decode: cuts a huge line at max_line_bytes and skips the rest of it") {
    const size_t max_line = 100;
    SUBCASE("ASCII line of a megabyte") {
        std::string data = "short\n" + std::string(1 << 20, 'x') + "\r\nnext\n";
        for (const ReadResult& r : {read_all_at_once(data, max_line), read_dribbled(data, max_line)}) {
            REQUIRE(r.lines.size() == 3);
            CHECK(r.lines[0] == Line{"short", 1, 0, false});
            CHECK(r.lines[1] == Line{std::string(max_line, 'x'), 2, 6, true});
            CHECK(r.lines[2] == Line{"next", 3, 6 + (1u << 20) + 2, false});
        }
    }
    SUBCASE("a cut never splits a UTF-8 sequence") {
        std::string data;
        for (int i = 0; i < 1000; ++i) data += "\xC3\xA9";  // 2 bytes each
        data = "x" + data + "\nnext";
        ReadResult r = read_all_at_once(data, max_line);
        REQUIRE(r.lines.size() == 2);
        CHECK(r.lines[0].truncated);
        CHECK(r.lines[0].text.size() == 99);  // "x" + 49 * 2 bytes; the 50th would exceed 100
        CHECK(r.lines[1].text == "next");
    }
    SUBCASE("UTF-16 line is cut by its decoded length") {
        std::string data = utf16(std::string(5000, 'y') + "\nnext", false, true);
        for (const ReadResult& r : {read_all_at_once(data, max_line), read_dribbled(data, max_line)}) {
            REQUIRE(r.lines.size() == 2);
            CHECK(r.lines[0] == Line{std::string(max_line, 'y'), 1, 2, true});
            CHECK(r.lines[1] == Line{"next", 2, 2 + 5001 * 2, false});
        }
    }
    SUBCASE("a line of exactly max_line_bytes is not truncated") {
        ReadResult r = read_all_at_once(std::string(max_line, 'z') + "\n" + std::string(max_line + 1, 'w'), max_line);
        REQUIRE(r.lines.size() == 2);
        CHECK_FALSE(r.lines[0].truncated);
        CHECK(r.lines[0].text.size() == max_line);
        CHECK(r.lines[1].truncated);
        CHECK(r.lines[1].text.size() == max_line);
    }
    SUBCASE("an over-long last line without terminator") {
        ReadResult r = read_all_at_once("a\n" + std::string(300, 'q'), max_line);
        REQUIRE(r.lines.size() == 2);
        CHECK(r.lines[1].truncated);
        CHECK(r.lines[1].text == std::string(max_line, 'q'));
    }
}

TEST_CASE("decode: many lines across many chunks come out unchanged") {
    std::string data;
    std::vector<std::string> expected;
    for (int i = 0; i < 20000; ++i) {
        std::string line = "[01/02/2024 10:00:00.0000] [1] line " + std::to_string(i) + (i % 7 == 0 ? " \xC3\xA9" : "");
        expected.push_back(line);
        data += line + (i % 3 == 0 ? "\r\n" : "\n");
    }
    MemorySource src(data);
    LineReader reader(src);
    std::string_view line;
    size_t n = 0;
    uint64_t offset = 0;
    while (reader.next(line)) {
        REQUIRE(n < expected.size());
        CHECK(line == expected[n]);
        CHECK(reader.line_offset() == offset);
        offset += expected[n].size() + (n % 3 == 0 ? 2 : 1);
        ++n;
    }
    CHECK(n == expected.size());
    CHECK(reader.bytes_read() == data.size());
}

TEST_CASE("decode: gives the same lines whatever the read sizes (randomised)") {
    // Pieces chosen to hit terminators, multi-byte and invalid sequences, NULs and surrogates.
    const std::vector<std::string> pieces = {"a", "bc", "\r", "\n", "\r\n", "\xC3\xA9", "\xC3", "\xFF", "\xF0\x9F\x98\x80",
                                             std::string("\0", 1), "\xED\xA0\x80", "xxxxxxxxxx"};
    uint32_t seed = 12345;
    auto rnd = [&](uint32_t n) {
        seed = seed * 1103515245u + 12345u;
        return (seed >> 8) % n;
    };
    for (int round = 0; round < 400; ++round) {
        std::string data;
        if (round % 4 == 1) data = "\xEF\xBB\xBF";
        if (round % 4 == 2) data = "\xFF\xFE";
        if (round % 4 == 3) data = "\xFE\xFF";
        const uint32_t count = rnd(40);
        for (uint32_t i = 0; i < count; ++i) data += pieces[rnd(static_cast<uint32_t>(pieces.size()))];
        const size_t max_line = round % 2 ? 7 : LineReader::kDefaultMaxLine;
        CAPTURE(round);
        ReadResult whole = read_all_at_once(data, max_line);
        ReadResult dribbled = read_dribbled(data, max_line);
        CHECK(dribbled.lines == whole.lines);
        CHECK(dribbled.invalid == whole.invalid);
        CHECK(dribbled.encoding == whole.encoding);
        for (const Line& l : whole.lines) CHECK(l.text.size() <= max_line);
    }
}
