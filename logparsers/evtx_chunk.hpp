// Decodes one 64 KiB EVTX chunk: checks the header (signature, CRC32s, offsets), walks the
// event records and turns each into an OutRecord. Problems become OutDiags with file offsets;
// a bad record is skipped and the walk resynchronises on the next record signature.
#pragma once

#include <cstdint>

#include "evtx_binxml.hpp"
#include "evtx_event.hpp"
#include "evtx_output.hpp"

namespace extriage::evtx {

inline constexpr uint32_t kFileHeaderBlock = 4096;
inline constexpr uint32_t kChunkSize = 65536;

class ChunkDecoder {
public:
    // `chunk` holds `size` bytes (normally kChunkSize) that start at `file_offset` in the file.
    // `stale_checksums_expected`: the file is dirty, so checksum mismatches are notes, not warnings.
    void decode(const uint8_t* chunk, uint32_t size, uint64_t file_offset, uint64_t index,
                bool stale_checksums_expected, ChunkOutput& out);
    void set_limits(const BinXmlLimits& limits) { binxml_.set_limits(limits); }

private:
    BinXmlDecoder binxml_;
    EventBuilder builder_;
};

}  // namespace extriage::evtx
