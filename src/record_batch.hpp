// An owning copy of a stretch of a parser's output: records (whose views would otherwise die
// with the on_record() call) and segment ends, in their original order, so that the stretch can
// be handed to another thread and replayed later. Text lives in one arena; records are rebuilt as
// views into it once the batch is complete.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "record.hpp"

namespace extriage {

class RecordBatch {
public:
    struct Event {
        bool is_segment = false;
        size_t index = 0;   // into the records or the segments
    };

    void add(const Record& record);
    void add(const Segment& segment);
    void clear();

    size_t text_bytes() const { return arena_.size(); }
    size_t record_count() const { return records_.size(); }
    bool empty() const { return events_.empty(); }
    const std::vector<Event>& events() const { return events_; }
    const Segment& segment(size_t index) const { return segments_[index]; }

    // The index-th record as views into the batch (valid until the next add or clear); its
    // fields are written to `fields`.
    Record record(size_t index, std::vector<Field>& fields) const;

private:
    struct Span {
        size_t at = 0;
        size_t size = 0;
    };
    struct StoredRecord {
        Span parser, path, text, raw;
        size_t first_field = 0, field_count = 0;
        uint64_t line = 0, line_count = 1, offset = 0;
        int64_t time_ms = kNoTime;
        bool time_is_utc = false;
        Level level = Level::info;
        int segment = -1;
    };

    Span store(std::string_view s);
    // Parser and path repeat on every record of a file: stored once while they do not change.
    Span store_repeated(std::string_view s, Span previous);
    std::string_view view(Span s) const { return std::string_view(arena_).substr(s.at, s.size); }

    std::string arena_;
    std::vector<StoredRecord> records_;
    std::vector<std::pair<Span, Span>> fields_;
    std::vector<Segment> segments_;
    std::vector<Event> events_;
};

}  // namespace extriage
