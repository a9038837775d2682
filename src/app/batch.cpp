// Batch triage: bundle expansion, the worker pool and per-bundle summaries. Workers pull bundle
// indices from a shared counter and write only their own slot of the result, so the merge is
// just the slot order; the RuleSet is only read (RE2 matching is thread-safe).
#include "app/batch.hpp"
#include "app/report_output.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>

#include <fmt/format.h>

#include "inputs/archive.hpp"
#include "inputs/bundle.hpp"
#include "advice/knowledge.hpp"
#include "memory_reserve.hpp"
#include "text_util.hpp"
#include "platform/console.hpp"
#include "platform/files.hpp"
#include "platform/utf8_path.hpp"

namespace extriage {

namespace fs = std::filesystem;

namespace {

constexpr const char* kOrigin = "batch";


// ExchangeLogCollector's <yyyyMd> folder (e.g. 2025123).
bool is_date_folder(std::string_view name) {
    return name.size() >= 6 && name.size() <= 8 &&
           std::all_of(name.begin(), name.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// Entries that only appear inside one server's folder.
bool is_server_folder_marker(std::string_view name) {
    static constexpr std::string_view kMarkers[] = {
        "ExchangeSetupLogs",     "Windows_Event_Logs",      "Exchange_Server_Data", "General_Server_Info",
        "General_Server_Info.zip", "Transport_Configuration", "Logging",              "ExchangeSetup.log"};
    return std::any_of(std::begin(kMarkers), std::end(kMarkers), [&](std::string_view m) { return iequals(name, m); });
}

struct Child {
    std::string path;
    std::string name;
    bool is_dir = false;
};

// Date folders inside date folders are looked through no deeper than this.
constexpr int kMaxDateFolderDepth = 8;

void expand_one(const std::string& path, bool top, DiagSink& diags, std::vector<std::string>& out, int depth = 0) {
    std::error_code ec;
    const auto kind = platform::file_kind(path, ec);
    if (ec || kind == platform::FileKind::missing) {
        diags.error_at_line(path, 0, "no such file or folder", kOrigin);
        return;
    }
    if (kind != platform::FileKind::directory) {
        if (kind == platform::FileKind::regular) out.push_back(path);
        return;
    }
    std::vector<Child> children;   // in name order
    for (auto& e : platform::list_folder(path, ec)) {
        // Links (and Windows junctions) are not followed, as in discover.
        if (e.kind == platform::FileKind::directory) children.push_back({std::move(e.path), std::move(e.name), true});
        else if (e.kind == platform::FileKind::regular) children.push_back({std::move(e.path), std::move(e.name), false});
    }
    if (ec && ec != std::errc::permission_denied)
        diags.error_at_line(path, 0, fmt::format("cannot list folder: {}", ec.message()), kOrigin);

    bool server_folder = std::any_of(children.begin(), children.end(),
                                     [](const Child& c) { return is_server_folder_marker(c.name); });
    std::vector<std::string> heads;   // first bytes of the files, to tell zips and logs apart
    bool containers = false;
    for (const auto& c : children) {
        std::string head;
        if (!c.is_dir) {
            try {
                head = read_head(c.path, kSniffHeadBytes);
            } catch (const InputError& e) {
                diags.error_at_line(c.path, 0, e.what(), kOrigin);
            }
        }
        containers = containers || c.is_dir || looks_like_zip(head);
        heads.push_back(std::move(head));
    }
    if (server_folder || (top && !containers)) {
        out.push_back(path);
        return;
    }
    for (size_t i = 0; i < children.size(); ++i) {
        const auto& c = children[i];
        if (c.is_dir) {
            if (is_date_folder(c.name) && depth < kMaxDateFolderDepth) expand_one(c.path, false, diags, out, depth + 1);
            else out.push_back(c.path);
        } else if (looks_like_zip(heads[i]) || identify(heads[i], c.name)) {
            out.push_back(c.path);
        }
    }
}

// Distinct servers of a bundle's files, most files first, then by name.
std::vector<std::string> bundle_servers(const BundleResult& bundle) {
    std::map<std::string, size_t> counts;
    for (const auto& f : bundle.analysis.files)
        if (!f.server.empty()) ++counts[f.server];
    std::vector<std::pair<std::string, size_t>> v(counts.begin(), counts.end());
    std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<std::string> out;
    for (auto& [name, n] : v) out.push_back(name);
    if (out.empty()) {
        // No file named one: the bundle's own name may (a server zip or folder with no logs we read).
        std::error_code ec;
        auto abs = fs::absolute(platform::u8_to_path(bundle.path), ec);
        std::string s = server_from_path((ec ? bundle.path : platform::path_to_u8(abs.lexically_normal())) + "/.");
        if (!s.empty()) out.push_back(s);
    }
    return out;
}

class Progress {
public:
    Progress(bool enabled, size_t total) : enabled_(enabled && total > 0), total_(total) {}
    void done(const std::string& path) {
        if (!enabled_) return;
        std::lock_guard lock(mutex_);
        ++done_;
        std::string name = platform::path_to_u8(platform::u8_to_path(path).filename());
        if (name.empty()) name = path;
        platform::write_text(stderr, fmt::format("\r[{}/{}] {}\x1b[K", done_, total_, printable(name)));
    }
    void finish() {
        if (enabled_) platform::write_text(stderr, "\r\x1b[K");
    }

private:
    bool enabled_;
    size_t total_;
    size_t done_ = 0;
    std::mutex mutex_;
};

}  // namespace

std::vector<std::string> expand_bundles(const std::vector<std::string>& paths, DiagSink& diags) {
    std::vector<std::string> out;
    for (const auto& p : paths) expand_one(p, true, diags, out);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

BatchResult run_batch(const std::vector<std::string>& paths, const RuleSet& rules, const BatchOptions& options) {
    BatchResult result;
    DiagSink expand_diags;
    std::vector<std::string> bundles = expand_bundles(paths, expand_diags);
    result.diagnostics = expand_diags.snapshot();
    result.bundles.resize(bundles.size());

    Progress progress(options.progress, bundles.size());
    std::atomic<size_t> next{0};
    AnalyzeOptions analyze = options.analyze;
    analyze.warn_stale_table = false;   // said once for the whole batch (run_batch_command), not per bundle
    auto worker = [&] {
        for (;;) {
            size_t i = next.fetch_add(1);
            if (i >= bundles.size()) return;
            BundleResult& b = result.bundles[i];
            b.path = bundles[i];
            DiagSink diags;
            try {
                b.analysis = analyze_paths({bundles[i]}, rules, diags, analyze);
            } catch (const std::bad_alloc&) {
                rearm_memory_reserve();   // the bundle's memory is freed: the next bundle gets a reserve again
                diags.error_at_line(b.path, 0, "out of memory while analysing this bundle", kOrigin);
            } catch (const std::exception& e) {
                diags.error_at_line(b.path, 0, e.what(), kOrigin);
            }
            b.diagnostics = diags.snapshot();
            b.errors = diags.error_count();
            b.servers = bundle_servers(b);
            progress.done(b.path);
        }
    };

    const unsigned jobs = threads_or_cores(options.jobs);
    size_t threads_wanted = std::min<size_t>(jobs, bundles.size());
    // Bundles in parallel keep the cores busy: each analysis, its rule matching and its EVTX
    // decoding stay on one thread (a decoder pool per bundle, times the bundles in parallel, would
    // multiply the threads and the decoded chunks in flight).
    analyze.threads = 1;
    std::vector<std::thread> threads;
    for (size_t t = 1; t < threads_wanted; ++t) {
        try {
            threads.emplace_back(worker);
        } catch (const std::system_error&) {
            break;   // fewer threads than asked for; the ones running (and this one) do the work
        }
    }
    worker();
    for (auto& t : threads) t.join();
    progress.finish();
    return result;
}

int run_batch_command(const BatchCommand& command, const RuleSet& rules) {
    BatchOptions options = command.options;
    BatchResult result = run_batch(command.paths, rules, options);
    std::string out;
    if (command.format == "csv") out = render_batch_csv(result, command.report);
    else if (command.format == "jsonl") out = render_batch_jsonl(result, command.report);
    else if (command.format == "html") out = render_batch_html(result, command.report);
    else if (command.format == "md") out = render_batch_markdown(result, command.report);
    else out = render_batch_text(result, command.report);
    std::string write_error;
    if (!write_report(command.output, out, write_error)) {
        platform::write_text(stderr, "extriage: cannot write the report: " + write_error + "\n");
        return 2;
    }

    if (options.analyze.version_advice) {
        std::string error;
        auto today = options.analyze.today.empty() ? std::optional<Date>(system_today()) : parse_iso_date(options.analyze.today);
        if (const BuildTable* table = build_table_for(options.analyze.data_dir, error); table && today)
            if (auto stale = stale_table_warning(*table, *today))
                std::fprintf(stderr, "%s\n", Diagnostic{DiagSeverity::warning, build_table_display(options.analyze.data_dir), 0, 0, 0, false, *stale, "versions"}.format().c_str());
    }
    size_t errors = 0, printed = 0, unprinted = 0;
    std::string diag_text;
    // Each bundle's sink already keeps a bounded number; the run as a whole prints no more than this.
    constexpr size_t kMaxPrinted = 5000;
    auto print = [&](const Diagnostic& d) {
        if (printed++ < kMaxPrinted) diag_text += d.format() + "\n";
        else ++unprinted;
    };
    for (const auto& d : result.diagnostics) {
        print(d);
        errors += d.severity == DiagSeverity::error;
    }
    for (const auto& b : result.bundles) {
        for (const auto& d : b.diagnostics) print(d);
        errors += b.errors;
    }
    if (unprinted)
        diag_text += fmt::format("extriage: {} more diagnostic(s) suppressed (at most {} are printed per run)\n", unprinted, kMaxPrinted);
    platform::write_text(stderr, diag_text);
    if (errors) return 2;
    if (command.fail_on) {
        for (const auto& b : result.bundles)
            for (const Finding* f : visible_findings(b.analysis, command.report))
                if (f->severity >= *command.fail_on) return 1;
    }
    return 0;
}

}  // namespace extriage
