// "evtx-binary": reads the file once, checks the file header, decodes chunks in parallel on a
// small thread pool and hands records to the sink in file order from the calling thread.
// A bounded window of chunk outputs keeps memory flat; chunk decoding lives in evtx_chunk.cpp.
#include "evtx_binary.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "evtx_bytes.hpp"
#include "evtx_chunk.hpp"
#include "evtx_crc32.hpp"

namespace extriage {

namespace {

constexpr std::string_view kName = "evtx-binary";
constexpr std::string_view kFileSignature{"ElfFile\0", 8};

class Emitter {
public:
    Emitter(const std::string& path, RecordSink& sink, DiagSink& diags, EvtxStats& stats, uint64_t declared)
        : path_(path), sink_(sink), diags_(diags), stats_(stats), declared_(declared) {}

    void emit(uint64_t index, const evtx::ChunkOutput& out) {
        if (out.zeroed) {
            if (index < declared_)
                diag(DiagSeverity::error, evtx::kFileHeaderBlock + index * evtx::kChunkSize,
                     fmt::format("chunk {}: empty (all zeros) although the file header counts it", index));
            return;
        }
        for (const auto& d : out.diags) diag(d.severity, d.offset, d.message);
        if (!out.decoded) {
            ++stats_.bad_chunks;
            return;
        }
        ++stats_.chunks;
        if (index >= declared_) ++beyond_declared_;
        stats_.bad_records += out.bad;
        for (const evtx::OutRecord& r : out.records) {
            fields_.clear();
            for (uint32_t i = 0; i < r.fields_count; ++i) {
                const evtx::OutField& f = out.fields[r.fields_begin + i];
                fields_.push_back({out.view(f.name), out.view(f.value)});
            }
            Record rec;
            rec.parser = kName;
            rec.path = path_;
            rec.line = 0;
            rec.offset = r.offset;
            rec.time_ms = r.time_ms;
            rec.time_is_utc = true;
            rec.level = r.level;
            rec.text = out.view(r.text);
            rec.raw = out.view(r.raw);
            rec.fields = fields_;
            ++stats_.records;
            sink_.on_record(rec);
        }
    }

    void diag(DiagSeverity severity, uint64_t offset, std::string message) {
        diags_.report({severity, path_, 0, 0, offset, true, std::move(message), std::string(kName)});
    }

