// Turns the paths given on the command line into the list of inputs to parse: folders are
// walked recursively (sorted, symlinks not followed), and every file is identified by its
// content (the parsers' sniff), not by its name.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "byte_source.hpp"
#include "diagnostics.hpp"
#include "parser.hpp"

namespace extriage {

struct InputFile {
    std::string display_path;     // as given, or joined below a given folder
    std::string fs_path;          // on-disk path; empty for members of archives
    const Parser* parser = nullptr;
    std::function<std::unique_ptr<ByteSource>()> open;
};

struct DiscoverStats {
    size_t files_seen = 0;
    size_t files_skipped = 0;     // files in folders that no parser recognised
};

struct DiscoverOptions {
    std::string force_parser;     // --parser NAME: skip sniffing
};

// Explicitly named files that cannot be read or recognised are reported as errors; unrecognised
// files found inside folders are only counted.
std::vector<InputFile> discover_inputs(const std::vector<std::string>& paths, const DiscoverOptions& options,
                                       DiagSink& diags, DiscoverStats& stats);

// Identifies one file from its first bytes; nullptr if no parser claims it.
const Parser* identify(std::string_view head, std::string_view file_name);

}  // namespace extriage
