// Renders BinXML substitution values (all types but nested BinXML) as UTF-8 text, the way
// Windows renders event XML: decimal integers, 0x-hex for HexInt, {GUID}, S-1-5-..., ISO times.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace extriage::evtx {

namespace value_type {
inline constexpr uint8_t null = 0x00, string = 0x01, ansi = 0x02, int8 = 0x03, uint8 = 0x04, int16 = 0x05,
                         uint16 = 0x06, int32 = 0x07, uint32 = 0x08, int64 = 0x09, uint64 = 0x0a, real32 = 0x0b,
                         real64 = 0x0c, boolean = 0x0d, binary = 0x0e, guid = 0x0f, size_t_ = 0x10,
                         filetime = 0x11, systemtime = 0x12, sid = 0x13, hex32 = 0x14, hex64 = 0x15,
                         evt_handle = 0x20, binxml = 0x21, evt_xml = 0x23, array = 0x80;
}

std::string_view value_type_name(uint8_t type);

// Appends the rendering of one scalar value. False if the bytes do not fit the type
// (wrong size, malformed SID); `out` is then unchanged.
bool render_scalar(uint8_t type, const uint8_t* p, size_t size, std::string& out);

// Appends every item of an array value (type without the 0x80 flag) to `out` and records
// where each item ends in `ends`. False if the bytes do not split into whole items.
bool render_array(uint8_t item_type, const uint8_t* p, size_t size, std::string& out, std::vector<size_t>& ends);

}  // namespace extriage::evtx
