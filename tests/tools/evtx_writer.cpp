// EVTX fixture writer: serialises templates, values and records into 64 KiB chunks and a file header.
// Names and template definitions are written inline on first use in a chunk and referenced by offset
// afterwards, exactly like Windows does; a record that does not fit starts a new chunk.
#include "evtx_writer.hpp"

#include <cstring>
#include <map>
#include <stdexcept>

namespace extriage::evtxw {

namespace {

void put_u8(std::string& s, uint8_t v) { s.push_back(static_cast<char>(v)); }
void put_u16(std::string& s, uint16_t v) {
    put_u8(s, static_cast<uint8_t>(v));
    put_u8(s, static_cast<uint8_t>(v >> 8));
}
void put_u32(std::string& s, uint32_t v) {
    put_u16(s, static_cast<uint16_t>(v));
    put_u16(s, static_cast<uint16_t>(v >> 16));
}
void put_u64(std::string& s, uint64_t v) {
    put_u32(s, static_cast<uint32_t>(v));
    put_u32(s, static_cast<uint32_t>(v >> 32));
}
void patch_u16(std::string& s, size_t at, uint16_t v) {
    s[at] = static_cast<char>(v);
    s[at + 1] = static_cast<char>(v >> 8);
}
void patch_u32(std::string& s, size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) s[at + static_cast<size_t>(i)] = static_cast<char>(v >> (8 * i));
}

std::u16string to_utf16(std::string_view s) {
    std::u16string out;
    for (size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        uint32_t cp = c;
        size_t n = 1;
        if (c >= 0xf0 && i + 3 < s.size()) {
            cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(s[i + 1]) & 0x3fu) << 12) |
                 ((static_cast<unsigned char>(s[i + 2]) & 0x3fu) << 6) | (static_cast<unsigned char>(s[i + 3]) & 0x3fu);
            n = 4;
        } else if (c >= 0xe0 && i + 2 < s.size()) {
            cp = ((c & 0x0fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3fu) << 6) |
                 (static_cast<unsigned char>(s[i + 2]) & 0x3fu);
            n = 3;
        } else if (c >= 0xc0 && i + 1 < s.size()) {
            cp = ((c & 0x1fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3fu);
            n = 2;
        }
        i += n;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out.push_back(static_cast<char16_t>(0xd800 + (cp >> 10)));
            out.push_back(static_cast<char16_t>(0xdc00 + (cp & 0x3ff)));
        } else {
            out.push_back(static_cast<char16_t>(cp));
        }
    }
    return out;
}

void put_utf16(std::string& s, const std::u16string& u) {
    for (char16_t c : u) put_u16(s, static_cast<uint16_t>(c));
}

// Windows' name hash: hash = hash * 65599 + code unit, low 16 bits kept.
uint16_t name_hash(const std::u16string& u) {
    uint32_t h = 0;
    for (char16_t c : u) h = h * 65599u + c;
    return static_cast<uint16_t>(h);
}

