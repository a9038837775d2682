// Timeline building: a tap between each parser and the engine keeps the timeline-worthy records
// (events at warning or above, other logs' errors) as small entries, capped; runs, findings and
// the records the findings point at are added once the analysis is done.
#include "app/timeline.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "text_util.hpp"

namespace extriage {

namespace {

constexpr size_t kEntryTextMax = 300;

std::string one_line(std::string_view s) { return extriage::one_line(s, kEntryTextMax); }

int kind_rank(TimelineEntry::Kind k) {
    using K = TimelineEntry::Kind;
    switch (k) {
        case K::run_start: return 0;
        case K::error: return 1;
        case K::event: return 2;
        case K::match: return 3;
        case K::finding: return 4;
        case K::run_end: return 5;
    }
    return 6;
}

class Collector {
public:
    Collector(std::vector<TimelineEntry>& entries, size_t cap) : entries_(entries), cap_(cap) {}

    void take(const Record& r) {
        const bool event = is_event_parser(r.parser);
        if (r.level < (event ? Level::warning : Level::error)) return;
        if (taken_ >= cap_) {
            ++dropped_;
            return;
        }
        ++taken_;
        TimelineEntry e;
        e.kind = event ? TimelineEntry::Kind::event : TimelineEntry::Kind::error;
        e.time_ms = r.time_ms;
        e.time_is_utc = r.time_is_utc;
        e.level = r.level;
        e.path = std::string(r.path);
        e.line = r.line;
        e.offset = r.offset;
        e.parser = std::string(r.parser);
        e.run = r.segment;
        if (event) {
            e.text = one_line(fmt::format("{} {}: {}", r.field("provider"), r.field("event_id"), r.text));
        } else {
            std::string_view t = r.text;
            e.text = one_line(t.substr(0, t.find('\n')));
        }
        entries_.push_back(std::move(e));
    }

