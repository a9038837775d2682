// "evtx-binary": streams the file once (the header block, then 64 KiB chunks), decodes chunks in
// parallel on a small thread pool and hands records to the sink in file order from the calling
// thread. A bounded window of reused chunk buffers keeps memory flat in file size; chunk
// decoding lives in evtx_chunk.cpp.
#include "evtx_binary.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <system_error>
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
    Emitter(const std::string& path, RecordSink& sink, DiagSink& diags, EvtxStats& stats, uint64_t declared, bool raw_xml)
        : path_(path), sink_(sink), diags_(diags), stats_(stats), declared_(declared), raw_xml_(raw_xml) {}

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
            rec.raw = out.view(raw_xml_ ? r.raw : r.summary);
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
    bool raw_xml_;
    uint64_t beyond_declared_ = 0;
    std::vector<Field> fields_;
};

// Reads the chunks after the header block one at a time into caller-owned buffers. The end of
// the input, a read error and the size limit all end the stream; each is reported once, with its
// file offset. A trailing incomplete chunk is left in partial() for the caller to report.
class ChunkReader {
public:
    ChunkReader(ByteSource& source, uint64_t limit, Emitter& emitter)
        : source_(source), limit_(limit), emitter_(emitter) {}

    // Fills `buf` with the next whole chunk; false when there is none.
    bool next(std::string& buf) {
        if (done_) return false;
        const uint64_t room = limit_ > total_ ? limit_ - total_ : 0;
        const auto want = static_cast<size_t>(std::min<uint64_t>(evtx::kChunkSize, room));
        buf.resize(evtx::kChunkSize);
        size_t got = 0;
        try {
            while (got < want) {
                const size_t n = source_.read(buf.data() + got, want - got);
                if (n == 0) break;
                got += n;
            }
            if (got == evtx::kChunkSize) {
                total_ += got;
                ++whole_;
                return true;
            }
            done_ = true;
            char probe;
            if (got == want && source_.read(&probe, 1) != 0) {
                emitter_.diag(DiagSeverity::error, total_ + got,
                              fmt::format("file is larger than the limit of {} bytes; the rest is not read", limit_));
                total_ += got;
                return false;
            }
        } catch (const InputError& e) {
            done_ = true;
            emitter_.diag(DiagSeverity::error, total_ + got, e.what());
            total_ += got;
            return false;
        }
        total_ += got;
        partial_ = got;
        return false;
    }

    uint64_t whole_chunks() const { return whole_; }   // whole chunks read so far
    uint64_t partial() const { return partial_; }      // bytes of a trailing incomplete chunk
    uint64_t total() const { return total_; }          // bytes read, header block included

private:
    ByteSource& source_;
    uint64_t limit_;
    Emitter& emitter_;
    uint64_t total_ = evtx::kFileHeaderBlock;
    uint64_t whole_ = 0, partial_ = 0;
    bool done_ = false;
};

// One chunk in flight: its bytes and what decoding them produced. Slots are reused chunk after
// chunk, so memory is the window size times (64 KiB + one chunk's output), whatever the file size.
struct Slot {
    std::string bytes;
    evtx::ChunkOutput out;
    uint64_t index = 0;
    size_t accounted = 0;   // out.bytes() counted in the bytes in flight while it waits to be emitted
    bool ready = false;     // decoded, waiting to be emitted
};

// A slot keeps its buffers for the next chunk unless a chunk made them this large.
constexpr size_t kKeepSlotBytes = 4u << 20;

