// Analysis driver.
#include "app/analyze.hpp"

#include "memory_reserve.hpp"
#include "advice/builds.hpp"
#include "advice/knowledge.hpp"

#include <algorithm>
#include <exception>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "advice/coverage.hpp"
#include "advice/fold.hpp"
#include "advice/outcome.hpp"
#include "advice/shipped_data.hpp"
#include "civil_time.hpp"
#include "memory_reserve.hpp"
#include "inputs/bundle.hpp"
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
        size_t kept_before = diags.kept();
        uint64_t records_before = engine.records_seen();
        ServerProbe probe(into_engine);   // notes the server the records name, for inputs whose path does not
        ParseOptions parse_options;
        parse_options.threads = threads;
        try {
            auto source = input.open();
            input.parser->parse_with(*source, input.display_path, probe, diags, parse_options);
            check_memory_reserve();
        } catch (const InputError& e) {
            diags.error_at_line(input.display_path, 0, e.what(), std::string(input.parser->name()));
            // The parser may have stopped mid-file: close the file so its findings still count.
            into_engine.on_file_end(input.display_path);
        } catch (const std::bad_alloc&) {
            // What the file held is freed by now; with no memory to set aside again, the run cannot go on.
            if (!rearm_memory_reserve()) throw;
            diags.error_at_line(input.display_path, 0, "out of memory while parsing this file", std::string(input.parser->name()));
            into_engine.on_file_end(input.display_path);
        } catch (const std::exception& e) {
            // Resources rather than data (no thread to be had, a broken pipe): this file stops,
            // the other inputs are still read.
            diags.error_at_line(input.display_path, 0, fmt::format("stopped reading this file: {}", e.what()),
                                std::string(input.parser->name()));
            into_engine.on_file_end(input.display_path);
        }
        const uint64_t records = engine.records_seen() - records_before;
        // A file that yielded records was read: a record or chunk skipped inside it is a warning,
        // not an input error. Only a file that yields nothing keeps its errors (exit code 2).
        if (records > 0) diags.downgrade_errors(kept_before, input.display_path);
        result.files.push_back({input.display_path, std::string(input.parser->name()), records,
                                diags.size() - diags_before, input.server.empty() ? probe.server() : input.server,
                                probe.channel(), probe.last_time_ms(), probe.last_time_is_utc()});
    }
    result.runs = std::move(engine.segments());
    result.findings = std::move(engine.findings());
    add_outcome_findings(result);
    sort_findings(result.findings);
    correlate_findings(result, correlate);
    fold_findings(result);
    add_coverage(result);
    return result;
}

void require_readable_input(const std::vector<std::string>& paths, const AnalysisResult& result, DiagSink& diags) {
    const auto reported = diags.snapshot();
    bool read = std::any_of(result.files.begin(), result.files.end(), [&](const FileSummary& f) {
        // A recognised file with no records and no error (an empty event log) was read too.
        return f.records > 0 || std::none_of(reported.begin(), reported.end(), [&](const Diagnostic& d) {
                   return d.severity == DiagSeverity::error && d.path == f.path;
               });
    });
    if (read) return;
    std::string where;
    for (const auto& p : paths) where += (where.empty() ? "" : ", ") + p;
    diags.error_at_line("", 0, fmt::format("no log extriage can read was found in {}", where), "discover");
}

void set_ages(AnalysisResult& result, const std::string& today_iso) {
    const auto today = today_iso.empty() ? std::optional<Date>(system_today()) : parse_iso_date(today_iso);
    if (!today) return;
    for (auto& f : result.files) {
        if (f.last_time_ms == kNoTime) continue;
        const int64_t day = f.last_time_ms >= 0 ? f.last_time_ms / 86400000 : (f.last_time_ms - 86399999) / 86400000;
        auto [y, m, d] = civil_from_days(day);
        f.age_days = days_between(Date{static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)}, *today);
    }
}

AnalysisResult analyze_paths(const std::vector<std::string>& paths, const RuleSet& rules, DiagSink& diags,
                             const AnalyzeOptions& options) {
    DiscoverStats stats;
    auto inputs = discover_inputs(paths, options.discover, diags, stats);
    AnalysisResult result = analyze_inputs(inputs, rules, diags, options.correlate, threads_or_cores(options.threads));
    result.discover = stats;
    require_readable_input(paths, result, diags);
    set_ages(result, options.today);
    if (options.version_advice) {
        // The tables are data shipped with the rules (the build table may come from --data DIR);
        // each is loaded once per process.
        std::string error, issues_error;
        const BuildIssueTable* issues = shipped_build_issues(issues_error);
        const BuildTable* table = build_table_for(options.data_dir, error);
        auto today = options.today.empty() ? std::optional<Date>(system_today()) : parse_iso_date(options.today);
        if (table) {
            if (today) add_version_advice(result, *table, *today, issues);
            if (today && options.warn_stale_table)
                if (auto stale = stale_table_warning(*table, *today))
                    diags.warning_at_line(build_table_display(options.data_dir), 0, *stale, "versions");
            if (!issues)
                diags.warning_at_line(shipped_data_path(kBuildIssueFile), 0,
                                      "build-issue table not loaded, no known-issue advice: " + issues_error, "versions");
        } else {
            diags.warning_at_line(build_table_display(options.data_dir), 0,
                                  "build table not loaded, no version advice: " + error, "versions");
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