uint64_t fnv1a(std::string_view s, uint64_t seed) {
    uint64_t h = seed;
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

void describe(const Node& n, std::string& out) {
    out += std::to_string(static_cast<int>(n.kind));
    out += '|' + n.name + '|' + n.text + '|' + std::to_string(n.index) + '|' + std::to_string(n.type) + '|' +
           (n.optional ? "o" : "n") + '[';
    for (const Attr& a : n.attrs) {
        out += '@' + a.name + '=';
        for (const Node& p : a.value) describe(p, out);
    }
    for (const Node& c : n.children) describe(c, out);
    out += ']';
}

class ChunkWriter {
public:
    explicit ChunkWriter(const FileOptions& options) : options_(options) {}

    // Appends one record; false (and no change) if it does not fit.
    bool add(const RecordSpec& rec, uint64_t id) {
        Undo undo{string_table_, template_table_, {}, {}};
        undo_ = &undo;
        std::string out;
        const uint32_t base = pos_;
        bool ok = true;
        try {
            put_u32(out, 0x00002a2a);
            put_u32(out, 0);
            put_u64(out, id);
            put_u64(out, rec.written_filetime);
            write_stream(out, base, rec.tmpl, rec.values, rec.plain, true);
            put_u32(out, 0);
            patch_u32(out, 4, static_cast<uint32_t>(out.size()));
            patch_u32(out, out.size() - 4, static_cast<uint32_t>(out.size()));
            ok = base + out.size() <= kChunkSize;
        } catch (const std::length_error&) {
            ok = false;
        }
        undo_ = nullptr;
        if (!ok) {
            string_table_ = undo.strings;
            template_table_ = undo.templates;
            for (const auto& n : undo.names) names_.erase(n);
            for (const auto& g : undo.guids) templates_.erase(g);
            return false;
        }
        std::memcpy(buf_.data() + pos_, out.data(), out.size());
        if (count_ == 0) first_id_ = id;
        last_id_ = id;
        last_record_offset_ = pos_;
        pos_ += static_cast<uint32_t>(out.size());
        ++count_;
        return true;
    }

    bool empty() const { return count_ == 0; }

    std::string finish() {
        std::string& b = buf_;
        std::memcpy(b.data(), "ElfChnk", 8);
        std::string h;
        put_u64(h, first_id_);
        put_u64(h, last_id_);
        put_u64(h, first_id_);
        put_u64(h, last_id_);
        put_u32(h, 128);
        put_u32(h, last_record_offset_);
        put_u32(h, pos_);
        std::memcpy(b.data() + 8, h.data(), h.size());
        patch_u32(b, 52, crc32(b.data() + 512, pos_ - 512));
        for (size_t i = 0; i < 64; ++i) patch_u32(b, 128 + 4 * i, string_table_[i]);
        for (size_t i = 0; i < 32; ++i) patch_u32(b, 384 + 4 * i, template_table_[i]);
        std::string crc_input = b.substr(0, 120) + b.substr(128, 384);
        patch_u32(b, 124, crc32(crc_input.data(), crc_input.size()));
        return b;
    }

private:
    struct Undo {
        std::array<uint32_t, 64> strings;
        std::array<uint32_t, 32> templates;
        std::vector<std::u16string> names;
        std::vector<std::array<uint8_t, 16>> guids;
    };

    static uint32_t at(uint32_t base, const std::string& out) {
        if (base + out.size() > kChunkSize) throw std::length_error("chunk full");
        return base + static_cast<uint32_t>(out.size());
    }

    void put_name(std::string& out, uint32_t base, const std::string& name) {
        std::u16string u = to_utf16(name);
        auto it = names_.find(u);
        if (it != names_.end()) {
            put_u32(out, it->second);
            return;
        }
        const uint32_t here = at(base, out) + 4;
        put_u32(out, here);
        const uint16_t hash = name_hash(u);
        put_u32(out, string_table_[hash % 64]);
        put_u16(out, hash);
        put_u16(out, static_cast<uint16_t>(u.size()));
        put_utf16(out, u);
        put_u16(out, 0);
        string_table_[hash % 64] = here;
        names_.emplace(u, here);
        undo_->names.push_back(u);
    }

    void put_counted(std::string& out, const std::string& s) {
        std::u16string u = to_utf16(s);
        put_u16(out, static_cast<uint16_t>(u.size()));
        put_utf16(out, u);
    }

    void write_part(std::string& out, uint32_t base, const Node& n, bool deps) {
        switch (n.kind) {
        case Node::Kind::element: write_element(out, base, n, deps); break;
        case Node::Kind::text:
            put_u8(out, 0x05);
            put_u8(out, vt::string);
            put_counted(out, n.text);
            break;
        case Node::Kind::sub:
            put_u8(out, n.optional ? 0x0e : 0x0d);
            put_u16(out, n.index);
            put_u8(out, n.type);
            break;
        case Node::Kind::cdata:
            put_u8(out, 0x07);
            put_counted(out, n.text);
            break;
        case Node::Kind::charref:
            put_u8(out, 0x08);
            put_u16(out, n.index);
            break;
        case Node::Kind::entity:
            put_u8(out, 0x09);
            put_name(out, base, n.name);
            break;
        case Node::Kind::pi:
            put_u8(out, 0x0a);
            put_name(out, base, n.name);
            put_u8(out, 0x0b);
            put_counted(out, n.text);
            break;
        }
    }

    void write_element(std::string& out, uint32_t base, const Node& n, bool deps) {
        put_u8(out, n.attrs.empty() ? 0x01 : 0x41);
        if (deps) put_u16(out, 0xffff);
        const size_t size_at = out.size();
        put_u32(out, 0);
        put_name(out, base, n.name);
        if (!n.attrs.empty()) {
            const size_t list_at = out.size();
            put_u32(out, 0);
            for (size_t i = 0; i < n.attrs.size(); ++i) {
                put_u8(out, i + 1 < n.attrs.size() ? 0x46 : 0x06);
                put_name(out, base, n.attrs[i].name);
                for (const Node& p : n.attrs[i].value) write_part(out, base, p, deps);
            }
            patch_u32(out, list_at, static_cast<uint32_t>(out.size() - list_at - 4));
        }
        if (n.children.empty()) {
            put_u8(out, 0x03);
        } else {
            put_u8(out, 0x02);
            for (const Node& c : n.children) write_part(out, base, c, deps);
            put_u8(out, 0x04);
        }
        patch_u32(out, size_at, static_cast<uint32_t>(out.size() - size_at - 4));
    }

    // Fragment header, then a template instance (or a plain element), then end of stream.
    void write_stream(std::string& out, uint32_t base, const std::shared_ptr<const Template>& tmpl,
                      const std::vector<Value>& values, const std::optional<Node>& plain, bool deps) {
        put_u8(out, 0x0f);
        put_u8(out, 1);
        put_u8(out, 1);
        put_u8(out, 0);
        if (tmpl) {
            write_instance(out, base, *tmpl, values);
            if (options_.end_of_stream_after_values) put_u8(out, 0x00);
        } else if (plain) {
            write_element(out, base, *plain, deps);
            put_u8(out, 0x00);
        } else {
            put_u8(out, 0x00);
        }
    }

    void write_instance(std::string& out, uint32_t base, const Template& t, const std::vector<Value>& values) {
        put_u8(out, 0x0c);
        put_u8(out, 0x01);
        uint32_t id = 0;
        std::memcpy(&id, t.guid.data(), 4);
        put_u32(out, id);
        auto it = templates_.find(t.guid);
        if (it != templates_.end()) {
            put_u32(out, it->second);
        } else {
            const uint32_t here = at(base, out) + 4;
            put_u32(out, here);
            put_u32(out, template_table_[id % 32]);
            out.append(reinterpret_cast<const char*>(t.guid.data()), 16);
            const size_t size_at = out.size();
            put_u32(out, 0);
            put_u8(out, 0x0f);
            put_u8(out, 1);
            put_u8(out, 1);
            put_u8(out, 0);
            write_element(out, base, t.root, true);
            put_u8(out, 0x00);
            patch_u32(out, size_at, static_cast<uint32_t>(out.size() - size_at - 4));
            template_table_[id % 32] = here;
            templates_.emplace(t.guid, here);
            undo_->guids.push_back(t.guid);
        }
        put_u32(out, static_cast<uint32_t>(values.size()));
        const size_t desc_at = out.size();
        for (size_t i = 0; i < values.size(); ++i) put_u32(out, 0);
        for (size_t i = 0; i < values.size(); ++i) {
            const Value& v = values[i];
            const size_t start = out.size();
            if (v.type == vt::binxml)
                write_stream(out, base, v.tmpl, v.values, v.plain, options_.nested_dependency_ids);
            else
                out += v.bytes;
            const size_t size = out.size() - start;
            if (size > 0xffff) throw std::length_error("value too large");
            patch_u16(out, desc_at + 4 * i, static_cast<uint16_t>(size));
            out[desc_at + 4 * i + 2] = static_cast<char>(v.type);
        }
        at(base, out);
    }

    const FileOptions& options_;
    std::string buf_ = std::string(kChunkSize, '\0');
    uint32_t pos_ = 512;
    uint32_t last_record_offset_ = 0;
    uint64_t first_id_ = 0, last_id_ = 0;
    size_t count_ = 0;
    std::map<std::u16string, uint32_t> names_;
    std::map<std::array<uint8_t, 16>, uint32_t> templates_;
    std::array<uint32_t, 64> string_table_{};
    std::array<uint32_t, 32> template_table_{};
    Undo* undo_ = nullptr;
};

std::string le_bytes(uint64_t v, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>(v >> (8 * i)));
    return s;
}

