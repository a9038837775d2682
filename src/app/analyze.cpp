// Analysis driver.
#include "app/analyze.hpp"

#include <algorithm>
#include <exception>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "app/bundle.hpp"
#include "app/shipped_data.hpp"
#include "engine/prematch_pipeline.hpp"
#include "engine/state_facts.hpp"

namespace extriage {

unsigned threads_or_cores(unsigned requested) {
    return requested ? requested : std::max(1u, std::thread::hardware_concurrency());
}

// The server state that join rules read as {state.name}: a first, cheap pass over the state
// snapshots and HealthChecker exports among the inputs. It applies to the files in the same folder
// or bundle folder as the snapshot (and below); state from several servers joins nothing.
EngineOptions gather_state_facts(const std::vector<InputFile>& inputs, DiagSink& diags) {
    EngineOptions options;
    StateFactCollector state;
    DiagSink ignored;   // the main pass reports the problems of these files
    for (const auto& input : inputs) {
        if (!is_state_parser(input.parser->name())) continue;
        try {
            auto source = input.open();
            input.parser->parse(*source, input.display_path, state, ignored);
        } catch (const std::exception&) {
            continue;
        }
        const size_t cut = input.display_path.find_last_of("/\\!");
        options.state_scope.push_back(cut == std::string::npos ? std::string() : input.display_path.substr(0, cut + 1));
    }
    if (state.servers().size() > 1) {
        diags.warning_at_line("", 0, "state snapshots of several servers: rules that join logs and state are skipped", "state");
        return {};
    }
    options.state_facts = state.facts();
    return options;
}

AnalysisResult analyze_inputs(const std::vector<InputFile>& inputs, const RuleSet& rules, DiagSink& diags,
                              const CorrelateOptions& correlate, unsigned threads) {
    AnalysisResult result;
    Engine engine(rules, diags, gather_state_facts(inputs, diags));
    // With cores to spare, the set matching runs on more threads (same findings either way).
    std::optional<PrematchPipeline> pipeline;
    if (threads > 1) pipeline.emplace(rules, engine, threads - 1);
    RecordSink& into_engine = pipeline ? static_cast<RecordSink&>(*pipeline) : engine;
    for (const auto& input : inputs) {
        size_t diags_before = diags.size();
        uint64_t records_before = engine.records_seen();
        ServerProbe probe(into_engine);   // notes the server the records name, for inputs whose path does not
        try {
            auto source = input.open();
            input.parser->parse(*source, input.display_path, probe, diags);
        } catch (const InputError& e) {
            diags.error_at_line(input.display_path, 0, e.what(), std::string(input.parser->name()));
            // The parser may have stopped mid-file: close the file so its findings still count.
            into_engine.on_file_end(input.display_path);
        } catch (const std::bad_alloc&) {
            diags.error_at_line(input.display_path, 0, "out of memory while parsing this file", std::string(input.parser->name()));
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
        std::string error, issues_error;
        const BuildIssueTable* issues = shipped_build_issues(issues_error);
        if (const BuildTable* table = shipped_build_table(error)) {
            auto today = options.today.empty() ? std::optional<Date>(system_today()) : parse_iso_date(options.today);
            if (today) add_version_advice(result, *table, *today, issues);
            if (!issues)
                diags.warning_at_line(shipped_data_path(kBuildIssueFile), 0,
                                      "build-issue table not loaded, no known-issue advice: " + issues_error, "versions");
        } else {
            diags.warning_at_line(shipped_data_path(kBuildTableFile), 0, "build table not loaded, no version advice: " + error,
                                  "versions");
        }
    }
    if (options.decode_error_codes) {
        std::string error;
        if (const ErrorCodeTable* codes = shipped_error_codes(error)) {
            add_decoded_errors(result.findings, *codes);
        } else {
            diags.warning_at_line(shipped_data_path(kErrorCodeFile), 0, "error code table not loaded, codes not decoded: " + error,
                                  "error-codes");
        }
    }
    return result;
}

}  // namespace extriage
