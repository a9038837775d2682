// Chunk header: "ElfChnk\0", first/last record numbers and ids, header size (128), last record
// offset (44), free space offset (48), records CRC32 (52), flags (120), header CRC32 (124) over
// bytes 0..120 and 128..512. Records run from 512 to the free space offset.
#include "evtx_chunk.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "evtx_bytes.hpp"
#include "evtx_crc32.hpp"

namespace extriage::evtx {

namespace {

constexpr uint32_t kChunkHeaderSize = 512;
constexpr uint32_t kRecordHeaderSize = 24;
constexpr uint32_t kRecordMinSize = kRecordHeaderSize + 4;
constexpr uint32_t kRecordMagic = 0x00002a2a;          // "**\0\0"

uint32_t resync(const uint8_t* chunk, uint32_t from, uint32_t end) {
    for (uint32_t pos = from; pos + kRecordMinSize <= end; ++pos)
        if (chunk[pos] == 0x2a && chunk[pos + 1] == 0x2a && chunk[pos + 2] == 0 && chunk[pos + 3] == 0) return pos;
    return end;
}

bool all_zero(const uint8_t* p, size_t n) {
    return std::all_of(p, p + n, [](uint8_t b) { return b == 0; });
}

std::string printable_signature(const uint8_t* p) {
    std::string s;
    for (int i = 0; i < 8; ++i) {
        const uint8_t c = p[i];
        if (c >= 0x20 && c < 0x7f)
            s.push_back(static_cast<char>(c));
        else
            s += fmt::format("\\x{:02x}", c);
    }
    return s;
}

}  // namespace

void ChunkDecoder::decode(const uint8_t* chunk, uint32_t size, uint64_t file_offset, uint64_t index,
                          bool stale_checksums_expected, ChunkOutput& out, FileWorkBudget* budget) {
    out.clear();
    auto diag = [&](DiagSeverity severity, uint64_t chunk_offset, std::string message) {
        out.diags.push_back({severity, file_offset + chunk_offset, std::move(message)});
    };
    if (size < kChunkHeaderSize) {
        diag(DiagSeverity::error, 0, fmt::format("chunk {}: only {} bytes, shorter than its header", index, size));
        return;
    }
    if (std::memcmp(chunk, "ElfChnk\0", 8) != 0) {
        if (all_zero(chunk, 8)) {
            out.zeroed = true;
            return;
        }
        diag(DiagSeverity::error, 0,
             fmt::format("chunk {}: bad signature '{}' (expected 'ElfChnk'); chunk skipped", index,
                         printable_signature(chunk)));
        return;
    }
    out.decoded = true;
    const DiagSeverity checksum_severity = stale_checksums_expected ? DiagSeverity::note : DiagSeverity::warning;
    const uint32_t header_crc = crc32(chunk + 128, 384, crc32(chunk, 120));
    if (header_crc != load_u32(chunk + 124))
        diag(checksum_severity, 124,
             fmt::format("chunk {}: header checksum mismatch (stored 0x{:08x}, computed 0x{:08x})", index,
                         load_u32(chunk + 124), header_crc));
    uint32_t end = load_u32(chunk + 48);
    if (end < kChunkHeaderSize || end > size) {
        diag(DiagSeverity::error, 48,
             fmt::format("chunk {}: free space offset {} is out of range; decoding up to the chunk end", index, end));
        end = size;
    } else {
        const uint32_t records_crc = crc32(chunk + kChunkHeaderSize, end - kChunkHeaderSize);
        if (records_crc != load_u32(chunk + 52))
            diag(checksum_severity, 52,
                 fmt::format("chunk {}: event records checksum mismatch (stored 0x{:08x}, computed 0x{:08x})", index,
                             load_u32(chunk + 52), records_crc));
    }

    binxml_.reset(chunk, size);
    uint32_t pos = kChunkHeaderSize;
    while (pos + kRecordMinSize <= end) {
        if (load_u32(chunk + pos) != kRecordMagic) {
            if (all_zero(chunk + pos, end - pos)) break;   // unused space after a clamped end
            diag(DiagSeverity::error, pos,
                 fmt::format("chunk {}: bad record signature 0x{:08x} (expected 0x00002a2a)", index,
                             load_u32(chunk + pos)));
            ++out.bad;
            pos = resync(chunk, pos + 1, end);
            continue;
        }
        const uint32_t rsize = load_u32(chunk + pos + 4);
        if (rsize < kRecordMinSize || !in_range(pos, rsize, end)) {
            diag(DiagSeverity::error, pos + 4,
                 fmt::format("chunk {}: record size {} is out of range (at most {} bytes left); record skipped",
                             index, rsize, end - pos));
            ++out.bad;
            pos = resync(chunk, pos + 1, end);
            continue;
        }
        // A size copy of 0 means the record's last write never happened (the log was not closed
        // cleanly); such a record is kept only when its event decodes and names the same record id.
        const uint32_t size_copy = load_u32(chunk + pos + rsize - 4);
        const bool unsealed = size_copy == 0;
        if (size_copy != rsize && !unsealed) {
            diag(DiagSeverity::error, pos + rsize - 4,
                 fmt::format("chunk {}: record size copy {} does not match size {}; record skipped", index,
                             size_copy, rsize));
            ++out.bad;
            pos = resync(chunk, pos + 1, end);
            continue;
        }
        if (budget && budget->spent(index)) {
            diag(DiagSeverity::error, pos,
                 fmt::format("chunk {}: the file's decoding budget is spent ({} BinXML operations, {} MiB of output "
                             "so far); the rest of the chunk is skipped",
                             index, budget->ops.load(), budget->output.load() >> 20));
            ++out.bad;
            out.budget_spent = true;
            break;
        }
        const uint64_t id = load_u64(chunk + pos + 8);
        const size_t arena_before = out.arena.size();
        builder_.begin(file_offset + pos, id, load_u64(chunk + pos + 16));
        const bool decoded = binxml_.decode(pos + kRecordHeaderSize, pos + rsize - 4, builder_);
        if (unsealed && !(decoded && builder_.xml_record_id_is(id))) {
            diag(DiagSeverity::error, pos + rsize - 4,
                 fmt::format("record {}: size copy is 0 and {}; record skipped", id,
                             decoded ? "its EventRecordID differs from the record header"
                                     : "its event does not decode (" + binxml_.error().message + ")"));
            ++out.bad;
            pos = resync(chunk, pos + 1, end);
            continue;
        }
        if (decoded) {
            if (unsealed)
                diag(DiagSeverity::note, pos + rsize - 4,
                     fmt::format("record {}: size copy is 0 (log not closed cleanly); kept because its event "
                                 "decodes and its EventRecordID matches",
                                 id));
            builder_.finish(out);
            ++out.good;
        } else {
            const BinXmlError& e = binxml_.error();
            diag(DiagSeverity::error, e.offset,
                 fmt::format("record {}: {}; record skipped", id, e.message));
            ++out.bad;
        }
        if (budget) {
            budget->ops.fetch_add(binxml_.ops_used(), std::memory_order_relaxed);
            budget->output.fetch_add(out.arena.size() - arena_before, std::memory_order_relaxed);
        }
        pos += rsize;
        if (out.arena.size() > kMaxChunkOutput) {
            diag(DiagSeverity::error, pos,
                 fmt::format("chunk {}: decoded output exceeds {} bytes; rest of the chunk skipped", index,
                             kMaxChunkOutput));
            ++out.bad;
            break;
        }
    }
}

}  // namespace extriage::evtx
