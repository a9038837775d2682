// Batch triage: bundle expansion, the worker pool and per-bundle summaries. Workers pull bundle
// indices from a shared counter and write only their own slot of the result, so the merge is
// just the slot order; the RuleSet is only read (RE2 matching is thread-safe).
#include "app/batch.hpp"

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

#include "app/archive.hpp"
#include "app/bundle.hpp"
#include "terminal_text.hpp"

namespace extriage {

namespace fs = std::filesystem;

namespace {

constexpr const char* kOrigin = "batch";

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

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
    fs::path path;
    bool is_dir = false;
};

// Date folders inside date folders are looked through no deeper than this.
constexpr int kMaxDateFolderDepth = 8;

void expand_one(const fs::path& path, bool top, DiagSink& diags, std::vector<std::string>& out, int depth = 0) {
    std::error_code ec;
    auto status = top ? fs::status(path, ec) : fs::symlink_status(path, ec);
    if (ec || !fs::exists(status)) {
        diags.error_at_line(path.string(), 0, "no such file or folder", kOrigin);
        return;
    }
    if (!fs::is_directory(status)) {
        if (fs::is_regular_file(status)) out.push_back(path.string());
        return;
    }
    std::vector<Child> children;
    for (auto it = fs::directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::directory_iterator(); it.increment(ec)) {
        std::error_code cec;
        if (it->is_symlink(cec)) continue;   // not followed, as in discover
        if (it->is_directory(cec)) children.push_back({it->path(), true});
        else if (it->is_regular_file(cec)) children.push_back({it->path(), false});
    }
    if (ec) diags.error_at_line(path.string(), 0, fmt::format("cannot list folder: {}", ec.message()), kOrigin);
    std::sort(children.begin(), children.end(), [](const Child& a, const Child& b) { return a.path < b.path; });

    bool server_folder = std::any_of(children.begin(), children.end(),
                                     [](const Child& c) { return is_server_folder_marker(c.path.filename().string()); });
    std::vector<std::string> heads;   // first bytes of the files, to tell zips and logs apart
    bool containers = false;
    for (const auto& c : children) {
        std::string head;
        if (!c.is_dir) {
            try {
                head = read_head(c.path.string(), kSniffHeadBytes);
            } catch (const InputError& e) {
                diags.error_at_line(c.path.string(), 0, e.what(), kOrigin);
            }
        }
        containers = containers || c.is_dir || looks_like_zip(head);
        heads.push_back(std::move(head));
    }
    if (server_folder || (top && !containers)) {
        out.push_back(path.string());
        return;
    }
    for (size_t i = 0; i < children.size(); ++i) {
        const auto& c = children[i];
        if (c.is_dir) {
            if (is_date_folder(c.path.filename().string()) && depth < kMaxDateFolderDepth)
                expand_one(c.path, false, diags, out, depth + 1);
            else out.push_back(c.path.string());
        } else if (looks_like_zip(heads[i]) || identify(heads[i], c.path.filename().string())) {
            out.push_back(c.path.string());
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
        auto abs = fs::absolute(bundle.path, ec);
        std::string s = server_from_path((ec ? fs::path(bundle.path) : abs.lexically_normal()).string() + "/.");
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
        std::string name = fs::path(path).filename().string();
        if (name.empty()) name = path;
        std::fprintf(stderr, "\r[%zu/%zu] %s\x1b[K", done_, total_, escape_for_terminal(name).c_str());
        std::fflush(stderr);
    }
    void finish() {
        if (!enabled_) return;
        std::fprintf(stderr, "\r\x1b[K");
        std::fflush(stderr);
    }

private:
    bool enabled_;
    size_t total_;
    size_t done_ = 0;
    std::mutex mutex_;
};

bool write_all(const std::string& s) {
    size_t n = std::fwrite(s.data(), 1, s.size(), stdout);
    std::fflush(stdout);
    return n == s.size();
}

}  // namespace

std::vector<std::string> expand_bundles(const std::vector<std::string>& paths, DiagSink& diags) {
    std::vector<std::string> out;
    for (const auto& p : paths) expand_one(fs::path(p), true, diags, out);
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

BundleSummary summarize_bundle(const BundleResult& bundle, const ReportOptions& options) {
    BundleSummary s;
    s.bundle = bundle.path;
    if (!bundle.servers.empty()) {
        s.server = bundle.servers.front();
        s.other_servers = bundle.servers.size() - 1;
    }
    // The latest setup run: the latest start time; without times, the last one listed.
    const Segment* latest = nullptr;
    for (const auto& run : bundle.analysis.runs) {
        if (run.kind != "setup-run") continue;
        if (!latest || run.start_ms == kNoTime || latest->start_ms == kNoTime || run.start_ms >= latest->start_ms)
            latest = &run;
    }
    if (latest) {
        if (const std::string* v = latest->fact("setup_version")) s.setup_version = *v;
        if (const std::string* v = latest->fact("installed_version")) s.installed_version = *v;
        s.outcome = latest->outcome.empty() ? "unknown" : latest->outcome;
    }
    for (const Finding* f : visible_findings(bundle.analysis, options)) {
        switch (f->severity) {
            case Level::critical: ++s.critical; break;
            case Level::error: ++s.error; break;
            case Level::warning: ++s.warning; break;
            default: ++s.info; break;
        }
        if (!s.top || f->severity > s.top->severity) s.top = f;
    }
    s.files = bundle.analysis.files.size();
    s.input_errors = bundle.errors;
    return s;
}

std::string csv_field(std::string_view raw) {
    // Safe to print and to open in a spreadsheet: controls escaped, formulas defused (OWASP).
    const std::string value = defuse_csv_formula(escape_for_terminal(raw));
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) return value;
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

int run_batch_command(const BatchCommand& command, const RuleSet& rules) {
    BatchOptions options = command.options;
    BatchResult result = run_batch(command.paths, rules, options);
    std::string out;
    if (command.format == "csv") out = render_batch_csv(result, command.report);
    else if (command.format == "jsonl") out = render_batch_jsonl(result, command.report);
    else out = render_batch_text(result, command.report);
    write_all(out);

    size_t errors = 0, printed = 0, unprinted = 0;
    // Each bundle's sink already keeps a bounded number; the run as a whole prints no more than this.
    constexpr size_t kMaxPrinted = 5000;
    auto print = [&](const Diagnostic& d) {
        if (printed++ < kMaxPrinted) std::fprintf(stderr, "%s\n", d.format().c_str());
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
    if (unprinted) std::fprintf(stderr, "extriage: %zu more diagnostic(s) suppressed (at most %zu are printed per run)\n", unprinted, kMaxPrinted);
    if (errors) return 2;
    if (command.fail_on) {
        for (const auto& b : result.bundles)
            for (const Finding* f : visible_findings(b.analysis, command.report))
                if (f->severity >= *command.fail_on) return 1;
    }
    return 0;
}

}  // namespace extriage
