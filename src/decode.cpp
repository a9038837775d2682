// Encoding sniffing and the streaming LineReader. Lines are split on raw bytes (UTF-8) or raw
// code units (UTF-16) and only then decoded, so offsets stay exact and a valid UTF-8 line is
// handed out as a view into the read buffer. Memory is bounded by max_line_bytes plus one
// 64 KiB chunk: an over-long line is cut and its tail skipped without being buffered.
// What the text means is left to the parsers.
#include "decode.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

namespace extriage {

namespace {

constexpr size_t kChunk = 64 * 1024;
constexpr size_t kNpos = std::string_view::npos;
constexpr size_t kSniffBytes = 512;
constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

struct DecodeResult {
    size_t consumed = 0;   // input bytes used
    bool capped = false;   // stopped because the output would exceed the cap
};

inline bool is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the valid UTF-8 sequence starting at s[0], 0 if invalid, or -(valid prefix length)
// when the input ends in the middle of an otherwise valid sequence.
int utf8_sequence(const unsigned char* s, size_t n) {
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    int len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates in UTF-8
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    for (int i = 1; i < len; ++i) {
        if (static_cast<size_t>(i) >= n) return -i;
        unsigned char b = s[i];
        if (i == 1 ? (b < lo || b > hi) : !is_cont(b)) return 0;
    }
    return len;
}

// Number of leading bytes of s that are all ASCII.
size_t ascii_prefix(const char* s, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        std::memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ULL) break;
    }
    while (i < n && static_cast<unsigned char>(s[i]) < 0x80) ++i;
    return i;
}

// True when s is valid UTF-8; then adds its multi-byte sequences to multibyte.
bool valid_utf8(std::string_view s, uint64_t& multibyte) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    size_t n = s.size();
    size_t i = ascii_prefix(s.data(), n);
    uint64_t found = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            i += 1 + ascii_prefix(s.data() + i + 1, n - i - 1);
            continue;
        }
        int k = utf8_sequence(p + i, n - i);
        if (k <= 0) return false;
        ++found;
        i += static_cast<size_t>(k);
    }
    multibyte += found;
    return true;
}

// Bytes an invalid sequence at p[0] spans (k = utf8_sequence(p, n)): its maximal subpart, the
// lead byte plus the continuation bytes that fitted, so that each one becomes one U+FFFD.
size_t invalid_length(const unsigned char* p, size_t n, int k) {
    size_t skip = k < 0 ? static_cast<size_t>(-k) : 1;
    if (k == 0 && p[0] >= 0xC2 && p[0] <= 0xF4) {
        for (size_t j = 1; j < 4 && j < n; ++j) {
            if (utf8_sequence(p, j) != -static_cast<int>(j)) break;
            skip = j;
        }
    }
    return skip;
}

// Evidence for the ANSI rule (decode.hpp): valid multi-byte and invalid UTF-8 sequences.
struct Utf8Tally {
    uint64_t multibyte = 0;
    uint64_t invalid = 0;
};

bool ansi_wins(uint64_t multibyte, uint64_t invalid) { return invalid > 0 && invalid >= multibyte; }

// Counts the sequences of s; when !final, an incomplete sequence at its end is not counted.
Utf8Tally tally_utf8(std::string_view s, bool final) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const size_t n = s.size();
    Utf8Tally t;
    size_t i = 0;
    for (;;) {
        i += ascii_prefix(s.data() + i, n - i);
        if (i >= n) break;
        int k = utf8_sequence(p + i, n - i);
        if (k > 0) {
            ++t.multibyte;
            i += static_cast<size_t>(k);
            continue;
        }
        if (k < 0 && !final) break;
        ++t.invalid;
        i += invalid_length(p + i, n - i, k);
    }
    return t;
}

// The loop both byte decoders share: ASCII runs are copied whole (never past cap), and
// step(i, r) decodes what starts at the non-ASCII byte in[i]: it advances i and returns true, or
// returns false with r set where decoding stops.
template <class Step>
DecodeResult decode_bytes(std::string_view in, std::string& out, size_t cap, Step&& step) {
    size_t i = 0;
    DecodeResult r;
    while (i < in.size()) {
        const size_t run = ascii_prefix(in.data() + i, in.size() - i);
        const size_t room = cap - out.size();
        if (run > room) {
            out.append(in.data() + i, room);
            return {i + room, true};
        }
        out.append(in.data() + i, run);
        i += run;
        if (i < in.size() && !step(i, r)) return r;
    }
    return {i, false};
}

