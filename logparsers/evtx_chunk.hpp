// Decodes one 64 KiB EVTX chunk: checks the header (signature, CRC32s, offsets), walks the
// event records and turns each into an OutRecord. Problems become OutDiags with file offsets;
// a bad record is skipped and the walk resynchronises on the next record signature.
#pragma once

#include <atomic>
#include <cstdint>

#include "evtx_binxml.hpp"
#include "evtx_event.hpp"
#include "evtx_output.hpp"

namespace extriage::evtx {

inline constexpr uint32_t kFileHeaderBlock = 4096;
inline constexpr uint32_t kChunkSize = 65536;

// Decoded output one chunk may produce: templates let a 64 KiB chunk expand, and the chunks in
// flight between the reader and the emitter hold their output in memory.
inline constexpr size_t kMaxChunkOutput = 32u << 20;

// The work one file may cost, shared by the threads that decode its chunks: BinXML operations
// and bytes of decoded output, allowed in proportion to the chunks read so far. Real chunks use
// a few percent of the per-chunk allowance; a crafted one that makes every record replay a large
// template would otherwise cost seconds of CPU and hundreds of MiB per 64 KiB.
struct FileWorkBudget {
    WorkAllowance allowance;
    std::atomic<uint64_t> ops{0}, output{0};

    explicit FileWorkBudget(const WorkAllowance& a) : allowance(a) {}
    // The allowance when chunk `index` is decoded is spent.
    bool spent(uint64_t index) const {
        const WorkAllowance& a = allowance;
        return ops.load(std::memory_order_relaxed) > a.ops_base + a.ops_per_chunk * (index + 1) ||
               output.load(std::memory_order_relaxed) > a.output_base + a.output_per_chunk * (index + 1);
    }
};

class ChunkDecoder {
public:
    // `chunk` holds `size` bytes (normally kChunkSize) that start at `file_offset` in the file.
    // `stale_checksums_expected`: the file is dirty, so checksum mismatches are notes, not warnings.
    // `budget` (optional) is charged with the work and stops the chunk when it is spent.
    void decode(const uint8_t* chunk, uint32_t size, uint64_t file_offset, uint64_t index,
                bool stale_checksums_expected, ChunkOutput& out, FileWorkBudget* budget = nullptr);
    void set_limits(const BinXmlLimits& limits) { binxml_.set_limits(limits); }

private:
    BinXmlDecoder binxml_;
    EventBuilder builder_;
};

}  // namespace extriage::evtx
