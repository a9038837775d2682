// PrematchPipeline: batches, chunks matched by the worker and the caller, in-order replay.
#include "engine/prematch_pipeline.hpp"

#include <algorithm>
#include <system_error>

namespace extriage {

PrematchPipeline::PrematchPipeline(const RuleSet& rules, Engine& engine, unsigned workers, PrematchLimits limits)
    : rules_(rules), engine_(engine), limits_(limits), filling_(std::make_unique<Slot>()) {
    for (unsigned i = 0; i < workers; ++i) {
        Matcher& matcher = *worker_matchers_.emplace_back(std::make_unique<Matcher>());
        try {
            workers_.emplace_back([this, &matcher] { work(matcher); });
        } catch (const std::system_error&) {
            break;   // fewer threads than asked for: the caller's thread matches what they leave
        }
    }
}

PrematchPipeline::~PrematchPipeline() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    work_ready_.notify_all();
    for (std::thread& t : workers_) t.join();
}

void PrematchPipeline::on_file_begin(std::string_view path, std::string_view parser) {
    drain();
    engine_.on_file_begin(path, parser);
}

void PrematchPipeline::on_record(const Record& record) {
    filling_->batch.add(record);
    if (filling_->batch.text_bytes() >= limits_.batch_bytes || filling_->batch.record_count() >= limits_.batch_records) submit();
}

void PrematchPipeline::on_segment_end(const Segment& segment) { filling_->batch.add(segment); }

void PrematchPipeline::on_file_end(std::string_view path) {
    drain();
    engine_.on_file_end(path);
}

void PrematchPipeline::submit() {
    if (filling_->batch.empty()) return;
    // Keep at most batches_in_flight batches ahead of the engine: replaying the oldest here lets
    // the worker go on with the next one meanwhile.
    if (submitted_.size() >= std::max<size_t>(1, limits_.batches_in_flight)) replay_oldest();
    Slot& slot = *filling_;
    {
        std::lock_guard lock(mutex_);
        slot.chunks.resize((slot.batch.record_count() + chunk_records() - 1) / chunk_records());
        slot.next_chunk = 0;
        slot.chunks_done = 0;
        submitted_.push_back(std::move(filling_));
    }
    work_ready_.notify_one();
    if (spare_.empty()) {
        filling_ = std::make_unique<Slot>();
    } else {
        filling_ = std::move(spare_.back());
        spare_.pop_back();
    }
}

void PrematchPipeline::replay_oldest() {
    std::unique_ptr<Slot> owned;
    {
        std::unique_lock lock(mutex_);
        Slot& slot = *submitted_.front();
        // Match what the worker has not claimed yet rather than wait for it.
        while (slot.next_chunk < slot.chunks.size()) {
            const size_t c = slot.next_chunk++;
            lock.unlock();
            match_chunk(slot, c, caller_matcher_);
            lock.lock();
            ++slot.chunks_done;
        }
        work_done_.wait(lock, [&] { return slot.chunks_done == slot.chunks.size(); });
        owned = std::move(submitted_.front());
        submitted_.pop_front();
    }
    Slot& slot = *owned;
    const RecordBatch& batch = slot.batch;
    for (const RecordBatch::Event& e : batch.events()) {
        if (e.is_segment) {
            engine_.on_segment_end(batch.segment(e.index));
            continue;
        }
        const Record rec = batch.record(e.index, replay_fields_);
        const Chunk& chunk = slot.chunks[e.index / chunk_records()];
        if (chunk.error) {
            engine_.on_record(rec);
            continue;
        }
        const size_t local = e.index % chunk_records();
        const size_t first = chunk.first_group[local];
        const size_t last = local + 1 < chunk.first_group.size() ? chunk.first_group[local + 1] : chunk.groups.size();
        engine_.on_prematched_record(rec, std::span<const GroupMatch>(chunk.groups).subspan(first, last - first), chunk.hits);
    }
    slot.batch.clear();
    spare_.push_back(std::move(owned));
}

void PrematchPipeline::drain() {
    submit();
    while (!submitted_.empty()) replay_oldest();
}

void PrematchPipeline::work(Matcher& matcher) {
    std::unique_lock lock(mutex_);
    for (;;) {
        // Claim the next chunk of the oldest batch that has one. Claims are made under the lock:
        // a batch with no claim outstanding may be replayed and reused at any moment.
        Slot* slot = nullptr;
        for (auto& s : submitted_)
            if (s->next_chunk < s->chunks.size()) {
                slot = s.get();
                break;
            }
        if (!slot) {
            if (stopping_) return;
            work_ready_.wait(lock);
            continue;
        }
        const size_t c = slot->next_chunk++;
        lock.unlock();
        match_chunk(*slot, c, matcher);
        lock.lock();
        if (++slot->chunks_done == slot->chunks.size()) work_done_.notify_all();
    }
}

void PrematchPipeline::match_chunk(Slot& slot, size_t c, Matcher& matcher) {
    const size_t records = slot.batch.record_count();
    Chunk& chunk = slot.chunks[c];
    chunk.groups.clear();
    chunk.hits.clear();
    chunk.first_group.clear();
    chunk.error = nullptr;
    try {
        for (size_t i = c * chunk_records(); i < std::min(records, (c + 1) * chunk_records()); ++i) {
            chunk.first_group.push_back(chunk.groups.size());
            rules_.prematch(slot.batch.record(i, matcher.fields), chunk.groups, chunk.hits, matcher.scratch);
        }
    } catch (...) {
        chunk.error = std::current_exception();
    }
}

}  // namespace extriage
