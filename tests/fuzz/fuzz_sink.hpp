// A RecordSink for fuzz targets that reads every byte a parser hands out (so ASan sees views
// that dangle or point past their buffer) and checks the invariants the engine relies on.
// Used by the libFuzzer targets in this folder only; the real consumer is engine/engine.cpp.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "record.hpp"

namespace extriage::fuzz {

class TouchingSink final : public RecordSink {
public:
    void on_file_begin(std::string_view path, std::string_view parser) override {
        touch(path);
        touch(parser);
        if (in_file_) std::abort();   // files are not nested
        in_file_ = true;
    }
    void on_record(const Record& r) override {
        if (!in_file_) std::abort();   // records only between on_file_begin and on_file_end
        touch(r.parser);
        touch(r.path);
        touch(r.text);
        touch(r.raw);
        for (const Field& f : r.fields) {
            touch(f.name);
            touch(f.value);
        }
        touch(r.field("text"));
        touch(r.field("line"));
        touch(r.field("tag"));
        acc_ += r.line + r.line_count + r.offset + static_cast<uint64_t>(r.time_ms) + static_cast<uint64_t>(r.level) +
                static_cast<uint64_t>(r.segment);
        ++records_;
    }
    void on_segment_end(const Segment& s) override {
        touch(s.path);
        touch(s.parser);
        touch(s.kind);
        touch(s.outcome);
        for (const auto& [k, v] : s.facts) {
            touch(k);
            touch(v);
        }
        if (s.last_error) touch(s.last_error->text);
        for (const auto& c : s.error_context) touch(c.text);
        acc_ += s.first_line + s.last_line + static_cast<uint64_t>(s.index);
    }
    void on_file_end(std::string_view path) override {
        touch(path);
        in_file_ = false;
    }

    uint64_t checksum() const { return acc_; }
    uint64_t records() const { return records_; }

private:
    void touch(std::string_view s) {
        for (char c : s) acc_ = acc_ * 131 + static_cast<unsigned char>(c);
    }
    uint64_t acc_ = 0;
    uint64_t records_ = 0;
    bool in_file_ = false;
};

}  // namespace extriage::fuzz
