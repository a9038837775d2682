// Shared by the event parsers (event-xml, event-clixml and the evtx-binary decoder): the
// normalized field layout of one Windows event (the same names and order in all three, so one
// rule reads every source), the time and level conversions, and a streaming scanner
// that cuts one XML element at a time out of a file of any size and encoding. Parsing the
// element is left to the parsers; load_element() only runs pugixml and locates its errors.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "byte_source.hpp"
#include "decode.hpp"
#include "record.hpp"

namespace pugi {
class xml_document;
}

namespace extriage::eventlog {

// "YYYY-MM-DD(T| )hh:mm:ss[.fraction]" at the start of `s` as ms since 1970 (no zone applied);
// `end` gets the index after the fraction. nullopt if malformed.
std::optional<int64_t> parse_iso_datetime(std::string_view s, size_t& end);

// System/Level: 1 critical, 2 error, 3 warning, 4 (and 0) information, 5 verbose (as evtx-binary).
Level level_from_number(std::string_view level);

struct ParsedTime {
    int64_t ms = kNoTime;
    bool has_zone = false;   // "Z" or "+hh:mm" was present: ms is UTC
};
// "2024-05-11T14:12:40.1181234Z", "...-05:00" or no zone; nullopt if malformed.
std::optional<ParsedTime> parse_time(std::string_view s);

// Get-EventLog loses the names of EventData elements. For providers whose manifest names them
// (Service Control Manager: param1, param2, ...) returns the name EVTX uses for the 1-based
// position; otherwise "Data[n]" like unnamed EVTX data.
std::string positional_data_name(std::string_view provider, size_t position);

// Collects one event and turns it into a Record whose views stay valid until clear().
class EventRecordBuilder {
public:
    enum Slot { provider, event_id, qualifiers, level, task, keywords, record_id, channel, computer, user_sid, slot_count };

    void clear();
    void set(Slot slot, std::string_view value);
    bool has(Slot slot) const { return has_[slot]; }
    std::string_view get(Slot slot) const { return system_[slot]; }
    void set_time(int64_t ms, bool utc) {
        time_ms_ = ms;
        time_is_utc_ = utc;
    }
    // named: "Name: value" in the joined text; in_text false for Binary.
    void add_data(std::string_view name, std::string_view value, bool named, bool in_text = true);
    void set_message(std::string_view message);
    size_t data_count() const { return data_.size(); }

    const Record& finish(std::string_view parser, std::string_view path, uint64_t line, uint64_t line_count,
                         uint64_t offset);

private:
    struct Data {
        std::string name, value;
        bool named = false, in_text = true;
    };
    std::array<std::string, slot_count> system_;
    std::array<bool, slot_count> has_{};
    int64_t time_ms_ = kNoTime;
    bool time_is_utc_ = true;
    std::vector<Data> data_;
    std::string message_;
    std::string time_text_, text_, raw_;
    std::vector<Field> fields_;
    Record record_;
};

// Cuts top-level <name ...>...</name> elements out of a byte stream without building a DOM of the
// file: the search runs on the raw bytes (UTF-8, or UTF-16 code units), so offsets and line
// numbers are exact in every encoding, and only one element is decoded at a time.
class ElementScanner {
public:
    struct Options {
        std::string_view name;           // "Event" or "Obj"
        bool nested = false;             // the element may contain elements of the same name (CLIXML Obj)
        size_t max_element_bytes = 32u << 20;
        // Tags inside one element: what pugixml turns into nodes (about 60 bytes each) and the
        // parsers into fields. A real event or object has a few hundred.
        size_t max_element_tags = 100000;
    };
    enum class Status {
        complete,       // <name ...> ... </name>
        unterminated,   // another <name> started before this one closed (non-nested only)
        truncated,      // the file ended inside the element
        too_large,      // longer than max_element_bytes; skipped
        too_many_tags,  // more than max_element_tags tags; skipped
    };
    struct Element {
        Status status = Status::complete;
        uint64_t offset = 0;      // raw byte offset of '<'
        uint64_t line = 0;        // 1-based line of '<'
        uint64_t end_line = 0;    // line of the last byte
        std::string utf8;         // the element decoded to UTF-8 (empty when too_large)
    };

    ElementScanner(ByteSource& source, Options options);
    bool next(Element& out);
    TextEncoding encoding() const { return encoding_; }
    uint64_t bytes_read() const { return base_ + buf_.size(); }

private:
    void start();
    bool fill();                                        // reads more; false at EOF
    unsigned unit(size_t i) const;                      // code unit at buf_[i]
    bool ascii_at(size_t i, std::string_view s) const;  // the units at i spell s (needs data)
    size_t find_lt(size_t from) const;                  // next '<' unit at/after from, or npos
    void advance(size_t to);                            // moves pos_, counting newlines
    void compact();
    // Moves past the end of a nested element being skipped (`depth` levels open at buf_[j]) without
    // keeping its bytes: the elements inside go with it instead of being scanned again one by one.
    void skip_element(size_t j, int depth);
    void decode(size_t begin, size_t end, std::string& out) const;
    // Classifies the tag at i ('<'): 1 start of `name`, 2 end of `name`, 3 self-closing start,
    // 0 other, -1 needs more data.
    int classify(size_t i) const;

    ByteSource& source_;
    Options options_;
    TextEncoding encoding_ = TextEncoding::utf8;
    unsigned u_ = 1;
    bool started_ = false, eof_ = false;
    std::string buf_;
    uint64_t base_ = 0;    // offset in the input of buf_[0]
    size_t pos_ = 0;       // scanning position in buf_
    uint64_t line_ = 1;    // line number at pos_
};

// Parses one scanned element into `doc`. On malformed XML returns pugixml's reason and where it
// stopped, as a line and a 1-based column in the file (exact in UTF-8; in UTF-16 the column counts
// UTF-8 bytes of the decoded element).
struct XmlError {
    uint64_t line = 0, column = 0;
    const char* description = "";
};
std::optional<XmlError> load_element(pugi::xml_document& doc, const ElementScanner::Element& el);

}  // namespace extriage::eventlog
