// The interface every log parser implements. A parser turns bytes into Records and
// Segments; it never sees rules. Bad data becomes a diagnostic, never an exception.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "byte_source.hpp"
#include "diagnostics.hpp"
#include "record.hpp"

namespace extriage {

struct SniffInput {
    std::string_view raw_head;     // first bytes of the file, undecoded (up to 64 KiB)
    std::string_view text_head;    // the same bytes decoded to UTF-8 (BOM removed)
    std::string_view file_name;    // last path component, for tie-breaking only
};

struct ParseOptions {
    unsigned threads = 0;          // threads a parser may use; 0: the core count
};

class Parser {
public:
    virtual ~Parser() = default;
    virtual std::string_view name() const = 0;
    // Cheap content check. Must not allocate heavily; may look at the file name as a hint.
    virtual bool sniff(const SniffInput& in) const = 0;
    // Parses the whole input, calling sink.on_file_begin/on_record/on_segment_end/on_file_end.
    virtual void parse(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags) const = 0;
    // The same, within the resources the run allows (analyze --threads reaches the EVTX decoder's
    // pool; batch triage gives each bundle one thread). Parsers that use one thread need not care.
    virtual void parse_with(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags,
                            const ParseOptions& options) const {
        (void)options;
        parse(source, path, sink, diags);
    }
};

// All parsers, in a fixed order (see registry.cpp). Sniffing tries them in this order.
const std::vector<std::unique_ptr<Parser>>& parsers();
const Parser* find_parser(std::string_view name);
const Parser* sniff_parser(const SniffInput& in);

}  // namespace extriage
