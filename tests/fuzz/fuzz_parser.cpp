// libFuzzer target for one parser, chosen at compile time with -DPARSER_NAME="exchange-setup":
// the input bytes go through a MemorySource into the parser, and a sink that reads every
// record field. Sniffing is exercised too, on the same bytes. Built by tests/fuzz/CMakeLists.txt
// once per registered parser; run by scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "byte_source.hpp"
#include "decode.hpp"
#include "diagnostics.hpp"
#include "fuzz_sink.hpp"
#include "parser.hpp"

#ifndef PARSER_NAME
#error "compile with -DPARSER_NAME=\"<parser name>\""
#endif

using namespace extriage;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const Parser* parser = [] {
        const Parser* p = find_parser(PARSER_NAME);
        if (!p) {
            std::fprintf(stderr, "fuzz_parser: no parser named '%s' is registered\n", PARSER_NAME);
            std::abort();
        }
        return p;
    }();
    std::string_view bytes(reinterpret_cast<const char*>(data), size);

    // Sniffing sees at most the first 64 KiB, raw and decoded.
    std::string_view head = bytes.substr(0, 64 * 1024);
    std::string text = decode_head(head);
    (void)parser->sniff(SniffInput{head, text, "fuzz.log"});

    MemorySource source(bytes);
    DiagSink diags;
    fuzz::TouchingSink sink;
    try {
        parser->parse(source, "fuzz-input", sink, diags);
    } catch (const InputError&) {
        // A size limit refusing the input is a diagnostic for the caller, not a crash.
    }
    for (const Diagnostic& d : diags.snapshot()) (void)d.format();
    return 0;
}