// The calling thread reads chunks into free slots (up to threads x chunks_in_flight_per_thread
// ahead of emission, and only while the decoded output waiting to be emitted is below
// max_bytes_in_flight), workers decode them in any order, and the calling thread emits them in
// file order, which frees their slots for the next reads. Workers start only once two chunks are
// queued, so one-chunk files and threads == 1 decode on the calling thread without a pool.
template <class Decode, class Emit>
void run_pipeline(ChunkReader& reader, unsigned threads, unsigned per_thread, size_t max_bytes_in_flight,
                  Decode decode, Emit emit) {
    const size_t window = threads <= 1 ? 1 : size_t{threads} * std::max(1u, per_thread);
    std::vector<Slot> slots(window);
    std::mutex mutex;
    std::condition_variable work_cv, done_cv;
    uint64_t next_read = 0, next_claim = 0, next_emit = 0;   // next_claim only with the pool
    size_t in_flight = 0;                                    // decoded bytes not yet emitted
    bool stop = false, eof = false;
    evtx::ChunkDecoder own_decoder;   // the calling thread's, while there is no pool
    std::vector<std::thread> pool;

    auto worker = [&] {
        evtx::ChunkDecoder decoder;
        for (;;) {
            uint64_t i = 0;
            {
                std::unique_lock lock(mutex);
                work_cv.wait(lock, [&] { return stop || next_claim < next_read; });
                if (stop) return;
                i = next_claim++;
            }
            Slot& slot = slots[i % window];
            decode(decoder, slot.bytes, i, slot.out);
            {
                std::lock_guard lock(mutex);
                slot.ready = true;
                slot.accounted = slot.out.bytes();
                in_flight += slot.accounted;
            }
            done_cv.notify_one();
        }
    };
    auto shutdown = [&] {
        {
            std::lock_guard lock(mutex);
            stop = true;
        }
        work_cv.notify_all();
        for (auto& t : pool) t.join();
        pool.clear();
    };
    auto room = [&] {
        std::lock_guard lock(mutex);
        return in_flight <= max_bytes_in_flight;
    };
    try {
        for (;;) {
            // Fill every free slot. A slot is free once emitted; only this thread frees slots.
            while (!eof && next_read - next_emit < window && room()) {
                Slot& slot = slots[next_read % window];
                if (!reader.next(slot.bytes)) {
                    eof = true;
                    break;
                }
                {
                    std::lock_guard lock(mutex);
                    slot.index = next_read;
                    slot.ready = false;
                    ++next_read;
                }
                if (!pool.empty()) work_cv.notify_one();
            }
            if (next_emit == next_read) break;
            if (pool.empty() && threads > 1 && next_read - next_emit >= 2) {
                next_claim = next_emit;
                try {
                    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
                } catch (const std::system_error&) {
                    // No thread to be had (a process or memory limit): the threads started, or
                    // this one alone, decode the rest.
                    if (pool.empty()) threads = 1;
                }
            }
            Slot& slot = slots[next_emit % window];
            if (pool.empty()) {
                decode(own_decoder, slot.bytes, next_emit, slot.out);
            } else {
                std::unique_lock lock(mutex);
                done_cv.wait(lock, [&] { return slot.ready; });
            }
            emit(next_emit, slot.out);
            {
                std::lock_guard lock(mutex);
                slot.ready = false;
                in_flight -= slot.accounted;
                slot.accounted = 0;
                ++next_emit;
            }
            if (slot.out.bytes() > kKeepSlotBytes) slot.out = evtx::ChunkOutput{};
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
    void parse_with(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags,
                    const ParseOptions& parse_options) const override {
        EvtxOptions options = options_;
        if (parse_options.threads) options.threads = parse_options.threads;
        parse_evtx(source, path, sink, diags, options);
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
    // The file is read as a stream, never as a whole, so memory stays flat in file size: the
    // header block, then one chunk at a time into a bounded window of reused buffers (see
    // run_pipeline). ByteSource is sequential (zip members too), so nothing seeks.
    std::string header(evtx::kFileHeaderBlock, '\0');
    size_t head_got = 0;
    try {
        while (head_got < header.size()) {
            const size_t n = source.read(header.data() + head_got, header.size() - head_got);
            if (n == 0) break;
            head_got += n;
        }
        header.resize(head_got);
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
    // With a known size the check comes before the chunks, as a reader would expect; a stream
    // of unknown size (a zip member) is checked once it has been read.
    const auto known_size = source.size();
    if (known_size && *known_size >= evtx::kFileHeaderBlock) check_declared(*known_size);

    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    const unsigned threads = options.threads ? options.threads : hw;
    Emitter emitter(path, sink, diags, stats, declared, options.raw_xml);
    ChunkReader reader(source, options.max_file_bytes, emitter);
    evtx::FileWorkBudget budget(options.work);
    run_pipeline(
        reader, threads, options.chunks_in_flight_per_thread, options.max_bytes_in_flight,
        [&](evtx::ChunkDecoder& decoder, const std::string& bytes, uint64_t i, evtx::ChunkOutput& out) {
            const uint64_t offset = evtx::kFileHeaderBlock + i * evtx::kChunkSize;
            try {
                decoder.decode(reinterpret_cast<const uint8_t*>(bytes.data()), evtx::kChunkSize, offset, i, dirty, out,
                               &budget);
            } catch (const std::exception& e) {   // only resource exhaustion; data errors are diagnostics
                out.clear();
                out.diags.push_back({DiagSeverity::error, offset, fmt::format("chunk {}: {}", i, e.what())});
            }
        },
        [&](uint64_t i, const evtx::ChunkOutput& out) { emitter.emit(i, out); });
    if (!known_size) check_declared(reader.total());
    const uint64_t available = reader.whole_chunks();
    const uint64_t partial = reader.partial();
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
