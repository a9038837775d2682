// Value rendering. Sizes are checked before every load; nothing here reads past `size`.
#include "evtx_values.hpp"

#include <array>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "decode.hpp"
#include "evtx_bytes.hpp"
#include "evtx_text.hpp"

namespace extriage::evtx {

namespace {

// Windows-1252 0x80..0x9f; the rest of the code page equals Latin-1.
constexpr std::array<uint16_t, 32> kCp1252High = {
    0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd, 0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
    0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178};

// Bytes per item for fixed-size types; 0 for variable-size ones.
size_t fixed_size(uint8_t type) {
    using namespace value_type;
    switch (type) {
    case int8: case uint8: return 1;
    case int16: case uint16: return 2;
    case int32: case uint32: case real32: case boolean: case hex32: return 4;
    case int64: case uint64: case real64: case filetime: case hex64: return 8;
    case guid: case systemtime: return 16;
    default: return 0;
    }
}

void append_hex_bytes(std::string& out, const uint8_t* p, size_t size) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < size; ++i) {
        out.push_back(kDigits[p[i] >> 4]);
        out.push_back(kDigits[p[i] & 0xf]);
    }
}

// Integers are the most common values: std::to_chars into a stack buffer, no format parsing.
template <class T>
void append_int(std::string& out, T v, int base = 10) {
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, v, base);
    if (base == 16) out += "0x";
    out.append(buf, res.ptr);
}

bool append_sid(std::string& out, const uint8_t* p, size_t size) {
    if (size < 8) return false;
    const size_t count = p[1];
    if (size != 8 + 4 * count) return false;
    uint64_t authority = 0;
    for (size_t i = 2; i < 8; ++i) authority = authority << 8 | p[i];
    auto it = std::back_inserter(out);
    if (authority < (uint64_t{1} << 32))
        fmt::format_to(it, "S-{}-{}", p[0], authority);
    else
        fmt::format_to(it, "S-{}-0x{:012X}", p[0], authority);
    for (size_t i = 0; i < count; ++i) {
        out.push_back('-');
        append_int(out, load_u32(p + 8 + 4 * i));
    }
    return true;
}

void append_guid(std::string& out, const uint8_t* p) {
    fmt::format_to(std::back_inserter(out), "{{{:08X}-{:04X}-{:04X}-", load_u32(p), load_u16(p + 4), load_u16(p + 6));
    append_hex_bytes(out, p + 8, 2);
    out.push_back('-');
    append_hex_bytes(out, p + 10, 6);
    out.push_back('}');
}

void append_ansi(std::string& out, const uint8_t* p, size_t size) {
    for (size_t i = 0; i < size; ++i) {
        const uint8_t c = p[i];
        if (c < 0x80)
            out.push_back(static_cast<char>(c));
        else if (c < 0xa0)
            extriage::append_utf8(out, kCp1252High[c - 0x80]);
        else
            extriage::append_utf8(out, c);
    }
}

bool append_fixed(uint8_t type, const uint8_t* p, std::string& out) {
    using namespace value_type;
    auto it = std::back_inserter(out);
    switch (type) {
    case int8: append_int(out, static_cast<int8_t>(p[0])); break;
    case uint8: append_int(out, p[0]); break;
    case int16: append_int(out, static_cast<int16_t>(load_u16(p))); break;
    case uint16: append_int(out, load_u16(p)); break;
    case int32: append_int(out, static_cast<int32_t>(load_u32(p))); break;
    case uint32: append_int(out, load_u32(p)); break;
    case int64: append_int(out, static_cast<int64_t>(load_u64(p))); break;
    case uint64: append_int(out, load_u64(p)); break;
    case hex32: append_int(out, load_u32(p), 16); break;
    case hex64: append_int(out, load_u64(p), 16); break;
    case real32: {
        float f = 0;
        const uint32_t bits = load_u32(p);
        std::memcpy(&f, &bits, 4);
        fmt::format_to(it, "{}", f);
        break;
    }
    case real64: {
        double d = 0;
        const uint64_t bits = load_u64(p);
        std::memcpy(&d, &bits, 8);
        fmt::format_to(it, "{}", d);
        break;
    }
    case boolean: out += load_u32(p) ? "true" : "false"; break;
    case guid: append_guid(out, p); break;
    case filetime: append_filetime_iso(out, load_u64(p)); break;
    case systemtime: {
        const unsigned month = load_u16(p + 2), day = load_u16(p + 6), hour = load_u16(p + 8),
                       minute = load_u16(p + 10), second = load_u16(p + 12), ms = load_u16(p + 14);
        append_civil_iso(out, load_u16(p), month, day, hour, minute, second);
        fmt::format_to(it, ".{:03}Z", ms);
        break;
    }
    default: return false;
    }
    return true;
}

