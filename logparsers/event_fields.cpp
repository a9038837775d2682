// Event field layout, time/level conversions and the raw-byte element scanner (see the header).
#include "event_fields.hpp"
#include "event_message.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "civil_time.hpp"

namespace extriage::eventlog {

namespace {

constexpr std::array<std::string_view, EventRecordBuilder::slot_count> kSlotNames = {
    "provider", "event_id", "qualifiers", "level", "task", "keywords", "record_id", "channel", "computer", "user_sid"};

constexpr size_t kReadChunk = 1u << 20;
constexpr size_t kRawSummaryMax = 600;

bool is_space_unit(unsigned c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::optional<int64_t> parse_iso_datetime(std::string_view s, size_t& end) {
    auto num = [&](size_t pos, size_t len, unsigned& out) {
        if (pos + len > s.size()) return false;
        out = 0;
        for (size_t i = pos; i < pos + len; ++i) {
            if (s[i] < '0' || s[i] > '9') return false;
            out = out * 10 + static_cast<unsigned>(s[i] - '0');
        }
        return true;
    };
    unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    if (s.size() < 19 || !num(0, 4, y) || s[4] != '-' || !num(5, 2, mo) || s[7] != '-' || !num(8, 2, d) ||
        (s[10] != 'T' && s[10] != ' ') || !num(11, 2, h) || s[13] != ':' || !num(14, 2, mi) || s[16] != ':' ||
        !num(17, 2, se))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
    unsigned ms = 0;
    size_t i = 19;
    if (i < s.size() && s[i] == '.') {
        unsigned scale = 100;
        for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
            ms += static_cast<unsigned>(s[i] - '0') * scale;
            scale /= 10;
        }
    }
    end = i;
    return civil_ms(y, mo, d, h, mi, se, ms);
}

Level level_from_number(std::string_view s) {
    unsigned v = 0;
    if (s.empty() || s.size() > 3) return Level::info;
    for (char c : s) {
        if (c < '0' || c > '9') return Level::info;
        v = v * 10 + static_cast<unsigned>(c - '0');
    }
    switch (v) {
        case 1: return Level::critical;
        case 2: return Level::error;
        case 3: return Level::warning;
        case 5: return Level::trace;
        default: return Level::info;
    }
}

std::optional<ParsedTime> parse_time(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
    size_t i = 0;
    const auto local = parse_iso_datetime(s, i);
    if (!local) return std::nullopt;
    ParsedTime t;
    t.ms = *local;
    if (i == s.size()) return t;
    if (s[i] == 'Z' && i + 1 == s.size()) {
        t.has_zone = true;
        return t;
    }
    auto num = [&](size_t pos, unsigned& out) {   // two digits
        if (pos + 2 > s.size() || s[pos] < '0' || s[pos] > '9' || s[pos + 1] < '0' || s[pos + 1] > '9') return false;
        out = static_cast<unsigned>(s[pos] - '0') * 10 + static_cast<unsigned>(s[pos + 1] - '0');
        return true;
    };
    unsigned oh = 0, om = 0;
    if ((s[i] == '+' || s[i] == '-') && num(i + 1, oh) && i + 3 < s.size() && s[i + 3] == ':' && num(i + 4, om) &&
        i + 6 == s.size() && oh <= 14 && om < 60) {
        const int64_t offset = (oh * 60 + om) * int64_t{60000};
        t.ms += s[i] == '+' ? -offset : offset;
        t.has_zone = true;
        return t;
    }
    return std::nullopt;
}

std::string positional_data_name(std::string_view provider, size_t position) {
    // The Service Control Manager manifest names its insertion strings param1..paramN; EVTX and
    // Event Viewer XML carry those names, Get-EventLog only the positions.
    if (provider == "Service Control Manager") return fmt::format("param{}", position);
    return fmt::format("Data[{}]", position);
}

// --- EventRecordBuilder ---

void EventRecordBuilder::clear() {
    for (auto& s : system_) s.clear();
    has_.fill(false);
    time_ms_ = kNoTime;
    time_is_utc_ = true;
    data_.clear();
    message_.clear();
}

void EventRecordBuilder::set(Slot slot, std::string_view value) {
    system_[slot] = value;
    has_[slot] = true;
}

void EventRecordBuilder::add_data(std::string_view name, std::string_view value, bool named, bool in_text) {
    data_.push_back({std::string(name), std::string(value), named, in_text});
}

void EventRecordBuilder::set_message(std::string_view message) {
    message_ = message;
    while (!message_.empty() && (message_.back() == '\n' || message_.back() == '\r' || message_.back() == ' '))
        message_.pop_back();
}

const Record& EventRecordBuilder::finish(std::string_view parser, std::string_view path, uint64_t line,
                                         uint64_t line_count, uint64_t offset) {
    // The joined data text, exactly as evtx-binary builds it.
    text_.clear();
    for (const Data& d : data_) {
        if (!d.in_text || d.value.empty()) continue;
        if (!text_.empty()) text_ += "; ";
        if (d.named) {
            text_ += d.name;
            text_ += ": ";
        }
        text_ += d.value;
    }
    time_text_ = format_time(time_ms_, /*utc=*/true, /*iso=*/true);   // "" for kNoTime

    fields_.clear();
    auto field = [&](std::string_view name, std::string_view value) { fields_.push_back({name, value}); };
    for (Slot s : {provider, event_id, qualifiers, level, task, keywords})
        if (has_[s]) field(kSlotNames[s], system_[s]);
    field(kSlotNames[record_id], system_[record_id]);
    for (Slot s : {channel, computer})
        if (has_[s]) field(kSlotNames[s], system_[s]);
    field("time", time_text_);
    if (has_[user_sid]) field(kSlotNames[user_sid], system_[user_sid]);
    for (const Data& d : data_) field(d.name, d.value);
    if (!message_.empty()) field("message", message_);

    const std::string_view text = message_.empty() ? std::string_view(text_) : std::string_view(message_);
    // The evidence line: the XML itself would show mostly <System> noise.
    std::string readable;
    if (message_.empty()) {
        std::vector<std::string_view> values;
        for (const Data& d : data_)
            if (d.in_text) values.push_back(d.value);
        readable = render_known_message(system_[provider], system_[event_id], values);
        if (readable.empty()) readable = resolve_insertions(text_);
    }
    raw_ = summary_line({time_ms_, time_ms_ != kNoTime && time_is_utc_, system_[provider], system_[event_id], system_[record_id], {},
                         message_.empty() ? std::string_view(readable) : std::string_view(message_)},
                        kRawSummaryMax);

    record_ = Record{};
    record_.parser = parser;
    record_.path = path;
    record_.line = line;
    record_.line_count = line_count;
    record_.offset = offset;
    record_.time_ms = time_ms_;
    record_.time_is_utc = time_ms_ != kNoTime && time_is_utc_;
    record_.level = level_from_number(system_[level]);
    record_.text = text;
    record_.raw = raw_;
    record_.fields = fields_;
    return record_;
}

// --- ElementScanner ---

ElementScanner::ElementScanner(ByteSource& source, Options options) : source_(source), options_(options) {}

bool ElementScanner::fill() {
    if (eof_) return false;
    const size_t old = buf_.size();
    buf_.resize(old + kReadChunk);
    const size_t n = source_.read(buf_.data() + old, kReadChunk);
    buf_.resize(old + n);
    if (n == 0) eof_ = true;
    return n > 0;
}

void ElementScanner::start() {
    started_ = true;
    while (buf_.size() < 4096 && fill()) {
    }
    encoding_ = sniff_encoding(buf_);
    u_ = (encoding_ == TextEncoding::utf16le || encoding_ == TextEncoding::utf16be) ? 2 : 1;
    if (encoding_ == TextEncoding::utf8_bom) pos_ = 3;
    else if (u_ == 2 && buf_.size() >= 2 &&
             ((static_cast<unsigned char>(buf_[0]) == 0xFF && static_cast<unsigned char>(buf_[1]) == 0xFE) ||
              (static_cast<unsigned char>(buf_[0]) == 0xFE && static_cast<unsigned char>(buf_[1]) == 0xFF)))
        pos_ = 2;
}

unsigned ElementScanner::unit(size_t i) const {
    const auto b = [&](size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(buf_[k])); };
    if (u_ == 1) return b(i);
    if (encoding_ == TextEncoding::utf16be) return b(i) << 8 | b(i + 1);
    return b(i) | b(i + 1) << 8;
}

bool ElementScanner::ascii_at(size_t i, std::string_view s) const {
    if (i + s.size() * u_ > buf_.size()) return false;
    for (size_t k = 0; k < s.size(); ++k)
        if (unit(i + k * u_) != static_cast<unsigned char>(s[k])) return false;
    return true;
}

size_t ElementScanner::find_lt(size_t from) const {
    if (u_ == 1) {
        if (from >= buf_.size()) return std::string::npos;
        const void* p = std::memchr(buf_.data() + from, '<', buf_.size() - from);
        return p ? static_cast<size_t>(static_cast<const char*>(p) - buf_.data()) : std::string::npos;
    }
    const std::string_view pat = encoding_ == TextEncoding::utf16be ? std::string_view("\0<", 2) : std::string_view("<\0", 2);
    size_t k = std::string_view(buf_).find(pat, from);
    while (k != std::string::npos && k % 2 != 0) k = std::string_view(buf_).find(pat, k + 1);
    return k;
}

void ElementScanner::advance(size_t to) {
    if (u_ == 1) {
        line_ += static_cast<uint64_t>(std::count(buf_.begin() + static_cast<long>(pos_), buf_.begin() + static_cast<long>(to), '\n'));
    } else {
        for (size_t k = pos_; k < to && k + 1 < buf_.size(); k += 2)
            if (unit(k) == '\n') ++line_;
    }
    pos_ = to;
}

void ElementScanner::compact() {
    if (pos_ == 0) return;
    buf_.erase(0, pos_);
    base_ += pos_;
    pos_ = 0;
}

void ElementScanner::decode(size_t begin, size_t end, std::string& out) const {
    out.clear();
    end = std::min(end, buf_.size());
    if (u_ == 1) {
        out.assign(buf_, begin, end - begin);
        return;
    }
    out.reserve((end - begin) / 2 + 16);
    for (size_t i = begin; i + 1 < end; i += 2) {
        const unsigned c = unit(i);
        if (c >= 0xD800 && c < 0xDC00 && i + 3 < end) {
            const unsigned lo = unit(i + 2);
            if (lo >= 0xDC00 && lo < 0xE000) {
                extriage::append_utf8(out, 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00));
                i += 2;
                continue;
            }
            extriage::append_utf8(out, 0xFFFD);
        } else if (c >= 0xD800 && c < 0xE000) {
            extriage::append_utf8(out, 0xFFFD);
        } else {
            extriage::append_utf8(out, c);
        }
    }
}

