// extriage command line: analyze logs, test rules, dump parsed records.
// Exit codes: 0 no findings at/above --fail-on, 1 findings, 2 usage/rule/input errors.
#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/analyze.hpp"
#include "app/state_commands.hpp"
#include "app/batch.hpp"
#include "app/report_output.hpp"
#include "advice/builds.hpp"
#include "app/dump_records.hpp"
#include "advice/knowledge.hpp"
#include "cli/suggest.hpp"
#include "resources/resources.hpp"
#include "app/timeline.hpp"
#include "model/version.hpp"
#include "engine/rule_examples.hpp"
#include "engine/rule_loader.hpp"
#include "platform/console.hpp"
#include "platform/files.hpp"
#include "platform/process.hpp"
#include "report/report.hpp"
#include "report/rules_list.hpp"
#include "memory_reserve.hpp"
#include "terminal_text.hpp"

using namespace extriage;

namespace {

constexpr int kExitFindings = 1;
constexpr int kExitError = 2;

// Writes all of `s` to stdout; a closed pipe (`| head`) is not an error.
bool write_stdout(std::string_view s) { return platform::write_text(stdout, s); }

// Closes a report's output; a failure (opening, writing or closing -o FILE) is reported on stderr.
bool finish_output(ReportOutput& out) {
    std::string error;
    if (out.finish(error)) return true;
    platform::write_text(stderr, "extriage: cannot write the report: " + error + "\n");
    return false;
}

// A report to -o FILE (or stdout when none was given).
bool write_output(const std::string& path, const std::string& report) {
    ReportOutput out(path);
    out.write(report);
    return finish_output(out);
}

void print_diags(const std::vector<Diagnostic>& diags) {
    std::string text;
    for (const auto& d : diags) text += d.format() + "\n";
    platform::write_text(stderr, text);
}

std::unique_ptr<RuleSet> load_rule_set(const std::vector<std::string>& dirs, DiagSink& diags) {
    auto rules = dirs.empty() ? load_default_rules(diags) : load_rules(dirs, diags);
    return std::make_unique<RuleSet>(std::move(rules));
}

// "2025-02-30" and "2025-13-01" are refused, not read as "no date" (which turned version advice off).
std::string check_date(std::string& s) {
    return parse_iso_date(s) ? std::string() : "expected a real date YYYY-MM-DD, got '" + s + "'";
}

std::string parser_names() {
    std::string out;
    for (const auto& p : parsers()) out += (out.empty() ? "" : ", ") + std::string(p->name());
    return out;
}

// A first argument that is neither an option nor a subcommand: name the closest subcommand.
bool unknown_subcommand(int argc, char** argv, const CLI::App& app) {
    if (argc < 2 || argv[1][0] == '-') return false;
    const std::string word = argv[1];
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); }))
        names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), word) != names.end() || word == "dump-records") return false;
    std::string hint = closest_word(word, names);
    std::fprintf(stderr, "extriage: unknown subcommand '%s'%s\nRun with --help for more information.\n", word.c_str(),
                 hint.empty() ? "" : ("; did you mean " + hint + "?").c_str());
    return true;
}

bool use_color(const std::string& mode) {
    if (mode == "never") return false;
    if (mode == "always") {
        platform::enable_colors(stdout);   // on a Windows console; elsewhere the escapes go out as they are
        return true;
    }
    return platform::is_console(stdout) && std::getenv("NO_COLOR") == nullptr && platform::enable_colors(stdout);
}

}  // namespace

