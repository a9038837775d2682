// Input discovery by content sniffing. Zip files (by their magic, not their name) are handed to
// archive.cpp, which lists their members the same way.
#include "app/discover.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "app/bundle.hpp"
#include "decode.hpp"

namespace extriage {

namespace fs = std::filesystem;

namespace {

void add_file(const std::string& fs_path, const std::string& display, bool explicit_arg, const DiscoverOptions& options,
              DiagSink& diags, DiscoverStats& stats, std::vector<InputFile>& out) {
    std::string head;
    try {
        head = read_head(fs_path, kSniffHeadBytes);
    } catch (const InputError& e) {
        ++stats.files_seen;
        diags.error_at_line(display, 0, e.what(), "discover");
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
        parser = identify(head, fs::path(fs_path).filename().string());
    }
    if (!parser) {
        ++stats.files_skipped;
        if (explicit_arg) {
            std::string why = head.empty() ? "the file is empty" : "not a log format extriage knows";
            diags.error_at_line(display, 0, why, "discover");
        }
        return;
    }
    InputFile in;
    in.display_path = display;
    in.fs_path = fs_path;
    std::error_code ec;
    auto absolute = fs::absolute(fs_path, ec);
    in.server = server_from_path(ec ? fs_path : absolute.lexically_normal().string());
    in.parser = parser;
    in.open = [fs_path] { return std::unique_ptr<ByteSource>(std::make_unique<FileSource>(fs_path)); };
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
        std::error_code ec;
        auto status = fs::status(p, ec);
        if (ec || !fs::exists(status)) {
            diags.error_at_line(p, 0, "no such file or folder", "discover");
            continue;
        }
        if (!fs::is_directory(status)) {
            add_file(p, p, true, options, diags, stats, out);
            continue;
        }
        std::vector<fs::path> files;
        for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            std::error_code fec;
            if (it->is_regular_file(fec) && !it->is_symlink(fec)) files.push_back(it->path());
        }
        if (ec) diags.error_at_line(p, 0, fmt::format("cannot walk folder: {}", ec.message()), "discover");
        std::sort(files.begin(), files.end());
        for (const auto& f : files) add_file(f.string(), f.string(), false, options, diags, stats, out);
    }
    return out;
}

}  // namespace extriage
