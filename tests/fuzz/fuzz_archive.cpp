// libFuzzer target for zip bundles (app/archive.cpp): the input is written to a private temp
// file, opened as an archive with small limits, and every member found is parsed by the parser
// that sniffed it, as `extriage analyze bundle.zip` would.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

#include "inputs/discover.hpp"
#include "diagnostics.hpp"
#include "fuzz_sink.hpp"

using namespace extriage;

namespace {
const std::string& temp_path() {
    static const std::string path = [] {
        const char* dir = std::getenv("TMPDIR");
        return std::string(dir && *dir ? dir : "/tmp") + "/extriage-fuzz-archive-" + std::to_string(::getpid()) + ".zip";
    }();
    return path;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string& path = temp_path();
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (size && std::fwrite(data, 1, size, f) != size) std::abort();
    std::fclose(f);

    DiscoverOptions options;
    options.archive.max_entry_size = 8u << 20;
    options.archive.max_total_size = 32u << 20;
    options.archive.max_members = 1000;
    options.archive.ratio_min_size = 1u << 20;
    DiagSink diags;
    DiscoverStats stats;
    std::vector<InputFile> inputs;
    discover_archive(path, "fuzz.zip", options, diags, stats, inputs);
    for (const InputFile& in : inputs) {
        fuzz::TouchingSink sink;
        try {
            auto source = in.open();
            in.parser->parse(*source, in.display_path, sink, diags);
        } catch (const InputError&) {
            // analyze.cpp turns these into diagnostics too.
        }
    }
    for (const Diagnostic& d : diags.snapshot()) (void)d.format();
    std::remove(path.c_str());
    return 0;
}