size_t utf16_units_without_trailing_nuls(const uint8_t* p, size_t size) {
    size_t units = size / 2;
    while (units > 0 && p[2 * units - 2] == 0 && p[2 * units - 1] == 0) --units;
    return units;
}

}  // namespace

std::string_view value_type_name(uint8_t type) {
    using namespace value_type;
    switch (type & 0x7f) {
    case null: return "null";
    case string: return "string";
    case ansi: return "ansi string";
    case int8: return "int8";
    case uint8: return "uint8";
    case int16: return "int16";
    case uint16: return "uint16";
    case int32: return "int32";
    case uint32: return "uint32";
    case int64: return "int64";
    case uint64: return "uint64";
    case real32: return "real32";
    case real64: return "real64";
    case boolean: return "bool";
    case binary: return "binary";
    case guid: return "GUID";
    case size_t_: return "size_t";
    case filetime: return "FILETIME";
    case systemtime: return "SYSTEMTIME";
    case sid: return "SID";
    case hex32: return "hexint32";
    case hex64: return "hexint64";
    case evt_handle: return "EvtHandle";
    case binxml: return "BinXml";
    case evt_xml: return "EvtXml";
    default: return "unknown";
    }
}

bool render_scalar(uint8_t type, const uint8_t* p, size_t size, std::string& out) {
    using namespace value_type;
    switch (type) {
    case null: return true;
    case string: append_utf16le(out, p, utf16_units_without_trailing_nuls(p, size)); return true;
    case ansi: {
        while (size > 0 && p[size - 1] == 0) --size;
        append_ansi(out, p, size);
        return true;
    }
    case binary: case evt_handle: case evt_xml: append_hex_bytes(out, p, size); return true;
    case sid: {
        const size_t before = out.size();
        if (append_sid(out, p, size)) return true;
        out.resize(before);
        return false;
    }
    case size_t_:
        if (size == 4) {
            append_int(out, load_u32(p), 16);
            return true;
        }
        if (size == 8) {
            append_int(out, load_u64(p), 16);
            return true;
        }
        return false;
    default: {
        const size_t n = fixed_size(type);
        if (n == 0) {
            // Unknown type: show the bytes rather than lose them.
            append_hex_bytes(out, p, size);
            return true;
        }
        if (size != n) return false;
        return append_fixed(type, p, out);
    }
    }
}

bool render_array(uint8_t item_type, const uint8_t* p, size_t size, std::string& out, std::vector<size_t>& ends) {
    using namespace value_type;
    const size_t start = out.size();
    const size_t ends_start = ends.size();
    auto fail = [&] {
        out.resize(start);
        ends.resize(ends_start);
        return false;
    };
    if (item_type == string) {
        // NUL-terminated UTF-16 strings, back to back.
        size_t i = 0;
        const size_t units = size / 2;
        while (i < units) {
            size_t j = i;
            while (j < units && (p[2 * j] | p[2 * j + 1]) != 0) ++j;
            append_utf16le(out, p + 2 * i, j - i);
            ends.push_back(out.size());
            i = j + 1;
        }
        return true;
    }
    if (item_type == ansi) {
        size_t i = 0;
        while (i < size) {
            size_t j = i;
            while (j < size && p[j] != 0) ++j;
            append_ansi(out, p + i, j - i);
            ends.push_back(out.size());
            i = j + 1;
        }
        return true;
    }
    size_t n = fixed_size(item_type);
    if (item_type == size_t_) n = 8;
    if (item_type == sid) {
        // Variable-size items, each with its own sub-authority count.
        size_t i = 0;
        while (i < size) {
            if (size - i < 8) return fail();
            const size_t len = 8 + 4 * size_t{p[i + 1]};
            if (len > size - i || !append_sid(out, p + i, len)) return fail();
            ends.push_back(out.size());
            i += len;
        }
        return true;
    }
    if (n == 0 || size % n != 0) return fail();
    for (size_t i = 0; i < size; i += n) {
        if (!render_scalar(item_type, p + i, n, out)) return fail();
        ends.push_back(out.size());
    }
    return true;
}

}  // namespace extriage::evtx