int main(int argc, char** argv) {
#ifdef SIGPIPE
    std::signal(SIGPIPE, SIG_IGN);   // Windows has none: a write to a closed pipe just fails
#endif
    install_memory_reserve();   // out of memory becomes a clear error, not an abort (memory_reserve.hpp)
    CLI::App app{"extriage: explains why an Exchange Server setup, CU or SU install failed, and what to do."};
    app.allow_windows_style_options(false);   // CLI11's default on Windows: "/path" arguments would be taken as options
    app.require_subcommand(1);
    // -V/--version: the version, the rule count and how old the build table is.
    app.set_version_flag("-V,--version", [] {
        DiagSink diags;
        auto rules = load_rule_set({}, diags);
        std::string text = version_text(diags.error_count() ? nullptr : rules.get(), rules_origin().describe(), "",
                                        system_today()) +
                           data_summary();
        if (!text.empty() && text.back() == '\n') text.pop_back();
        return text;
    });

    std::vector<std::string> rule_dirs;
    std::vector<std::string> paths;
    std::string format = "text";
    std::string fail_on = "error";
    std::string color = "auto";
    std::string min_severity = "info";
    std::string parser_name;
    bool all_runs = false;
    bool brief = false;
    std::string today;
    std::string data_dir;
    const std::string parser_help = "Skip content sniffing and read every file with this parser (" + parser_names() + ")";

    auto* analyze = app.add_subcommand("analyze", "Analyze log files, folders or bundles and report findings");
    analyze->add_option("paths", paths, "Files or folders (e.g. C:\\ExchangeSetupLogs); - reads standard input")->required();
    analyze->add_option("--format", format, "Output format (html: one self-contained page; md: Markdown for tickets)")
        ->check(CLI::IsMember({"text", "json", "html", "md"}))->capture_default_str();
    analyze->add_option("--fail-on", fail_on, "Exit 1 when a finding has at least this severity")
        ->check(CLI::IsMember({"info", "warning", "error", "critical", "never"}))->capture_default_str();
    analyze->add_option("--min-severity", min_severity, "Hide findings below this severity")
        ->check(CLI::IsMember({"info", "warning", "error", "critical"}))->capture_default_str();
    analyze->add_option("--rules", rule_dirs, "Rule folder or file (repeatable; default: the bundled rules)");
    analyze->add_option("--color", color, "Colour output")->check(CLI::IsMember({"auto", "always", "never"}))->capture_default_str();
    analyze->add_option("--parser", parser_name, parser_help);
    analyze->add_flag("--all-runs", all_runs, "Also report findings from earlier setup runs in the same log");
    analyze->add_flag("--brief", brief, "Print only each file's headline: the latest run's outcome, the cause, the first step");
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
    batch->add_option("--format", batch_format, "Output format (html: a sortable table and a section per bundle)")
        ->check(CLI::IsMember({"text", "csv", "jsonl", "html", "md"}))->capture_default_str();
    batch->add_option("-j,--jobs", jobs, "Bundles analysed in parallel (default: hardware threads)")->check(CLI::Range(1, 1024));
    batch->add_option("--fail-on", fail_on, "Exit 1 when a finding has at least this severity")
        ->check(CLI::IsMember({"info", "warning", "error", "critical", "never"}))->capture_default_str();
    batch->add_option("--min-severity", min_severity, "Hide findings below this severity")
        ->check(CLI::IsMember({"info", "warning", "error", "critical"}))->capture_default_str();
    batch->add_option("--rules", rule_dirs, "Rule folder or file (repeatable; default: the bundled rules)");
    batch->add_option("--parser", parser_name, parser_help);
    batch->add_flag("--all-runs", all_runs, "Also count findings from earlier setup runs in the same log");
    batch->add_option("--color", color, "Colour output (text)")->check(CLI::IsMember({"auto", "always", "never"}))->capture_default_str();
    add_archive_options(batch);

    auto* rules_cmd = app.add_subcommand("rules", "Inspect and test the rule set");
    rules_cmd->require_subcommand(1);
    auto* rules_test = rules_cmd->add_subcommand("test", "Load every rule and check its embedded examples");
    rules_test->add_option("--rules", rule_dirs, "Rule folder or file (repeatable)");
    auto* rules_list = rules_cmd->add_subcommand("list", "List the rules");
    rules_list->add_option("--rules", rule_dirs, "Rule folder or file (repeatable)");
    rules_list->add_option("--format", format, "Output format (json: every rule with its sources and links)")
        ->check(CLI::IsMember({"text", "json"}))->capture_default_str();

    std::string collect_out, check_target, check_state;
    auto* collect = app.add_subcommand("collect", "On the Exchange server (Windows): zip its setup/update logs, event logs and state");
    collect->add_option("--out", collect_out, "Zip to write (default: extriage-<SERVER>.zip)");
    auto* check = app.add_subcommand("check", "Pre-flight: is the server ready for an update (live on Windows, or --state)");
    check->add_option("--target", check_target, "The update about to be installed, e.g. CU15");
    check->add_option("--state", check_state, "A snapshot (system-state.json) or HealthChecker export instead of the live server");
    check->add_option("--rules", rule_dirs, "Rule folder or file (repeatable; default: the bundled rules)");

    std::string dump_path;
    auto* dump = app.add_subcommand("dump-records", "Print the normalized records of one file (parser debugging)");
    dump->add_option("path", dump_path, "Log file")->required();
    dump->add_option("--parser", parser_name, "Parser to use instead of sniffing (" + parser_names() + ")");
    dump->group("");   // hidden: used by golden tests

    // timeline: setup runs, errors, events and findings of all inputs in one UTC view (app/timeline.hpp).
    int correlate_window = kDefaultCorrelateWindowMinutes;
    size_t max_entries = 100000;
    auto* timeline = app.add_subcommand("timeline", "One time-ordered view (UTC) of setup runs, errors, events and findings");
    timeline->add_option("paths", paths, "Files, folders or bundles; - reads standard input")->required();
    timeline->add_option("--format", format, "Output format (html: with a chart of the runs, events and findings)")
        ->check(CLI::IsMember({"text", "json", "html", "md"}))->capture_default_str();
    timeline->add_option("--rules", rule_dirs, "Rule folder or file (repeatable; default: the bundled rules)");
    timeline->add_option("--parser", parser_name, parser_help);
    timeline->add_option("--threads", threads, threads_help)->check(CLI::Range(1, 1024));
    timeline->add_option("--color", color, "Colour output (text)")->check(CLI::IsMember({"auto", "always", "never"}))->capture_default_str();
    timeline->add_option("--max-entries", max_entries, "Keep at most this many log records in the timeline")
        ->check(CLI::Range(size_t{1}, size_t{100000000}))->capture_default_str();
    add_archive_options(timeline);
    std::string output;
    for (auto* cmd : {analyze, batch, timeline}) {
        cmd->add_option("-o,--output", output, "Write the report to this file instead of standard output");
        cmd->add_option("--today", today, "Date used for support-lifecycle advice (YYYY-MM-DD; default: the system date)")
            ->check(CLI::Validator(check_date, "DATE"));
        cmd->add_option("--data", data_dir, "Folder with a newer exchange-builds.tsv (default: the bundled data)")
            ->check(CLI::ExistingDirectory);
    }
    for (auto* cmd : {analyze, timeline})
        cmd->add_option("--correlate-window", correlate_window,
                        "Minutes after a setup run ends during which event findings are still attached to it")
            ->check(CLI::Range(0, 10080))->capture_default_str();

    platform::Utf8Arguments args(argc, argv);
    if (unknown_subcommand(args.argc(), args.argv(), app)) return kExitError;
    try {
        app.parse(args.argc(), args.argv());
    } catch (const CLI::CallForVersion& e) {
        platform::write_text(stdout, std::string(e.what()) + "\n");   // through the console's UTF-16 on Windows
        return 0;
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : kExitError;
    }

    try {
        if (*dump) {
            DiagSink diags;
            dump_records(dump_path, parser_name, diags, stdout);
            print_diags(diags.snapshot());
            return diags.error_count() ? kExitError : 0;
        }

        if (*collect) return run_collect_command(collect_out);
        if (!data_dir.empty()) {
            std::error_code ec;
            if (platform::file_kind(data_dir, ec) != platform::FileKind::directory) {
                platform::write_text(stderr, fmt::format("extriage: --data {}: no such folder\n", data_dir));
                return kExitError;
            }
            set_data_folder(data_dir);
        }
        DiagSink rule_diags;
        auto rules = load_rule_set(rule_dirs, rule_diags);
        if (*check) {
            print_diags(rule_diags.snapshot());
            return rule_diags.error_count() ? kExitError : run_check_command(check_target, check_state, *rules);
        }
        if (*rules_cmd) {
            if (*rules_list) {
                write_stdout(render_rules_list(*rules, format));
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
        aopts.data_dir = data_dir;
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
            const std::string report = format == "json"   ? render_timeline_json(tl, diag_list)
                                       : format == "html" ? render_timeline_html(tl, diag_list)
                                       : format == "md"   ? render_timeline_markdown(tl, diag_list)
                                                          : render_timeline_text(tl, {}, output.empty() && use_color(color));
            print_diags(diag_list);
            if (!write_output(output, report)) return kExitError;
            return diags.error_count() ? kExitError : 0;
        }
        if (*batch) {
            BatchCommand cmd;
            cmd.paths = paths;
            cmd.options.analyze = aopts;
            cmd.options.jobs = jobs;
            cmd.options.progress = platform::is_console(stderr) && platform::enable_colors(stderr);
            cmd.report.all_runs = all_runs;
            cmd.report.color = use_color(color);
            cmd.report.min_severity = *parse_level(min_severity);
            cmd.format = batch_format;
            cmd.output = output;
            if (!output.empty()) cmd.report.color = false;
            cmd.fail_on = fail_on == "never" ? std::nullopt : parse_level(fail_on);
            return run_batch_command(cmd, *rules);
        }
        DiagSink diags;
        AnalysisResult result = analyze_paths(paths, *rules, diags, aopts);
        ReportOptions ropts;
        ropts.all_runs = all_runs;
        ropts.brief = brief;
        ropts.min_severity = *parse_level(min_severity);
        auto diag_list = diags.snapshot();
        ReportOutput out(output);
        const ReportWriter to_output = [&](std::string_view piece) { out.write(piece); };
        if (out.opened()) {
            // Text and JSON are written while they are made (a report of 100,000 files is never held whole).
            if (format == "json") {
                write_json(result, diag_list, ropts, to_output);
            } else if (format == "html") {
                to_output(render_html(result, diag_list, ropts));
            } else if (format == "md") {
                to_output(render_markdown(result, diag_list, ropts));
            } else {
                ropts.color = output.empty() && use_color(color);
                write_text(result, {}, ropts, to_output);
            }
        }
        print_diags(diag_list);
        if (!finish_output(out)) return kExitError;
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
