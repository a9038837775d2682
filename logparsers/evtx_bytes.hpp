// Little-endian loads and range checks for the EVTX decoder. Every read in the decoder goes
// through in_range() first; the loads themselves do not check.
#pragma once

#include <cstdint>

namespace extriage::evtx {

inline uint16_t load_u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }
inline uint32_t load_u32(const uint8_t* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
inline uint64_t load_u64(const uint8_t* p) { return uint64_t{load_u32(p)} | uint64_t{load_u32(p + 4)} << 32; }

// True if [offset, offset + n) lies inside [0, size).
inline bool in_range(uint64_t offset, uint64_t n, uint64_t size) { return offset <= size && n <= size - offset; }

}  // namespace extriage::evtx
