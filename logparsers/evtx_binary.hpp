// The "evtx-binary" parser: native decoding of Windows .evtx files. Exposed beyond the Parser
// interface so that tests, tools and the CLI can choose the number of threads and read counts.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "evtx_output.hpp"
#include "parser.hpp"

namespace extriage {

struct EvtxOptions {
    unsigned threads = 0;                  // 0: std::thread::hardware_concurrency()
    unsigned chunks_in_flight_per_thread = 4;   // chunks read but not yet emitted: threads x this many at most
    // ... and their decoded output: no chunk is read while this much waits to be emitted, so memory is
    // about this plus one chunk's output (evtx::kMaxChunkOutput) per thread, however chunks expand.
    size_t max_bytes_in_flight = size_t{64} << 20;
    uint64_t max_file_bytes = uint64_t{4} << 30;
    // Record::raw is the one-line summary people read in evidence ("time  Provider EventID
    // (record N)  message", event_message.hpp); true: the decoded event XML instead (decoder tests,
    // evtx_dump --full).
    bool raw_xml = false;
    evtx::WorkAllowance work;              // CPU and output one file may cost, per chunk read
};

struct EvtxStats {
    uint64_t chunks = 0;         // chunks decoded
    uint64_t bad_chunks = 0;     // chunks skipped (bad signature, truncated)
    uint64_t records = 0;        // records emitted
    uint64_t bad_records = 0;    // records skipped
};

// Decodes a whole EVTX file, emitting records in file order (chunk order, then record order).
EvtxStats parse_evtx(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags,
                     const EvtxOptions& options = {});

std::unique_ptr<Parser> make_evtx_binary_parser();
std::unique_ptr<Parser> make_evtx_binary_parser(const EvtxOptions& options);

}  // namespace extriage