int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

uint32_t crc32(const void* data, size_t size) {
    static const auto table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    uint32_t c = 0xffffffffu;
    const auto* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < size; ++i) c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

uint64_t filetime_from_unix_ms(int64_t ms) { return static_cast<uint64_t>(ms * 10000 + 116444736000000000LL); }

Node element(std::string name, std::vector<Attr> attrs, std::vector<Node> children) {
    Node n;
    n.kind = Node::Kind::element;
    n.name = std::move(name);
    n.attrs = std::move(attrs);
    n.children = std::move(children);
    return n;
}
Node text(std::string s) {
    Node n;
    n.kind = Node::Kind::text;
    n.text = std::move(s);
    return n;
}
Node sub(uint16_t index, uint8_t type, bool optional) {
    Node n;
    n.kind = Node::Kind::sub;
    n.index = index;
    n.type = type;
    n.optional = optional;
    return n;
}
Node cdata(std::string s) {
    Node n;
    n.kind = Node::Kind::cdata;
    n.text = std::move(s);
    return n;
}
Node charref(uint16_t code) {
    Node n;
    n.kind = Node::Kind::charref;
    n.index = code;
    return n;
}
Node entity(std::string name) {
    Node n;
    n.kind = Node::Kind::entity;
    n.name = std::move(name);
    return n;
}
Node pi(std::string target, std::string data) {
    Node n;
    n.kind = Node::Kind::pi;
    n.name = std::move(target);
    n.text = std::move(data);
    return n;
}

