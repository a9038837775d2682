// Test helpers for the event parsers (evtx-binary, event-xml, event-clixml): a copy of each
// emitted record that outlives the parser's buffers, a sink that collects them, and a byte source
// that hands out a few bytes at a time (with or without a known size).
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "byte_source.hpp"
#include "parser.hpp"

namespace extriage::testutil {

struct EventRec {
    std::string parser, path, text, raw;
    uint64_t line = 0, line_count = 0, offset = 0;
    int64_t time_ms = kNoTime;
    bool utc = false;
    Level level = Level::info;
    std::vector<std::pair<std::string, std::string>> fields;

    std::string field(std::string_view name) const {
        for (const auto& [k, v] : fields)
            if (k == name) return v;
        return "<absent>";
    }
    std::vector<std::string> all(std::string_view name) const {
        std::vector<std::string> out;
        for (const auto& [k, v] : fields)
            if (k == name) out.push_back(v);
        return out;
    }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto& [k, v] : fields) out.push_back(k);
        return out;
    }
};

// Collects copies of the records. A non-empty `file_parser` is checked at on_file_begin, a
// non-empty `record_parser` on every record.
class EventCollect final : public RecordSink {
public:
    explicit EventCollect(std::string_view file_parser = {}, std::string_view record_parser = {})
        : file_parser_(file_parser), record_parser_(record_parser) {}

    std::vector<EventRec> records;
    int begins = 0, ends = 0, segments = 0;

    void on_file_begin(std::string_view, std::string_view parser) override {
        ++begins;
        if (!file_parser_.empty()) CHECK(parser == file_parser_);
    }
    void on_record(const Record& r) override {
        if (!record_parser_.empty()) CHECK(r.parser == record_parser_);
        EventRec c;
        c.parser = r.parser;
        c.path = r.path;
        c.text = r.text;
        c.raw = r.raw;
        c.line = r.line;
        c.line_count = r.line_count;
        c.offset = r.offset;
        c.time_ms = r.time_ms;
        c.utc = r.time_is_utc;
        c.level = r.level;
        for (const Field& f : r.fields) c.fields.emplace_back(f.name, f.value);
        records.push_back(std::move(c));
    }
    void on_segment_end(const Segment&) override { ++segments; }
    void on_file_end(std::string_view) override { ++ends; }

private:
    std::string file_parser_, record_parser_;
};

// Hands out the input `step` bytes at a time, so every read-boundary case is hit; without a known
// size it stands for a stream such as a zip member.
class TrickleSource final : public ByteSource {
public:
    TrickleSource(std::string_view data, size_t step, bool size_known = true)
        : data_(data), step_(step), size_known_(size_known) {}
    size_t read(char* buffer, size_t n) override {
        const size_t k = std::min({n, step_, data_.size() - pos_});
        std::copy_n(data_.data() + pos_, k, buffer);
        pos_ += k;
        return k;
    }
    std::optional<uint64_t> size() const override {
        return size_known_ ? std::optional<uint64_t>(data_.size()) : std::nullopt;
    }

private:
    std::string_view data_;
    size_t step_, pos_ = 0;
    bool size_known_;
};

}  // namespace extriage::testutil
