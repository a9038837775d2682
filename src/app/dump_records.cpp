// A RecordSink that prints every record and segment in a stable text form.
#include "app/dump_records.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "inputs/discover.hpp"
#include "report/report.hpp"
#include "terminal_text.hpp"

namespace extriage {

namespace {

std::string escape(std::string_view s) { return escape_for_terminal(s); }

// Writes each record as soon as it arrives: a 200 MB log must not be held in memory as text.
class DumpSink final : public RecordSink {
public:
    explicit DumpSink(std::FILE* to) : to_(to) {}
    std::string out;   // the text of the current callback, written and cleared by flush()
    void flush() {
        if (!out.empty()) std::fwrite(out.data(), 1, out.size(), to_);
        out.clear();
    }
    void on_file_begin(std::string_view path, std::string_view parser) override {
        out += fmt::format("file {} parser {}\n", escape(path), parser);
        flush();
    }
    void on_record(const Record& r) override {
        std::string where = r.line ? fmt::format("line {}+{}", r.line, r.line_count - 1) : fmt::format("offset {}", r.offset);
        out += fmt::format("record {} seg={} level={} time={}\n", where, r.segment, level_name(r.level),
                           format_time(r.time_ms, r.time_is_utc, true));
        out += fmt::format("  text: {}\n", escape(r.text));
        for (const auto& f : r.fields) out += fmt::format("  {}: {}\n", f.name, escape(f.value));
        flush();
    }
    void on_segment_end(const Segment& s) override {
        out += fmt::format("segment {} kind={} lines {}-{} outcome={} start={} end={}\n", s.index, s.kind, s.first_line,
                           s.last_line, s.outcome, format_time(s.start_ms, s.time_is_utc, true),
                           format_time(s.end_ms, s.time_is_utc, true));
        for (const auto& [k, v] : s.facts) out += fmt::format("  fact {}: {}\n", k, escape(v));
        if (s.last_error) {
            out += fmt::format("  last_error line {}: {}\n", s.last_error->line, escape(s.last_error->text));
            for (const auto& c : s.error_context) out += fmt::format("    context line {}: {}\n", c.line, escape(c.text));
        }
        flush();
    }
    void on_file_end(std::string_view path) override {
        out += fmt::format("end {}\n", path);
        flush();
    }

private:
    std::FILE* to_;
};

}  // namespace

void dump_records(const std::string& path, const std::string& parser_name, DiagSink& diags, std::FILE* to) {
    DiscoverStats stats;
    DiscoverOptions options;
    options.force_parser = parser_name;
    DumpSink sink(to);
    for (const auto& input : discover_inputs({path}, options, diags, stats)) {
        try {
            auto source = input.open();
            input.parser->parse(*source, input.display_path, sink, diags);
        } catch (const InputError& e) {
            diags.error_at_line(input.display_path, 0, e.what(), std::string(input.parser->name()));
        }
    }
    std::fflush(to);
}

}  // namespace extriage