std::shared_ptr<const Template> make_template(Node root) {
    auto t = std::make_shared<Template>();
    std::string d;
    describe(root, d);
    const uint64_t a = fnv1a(d, 0xcbf29ce484222325ULL), b = fnv1a(d, 0x84222325cbf29ce4ULL);
    for (int i = 0; i < 8; ++i) {
        t->guid[static_cast<size_t>(i)] = static_cast<uint8_t>(a >> (8 * i));
        t->guid[static_cast<size_t>(8 + i)] = static_cast<uint8_t>(b >> (8 * i));
    }
    t->root = std::move(root);
    return t;
}

Value raw(uint8_t type, std::string bytes) {
    Value v;
    v.type = type;
    v.bytes = std::move(bytes);
    return v;
}
Value null_value() { return raw(vt::null, {}); }
Value str(std::string_view utf8) {
    std::string b;
    put_utf16(b, to_utf16(utf8));
    return raw(vt::string, std::move(b));
}
Value str_nul(std::string_view utf8) {
    Value v = str(utf8);
    v.bytes += std::string(2, '\0');
    return v;
}
Value ansi(std::string_view bytes) { return raw(vt::ansi, std::string(bytes)); }
Value i8(int8_t v) { return raw(vt::int8, le_bytes(static_cast<uint8_t>(v), 1)); }
Value u8(uint8_t v) { return raw(vt::uint8, le_bytes(v, 1)); }
Value i16(int16_t v) { return raw(vt::int16, le_bytes(static_cast<uint16_t>(v), 2)); }
Value u16(uint16_t v) { return raw(vt::uint16, le_bytes(v, 2)); }
Value i32(int32_t v) { return raw(vt::int32, le_bytes(static_cast<uint32_t>(v), 4)); }
Value u32(uint32_t v) { return raw(vt::uint32, le_bytes(v, 4)); }
Value i64(int64_t v) { return raw(vt::int64, le_bytes(static_cast<uint64_t>(v), 8)); }
Value u64(uint64_t v) { return raw(vt::uint64, le_bytes(v, 8)); }
Value real32(float v) {
    uint32_t bits = 0;
    std::memcpy(&bits, &v, 4);
    return raw(vt::real32, le_bytes(bits, 4));
}
Value real64(double v) {
    uint64_t bits = 0;
    std::memcpy(&bits, &v, 8);
    return raw(vt::real64, le_bytes(bits, 8));
}
Value boolean(bool v) { return raw(vt::boolean, le_bytes(v ? 1 : 0, 4)); }
Value binary(std::string_view bytes) { return raw(vt::binary, std::string(bytes)); }
Value guid(std::string_view text) {
    std::string hex;
    for (char c : text)
        if (hexval(c) >= 0) hex.push_back(c);
    if (hex.size() != 32) throw std::invalid_argument("bad GUID text");
    auto byte_at = [&](size_t i) {
        return static_cast<uint8_t>(hexval(hex[2 * i]) * 16 + hexval(hex[2 * i + 1]));
    };
    std::string b(16, '\0');
    // Data1..Data3 are little-endian, Data4 is a byte string.
    const size_t order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    for (size_t i = 0; i < 16; ++i) b[i] = static_cast<char>(byte_at(order[i]));
    return raw(vt::guid, std::move(b));
}
Value size_t_value(uint64_t v, int width) { return raw(vt::size_t_, le_bytes(v, width == 4 ? 4 : 8)); }
Value filetime(uint64_t ft) { return raw(vt::filetime, le_bytes(ft, 8)); }
Value systemtime(uint16_t year, uint16_t month, uint16_t day, uint16_t hour, uint16_t minute, uint16_t second,
                 uint16_t ms) {
    std::string b;
    for (uint16_t x : {year, month, uint16_t{0}, day, hour, minute, second, ms}) put_u16(b, x);
    return raw(vt::systemtime, std::move(b));
}
Value sid(std::string_view text) {
    // S-R-A-S1-S2...
    std::vector<uint64_t> parts;
    size_t i = 2;
    while (i < text.size()) {
        uint64_t x = 0;
        while (i < text.size() && text[i] != '-') x = x * 10 + static_cast<uint64_t>(text[i++] - '0');
        parts.push_back(x);
        ++i;
    }
    if (parts.size() < 2) throw std::invalid_argument("bad SID text");
    std::string b;
    put_u8(b, static_cast<uint8_t>(parts[0]));
    put_u8(b, static_cast<uint8_t>(parts.size() - 2));
    for (int k = 5; k >= 0; --k) put_u8(b, static_cast<uint8_t>(parts[1] >> (8 * k)));
    for (size_t k = 2; k < parts.size(); ++k) put_u32(b, static_cast<uint32_t>(parts[k]));
    return raw(vt::sid, std::move(b));
}
Value hex32(uint32_t v) { return raw(vt::hex32, le_bytes(v, 4)); }
Value hex64(uint64_t v) { return raw(vt::hex64, le_bytes(v, 8)); }
Value string_array(const std::vector<std::string>& items) {
    std::string b;
    for (const auto& s : items) {
        put_utf16(b, to_utf16(s));
        put_u16(b, 0);
    }
    return raw(vt::array | vt::string, std::move(b));
}
Value u32_array(const std::vector<uint32_t>& items) {
    std::string b;
    for (uint32_t x : items) put_u32(b, x);
    return raw(vt::array | vt::uint32, std::move(b));
}
Value nested(std::shared_ptr<const Template> tmpl, std::vector<Value> values) {
    Value v;
    v.type = vt::binxml;
    v.tmpl = std::move(tmpl);
    v.values = std::move(values);
    return v;
}
Value nested_plain(Node root) {
    Value v;
    v.type = vt::binxml;
    v.plain = std::move(root);
    return v;
}

