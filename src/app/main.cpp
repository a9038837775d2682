// extriage command line: analyze logs, test rules, dump parsed records.
// Exit codes: 0 no findings at/above --fail-on, 1 findings, 2 usage/rule/input errors.
#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/analyze.hpp"
#include "app/batch.hpp"
#include "app/dump_records.hpp"
#include "app/timeline.hpp"
#include "app/version.hpp"
#include "engine/rule_examples.hpp"
#include "engine/rule_loader.hpp"
#include "report/report.hpp"
#include "terminal_text.hpp"

using namespace extriage;

namespace {

constexpr int kExitFindings = 1;
constexpr int kExitError = 2;

// Writes all of `s` to stdout; a closed pipe (`| head`) is not an error.
bool write_stdout(const std::string& s) {
    size_t n = std::fwrite(s.data(), 1, s.size(), stdout);
    std::fflush(stdout);
    return n == s.size();
}

void print_diags(const std::vector<Diagnostic>& diags) {
    for (const auto& d : diags) std::fprintf(stderr, "%s\n", d.format().c_str());
}

std::unique_ptr<RuleSet> load_rule_set(const std::vector<std::string>& dirs, DiagSink& diags) {
    std::vector<std::string> paths = dirs.empty() ? std::vector<std::string>{default_rules_dir()} : dirs;
    auto rules = load_rules(paths, diags);
    return std::make_unique<RuleSet>(std::move(rules));
}

bool is_iso_date(const std::string& s) {
    return s.size() == 10 && s[4] == '-' && s[7] == '-' &&
           std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '-'; });
}