// Appends the UTF-8 of `in` to `out`, replacing each maximal invalid subpart with U+FFFD and
// never letting out grow past cap (a sequence is never split). When !final, an incomplete
// sequence at the end of `in` is left unconsumed.
DecodeResult decode_utf8(std::string_view in, std::string& out, size_t cap, bool final, uint64_t& invalid) {
    const auto* p = reinterpret_cast<const unsigned char*>(in.data());
    const size_t n = in.size();
    return decode_bytes(in, out, cap, [&](size_t& i, DecodeResult& r) {
        int k = utf8_sequence(p + i, n - i);
        if (k < 0 && !final) {
            r = {i, false};
            return false;
        }
        size_t len = k > 0 ? static_cast<size_t>(k) : 3;
        if (out.size() + len > cap) {
            r = {i, true};
            return false;
        }
        if (k > 0) {
            out.append(in.data() + i, len);
            i += len;
        } else {
            out.append(kReplacement, 3);
            ++invalid;
            i += invalid_length(p + i, n - i, k);
        }
        return true;
    });
}

size_t utf8_length(uint32_t cp) { return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; }

inline unsigned unit16(const unsigned char* p, bool be) {
    return be ? (unsigned{p[0]} << 8) | p[1] : (unsigned{p[1]} << 8) | p[0];
}

// UTF-16 → UTF-8 with the same contract as decode_utf8. Lone surrogates and an odd final byte
// (when final) become U+FFFD.
DecodeResult decode_utf16(std::string_view in, bool be, std::string& out, size_t cap, bool final, uint64_t& invalid) {
    const auto* p = reinterpret_cast<const unsigned char*>(in.data());
    size_t n = in.size();
    size_t i = 0;
    while (i + 2 <= n) {
        unsigned u = unit16(p + i, be);
        uint32_t cp;
        size_t used = 2;
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 4 > n) {
                if (!final) return {i, false};
                cp = 0xFFFD;
            } else {
                unsigned lo = unit16(p + i + 2, be);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                    used = 4;
                } else {
                    cp = 0xFFFD;
                }
            }
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            cp = 0xFFFD;
        } else {
            cp = u;
        }
        if (out.size() + utf8_length(cp) > cap) return {i, true};
        if (cp == 0xFFFD && u != 0xFFFD) ++invalid;
        append_utf8(out, cp);
        i += used;
    }
    if (i < n && final) {  // odd trailing byte
        if (out.size() + 3 > cap) return {i, true};
        out.append(kReplacement, 3);
        ++invalid;
        i = n;
    }
    return {i, false};
}

// Windows-1252's 0x80-0x9F; 0 marks the five bytes it leaves undefined. 0xA0-0xFF are
// Latin-1 (the code point equals the byte).
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

// Windows-1252 -> UTF-8 with the same contract as decode_utf8 (every byte is complete).
DecodeResult decode_cp1252(std::string_view in, std::string& out, size_t cap, uint64_t& invalid) {
    const auto* p = reinterpret_cast<const unsigned char*>(in.data());
    return decode_bytes(in, out, cap, [&](size_t& i, DecodeResult& r) {
        uint32_t cp = p[i] >= 0xA0 ? p[i] : kCp1252High[p[i] - 0x80];
        if (cp == 0) cp = 0xFFFD;
        if (out.size() + utf8_length(cp) > cap) {
            r = {i, true};
            return false;
        }
        if (cp == 0xFFFD) ++invalid;
        append_utf8(out, cp);
        ++i;
        return true;
    });
}

// SWAR test: does the 8-byte word contain the byte b?
inline bool has_byte(uint64_t w, unsigned char b) {
    uint64_t x = w ^ (0x0101010101010101ULL * b);
    return ((x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL) != 0;
}

// BOM-less UTF-16 is sniffed too, so look at the bytes rather than trusting the encoding.
size_t bom_length(std::string_view head, TextEncoding e) {
    switch (e) {
        case TextEncoding::utf8_bom: return 3;
        case TextEncoding::utf16le: return head.starts_with("\xFF\xFE") ? 2 : 0;
        case TextEncoding::utf16be: return head.starts_with("\xFE\xFF") ? 2 : 0;
        case TextEncoding::utf8:
        case TextEncoding::windows1252: break;
    }
    return 0;
}

}  // namespace

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string_view encoding_name(TextEncoding e) {
    switch (e) {
        case TextEncoding::utf8: return "utf-8";
        case TextEncoding::utf8_bom: return "utf-8-bom";
        case TextEncoding::utf16le: return "utf-16le";
        case TextEncoding::utf16be: return "utf-16be";
        case TextEncoding::windows1252: return "windows-1252";
    }
    return "utf-8";
}

