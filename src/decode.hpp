// Text decoding: BOM/encoding sniffing and a streaming line reader that yields UTF-8 lines.
// Exchange writes ExchangeSetup.log as UTF-8 or in the server's ANSI code page, scrubbed copies
// and PowerShell Out-File exports are UTF-16LE with a BOM, so every text parser reads through
// LineReader.
//
// When a file counts as ANSI (Windows-1252): it has no BOM, is not UTF-16, and holds an invalid
// UTF-8 sequence while holding no more valid multi-byte UTF-8 sequences than invalid ones (text
// written in Windows-1252 is almost never valid UTF-8 by accident: "jürgen" is "j\xFCrgen"). The
// first 64 KiB are judged as a whole before the first line is returned. When they pass as UTF-8,
// the first later line that is not valid UTF-8 is judged by the same count over everything read
// so far, and if ANSI wins the file is read as Windows-1252 from that line on. A UTF-8 file with
// a few stray bytes among many accented letters stays UTF-8 (the stray bytes become U+FFFD).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "byte_source.hpp"

namespace extriage {

enum class TextEncoding { utf8, utf8_bom, utf16le, utf16be, windows1252 };

std::string_view encoding_name(TextEncoding e);

// Size of the head judged for ANSI (and read before the first line is returned).
inline constexpr size_t kEncodingSniffBytes = 64 * 1024;

// Looks at the first bytes: BOMs, the NUL pattern of BOM-less UTF-16 ("[\0" ...), then the ANSI
// rule above over the whole head (a sequence cut by the end of the head does not count).
TextEncoding sniff_encoding(std::string_view head);

// Appends one Unicode code point to out as UTF-8 (the one encoder every parser uses).
void append_utf8(std::string& out, uint32_t code_point);

// Decodes a (short) head of bytes to UTF-8 for content sniffing; invalid data becomes U+FFFD.
std::string decode_head(std::string_view head);

// Streams lines out of a ByteSource. Lines end at "\r\n", "\n" or a lone "\r" and exclude the
// terminator. The returned view is valid until the next call to next(). Lines longer than
// max_line_bytes are cut there (truncated() tells) and the rest of the line is skipped, so memory
// stays bounded whatever the input. Windows-1252 is converted to UTF-8 (see the ANSI rule above).
// Invalid UTF-8 / UTF-16, and the five bytes Windows-1252 leaves undefined, become U+FFFD and are
// counted.
class LineReader {
public:
    static constexpr size_t kDefaultMaxLine = 16u << 20;

    explicit LineReader(ByteSource& source, size_t max_line_bytes = kDefaultMaxLine);

    bool next(std::string_view& line);
    uint64_t line_number() const { return line_number_; }     // of the line last returned
    uint64_t line_offset() const { return line_offset_; }     // its byte offset in the raw input
    bool truncated() const { return truncated_; }             // the last line was cut
    TextEncoding encoding() const { return encoding_; }      // windows1252 once the file counts as ANSI
    uint64_t ansi_from_line() const { return ansi_from_line_; }   // first line read as ANSI; 0: none
    uint64_t invalid_sequences() const { return invalid_; }   // replaced so far
    uint64_t bytes_read() const { return raw_consumed_; }

private:
    // Lines are split on the raw bytes (code units for UTF-16) and decoded one at a time, so
    // line offsets are exact in every encoding and valid UTF-8 lines are returned without a copy.
    void start();                    // first call: reads a head, sniffs the encoding, skips the BOM
    bool read_chunk();               // appends up to 64 KiB to raw_ (compacting first); false at EOF
    size_t find_terminator(size_t from, size_t end) const;   // index of CR/LF unit or npos
    unsigned unit_at(size_t i) const;                        // code unit value at raw_[i]
    size_t consume_terminator(size_t t);                     // index after the terminator at t
    std::string_view decode_line(size_t begin, size_t end, bool final);
    void skip_rest_of_line();

    ByteSource& source_;
    size_t max_line_;
    size_t raw_limit_ = 0;           // raw bytes of one unterminated line kept before cutting it
    TextEncoding encoding_ = TextEncoding::utf8;
    bool started_ = false;
    bool eof_ = false;
    std::string raw_;                // raw bytes; [raw_pos_, size) not yet consumed
    size_t raw_pos_ = 0;
    uint64_t raw_base_ = 0;          // offset in the input of raw_[0]
    std::string line_buf_;           // decoded line when it could not be returned in place
    uint64_t line_number_ = 0;
    uint64_t line_offset_ = 0;
    uint64_t raw_consumed_ = 0;      // raw bytes read from the source so far
    bool truncated_ = false;
    bool pending_cr_ = false;        // the last line ended in CR at the end of the buffer
    uint64_t invalid_ = 0;
    uint64_t head_end_ = 0;          // input offset where the judged head ends
    uint64_t ansi_from_line_ = 0;
    uint64_t utf8_multibyte_ = 0;    // valid multi-byte UTF-8 sequences in the lines so far
    uint64_t utf8_invalid_ = 0;      // invalid UTF-8 sequences in the lines so far
    unsigned unit_ = 1;              // bytes per code unit
};

}  // namespace extriage
