// See collect_bundle.hpp.
#include "app/collect_bundle.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <fmt/format.h>

#include "app/collect_state.hpp"
#include "platform/utf8_path.hpp"

namespace extriage {

namespace {

constexpr uint64_t kMaxFileBytes = 512ull << 20;
constexpr int kMaxDepth = 4;

class ZipWriter {
public:
    explicit ZipWriter(const std::string& path) : a_(archive_write_new()) {
        archive_write_set_format_zip(a_);
#ifdef _WIN32
        // The UTF-16 name: the char* call takes the ANSI code page on Windows.
        const int rc = archive_write_open_filename_w(a_, platform::u8_to_path(path).c_str());
#else
        const int rc = archive_write_open_filename(a_, path.c_str());
#endif
        if (rc != ARCHIVE_OK) error_ = archive_error_string(a_) ? archive_error_string(a_) : "cannot create the zip";
    }
    ~ZipWriter() {
        archive_write_close(a_);
        archive_write_free(a_);
    }
    const std::string& error() const { return error_; }

    bool add(const std::string& name, const std::string& data) {
        archive_entry* e = archive_entry_new();
        archive_entry_set_pathname(e, name.c_str());
        archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        bool ok = archive_write_header(a_, e) == ARCHIVE_OK &&
                  archive_write_data(a_, data.data(), data.size()) == static_cast<la_ssize_t>(data.size());
        archive_entry_free(e);
        return ok;
    }

private:
    archive* a_;
    std::string error_;
};

std::string zip_name(std::string_view prefix, std::string_view rel) {
    std::string out = fmt::format("{}/{}", prefix, rel);
    for (char& c : out)
        if (c == '\\') c = '/';
    return out;
}

// A folder and its subfolders (to kMaxDepth), every file added under `prefix`.
void add_tree(SystemAccess& sys, ZipWriter& zip, const std::string& dir, const std::string& prefix, int depth,
              CollectSummary& sum, const std::function<void(const std::string&)>& progress) {
    AccessStatus s = AccessStatus::ok;
    auto entries = sys.list_dir(dir, s);
    if (s == AccessStatus::denied || s == AccessStatus::error) {
        ++sum.skipped;
        progress(fmt::format("  could not read {}: {}", dir, s == AccessStatus::denied ? "access denied" : "read error"));
        return;
    }
    for (const auto& e : entries) {
        const std::string path = fmt::format("{}\\{}", dir, e.name);
        if (e.is_dir) {
            if (depth < kMaxDepth) add_tree(sys, zip, path, prefix + "/" + e.name, depth + 1, sum, progress);
            continue;
        }
        AccessResult data = sys.read_file(path, kMaxFileBytes);
        if (!data.ok() || !zip.add(zip_name(prefix, e.name), data.value)) {
            ++sum.skipped;
            progress(fmt::format("  could not read {}: {}", path, data.error.empty() ? "not added to the zip" : data.error));
            continue;
        }
        ++sum.files;
    }
}

}  // namespace

CollectSummary collect_bundle(SystemAccess& sys, const std::string& zip_path,
                              const std::function<void(const std::string&)>& progress) {
    CollectSummary sum;
    ZipWriter zip(zip_path);
    if (!zip.error().empty()) {
        sum.error = zip.error();
        return sum;
    }
    const std::string server = sys.computer_name().empty() ? "server" : sys.computer_name();
    if (!sys.is_elevated()) progress("Not running as administrator: collecting what this account can read.");

    progress("Reading the server state (registry, services, installer cache)...");
    SystemState state = collect_state(sys);
    for (const auto& u : state.unreadable) progress(fmt::format("  could not read {}: {}", u.item, u.reason));

    progress(R"(Collecting C:\ExchangeSetupLogs...)");
    add_tree(sys, zip, R"(C:\ExchangeSetupLogs)", server + "/ExchangeSetupLogs", 0, sum, progress);
    if (!state.install_path.empty()) {
        std::string update = state.install_path;
        if (!update.empty() && update.back() != '\\') update += '\\';
        update += R"(Logging\Update)";
        progress(fmt::format("Collecting {}...", update));
        add_tree(sys, zip, update, server + "/Logging/Update", 0, sum, progress);
    }
    for (const char* channel : {"Application", "System", "MSExchange Management"}) {
        progress(fmt::format("Exporting the {} event log...", channel));
        AccessResult exported = sys.export_event_log(channel);
        AccessResult data = exported.ok() ? sys.read_file(exported.value, 4ull << 30) : exported;
        if (!data.ok() || !zip.add(fmt::format("{}/EventLogs/{}.evtx", server, channel), data.value)) {
            ++sum.skipped;
            state.unreadable.push_back({fmt::format("event log {}", channel), data.error.empty() ? "export failed" : data.error});
            progress(fmt::format("  could not read event log {}: {}", channel, data.error.empty() ? "export failed" : data.error));
            continue;
        }
        ++sum.files;
    }
    if (!zip.add(server + "/system-state.json", to_snapshot_json(state))) sum.error = "could not write the snapshot to the zip";
    else ++sum.files;
    progress(fmt::format("Wrote {} files to {}{}.", sum.files, zip_path,
                         sum.skipped ? fmt::format(" ({} items could not be read)", sum.skipped) : ""));
    return sum;
}

}  // namespace extriage
