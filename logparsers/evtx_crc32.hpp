// CRC-32 (IEEE 802.3, reflected, as in zlib) used by EVTX file and chunk headers.
// Slice-by-8, because every 64 KiB chunk is checksummed and this sits on the hot path.
#pragma once

#include <cstddef>
#include <cstdint>

namespace extriage::evtx {

uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc = 0);

}  // namespace extriage::evtx
