// RecordBatch: records and segment ends copied into one arena.
#include "record_batch.hpp"

namespace extriage {

RecordBatch::Span RecordBatch::store(std::string_view s) {
    Span span{arena_.size(), s.size()};
    arena_.append(s);
    return span;
}

RecordBatch::Span RecordBatch::store_repeated(std::string_view s, Span previous) {
    if (!records_.empty() && view(previous) == s) return previous;
    return store(s);
}

void RecordBatch::add(const Record& record) {
    StoredRecord r;
    const StoredRecord* last = records_.empty() ? nullptr : &records_.back();
    r.parser = store_repeated(record.parser, last ? last->parser : Span{});
    r.path = store_repeated(record.path, last ? last->path : Span{});
    r.raw = store(record.raw);
    // The message is often a part of the raw line (a one-line setup log entry): keep one copy.
    const char* raw_begin = record.raw.data();
    const char* text_begin = record.text.data();
    if (!record.text.empty() && raw_begin && text_begin >= raw_begin &&
        text_begin + record.text.size() <= raw_begin + record.raw.size())
        r.text = Span{r.raw.at + static_cast<size_t>(text_begin - raw_begin), record.text.size()};
    else
        r.text = store(record.text);
    r.first_field = fields_.size();
    r.field_count = record.fields.size();
    for (const Field& f : record.fields) {
        Span name = store(f.name);
        fields_.emplace_back(name, store(f.value));
    }
    r.line = record.line;
    r.line_count = record.line_count;
    r.offset = record.offset;
    r.time_ms = record.time_ms;
    r.time_is_utc = record.time_is_utc;
    r.level = record.level;
    r.segment = record.segment;
    events_.push_back({false, records_.size()});
    records_.push_back(r);
}

void RecordBatch::add(const Segment& segment) {
    events_.push_back({true, segments_.size()});
    segments_.push_back(segment);
}

void RecordBatch::clear() {
    arena_.clear();
    records_.clear();
    fields_.clear();
    segments_.clear();
    events_.clear();
}

Record RecordBatch::record(size_t index, std::vector<Field>& fields) const {
    const StoredRecord& r = records_[index];
    fields.clear();
    for (size_t i = 0; i < r.field_count; ++i) {
        const auto& [name, value] = fields_[r.first_field + i];
        fields.push_back({view(name), view(value)});
    }
    Record out;
    out.parser = view(r.parser);
    out.path = view(r.path);
    out.line = r.line;
    out.line_count = r.line_count;
    out.offset = r.offset;
    out.time_ms = r.time_ms;
    out.time_is_utc = r.time_is_utc;
    out.level = r.level;
    out.text = view(r.text);
    out.raw = view(r.raw);
    out.fields = fields;
    out.segment = r.segment;
    return out;
}

}  // namespace extriage