bool use_color(const std::string& mode) {
    if (mode == "always") return true;
    if (mode == "never") return false;
    return ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    CLI::App app{"extriage: explains why an Exchange Server setup, CU or SU install failed, and what to do."};
    app.set_version_flag("--version", std::string(tool_version()));
    app.require_subcommand(1);

    std::vector<std::string> rule_dirs;
    std::vector<std::string> paths;
    std::string format = "text";
    std::string fail_on = "error";
    std::string color = "auto";
    std::string min_severity = "info";
    std::string parser_name;
    bool all_runs = false;
    std::string today;

    auto* analyze = app.add_subcommand("analyze", "Analyze log files, folders or bundles and report findings");
    analyze->add_option("paths", paths, "Files or folders (e.g. C:\\ExchangeSetupLogs)")->required();
    analyze->add_option("--format", format, "Output format")->check(CLI::IsMember({"text", "json"}));
    analyze->add_option("--fail-on", fail_on, "Exit 1 when a finding has at least this severity")
        ->check(CLI::IsMember({"info", "warning", "error", "critical", "never"}));
    analyze->add_option("--min-severity", min_severity, "Hide findings below this severity")
        ->check(CLI::IsMember({"info", "warning", "error", "critical"}));
    analyze->add_option("--rules", rule_dirs, "Rule folder or file (repeatable; default: the bundled rules)");
    analyze->add_option("--color", color, "Colour output")->check(CLI::IsMember({"auto", "always", "never"}));
    analyze->add_option("--parser", parser_name, "Skip content sniffing and read every file with this parser");
    analyze->add_flag("--all-runs", all_runs, "Also report findings from earlier setup runs in the same log");
    unsigned threads = 0;
    const char* threads_help = "Threads for one analysis: with 2 or more, rules are matched on the others while one reads "
                               "the logs (default: the core count; 1: one thread)";
    analyze->add_option("--threads", threads, threads_help)->check(CLI::Range(1, 1024));

    // Caps on zip bundles (app/archive.hpp), shared by analyze and batch.
    std::string max_entry_size = "2GiB", max_total_size = "8GiB";
    int max_depth = 4;
    CLI::Validator size_check(
        [](std::string& s) { return parse_byte_size(s) ? std::string() : "expected a size such as 2G, 512M or 1048576"; },
        "SIZE");
    auto add_archive_options = [&](CLI::App* cmd) {
        cmd->add_option("--max-entry-size", max_entry_size, "Refuse archive members bigger than this decompressed")
            ->check(size_check)->capture_default_str();
        cmd->add_option("--max-total-size", max_total_size, "Stop reading an archive after this much decompressed data")
            ->check(size_check)->capture_default_str();
        cmd->add_option("--max-depth", max_depth, "Deepest nesting of zips in zips to open")
            ->check(CLI::Range(1, 32))->capture_default_str();
    };
    add_archive_options(analyze);

    std::string batch_format = "text";
    unsigned jobs = 0;
    auto* batch = app.add_subcommand("batch", "Triage many bundles (server zips or folders) in parallel, one row each");
    batch->add_option("paths", paths, "Bundles, or folders of bundles (e.g. C:\\MS_Logs_Collection)")->required();
    batch->add_option("--format", batch_format, "Output format")->check(CLI::IsMember({"text", "csv", "jsonl"}));
    batch->add_option("-j,--jobs", jobs, "Bundles analysed in parallel (default: hardware threads)")->check(CLI::Range(1, 1024));
    batch->add_option("--fail-on", fail_on, "Exit 1 when a finding has at least this severity")
        ->check(CLI::IsMember({"info", "warning", "error", "critical", "never"}));
    batch->add_option("--min-severity", min_severity, "Hide findings below this severity")
        ->check(CLI::IsMember({"info", "warning", "error", "critical"}));
    batch->add_option("--rules", rule_dirs, "Rule folder or file (repeatable; default: the bundled rules)");
    batch->add_option("--parser", parser_name, "Skip content sniffing and read every file with this parser");
    batch->add_flag("--all-runs", all_runs, "Also count findings from earlier setup runs in the same log");
    add_archive_options(batch);

    auto* rules_cmd = app.add_subcommand("rules", "Inspect and test the rule set");
    rules_cmd->require_subcommand(1);
    auto* rules_test = rules_cmd->add_subcommand("test", "Load every rule and check its embedded examples");
    rules_test->add_option("--rules", rule_dirs, "Rule folder or file (repeatable)");
    auto* rules_list = rules_cmd->add_subcommand("list", "List the rules");
    rules_list->add_option("--rules", rule_dirs, "Rule folder or file (repeatable)");

    std::string dump_path;
    auto* dump = app.add_subcommand("dump-records", "Print the normalized records of one file (parser debugging)");
    dump->add_option("path", dump_path, "Log file")->required();
    dump->add_option("--parser", parser_name, "Parser to use instead of sniffing");
    dump->group("");   // hidden: used by golden tests

    // timeline: setup runs, errors, events and findings of all inputs in one UTC view (app/timeline.hpp).
    int correlate_window = kDefaultCorrelateWindowMinutes;
    size_t max_entries = 100000;
    auto* timeline = app.add_subcommand("timeline", "One time-ordered view (UTC) of setup runs, errors, events and findings");
    timeline->add_option("paths", paths, "Files, folders or bundles")->required();
    timeline->add_option("--format", format, "Output format")->check(CLI::IsMember({"text", "json"}));
    timeline->add_option("--rules", rule_dirs, "Rule folder or file (repeatable; default: the bundled rules)");
    timeline->add_option("--parser", parser_name, "Skip content sniffing and read every file with this parser");
    timeline->add_option("--threads", threads, threads_help)->check(CLI::Range(1, 1024));
    timeline->add_option("--max-entries", max_entries, "Keep at most this many log records in the timeline")
        ->check(CLI::Range(size_t{1}, size_t{100000000}))->capture_default_str();
    add_archive_options(timeline);
    for (auto* cmd : {analyze, batch, timeline})
        cmd->add_option("--today", today, "Date used for support-lifecycle advice (YYYY-MM-DD; default: the system date)")
            ->check(CLI::Validator([](std::string& s) { return is_iso_date(s) ? std::string() : std::string("expected YYYY-MM-DD"); }, "DATE"));
    for (auto* cmd : {analyze, timeline})
        cmd->add_option("--correlate-window", correlate_window,
                        "Minutes after a setup run ends during which event findings are still attached to it")
            ->check(CLI::Range(0, 10080))->capture_default_str();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : kExitError;
    }

    try {
        if (*dump) {
            DiagSink diags;
            std::string out = dump_records(dump_path, parser_name, diags);
            write_stdout(out);
            print_diags(diags.snapshot());
            return diags.error_count() ? kExitError : 0;
        }

        DiagSink rule_diags;
        auto rules = load_rule_set(rule_dirs, rule_diags);
        if (*rules_cmd) {
            if (*rules_list) {
                std::string out;
                for (const auto& r : rules->rules())
                    out += fmt::format("{:<48} {:<8} {:<6} {}\n", r->id, level_name(r->severity), scope_name(r->scope), r->title);
                write_stdout(out);
            } else {
                auto [passed, failed] = check_all_examples(*rules, rule_diags);
                print_diags(rule_diags.snapshot());
                write_stdout(fmt::format("{} rules, {} examples: {} passed, {} failed\n", rules->rules().size(),
                                         passed + failed, passed, failed));
                return rule_diags.error_count() ? kExitError : 0;
            }
            print_diags(rule_diags.snapshot());
            return rule_diags.error_count() ? kExitError : 0;
        }

        // analyze
        if (rule_diags.error_count()) {
            print_diags(rule_diags.snapshot());
            std::fprintf(stderr, "extriage: %zu rule error(s); fix them or pass --rules\n", rule_diags.error_count());
            return kExitError;
        }
        if (!parser_name.empty() && !find_parser(parser_name)) {
            std::fprintf(stderr, "extriage: unknown parser '%s'\n", parser_name.c_str());
            return kExitError;
        }
        AnalyzeOptions aopts;
        aopts.discover.force_parser = parser_name;
        aopts.today = today;
        aopts.threads = threads;
        aopts.discover.archive.max_entry_size = *parse_byte_size(max_entry_size);
        aopts.discover.archive.max_total_size = *parse_byte_size(max_total_size);
        aopts.discover.archive.max_depth = max_depth;
        aopts.correlate.window_minutes = correlate_window;
        if (*timeline) {
            DiagSink diags;
            TimelineOptions topts;
            topts.analyze = aopts;
            topts.max_entries = max_entries;
            Timeline tl = build_timeline(paths, *rules, diags, topts);
            auto diag_list = diags.snapshot();
            write_stdout(format == "json" ? render_timeline_json(tl, diag_list) : render_timeline_text(tl, {}));
            print_diags(diag_list);
            return diags.error_count() ? kExitError : 0;
        }
        if (*batch) {
            BatchCommand cmd;
            cmd.paths = paths;
            cmd.options.analyze = aopts;
            cmd.options.jobs = jobs;
            cmd.options.progress = ::isatty(STDERR_FILENO) != 0;
            cmd.report.all_runs = all_runs;
            cmd.report.min_severity = *parse_level(min_severity);
            cmd.format = batch_format;
            cmd.fail_on = fail_on == "never" ? std::nullopt : parse_level(fail_on);
            return run_batch_command(cmd, *rules);
        }
        DiagSink diags;
        AnalysisResult result = analyze_paths(paths, *rules, diags, aopts);
        ReportOptions ropts;
        ropts.all_runs = all_runs;
        ropts.min_severity = *parse_level(min_severity);
        auto diag_list = diags.snapshot();
        if (format == "json") {
            write_stdout(render_json(result, diag_list, ropts));
            print_diags(diag_list);
        } else {
            ropts.color = use_color(color);
            write_stdout(render_text(result, {}, ropts));
            print_diags(diag_list);
        }
        if (diags.error_count()) return kExitError;
        if (fail_on != "never") {
            Level threshold = *parse_level(fail_on);
            for (const Finding* f : visible_findings(result, ropts))
                if (f->severity >= threshold) return kExitFindings;
        }
        return 0;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "extriage: error: out of memory while analysing the inputs or writing the report; "
                             "try fewer inputs at once\n");
        return kExitError;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "extriage: error: %s\n", escape_for_terminal(e.what()).c_str());
        return kExitError;
    }
}
