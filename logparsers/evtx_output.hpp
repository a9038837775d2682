// What decoding one chunk produces: records whose strings live in one arena, plus the chunk's
// diagnostics. Workers fill a ChunkOutput; the emitting thread turns it into Records in order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.hpp"
#include "record.hpp"

namespace extriage::evtx {

// The work one file may cost (see FileWorkBudget in evtx_chunk.hpp): a base plus an allowance per
// chunk read, in BinXML operations and in bytes of decoded output. Real logs (the shared corpus'
// Security, System, Sysmon, CAPI2 and RDP logs) use at most 20,000 operations and 230 KB of
// output per chunk: the allowance is about 12 and 9 times that.
struct WorkAllowance {
    uint64_t ops_base = 8u << 20, ops_per_chunk = 256u << 10;
    uint64_t output_base = 64u << 20, output_per_chunk = 2u << 20;
};

struct TextRef {
    uint32_t pos = 0;
    uint32_t len = 0;
};

struct OutField {
    TextRef name, value;
};

struct OutRecord {
    uint64_t offset = 0;      // file offset of the record
    int64_t time_ms = kNoTime;
    Level level = Level::info;
    TextRef text, raw;        // raw: the event's XML on one line
    TextRef summary;          // the evidence line (eventlog::summary_line)
    uint32_t fields_begin = 0, fields_count = 0;
};

struct OutDiag {
    DiagSeverity severity = DiagSeverity::error;
    uint64_t offset = 0;      // file offset
    std::string message;
};

struct ChunkOutput {
    std::string arena;
    std::vector<OutRecord> records;
    std::vector<OutField> fields;
    std::vector<OutDiag> diags;
    uint64_t good = 0, bad = 0;
    bool decoded = false;     // the chunk had a valid header and was decoded
    bool zeroed = false;      // the chunk is all zeros where its signature should be (never used)
    bool budget_spent = false;   // decoding stopped: the file's work budget was spent

    // Memory held, for the bound on decoded output in flight.
    size_t bytes() const {
        return arena.capacity() + records.capacity() * sizeof(OutRecord) + fields.capacity() * sizeof(OutField);
    }

    TextRef store(std::string_view s) {
        TextRef r{static_cast<uint32_t>(arena.size()), static_cast<uint32_t>(s.size())};
        arena.append(s);
        return r;
    }
    std::string_view view(TextRef r) const { return std::string_view(arena).substr(r.pos, r.len); }
    void clear() {
        arena.clear();
        records.clear();
        fields.clear();
        diags.clear();
        good = bad = 0;
        decoded = zeroed = budget_spent = false;
    }
};

}  // namespace extriage::evtx