TextEncoding sniff_encoding(std::string_view head) {
    auto b = [&](size_t i) { return static_cast<unsigned char>(head[i]); };
    if (head.size() >= 3 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) return TextEncoding::utf8_bom;
    if (head.size() >= 2 && b(0) == 0xFF && b(1) == 0xFE) return TextEncoding::utf16le;
    if (head.size() >= 2 && b(0) == 0xFE && b(1) == 0xFF) return TextEncoding::utf16be;
    // No BOM: ASCII text in UTF-16 has a NUL in every other byte ("[\0" "0\0" "1\0" ...).
    // UTF-8 and ANSI logs never contain NULs, so a mostly-NUL odd column is a safe signal.
    size_t pairs = std::min(head.size(), kSniffBytes) / 2;
    size_t le = 0, be = 0;
    for (size_t i = 0; i < pairs; ++i) {
        unsigned char x = b(2 * i), y = b(2 * i + 1);
        if (x != 0 && y == 0) ++le;
        if (x == 0 && y != 0) ++be;
    }
    if (pairs > 0 && le * 2 >= pairs && le > be * 2) return TextEncoding::utf16le;
    if (pairs > 0 && be * 2 >= pairs && be > le * 2) return TextEncoding::utf16be;
    const Utf8Tally t = tally_utf8(head, false);
    return ansi_wins(t.multibyte, t.invalid) ? TextEncoding::windows1252 : TextEncoding::utf8;
}

std::string decode_head(std::string_view head) {
    TextEncoding e = sniff_encoding(head);
    std::string_view body = head.substr(bom_length(head, e));
    std::string out;
    uint64_t invalid = 0;
    constexpr size_t kNoCap = std::numeric_limits<size_t>::max();
    // The head is usually a prefix of the file: leave a sequence cut at its end undecoded.
    if (e == TextEncoding::utf16le || e == TextEncoding::utf16be) {
        out.reserve(body.size() / 2);
        decode_utf16(body, e == TextEncoding::utf16be, out, kNoCap, false, invalid);
    } else if (e == TextEncoding::windows1252) {
        out.reserve(body.size());
        decode_cp1252(body, out, kNoCap, invalid);
    } else {
        out.reserve(body.size());
        decode_utf8(body, out, kNoCap, false, invalid);
    }
    return out;
}

LineReader::LineReader(ByteSource& source, size_t max_line_bytes) : source_(source), max_line_(max_line_bytes) {}

void LineReader::start() {
    started_ = true;
    // Always the same head, whatever sizes the source reads in, so the verdict is too.
    while (raw_.size() < kEncodingSniffBytes && read_chunk()) {
    }
    const std::string_view head(raw_.data(), std::min(raw_.size(), kEncodingSniffBytes));
    encoding_ = sniff_encoding(head);
    head_end_ = head.size();
    if (encoding_ == TextEncoding::windows1252) ansi_from_line_ = 1;
    raw_pos_ = bom_length(raw_, encoding_);
    unit_ = (encoding_ == TextEncoding::utf16le || encoding_ == TextEncoding::utf16be) ? 2 : 1;
    // Decoded UTF-8 is at least as long as raw UTF-8 and at least half as long as raw UTF-16,
    // so an unterminated line longer than this is certainly over max_line_ once decoded.
    raw_limit_ = max_line_ * unit_ + 4;
}

bool LineReader::read_chunk() {
    if (eof_) return false;
    if (raw_pos_ > 0) {
        raw_.erase(0, raw_pos_);
        raw_base_ += raw_pos_;
        raw_pos_ = 0;
    }
    size_t old = raw_.size();
    raw_.resize(old + kChunk);
    size_t n = source_.read(raw_.data() + old, kChunk);
    raw_.resize(old + n);
    raw_consumed_ += n;
    if (n == 0) {
        eof_ = true;
        return false;
    }
    return true;
}

unsigned LineReader::unit_at(size_t i) const {
    const auto* p = reinterpret_cast<const unsigned char*>(raw_.data() + i);
    if (unit_ == 1) return p[0];
    return unit16(p, encoding_ == TextEncoding::utf16be);
}

