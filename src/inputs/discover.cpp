// Input discovery by content sniffing. Zip files (by their magic, not their name) are handed to
// archive.cpp, which lists their members the same way.
#include "inputs/discover.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include <fmt/format.h>

#include "inputs/bundle.hpp"
#include "decode.hpp"
#include "platform/files.hpp"
#include "platform/utf8_path.hpp"
#include "terminal_text.hpp"

namespace extriage {

namespace fs = std::filesystem;

namespace {

constexpr int kMaxFolderDepth = 64;   // levels below a folder given; collector bundles use about 8

// A pipe or device (`extriage analyze <(zcat log.gz)`) can be read only once: the bytes read for
// sniffing are replayed in front of the rest of the same open stream.
class ReplaySource final : public ByteSource {
public:
    ReplaySource(std::string head, std::shared_ptr<FileSource> rest) : head_(std::move(head)), rest_(std::move(rest)) {}
    size_t read(char* buffer, size_t n) override {
        if (pos_ < head_.size()) {
            size_t k = std::min(n, head_.size() - pos_);
            std::copy_n(head_.data() + pos_, k, buffer);
            pos_ += k;
            return k;
        }
        return rest_->read(buffer, n);
    }
    std::optional<uint64_t> size() const override { return std::nullopt; }

private:
    std::string head_;
    std::shared_ptr<FileSource> rest_;
    size_t pos_ = 0;
};

// A FIFO blocks until its writer opens it and writes: if that takes more than a second, say once
// on stderr what extriage is waiting for (it would otherwise look hung).
class WaitNotice {
public:
    explicit WaitNotice(const std::string& path) {
        try {
            thread_ = std::thread([this, name = escape_for_terminal(path)] {
                std::unique_lock lock(mutex_);
                if (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return done_; }))
                    std::fprintf(stderr, "extriage: %s is a FIFO: waiting for data from its writer\n", name.c_str());
            });
        } catch (const std::system_error&) {
        }
    }
    ~WaitNotice() {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        cv_.notify_all();
        if (thread_.joinable()) thread_.join();
    }
    WaitNotice(const WaitNotice&) = delete;
    WaitNotice& operator=(const WaitNotice&) = delete;

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool done_ = false;
    std::thread thread_;
};

void add_file(const std::string& fs_path, const std::string& display, bool explicit_arg, const DiscoverOptions& options,
              DiagSink& diags, DiscoverStats& stats, std::vector<InputFile>& out) {
    std::string head;
    std::shared_ptr<FileSource> stream;   // set for pipes and devices, which cannot be reopened
    try {
        std::error_code ec;
        if (platform::file_kind(fs_path, ec) != platform::FileKind::other || ec) {
            head = read_head(fs_path, kSniffHeadBytes);
        } else {
            std::optional<WaitNotice> notice;
            if (explicit_arg) notice.emplace(display);   // a FIFO (or device) may block until written
            stream = std::make_shared<FileSource>(fs_path);
            head.resize(kSniffHeadBytes);
            size_t got = 0;
            while (got < head.size()) {
                size_t n = stream->read(head.data() + got, head.size() - got);
                if (n == 0) break;
                got += n;
            }
            head.resize(got);
        }
    } catch (const InputError& e) {
        ++stats.files_seen;
        diags.error_at_line(display, 0, e.what(), "discover");
        stats.skip(display, "file", e.what());
        return;
    }
    if (looks_like_zip(head) && stream) {
        ++stats.files_seen;
        const char* why = "a zip bundle must be a regular file (it is read more than once), not a pipe";
        diags.error_at_line(display, 0, why, "discover");
        stats.skip(display, "file", why);
        return;
    }
    if (looks_like_zip(head)) {
        discover_archive(fs_path, display, options, diags, stats, out);
        return;
    }
    ++stats.files_seen;
    const Parser* parser = nullptr;
    if (!options.force_parser.empty()) {
        parser = find_parser(options.force_parser);
    } else {
        parser = identify(head, platform::path_to_u8(platform::u8_to_path(fs_path).filename()));
    }
    if (!parser) {
        ++stats.files_skipped;
        std::string why = head.empty() ? "the file is empty" : "not a log format extriage knows";
        if (explicit_arg) diags.error_at_line(display, 0, why, "discover");
        stats.skip(display, "file", why);
        return;
    }
    InputFile in;
    in.display_path = display;
    in.fs_path = fs_path;
    std::error_code ec;
    auto absolute = fs::absolute(platform::u8_to_path(fs_path), ec);
    in.server = server_from_path(ec ? fs_path : platform::path_to_u8(absolute.lexically_normal()));
    in.parser = parser;
    if (stream) {
        auto used = std::make_shared<bool>(false);
        in.open = [head, stream, used, display]() -> std::unique_ptr<ByteSource> {
            if (*used) throw InputError("'" + display + "' is a pipe and was already read");
            *used = true;
            return std::make_unique<ReplaySource>(head, stream);
        };
    } else {
        in.open = [fs_path] { return std::unique_ptr<ByteSource>(std::make_unique<FileSource>(fs_path)); };
    }
    out.push_back(std::move(in));
}

}  // namespace

const Parser* identify(std::string_view head, std::string_view file_name) {
    std::string text = decode_head(head);
    SniffInput in{head, text, file_name};
    return sniff_parser(in);
}

std::vector<InputFile> discover_inputs(const std::vector<std::string>& paths, const DiscoverOptions& options,
                                       DiagSink& diags, DiscoverStats& stats) {
    std::vector<InputFile> out;
    for (const auto& p : paths) {
        if (p == "-") {   // standard input, read once like a pipe
            add_file("/dev/stdin", "-", true, options, diags, stats, out);
            continue;
        }
        std::error_code ec;
        const auto kind = platform::file_kind(p, ec);
        if (ec || kind == platform::FileKind::missing) {
            diags.error_at_line(p, 0, "no such file or folder", "discover");
            stats.skip(p, "file", "no such file or folder");
            continue;
        }
        if (kind != platform::FileKind::directory) {
            add_file(p, p, true, options, diags, stats, out);
            continue;
        }
        // In path order; links and Windows junctions are not followed. A sub-folder that cannot be
        // listed is named (a warning and a skipped entry): its files were not looked at. No deeper
        // than kMaxFolderDepth: a folder nested 12,000 deep would otherwise cost memory in the
        // square of its depth and paths no system call accepts.
        std::vector<std::string> files = platform::walk_files(
            p, ec,
            [&](const std::string& dir, std::error_code sub) {
                std::string why = fmt::format("folder could not be read: {}", sub.message());
                diags.warning_at_line(dir, 0, why + "; the files in it were not checked", "discover");
                stats.skip(dir, "folder", why);
            },
            kMaxFolderDepth,
            [&](const std::string& dir) {
                diags.warning_at_line(dir, 0, fmt::format("folder nested more than {} levels deep; not walked", kMaxFolderDepth),
                                      "discover");
            });
        if (ec) {
            std::string why = fmt::format("cannot walk folder: {}", ec.message());
            diags.error_at_line(p, 0, why, "discover");
            stats.skip(p, "folder", why);
        }
        for (const auto& f : files) add_file(f, f, false, options, diags, stats, out);
    }
    return out;
}

}  // namespace extriage
