// Turns the paths given on the command line into the list of inputs to parse: folders are
// walked recursively (sorted, symlinks not followed), zip archives are opened in place
// (app/archive.*), and every file or member is identified by its content (the parsers'
// sniff), not by its name. Each input also gets the server it came from when the path tells.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "inputs/archive.hpp"
#include "model/analysis.hpp"
#include "byte_source.hpp"
#include "diagnostics.hpp"
#include "parser.hpp"

namespace extriage {

// Bytes read from the start of a file or archive member for content sniffing.
inline constexpr size_t kSniffHeadBytes = 64 * 1024;

struct InputFile {
    std::string display_path;     // as given, or joined below a given folder; "a.zip!dir/member" in archives
    std::string fs_path;          // on-disk path; empty for members of archives
    std::string server;           // server name derived from the path (bundle.hpp), "" if unknown
    const Parser* parser = nullptr;
    std::function<std::unique_ptr<ByteSource>()> open;
};

struct DiscoverOptions {
    std::string force_parser;     // --parser NAME: skip sniffing
    ArchiveLimits archive;        // --max-entry-size, --max-total-size, --max-depth
};

// Explicitly named files that cannot be read or recognised are reported as errors; unrecognised
// files found inside folders are listed in stats.skipped, and sub-folders that cannot be read get a
// warning and a stats.skipped entry (their files were not looked at).
std::vector<InputFile> discover_inputs(const std::vector<std::string>& paths, const DiscoverOptions& options,
                                       DiagSink& diags, DiscoverStats& stats);

// Identifies one file from its first bytes; nullptr if no parser claims it.
const Parser* identify(std::string_view head, std::string_view file_name);

}  // namespace extriage