size_t LineReader::find_terminator(size_t from, size_t end) const {
    if (unit_ == 1) {
        const char* s = raw_.data();
        size_t i = from;
        for (; i + 8 <= end; i += 8) {
            uint64_t w;
            std::memcpy(&w, s + i, 8);
            if (has_byte(w, '\n') || has_byte(w, '\r')) break;
        }
        for (; i < end; ++i)
            if (s[i] == '\n' || s[i] == '\r') return i;
        return kNpos;
    }
    for (size_t i = from; i + 2 <= end; i += 2) {
        unsigned u = unit_at(i);
        if (u == '\n' || u == '\r') return i;
    }
    return kNpos;
}

size_t LineReader::consume_terminator(size_t t) {
    size_t after = t + unit_;
    if (unit_at(t) == '\r') {
        if (after + unit_ <= raw_.size()) {
            if (unit_at(after) == '\n') after += unit_;
        } else {
            pending_cr_ = true;  // a CRLF may be split across two reads
        }
    }
    return after;
}

std::string_view LineReader::decode_line(size_t begin, size_t end, bool final) {
    std::string_view in(raw_.data() + begin, end - begin);
    if (unit_ == 1 && encoding_ != TextEncoding::windows1252) {
        if (in.size() <= max_line_ && valid_utf8(in, utf8_multibyte_)) return in;
        const Utf8Tally t = tally_utf8(in, final);
        utf8_multibyte_ += t.multibyte;
        utf8_invalid_ += t.invalid;
        // The head was judged as a whole in start(); later lines tip the balance on their own.
        if (t.invalid > 0 && encoding_ == TextEncoding::utf8 && raw_base_ + begin >= head_end_ &&
            ansi_wins(utf8_multibyte_, utf8_invalid_)) {
            encoding_ = TextEncoding::windows1252;
            ansi_from_line_ = line_number_;
        }
    }
    if (encoding_ == TextEncoding::windows1252 && in.size() <= max_line_ && ascii_prefix(in.data(), in.size()) == in.size())
        return in;
    line_buf_.clear();
    DecodeResult r;
    if (encoding_ == TextEncoding::windows1252)
        r = decode_cp1252(in, line_buf_, max_line_, invalid_);
    else if (unit_ == 1)
        r = decode_utf8(in, line_buf_, max_line_, final, invalid_);
    else
        r = decode_utf16(in, encoding_ == TextEncoding::utf16be, line_buf_, max_line_, final, invalid_);
    truncated_ = r.capped;
    return line_buf_;
}

void LineReader::skip_rest_of_line() {
    for (;;) {
        size_t end = raw_pos_ + (raw_.size() - raw_pos_) / unit_ * unit_;
        size_t t = find_terminator(raw_pos_, end);
        if (t != kNpos) {
            raw_pos_ = consume_terminator(t);
            return;
        }
        raw_pos_ = end;
        if (!read_chunk()) {
            raw_pos_ = raw_.size();  // an odd trailing byte belongs to the skipped tail
            return;
        }
    }
}

bool LineReader::next(std::string_view& line) {
    if (!started_) start();
    truncated_ = false;
    if (pending_cr_) {
        pending_cr_ = false;
        while (raw_.size() - raw_pos_ < unit_ && read_chunk()) {
        }
        if (raw_.size() - raw_pos_ >= unit_ && unit_at(raw_pos_) == '\n') raw_pos_ += unit_;
    }
    while (raw_.size() - raw_pos_ < unit_ && read_chunk()) {
    }
    if (raw_pos_ == raw_.size()) return false;

    line_offset_ = raw_base_ + raw_pos_;
    ++line_number_;
    size_t scanned = 0;  // bytes after raw_pos_ known to hold no terminator (survives compaction)
    for (;;) {
        size_t end = raw_pos_ + (raw_.size() - raw_pos_) / unit_ * unit_;
        size_t t = find_terminator(raw_pos_ + scanned, end);
        if (t != kNpos) {
            line = decode_line(raw_pos_, t, true);
            // decode_line may return a view into raw_; consuming only moves raw_pos_.
            raw_pos_ = consume_terminator(t);
            return true;
        }
        scanned = end - raw_pos_;
        if (scanned > raw_limit_) {
            line = decode_line(raw_pos_, end, false);
            truncated_ = true;
            raw_pos_ = end;
            skip_rest_of_line();
            return true;
        }
        if (!read_chunk()) {
            line = decode_line(raw_pos_, raw_.size(), true);
            raw_pos_ = raw_.size();
            return true;
        }
    }
}

}  // namespace extriage
