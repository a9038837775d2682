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
        decoded = zeroed = false;
    }
};

}  // namespace extriage::evtx
