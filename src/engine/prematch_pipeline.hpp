// A RecordSink in front of an Engine that moves the RE2::Set matching (RuleSet::prematch, the
// largest cost on a big log) to worker threads. Records are copied into batches; a worker
// works out each batch's set matches while the caller's thread parses the next batch; then the
// batch is replayed into the engine in the original order. The engine sees exactly the events,
// in exactly the order, it would have seen directly, so findings are identical.
//
// Matching costs more than parsing, so the caller's thread does not just wait for the workers:
// a batch is matched in chunks that any thread may claim, and the caller claims what is left of
// the batch it needs next.
//
// Memory is bounded: at most PrematchLimits::batches_in_flight batches of about PrematchLimits::batch_bytes each,
// plus the one being filled (a single record bigger than that makes a batch of its own).
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/engine.hpp"
#include "record_batch.hpp"

namespace extriage {

struct PrematchLimits {
    size_t batch_bytes = 512 * 1024;   // a batch is submitted once its text reaches this
    size_t batch_records = 8192;       // ... or once it holds this many records
    size_t batches_in_flight = 2;      // submitted, not yet replayed
    size_t chunk_records = 512;        // the unit of matching work either thread claims
};

class PrematchPipeline final : public RecordSink {
public:
    PrematchPipeline(const RuleSet& rules, Engine& engine, unsigned workers = 1, PrematchLimits limits = {});
    ~PrematchPipeline() override;
    PrematchPipeline(const PrematchPipeline&) = delete;
    PrematchPipeline& operator=(const PrematchPipeline&) = delete;

    void on_file_begin(std::string_view path, std::string_view parser) override;
    void on_record(const Record& record) override;
    void on_segment_end(const Segment& segment) override;
    // Drains every batch into the engine before the engine closes the file. Also the way to
    // close a file whose parser stopped with an exception.
    void on_file_end(std::string_view path) override;

private:
    // The set matches of kChunkRecords consecutive records of a batch.
    struct Chunk {
        std::vector<GroupMatch> groups;
        std::vector<int> hits;
        std::vector<size_t> first_group;   // per record: its first entry in `groups`
        std::exception_ptr error;          // matching failed (out of memory): the engine matches it itself
    };
    struct Slot {
        RecordBatch batch;
        std::vector<Chunk> chunks;
        // Guarded by mutex_ while the batch is submitted:
        size_t next_chunk = 0;               // the next chunk to claim
        size_t chunks_done = 0;
    };
    // Per-thread scratch for matching.
    struct Matcher {
        std::vector<Field> fields;
        RuleSet::PrematchScratch scratch;
    };

    void submit();                 // hands the filling batch to the worker
    void replay_oldest();          // finishes the oldest submitted batch and feeds it to the engine
    void drain();                  // submits and replays everything
    void work(Matcher& matcher);   // a worker thread's loop
    void match_chunk(Slot& slot, size_t chunk, Matcher& matcher);   // the chunk must be claimed
    size_t chunk_records() const { return std::max<size_t>(1, limits_.chunk_records); }

    const RuleSet& rules_;
    Engine& engine_;
    const PrematchLimits limits_;
    std::unique_ptr<Slot> filling_;
    std::deque<std::unique_ptr<Slot>> submitted_;   // oldest first; guarded by mutex_ for the worker
    std::vector<std::unique_ptr<Slot>> spare_;
    std::mutex mutex_;
    std::condition_variable work_ready_;
    std::condition_variable work_done_;
    bool stopping_ = false;
    std::vector<Field> replay_fields_;
    Matcher caller_matcher_;
    std::vector<std::unique_ptr<Matcher>> worker_matchers_;
    std::vector<std::thread> workers_;
};

}  // namespace extriage