    uint64_t beyond_declared() const { return beyond_declared_; }

private:
    const std::string& path_;
    RecordSink& sink_;
    DiagSink& diags_;
    EvtxStats& stats_;
    uint64_t declared_;
    uint64_t beyond_declared_ = 0;
    std::vector<Field> fields_;
};

// Decodes chunks [0, n) on `threads` workers; `emit` runs on the calling thread in chunk order.
template <class Decode, class Emit>
void run_pipeline(uint64_t n, unsigned threads, unsigned per_thread, Decode decode, Emit emit) {
    if (threads <= 1 || n <= 1) {
        evtx::ChunkDecoder decoder;
        evtx::ChunkOutput out;
        for (uint64_t i = 0; i < n; ++i) {
            decode(decoder, i, out);
            emit(i, out);
        }
        return;
    }
    const size_t window = size_t{threads} * std::max(1u, per_thread);
    std::vector<evtx::ChunkOutput> slots(window);
    std::vector<char> ready(window, 0);
    std::mutex mutex;
    std::condition_variable cv;
    uint64_t next_claim = 0, next_emit = 0;
    bool stop = false;
    auto worker = [&] {
        evtx::ChunkDecoder decoder;
        for (;;) {
            uint64_t i = 0;
            {
                std::unique_lock lock(mutex);
                cv.wait(lock, [&] { return stop || next_claim >= n || next_claim < next_emit + window; });
                if (stop || next_claim >= n) return;
                i = next_claim++;
            }
            decode(decoder, i, slots[i % window]);
            {
                std::lock_guard lock(mutex);
                ready[i % window] = 1;
            }
            cv.notify_all();
        }
    };
    std::vector<std::thread> pool;
    auto shutdown = [&] {
        {
            std::lock_guard lock(mutex);
            stop = true;
        }
        cv.notify_all();
        for (auto& t : pool) t.join();
    };
    try {
        for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
        for (uint64_t i = 0; i < n; ++i) {
            {
                std::unique_lock lock(mutex);
                cv.wait(lock, [&] { return ready[i % window] != 0; });
            }
            emit(i, slots[i % window]);
            {
                std::lock_guard lock(mutex);
                ready[i % window] = 0;
                ++next_emit;
            }
            cv.notify_all();
        }
    } catch (...) {
        shutdown();   // a sink that throws (e.g. broken pipe) must not leave workers running
        throw;
    }
    shutdown();
}

class EvtxBinaryParser final : public Parser {
public:
    explicit EvtxBinaryParser(const EvtxOptions& options) : options_(options) {}
    std::string_view name() const override { return kName; }
    bool sniff(const SniffInput& in) const override { return in.raw_head.substr(0, 8) == kFileSignature; }
    void parse(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags) const override {
        parse_evtx(source, path, sink, diags, options_);
    }

private:
    EvtxOptions options_;
};

}  // namespace

EvtxStats parse_evtx(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags,
                     const EvtxOptions& options) {
    using evtx::load_u16;
    using evtx::load_u32;
    EvtxStats stats;
    sink.on_file_begin(path, kName);
    auto file_diag = [&](DiagSeverity severity, uint64_t offset, std::string message) {
        diags.report({severity, path, 0, 0, offset, true, std::move(message), std::string(kName)});
    };
    // The file is read in batches of chunks, not as a whole, so memory stays flat in file size:
    // the header block, then up to kBatchChunks chunks at a time, decoded in parallel and emitted
    // in order before the next batch is read. ByteSource is sequential (zip members too).
    auto read_up_to = [&](std::string& buf, size_t want) {
        buf.resize(want);
        size_t got = 0;
        while (got < want) {
            size_t n = source.read(buf.data() + got, want - got);
            if (n == 0) break;
            got += n;
        }
        buf.resize(got);
        return got;
    };
    std::string header;
    try {
        read_up_to(header, evtx::kFileHeaderBlock);
    } catch (const InputError& e) {
        file_diag(DiagSeverity::error, 0, e.what());
        sink.on_file_end(path);
        return stats;
    }
    const auto* p = reinterpret_cast<const uint8_t*>(header.data());
    const uint64_t head_size = header.size();
    if (head_size < 8 || std::string_view(header).substr(0, 8) != kFileSignature) {
        file_diag(DiagSeverity::error, 0, "not an EVTX file: missing 'ElfFile' signature");
        sink.on_file_end(path);
        return stats;
    }
    if (head_size < 128) {
        file_diag(DiagSeverity::error, 0, fmt::format("file header truncated: {} of 128 bytes", head_size));
        sink.on_file_end(path);
        return stats;
    }
    const uint32_t header_crc = evtx::crc32(p, 120);
    if (header_crc != load_u32(p + 124))
        file_diag(DiagSeverity::warning, 124,
                  fmt::format("file header checksum mismatch (stored 0x{:08x}, computed 0x{:08x})", load_u32(p + 124),
                              header_crc));
    const uint16_t minor = load_u16(p + 36), major = load_u16(p + 38);
    if (major != 3) file_diag(DiagSeverity::warning, 38, fmt::format("unexpected format version {}.{}", major, minor));
    const uint32_t flags = load_u32(p + 120);
    const bool dirty = flags & 1;
    if (dirty)
        file_diag(DiagSeverity::note, 120,
                  "file is marked dirty (not closed cleanly): chunk checksums and the chunk count may be stale");
    const uint64_t declared = load_u16(p + 42);
    if (head_size < evtx::kFileHeaderBlock) {
        file_diag(DiagSeverity::error, head_size,
                  fmt::format("file ends inside its {}-byte header block ({} bytes)", evtx::kFileHeaderBlock, head_size));
        sink.on_file_end(path);
        return stats;
    }
    auto check_declared = [&](uint64_t total_size) {
        const uint64_t whole = (total_size - evtx::kFileHeaderBlock) / evtx::kChunkSize;
        const uint64_t part = (total_size - evtx::kFileHeaderBlock) % evtx::kChunkSize;
        if (declared > whole + (part ? 1 : 0))
            file_diag(DiagSeverity::warning, 42,
                      fmt::format("file header declares {} chunks but the file holds only {}", declared, whole));
    };
    // With a known size the check comes first, as a reader would expect; otherwise after reading.
    const auto known_size = source.size();
    if (known_size && *known_size >= evtx::kFileHeaderBlock) check_declared(*known_size);

    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    const unsigned threads = options.threads ? options.threads : hw;
    const uint64_t batch_chunks = std::max<uint64_t>(8, uint64_t{threads} * std::max(1u, options.chunks_in_flight_per_thread) * 4);
    Emitter emitter(path, sink, diags, stats, declared);
    std::string batch;
    uint64_t available = 0;   // whole chunks read so far
    uint64_t partial = 0;     // bytes of a trailing incomplete chunk
    uint64_t total = evtx::kFileHeaderBlock;
    for (;;) {
        size_t got = 0;
        try {
            uint64_t room = options.max_file_bytes > total ? options.max_file_bytes - total : 0;
            got = read_up_to(batch, static_cast<size_t>(std::min<uint64_t>(batch_chunks * evtx::kChunkSize, room)));
            if (got == 0 && room == 0) {
                char probe;
                if (source.read(&probe, 1) != 0)
                    file_diag(DiagSeverity::error, total,
                              fmt::format("file is larger than the limit of {} bytes; the rest is not read", options.max_file_bytes));
            }
        } catch (const InputError& e) {
            file_diag(DiagSeverity::error, total, e.what());
        }
        const uint64_t whole = got / evtx::kChunkSize;
        const auto* base = reinterpret_cast<const uint8_t*>(batch.data());
        const uint64_t first = available;
        run_pipeline(
            whole, threads, options.chunks_in_flight_per_thread,
            [&](evtx::ChunkDecoder& decoder, uint64_t k, evtx::ChunkOutput& out) {
                const uint64_t i = first + k;
                const uint64_t offset = evtx::kFileHeaderBlock + i * evtx::kChunkSize;
                try {
                    decoder.decode(base + k * evtx::kChunkSize, evtx::kChunkSize, offset, i, dirty, out);
                } catch (const std::exception& e) {   // only resource exhaustion; data errors are diagnostics
                    out.clear();
                    out.diags.push_back({DiagSeverity::error, offset, fmt::format("chunk {}: {}", i, e.what())});
                }
            },
            [&](uint64_t k, const evtx::ChunkOutput& out) { emitter.emit(first + k, out); });
        available += whole;
        total += got;
        if (got < batch_chunks * evtx::kChunkSize) {
            partial = got % evtx::kChunkSize;
            break;
        }
    }
    if (!known_size) check_declared(total);

    if (partial) {
        ++stats.bad_chunks;
        file_diag(DiagSeverity::error, evtx::kFileHeaderBlock + available * evtx::kChunkSize,
                  fmt::format("chunk {}: truncated ({} of {} bytes present); chunk skipped", available, partial,
                              evtx::kChunkSize));
    }
    if (emitter.beyond_declared())
        file_diag(DiagSeverity::note, 42,
                  fmt::format("decoded {} chunk(s) beyond the {} the file header declares", emitter.beyond_declared(),
                              declared));
    if (stats.bad_records || stats.bad_chunks) {
        std::string summary;
        if (stats.bad_records)
            summary = fmt::format("{} of {} records could not be decoded", stats.bad_records,
                                  stats.records + stats.bad_records);
        if (stats.bad_chunks)
            summary += fmt::format("{}{} of {} chunks skipped", summary.empty() ? "" : "; ", stats.bad_chunks,
                                   stats.chunks + stats.bad_chunks);
        diags.report({DiagSeverity::warning, path, 0, 0, 0, false, std::move(summary), std::string(kName)});
    }
    sink.on_file_end(path);
    return stats;
}

std::unique_ptr<Parser> make_evtx_binary_parser() { return make_evtx_binary_parser(EvtxOptions{}); }
std::unique_ptr<Parser> make_evtx_binary_parser(const EvtxOptions& options) {
    return std::make_unique<EvtxBinaryParser>(options);
}

}  // namespace extriage
