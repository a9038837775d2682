// Test helpers for the update-log parsers (msi-log, exchange-service-control,
// exchange-update-text, ldif-err): run a parser over bytes or a file and keep copies of
// everything it emits.
#pragma once

#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "byte_source.hpp"
#include "civil_time.hpp"   // civil_ms() for expected times
#include "parser.hpp"

namespace extriage::testutil {

struct Rec {
    uint64_t line = 0;
    uint64_t line_count = 0;
    uint64_t offset = 0;
    int64_t time_ms = kNoTime;
    Level level = Level::info;
    std::string text;
    std::string raw;
    std::map<std::string, std::string> fields;
    int segment = -1;

    std::string field(const std::string& name) const {
        auto it = fields.find(name);
        return it == fields.end() ? std::string() : it->second;
    }
    bool has(const std::string& name) const { return fields.count(name) != 0; }
};

class CollectSink final : public RecordSink {
public:
    explicit CollectSink(std::string parser) : parser_(std::move(parser)) {}
    std::vector<Rec> records;
    std::vector<Segment> segments;
    int begins = 0, ends = 0;

    void on_file_begin(std::string_view, std::string_view parser) override {
        ++begins;
        CHECK(parser == parser_);
    }
    void on_record(const Record& r) override {
        Rec c;
        c.line = r.line;
        c.line_count = r.line_count;
        c.offset = r.offset;
        c.time_ms = r.time_ms;
        c.level = r.level;
        c.text = r.text;
        c.raw = r.raw;
        for (const Field& f : r.fields) c.fields[std::string(f.name)] = std::string(f.value);
        c.segment = r.segment;
        CHECK(r.parser == parser_);
        records.push_back(std::move(c));
    }
    void on_segment_end(const Segment& s) override { segments.push_back(s); }
    void on_file_end(std::string_view) override { ++ends; }

private:
    std::string parser_;
};

struct Parsed {
    explicit Parsed(const std::string& parser) : sink(parser) {}
    CollectSink sink;
    std::vector<Diagnostic> diags;

    size_t errors() const {
        size_t n = 0;
        for (const auto& d : diags) n += d.severity == DiagSeverity::error;
        return n;
    }
    const Rec* find(std::string_view text_part) const {
        for (const auto& r : sink.records)
            if (r.text.find(text_part) != std::string::npos) return &r;
        return nullptr;
    }
};

inline const Parser& parser_named(const std::string& name) {
    const Parser* p = find_parser(name);
    REQUIRE(p != nullptr);
    return *p;
}

inline std::unique_ptr<Parsed> parse_with(const std::string& parser, std::string_view bytes,
                                          const std::string& path = "test.log") {
    auto out = std::make_unique<Parsed>(parser);
    MemorySource src(bytes);
    DiagSink diags;
    parser_named(parser).parse(src, path, out->sink, diags);
    out->diags = diags.snapshot();
    CHECK(out->sink.begins == 1);
    CHECK(out->sink.ends == 1);
    return out;
}

inline std::unique_ptr<Parsed> parse_file_with(const std::string& parser, const std::string& path) {
    auto out = std::make_unique<Parsed>(parser);
    FileSource src(path);
    DiagSink diags;
    parser_named(parser).parse(src, path, out->sink, diags);
    out->diags = diags.snapshot();
    return out;
}

inline std::string fact(const Segment& s, std::string_view name) {
    const std::string* v = s.fact(name);
    return v ? *v : std::string("<unset>");
}

// Which parser content sniffing picks for a head (and an optional file name).
inline std::string sniffed(std::string_view head, std::string_view file_name = "x.log") {
    SniffInput in{head, head, file_name};
    const Parser* p = sniff_parser(in);
    return p ? std::string(p->name()) : std::string("<none>");
}

inline std::string utf16le_with_bom(std::string_view ascii) {
    std::string out("\xFF\xFE", 2);
    for (char c : ascii) {
        out.push_back(c);
        out.push_back('\0');
    }
    return out;
}

}  // namespace extriage::testutil