RecordSpec make_record(const EventSpec& e) {
    // Substitution indexes follow Windows' System template.
    enum : uint16_t {
        kLevel, kOpcode, kTask, kEventId, kQualifiers, kKeywords, kTime, kActivity, kProcess, kThread,
        kRecordId, kVersion, kUser, kRelated, kProvider, kProviderGuid, kSourceName, kComputer, kBody, kCount
    };
    std::vector<Attr> provider_attrs{{"Name", {sub(kProvider, vt::string)}},
                                     {"Guid", {sub(kProviderGuid, vt::guid, true)}},
                                     {"EventSourceName", {sub(kSourceName, vt::string, true)}}};
    Node system = element(
        "System", {},
        {element("Provider", provider_attrs),
         element("EventID", {{"Qualifiers", {sub(kQualifiers, vt::uint16, true)}}}, {sub(kEventId, vt::uint16)}),
         element("Version", {}, {sub(kVersion, vt::uint8)}), element("Level", {}, {sub(kLevel, vt::uint8)}),
         element("Task", {}, {sub(kTask, vt::uint16)}), element("Opcode", {}, {sub(kOpcode, vt::uint8)}),
         element("Keywords", {}, {sub(kKeywords, vt::hex64)}),
         element("TimeCreated", {{"SystemTime", {sub(kTime, vt::filetime)}}}),
         element("EventRecordID", {}, {sub(kRecordId, vt::uint64)}),
         element("Correlation", {{"ActivityID", {sub(kActivity, vt::guid, true)}},
                                 {"RelatedActivityID", {sub(kRelated, vt::guid, true)}}}),
         element("Execution", {{"ProcessID", {sub(kProcess, vt::uint32)}}, {"ThreadID", {sub(kThread, vt::uint32)}}}),
         element("Channel", {}, {text(e.channel)}), element("Computer", {}, {sub(kComputer, vt::string)}),
         element("Security", {{"UserID", {sub(kUser, vt::sid, true)}}})});
    static const auto system_cache = std::make_shared<std::map<std::string, std::shared_ptr<const Template>>>();
    auto& tmpl = (*system_cache)[e.channel];
    if (!tmpl)
        tmpl = make_template(element("Event", {{"xmlns", {text("http://schemas.microsoft.com/win/2004/08/events/event")}}},
                                     {system, sub(kBody, vt::binxml)}));

    std::vector<Value> v(kCount);
    v[kLevel] = u8(e.level);
    v[kOpcode] = u8(e.opcode);
    v[kTask] = u16(e.task);
    v[kEventId] = u16(e.event_id);
    v[kQualifiers] = e.qualifiers ? u16(*e.qualifiers) : null_value();
    v[kKeywords] = hex64(e.keywords);
    v[kTime] = filetime(e.time_filetime);
    v[kActivity] = null_value();
    v[kRelated] = null_value();
    v[kProcess] = u32(e.process_id);
    v[kThread] = u32(e.thread_id);
    v[kRecordId] = u64(0);   // patched by write_evtx
    v[kVersion] = u8(e.version);
    v[kUser] = e.user_sid.empty() ? null_value() : sid(e.user_sid);
    v[kProvider] = str(e.provider);
    v[kProviderGuid] = e.provider_guid.empty() ? null_value() : guid(e.provider_guid);
    v[kSourceName] = e.event_source_name.empty() ? null_value() : str(e.event_source_name);
    v[kComputer] = str(e.computer);

    if (!e.user_data_root.empty()) {
        std::vector<Node> leaves;
        std::vector<Value> vals;
        for (size_t i = 0; i < e.user_data.size(); ++i) {
            leaves.push_back(element(e.user_data[i].first, {}, {sub(static_cast<uint16_t>(i), vt::string)}));
            vals.push_back(str(e.user_data[i].second));
        }
        std::vector<Attr> ns;
        if (!e.user_data_ns.empty()) ns.push_back({"xmlns", {text(e.user_data_ns)}});
        v[kBody] = nested(make_template(element("UserData", {}, {element(e.user_data_root, ns, leaves)})),
                          std::move(vals));
    } else if (!e.data.empty() || !e.binary.empty()) {
        std::vector<Node> items;
        std::vector<Value> vals;
        for (size_t i = 0; i < e.data.size(); ++i) {
            std::vector<Attr> attrs;
            if (!e.data[i].first.empty()) attrs.push_back({"Name", {text(e.data[i].first)}});
            items.push_back(element("Data", attrs, {sub(static_cast<uint16_t>(i), vt::string)}));
            vals.push_back(str(e.data[i].second));
        }
        if (!e.binary.empty()) {
            items.push_back(element("Binary", {}, {sub(static_cast<uint16_t>(vals.size()), vt::binary)}));
            vals.push_back(binary(e.binary));
        }
        v[kBody] = nested(make_template(element("EventData", {}, items)), std::move(vals));
    } else {
        v[kBody] = null_value();
    }
    RecordSpec r;
    r.written_filetime = e.time_filetime;
    r.tmpl = tmpl;
    r.values = std::move(v);
    r.record_id_value_index = kRecordId;
    return r;
}

