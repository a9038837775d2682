// Analysis driver.
#include "app/analyze.hpp"

#include "app/builds.hpp"

#include <algorithm>
#include <exception>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "app/bundle.hpp"
#include "engine/prematch_pipeline.hpp"

namespace extriage {

unsigned threads_or_cores(unsigned requested) {
    return requested ? requested : std::max(1u, std::thread::hardware_concurrency());
}

AnalysisResult analyze_inputs(const std::vector<InputFile>& inputs, const RuleSet& rules, DiagSink& diags,
                              const CorrelateOptions& correlate, unsigned threads) {
    AnalysisResult result;
    Engine engine(rules, diags);
    // With cores to spare, the set matching runs on more threads (same findings either way).
    std::optional<PrematchPipeline> pipeline;
    if (threads > 1) pipeline.emplace(rules, engine, threads - 1);
    RecordSink& into_engine = pipeline ? static_cast<RecordSink&>(*pipeline) : engine;
    for (const auto& input : inputs) {
        size_t diags_before = diags.size();
        uint64_t records_before = engine.records_seen();
        ServerProbe probe(into_engine);   // notes the server the records name, for inputs whose path does not
        ParseOptions parse_options;
        parse_options.threads = threads;
        try {
            auto source = input.open();
            input.parser->parse_with(*source, input.display_path, probe, diags, parse_options);
        } catch (const InputError& e) {
            diags.error_at_line(input.display_path, 0, e.what(), std::string(input.parser->name()));
            // The parser may have stopped mid-file: close the file so its findings still count.
            into_engine.on_file_end(input.display_path);
        } catch (const std::bad_alloc&) {
            diags.error_at_line(input.display_path, 0, "out of memory while parsing this file", std::string(input.parser->name()));
            into_engine.on_file_end(input.display_path);
        } catch (const std::exception& e) {
            // Resources rather than data (no thread to be had, a broken pipe): this file stops,
            // the other inputs are still read.
            diags.error_at_line(input.display_path, 0, fmt::format("stopped reading this file: {}", e.what()),
                                std::string(input.parser->name()));
            into_engine.on_file_end(input.display_path);
        }
        result.files.push_back({input.display_path, std::string(input.parser->name()),
                                engine.records_seen() - records_before, diags.size() - diags_before,
                                input.server.empty() ? probe.server() : input.server});
    }
    result.runs = std::move(engine.segments());
    result.findings = std::move(engine.findings());
    std::stable_sort(result.findings.begin(), result.findings.end(), [](const Finding& a, const Finding& b) {
        uint64_t la = a.evidence.empty() ? 0 : a.evidence.front().line;
        uint64_t lb = b.evidence.empty() ? 0 : b.evidence.front().line;
        uint64_t oa = a.evidence.empty() ? 0 : a.evidence.front().offset;
        uint64_t ob = b.evidence.empty() ? 0 : b.evidence.front().offset;
        return std::tie(a.path, a.segment, la, oa, a.rule_id) < std::tie(b.path, b.segment, lb, ob, b.rule_id);
    });
    correlate_findings(result, correlate);
    return result;
}

AnalysisResult analyze_paths(const std::vector<std::string>& paths, const RuleSet& rules, DiagSink& diags,
                             const AnalyzeOptions& options) {
    DiscoverStats stats;
    auto inputs = discover_inputs(paths, options.discover, diags, stats);
    AnalysisResult result = analyze_inputs(inputs, rules, diags, options.correlate, threads_or_cores(options.threads));
    result.discover = stats;
    if (options.version_advice) {
        // The table is data shipped with the rules; load it once per process (batch workers share it).
        static std::string table_error;
        static const std::optional<BuildTable> table = BuildTable::load(BuildTable::default_path(), table_error);
        if (table) {
            auto today = options.today.empty() ? std::optional<Date>(system_today()) : parse_iso_date(options.today);
            if (today) add_version_advice(result, *table, *today);
        } else {
            diags.warning_at_line(BuildTable::default_path(), 0,
                                  "build table not loaded, no version advice: " + table_error, "versions");
        }
    }
    return result;
}

}  // namespace extriage
