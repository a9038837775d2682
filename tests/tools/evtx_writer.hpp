// Writes small, valid EVTX files for tests, samples and benchmarks: the file header, 64 KiB chunks with
// string and template tables, template definitions (inline on first use, then by offset), template
// instances with typed substitution values, nested BinXML and correct CRC32s.
// It is a fixture, not an event log service: no wrap-around, no slack space, no recovery data.
// It shares no code with the decoder on purpose, so that a bug cannot hide on both sides.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace extriage::evtxw {

// BinXML value types.
namespace vt {
inline constexpr uint8_t null = 0x00, string = 0x01, ansi = 0x02, int8 = 0x03, uint8 = 0x04, int16 = 0x05,
                         uint16 = 0x06, int32 = 0x07, uint32 = 0x08, int64 = 0x09, uint64 = 0x0a, real32 = 0x0b,
                         real64 = 0x0c, boolean = 0x0d, binary = 0x0e, guid = 0x0f, size_t_ = 0x10,
                         filetime = 0x11, systemtime = 0x12, sid = 0x13, hex32 = 0x14, hex64 = 0x15, binxml = 0x21,
                         array = 0x80;
}

// A template body (or a plain element stream) as a tree; serialised per chunk.
struct Node;
struct Attr {
    std::string name;
    std::vector<Node> value;   // text / sub / charref / entity parts
};
struct Node {
    enum class Kind : uint8_t { element, text, sub, cdata, charref, entity, pi };
    Kind kind = Kind::text;
    std::string name;          // element, entity or PI target
    std::string text;          // text, CDATA or PI data (UTF-8)
    std::vector<Attr> attrs;
    std::vector<Node> children;
    uint16_t index = 0;        // substitution index or character code
    uint8_t type = 0;          // substitution value type
    bool optional = false;     // optional substitution (0x0e)
};
Node element(std::string name, std::vector<Attr> attrs = {}, std::vector<Node> children = {});
Node text(std::string s);
Node sub(uint16_t index, uint8_t type, bool optional = false);
Node cdata(std::string s);
Node charref(uint16_t code);
Node entity(std::string name);
Node pi(std::string target, std::string data);

struct Template {
    std::array<uint8_t, 16> guid{};   // derived from the content: equal bodies share a definition
    Node root;
};
std::shared_ptr<const Template> make_template(Node root);

// One substitution value.
struct Value {
    uint8_t type = vt::null;
    std::string bytes;                       // little-endian payload (all types but binxml)
    std::shared_ptr<const Template> tmpl;    // binxml: a template instance ...
    std::vector<Value> values;               // ... with these values
    std::optional<Node> plain;               // binxml: or a plain element instead of a template instance
};
Value null_value();
Value str(std::string_view utf8);
Value str_nul(std::string_view utf8);   // with a trailing NUL, as some providers write
Value ansi(std::string_view bytes);
Value i8(int8_t v);
Value u8(uint8_t v);
Value i16(int16_t v);
Value u16(uint16_t v);
Value i32(int32_t v);
Value u32(uint32_t v);
Value i64(int64_t v);
Value u64(uint64_t v);
Value real32(float v);
Value real64(double v);
Value boolean(bool v);
Value binary(std::string_view bytes);
Value guid(std::string_view text);         // "{01234567-89ab-cdef-0123-456789abcdef}"
Value size_t_value(uint64_t v, int width);  // width 4 or 8 bytes
Value filetime(uint64_t ft);
Value systemtime(uint16_t year, uint16_t month, uint16_t day, uint16_t hour, uint16_t minute, uint16_t second,
                 uint16_t ms);
Value sid(std::string_view text);          // "S-1-5-21-1-2-3-500"
Value hex32(uint32_t v);
Value hex64(uint64_t v);
Value string_array(const std::vector<std::string>& items);
Value u32_array(const std::vector<uint32_t>& items);
Value nested(std::shared_ptr<const Template> tmpl, std::vector<Value> values);
Value nested_plain(Node root);
Value raw(uint8_t type, std::string bytes);  // anything, e.g. a malformed value

// One event record: a template instance (or a plain element) plus the record header time.
struct RecordSpec {
    uint64_t record_id = 0;          // 0: next number
    uint64_t written_filetime = 0;
    std::shared_ptr<const Template> tmpl;
    std::vector<Value> values;
    std::optional<Node> plain;
    std::optional<size_t> record_id_value_index;   // value set to the record id (System/EventRecordID)
};

// A Windows event as people describe it; make_record() turns it into the usual System template
// plus an EventData or UserData template passed as nested BinXML, as Windows writes them.
struct EventSpec {
    std::string provider;
    std::string provider_guid;        // empty for classic sources (MsiInstaller)
    std::string event_source_name;    // EventSourceName attribute, optional
    uint16_t event_id = 0;
    std::optional<uint16_t> qualifiers;
    uint8_t version = 0;
    uint8_t level = 4;
    uint16_t task = 0;
    uint8_t opcode = 0;
    uint64_t keywords = 0x80000000000000ULL;
    uint64_t time_filetime = 0;
    uint32_t process_id = 0;
    uint32_t thread_id = 0;
    std::string channel;
    std::string computer;
    std::string user_sid;             // empty: Security element without UserID
    std::vector<std::pair<std::string, std::string>> data;   // EventData; empty name = unnamed <Data>
    std::string binary;               // EventData <Binary>, raw bytes
    std::string user_data_root;       // non-empty: UserData/<root xmlns=user_data_ns>/<name>value</name>
    std::string user_data_ns;
    std::vector<std::pair<std::string, std::string>> user_data;
};
RecordSpec make_record(const EventSpec& event);

struct FileOptions {
    bool dirty = false;
    bool full = false;
    uint16_t minor_version = 2;
    bool nested_dependency_ids = true;   // plain elements inside nested BinXML values carry a dependency id (libevtx expects it)
    bool end_of_stream_after_values = true;
};
std::string write_evtx(const std::vector<RecordSpec>& records, const FileOptions& options = {});
std::string write_events(const std::vector<EventSpec>& events, const FileOptions& options = {});

// Helpers for building expectations.
uint64_t filetime_from_unix_ms(int64_t ms);
uint32_t crc32(const void* data, size_t size);
inline constexpr size_t kFileHeaderSize = 4096;
inline constexpr size_t kChunkSize = 65536;

}  // namespace extriage::evtxw