std::string write_evtx(const std::vector<RecordSpec>& records, const FileOptions& options) {
    std::vector<std::string> chunks;
    auto chunk = std::make_unique<ChunkWriter>(options);
    uint64_t next_id = 1;
    for (const RecordSpec& spec : records) {
        const uint64_t id = spec.record_id ? spec.record_id : next_id;
        next_id = id + 1;
        RecordSpec patched = spec;
        // Keep System/EventRecordID equal to the record header id.
        if (spec.record_id_value_index && *spec.record_id_value_index < patched.values.size())
            patched.values[*spec.record_id_value_index] = u64(id);
        if (!chunk->add(patched, id)) {
            if (chunk->empty()) throw std::length_error("record does not fit in an empty chunk");
            chunks.push_back(chunk->finish());
            chunk = std::make_unique<ChunkWriter>(options);
            if (!chunk->add(patched, id)) throw std::length_error("record does not fit in an empty chunk");
        }
    }
    if (!chunk->empty()) chunks.push_back(chunk->finish());

    std::string file(kFileHeaderSize, '\0');
    std::memcpy(file.data(), "ElfFile", 8);
    std::string h;
    put_u64(h, 0);
    put_u64(h, chunks.empty() ? 0 : chunks.size() - 1);
    put_u64(h, next_id);
    put_u32(h, 128);
    put_u16(h, options.minor_version);
    put_u16(h, 3);
    put_u16(h, static_cast<uint16_t>(kFileHeaderSize));
    put_u16(h, static_cast<uint16_t>(chunks.size()));
    std::memcpy(file.data() + 8, h.data(), h.size());
    patch_u32(file, 120, (options.dirty ? 1u : 0u) | (options.full ? 2u : 0u));
    patch_u32(file, 124, crc32(file.data(), 120));
    for (const auto& c : chunks) file += c;
    return file;
}

std::string write_events(const std::vector<EventSpec>& events, const FileOptions& options) {
    std::vector<RecordSpec> records;
    records.reserve(events.size());
    for (const EventSpec& e : events) records.push_back(make_record(e));
    return write_evtx(records, options);
}

}  // namespace extriage::evtxw