int ElementScanner::classify(size_t i) const {
    const std::string_view name = options_.name;
    const bool closing = i + 2 * u_ <= buf_.size() && unit(i + u_) == '/';
    if (i + 2 * u_ > buf_.size()) return eof_ ? 0 : -1;
    const size_t name_at = i + (closing ? 2 : 1) * u_;
    const size_t delim_at = name_at + name.size() * u_;
    if (delim_at + u_ > buf_.size()) return eof_ ? 0 : -1;
    if (!ascii_at(name_at, name)) return 0;
    const unsigned d = unit(delim_at);
    if (closing) return d == '>' || is_space_unit(d) ? 2 : 0;
    if (d == '>') return 1;
    if (d != '/' && !is_space_unit(d)) return 0;
    // A start tag: find its '>' to tell <Obj ... /> from <Obj ...>.
    for (size_t k = delim_at; k + u_ <= buf_.size(); k += u_) {
        if (unit(k) != '>') continue;
        return k >= u_ && unit(k - u_) == '/' ? 3 : 1;
    }
    return eof_ ? 0 : -1;
}

bool ElementScanner::next(Element& out) {
    if (!started_) start();
    out = Element{};
    if (pos_ > (4u << 20) || pos_ * 2 > buf_.size()) compact();
    // 1. The next start tag of the element.
    int kind = 0;
    for (;;) {
        const size_t i = find_lt(pos_);
        if (i == std::string::npos) {
            advance(buf_.size() - (buf_.size() - pos_) % u_);
            compact();
            if (!fill()) return false;
            continue;
        }
        const int c = classify(i);
        if (c < 0) {
            advance(i);
            compact();
            if (!fill()) continue;   // at EOF classify() decides without more data
            continue;
        }
        if (c == 1 || c == 3) {
            advance(i);
            kind = c;
            break;
        }
        advance(i + u_);
    }
    const size_t begin = pos_;
    out.offset = base_ + begin;
    out.line = line_;
    auto finish = [&](Status status, size_t end) {
        out.status = status;
        decode(begin, end, out.utf8);
        advance(end);
        out.end_line = line_;
        return true;
    };
    if (kind == 3) {
        size_t k = begin;
        while (unit(k) != '>') k += u_;
        return finish(Status::complete, k + u_);
    }
    // 2. Its end: the matching close tag (counting nested starts when the element nests).
    int depth = 1;
    size_t j = begin + u_;
    size_t tags = 0, counted = std::string::npos;
    for (;;) {
        const bool too_large = j - begin > options_.max_element_bytes;
        if (too_large || tags > options_.max_element_tags) {
            out.status = too_large ? Status::too_large : Status::too_many_tags;
            if (options_.nested) skip_element(j, depth);
            else advance(begin + u_);
            out.end_line = line_;
            return true;
        }
        const size_t k = find_lt(j);
        if (k == std::string::npos) {
            j = buf_.size() - (buf_.size() - begin) % u_;
            if (!fill()) return finish(Status::truncated, buf_.size() - (buf_.size() - begin) % u_);
            continue;
        }
        const int c = classify(k);
        if (c < 0) {
            j = k;
            if (!fill()) continue;
            continue;
        }
        if (k != counted) {   // a tag seen again after more data was read counts once
            ++tags;
            counted = k;
        }
        if (c == 1) {
            if (!options_.nested) return finish(Status::unterminated, k);
            ++depth;
        } else if (c == 2) {
            size_t gt = k;
            while (gt + u_ <= buf_.size() && unit(gt) != '>') gt += u_;
            if (gt + u_ > buf_.size()) {
                j = k;
                if (!fill()) return finish(Status::truncated, buf_.size() - (buf_.size() - begin) % u_);
                continue;
            }
            if (--depth == 0) return finish(Status::complete, gt + u_);
            j = gt + u_;
            continue;
        }
        j = k + u_;
    }
}

