// RecordBatch keeps records intact; PrematchPipeline gives the engine exactly what it would have
// found alone, whatever the batch and chunk sizes, on every sample and corpus log.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "app/analyze.hpp"
#include "engine/prematch_pipeline.hpp"
#include "record_batch.hpp"
#include "report/report.hpp"
#include "shipped_rules.hpp"

using namespace extriage;
namespace fs = std::filesystem;

TEST_CASE("record batch: records and segments come back in order, with every field") {
    RecordBatch batch;
    const std::string raw = "[01/01/2025 08:00:00.0030] [0] Starting setup";
    const std::string joined = "Starting setup\ncontinued";   // not a part of raw: stored apart
    std::vector<Field> fields{{"service", "MSExchangeIS"}, {"action", "stop"}};
    Record a;
    a.parser = "exchange-setup";
    a.path = "a.log";
    a.line = 7;
    a.line_count = 2;
    a.offset = 123;
    a.time_ms = 42;
    a.level = Level::error;
    a.raw = raw;
    a.text = joined;
    a.fields = fields;
    a.segment = 3;
    Record b = a;
    b.text = std::string_view(raw).substr(31);   // inside raw: shares its copy
    b.fields = {};
    b.time_is_utc = true;
    batch.add(a);
    Segment s;
    s.index = 3;
    s.outcome = "failed";
    batch.add(s);
    batch.add(b);

    REQUIRE(batch.events().size() == 3);
    CHECK_FALSE(batch.events()[0].is_segment);
    CHECK(batch.events()[1].is_segment);
    CHECK(batch.segment(batch.events()[1].index).outcome == "failed");
    std::vector<Field> scratch;
    Record a2 = batch.record(0, scratch);
    CHECK(a2.parser == "exchange-setup");
    CHECK(a2.path == "a.log");
    CHECK(a2.line == 7);
    CHECK(a2.line_count == 2);
    CHECK(a2.offset == 123);
    CHECK(a2.time_ms == 42);
    CHECK(a2.level == Level::error);
    CHECK(a2.raw == raw);
    CHECK(a2.text == joined);
    CHECK(a2.segment == 3);
    REQUIRE(a2.fields.size() == 2);
    CHECK(a2.field("action") == "stop");
    Record b2 = batch.record(1, scratch);
    CHECK(b2.text == "Starting setup");
    CHECK(b2.time_is_utc);
    CHECK(b2.fields.empty());
    // parser, path and raw once for a, raw once for b; b's text and repeated names are shared.
    CHECK(batch.text_bytes() == 14 + 5 + raw.size() + joined.size() + 7 + 12 + 6 + 4 + raw.size());
    batch.clear();
    CHECK(batch.empty());
    CHECK(batch.text_bytes() == 0);
}

namespace {

using testutil::shipped_rules;

// The JSON report of one input, analysed by the engine alone or through a pipeline.
std::string analyse(const InputFile& input, const PrematchLimits* limits, unsigned workers = 1) {
    DiagSink diags;
    Engine engine(shipped_rules(), diags);
    {
        std::optional<PrematchPipeline> pipeline;
        if (limits) pipeline.emplace(shipped_rules(), engine, workers, *limits);
        RecordSink& sink = pipeline ? static_cast<RecordSink&>(*pipeline) : engine;
        auto source = input.open();
        try {
            input.parser->parse(*source, input.display_path, sink, diags);
        } catch (const InputError&) {
            sink.on_file_end(input.display_path);
        }
    }
    AnalysisResult result;
    result.runs = std::move(engine.segments());
    result.findings = std::move(engine.findings());
    ReportOptions options;
    options.all_runs = true;
    return render_json(result, diags.snapshot(), options) + "\nrecords: " + std::to_string(engine.records_seen());
}

std::vector<InputFile> inputs_under(const fs::path& dir) {
    std::vector<InputFile> all;
    if (!fs::is_directory(dir)) return all;
    DiagSink diags;
    DiscoverStats stats;
    all = discover_inputs({dir.string()}, {}, diags, stats);
    return all;
}

}  // namespace

TEST_CASE("prematch pipeline: the same findings as the engine alone, for any batch and chunk size") {
    std::vector<InputFile> inputs = inputs_under(fs::path(EXTRIAGE_TEST_SOURCE_DIR) / "samples");
    for (const auto& corpus_input : inputs_under(fs::path(EXTRIAGE_TEST_SOURCE_DIR) / ".." / "shared" / "corpus"))
        inputs.push_back(corpus_input);
    REQUIRE(inputs.size() > 10);
    const std::vector<PrematchLimits> shapes{
        {},                                 // the defaults
        {1, 1, 1, 1},                       // every record its own batch
        {64, 3, 1, 2},                      // tiny batches, a chunk split across records
        {4096, 100, 3, 7},                  // several batches in flight
    };
    for (const InputFile& input : inputs) {
        CAPTURE(input.display_path);
        const std::string alone = analyse(input, nullptr);
        for (const PrematchLimits& shape : shapes) {
            CAPTURE(shape.batch_records);
            CHECK(analyse(input, &shape) == alone);
            CHECK(analyse(input, &shape, 3) == alone);
        }
    }
}

TEST_CASE("prematch pipeline: a file closed early (parser error) still gets its records matched") {
    DiagSink diags;
    Engine direct(shipped_rules(), diags), piped(shipped_rules(), diags);
    PrematchPipeline pipeline(shipped_rules(), piped, 1, {256, 2, 2, 1});
    for (RecordSink* sink : {static_cast<RecordSink*>(&direct), static_cast<RecordSink*>(&pipeline)}) {
        sink->on_file_begin("x.log", "exchange-setup");
        Record r;
        r.parser = "exchange-setup";
        r.path = "x.log";
        r.segment = 0;
        const std::vector<std::string> lines{
            "[11/12/2024 10:00:00.0000] [0] Starting Microsoft Exchange Server 2019 Cumulative Update 14 Setup",
            "[11/12/2024 10:00:01.0000] [1] [ERROR] The following service is disabled: MSExchangeADTopology",
            "[11/12/2024 10:00:02.0000] [1] [ERROR] Service 'MSExchangeADTopology' is disabled on this server."};
        for (size_t i = 0; i < lines.size(); ++i) {
            r.line = i + 1;
            r.raw = lines[i];
            r.text = std::string_view(lines[i]).substr(31);
            r.level = i ? Level::error : Level::info;
            sink->on_record(r);
        }
        sink->on_file_end("x.log");   // as analyze does when the parser throws: no segment end
    }
    CHECK(piped.records_seen() == 3);
    REQUIRE(direct.findings().size() == piped.findings().size());
    for (size_t i = 0; i < direct.findings().size(); ++i) CHECK(direct.findings()[i].rule_id == piped.findings()[i].rule_id);
}