    uint64_t dropped() const { return dropped_; }

private:
    std::vector<TimelineEntry>& entries_;
    size_t cap_;
    size_t taken_ = 0;
    uint64_t dropped_ = 0;
};

class TapSink final : public RecordSink {
public:
    TapSink(RecordSink& next, Collector& collector) : next_(next), collector_(collector) {}
    void on_file_begin(std::string_view path, std::string_view parser) override { next_.on_file_begin(path, parser); }
    void on_record(const Record& record) override {
        collector_.take(record);
        next_.on_record(record);
    }
    void on_segment_end(const Segment& segment) override { next_.on_segment_end(segment); }
    void on_file_end(std::string_view path) override { next_.on_file_end(path); }

private:
    RecordSink& next_;
    Collector& collector_;
};

// Stands in for a parser so analyze_inputs runs unchanged while the timeline sees its records.
class TapParser final : public Parser {
public:
    TapParser(const Parser& inner, Collector& collector) : inner_(inner), collector_(collector) {}
    std::string_view name() const override { return inner_.name(); }
    bool sniff(const SniffInput& in) const override { return inner_.sniff(in); }
    void parse(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags) const override {
        TapSink tap(sink, collector_);
        inner_.parse(source, path, tap, diags);
    }

private:
    const Parser& inner_;
    Collector& collector_;
};

std::string run_label(const Segment& s) {
    if (s.kind == "setup-run") return fmt::format("Setup run {}", s.index + 1);
    if (s.kind == "msi-session") return fmt::format("MSI session {}", s.index + 1);
    if (s.kind == "service-control") return fmt::format("ServiceControl run {}", s.index + 1);
    return fmt::format("{} {}", s.kind, s.index + 1);
}

void add_runs(const AnalysisResult& result, std::vector<TimelineEntry>& out) {
    for (const Segment& s : result.runs) {
        TimelineEntry start;
        start.kind = TimelineEntry::Kind::run_start;
        start.time_ms = s.start_ms;
        start.time_is_utc = s.time_is_utc;
        start.path = s.path;
        start.line = s.first_line;
        start.parser = s.parser;
        start.run = s.index;
        std::string details;
        for (const char* key : {"product", "mode", "setup_version", "product_name", "product_version", "user"})
            if (const std::string* v = s.fact(key); v && !v->empty())
                details += fmt::format("{}{} {}", details.empty() ? "" : ", ", key, *v);
        start.text = one_line(fmt::format("{} started{}{}", run_label(s), details.empty() ? "" : ": ", details));
        out.push_back(start);

        TimelineEntry end = start;
        end.kind = TimelineEntry::Kind::run_end;
        end.time_ms = s.end_ms;
        end.line = s.last_line;
        end.outcome = s.outcome.empty() ? "unknown" : s.outcome;
        end.level = s.outcome == "failed" ? Level::error : s.outcome == "succeeded" ? Level::info : Level::warning;
        std::string upper = end.outcome;
        std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        end.text = fmt::format("{} ended: {}", run_label(s), upper);
        if (s.last_error) end.text += fmt::format(" (last error, line {}: {})", s.last_error->line, s.last_error->text);
        end.text = one_line(end.text);
        out.push_back(std::move(end));
    }
}

void add_findings(const AnalysisResult& result, std::vector<TimelineEntry>& out) {
    std::set<std::tuple<std::string, uint64_t, uint64_t>> seen;
    for (const auto& e : out) seen.emplace(e.path, e.line, e.offset);
    std::map<std::string, std::string> parser_of;
    for (const auto& f : result.files) parser_of[f.path] = f.parser;
    for (const Finding& f : result.findings) {
        const Evidence* first = nullptr;
        for (const Evidence& ev : f.evidence) {
            if (ev.time_ms != kNoTime && (!first || first->time_ms == kNoTime || ev.time_ms < first->time_ms)) first = &ev;
            if (!first) first = &ev;
            if (!seen.emplace(ev.path, ev.line, ev.offset).second) continue;
            TimelineEntry m;
            m.kind = TimelineEntry::Kind::match;
            m.time_ms = ev.time_ms;
            m.time_is_utc = ev.time_is_utc;
            m.level = f.severity;
            m.path = ev.path;
            m.line = ev.line;
            m.offset = ev.offset;
            m.parser = parser_of[ev.path];
            m.text = one_line(ev.text);
            m.rule_id = f.rule_id;
            out.push_back(std::move(m));
        }
        TimelineEntry e;
        e.kind = TimelineEntry::Kind::finding;
        e.level = f.severity;
        e.path = f.path;
        e.parser = parser_of[f.path];
        e.rule_id = f.rule_id;
        e.run = f.segment;
        e.related_run = f.related_run;
        if (first) {
            e.time_ms = first->time_ms;
            e.time_is_utc = first->time_is_utc;
            e.line = first->line;
            e.offset = first->offset;
        }
        e.text = one_line(f.count > 1 ? fmt::format("{} ({} occurrences)", f.message, f.count) : f.message);
        out.push_back(std::move(e));
    }
}

}  // namespace

bool timeline_before(const TimelineEntry& a, const TimelineEntry& b) {
    const bool ua = a.time_ms == kNoTime, ub = b.time_ms == kNoTime;
    return std::make_tuple(ua, a.time_ms, std::cref(a.path), a.line, a.offset, kind_rank(a.kind), std::cref(a.rule_id),
                           std::cref(a.text)) <
           std::make_tuple(ub, b.time_ms, std::cref(b.path), b.line, b.offset, kind_rank(b.kind), std::cref(b.rule_id),
                           std::cref(b.text));
}

Timeline build_timeline_from_inputs(std::vector<InputFile> inputs, const RuleSet& rules, DiagSink& diags,
                                    const TimelineOptions& options) {
    Timeline tl;
    tl.max_entries = options.max_entries;
    Collector collector(tl.entries, options.max_entries);
    std::map<const Parser*, std::unique_ptr<TapParser>> taps;
    for (auto& in : inputs) {
        auto& tap = taps[in.parser];
        if (!tap) tap = std::make_unique<TapParser>(*in.parser, collector);
        in.parser = tap.get();
    }
    tl.analysis = analyze_inputs(inputs, rules, diags, options.analyze.correlate, threads_or_cores(options.analyze.threads));
    tl.dropped = collector.dropped();
    add_runs(tl.analysis, tl.entries);
    add_findings(tl.analysis, tl.entries);
    std::stable_sort(tl.entries.begin(), tl.entries.end(), timeline_before);
    return tl;
}

Timeline build_timeline(const std::vector<std::string>& paths, const RuleSet& rules, DiagSink& diags,
                        const TimelineOptions& options) {
    DiscoverStats stats;
    auto inputs = discover_inputs(paths, options.analyze.discover, diags, stats);
    Timeline tl = build_timeline_from_inputs(std::move(inputs), rules, diags, options);
    tl.analysis.discover = stats;
    require_readable_input(paths, tl.analysis, diags);
    return tl;
}

}  // namespace extriage