void ElementScanner::skip_element(size_t j, int depth) {
    for (;;) {
        const size_t k = find_lt(j);
        if (k == std::string::npos) {
            advance(buf_.size() - (buf_.size() - pos_) % u_);
            compact();
            if (!fill()) return;
            j = pos_;
            continue;
        }
        const int c = classify(k);
        if (c < 0) {   // the tag needs more data: keep it, drop what is before it
            advance(k);
            compact();
            fill();   // at EOF classify() decides without more data
            j = pos_;
            continue;
        }
        if (c == 1) {
            ++depth;
        } else if (c == 2) {
            size_t gt = k;
            while (gt + u_ <= buf_.size() && unit(gt) != '>') gt += u_;
            if (gt + u_ > buf_.size()) {
                advance(k);
                compact();
                if (!fill()) {
                    advance(buf_.size() - (buf_.size() - pos_) % u_);
                    return;
                }
                j = pos_;
                continue;
            }
            if (--depth == 0) {
                advance(gt + u_);
                return;
            }
            j = gt + u_;
            continue;
        }
        j = k + u_;
    }
}

// --- load_element ---

std::optional<XmlError> load_element(pugi::xml_document& doc, const ElementScanner::Element& el) {
    const pugi::xml_parse_result res =
        doc.load_buffer(el.utf8.data(), el.utf8.size(), pugi::parse_default, pugi::encoding_utf8);
    if (res) return std::nullopt;
    const auto at = static_cast<size_t>(std::max<std::ptrdiff_t>(0, res.offset));
    const std::string_view before = std::string_view(el.utf8).substr(0, std::min(at, el.utf8.size()));
    const size_t nl = before.rfind('\n');
    XmlError e;
    e.line = el.line + static_cast<uint64_t>(std::count(before.begin(), before.end(), '\n'));
    e.column = at - (nl == std::string_view::npos ? 0 : nl + 1) + 1;
    e.description = res.description();
    return e;
}

}  // namespace extriage::eventlog
