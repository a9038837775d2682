// Generic parser for the other text logs an SU leaves in C:\ExchangeSetupLogs
// ("exchange-update-text"): UpdateCas.log (OWA/ECP version folders) and UpdateConfigFiles.log
// (%ExchangeInstallDir% in .config files). Their format is unverified (research §e), so this
// assumes the ServiceControl.log style "[time] text", joins unstamped lines to the previous
// record and rates each record by keywords (error/exception/failed -> error). Records carry
// `log_name` (the file stem, e.g. UpdateCas) so rules can tell the scripts apart. No segments.
// Registered last: it only claims files by name or by the script names in their first lines.
#include <array>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "parser.hpp"
#include "update_log_common.hpp"

namespace extriage {

namespace {

using namespace updlog;

constexpr std::string_view kName = "exchange-update-text";

bool known_file_name(std::string_view name) {
    return istarts_with(name, "UpdateCas") || istarts_with(name, "UpdateConfigFiles");
}

class ExchangeUpdateTextParser final : public Parser {
public:
    std::string_view name() const override { return kName; }

    bool sniff(const SniffInput& in) const override {
        int stamped = 0;
        bool words = false;
        for_each_head_line(in.text_head, 20, [&](std::string_view line) {
            BracketStamp b;
            if (parse_bracket_stamp(line, b)) {
                ++stamped;
                std::string_view msg = line.substr(b.msg_pos);
                if (icontains(msg, "UpdateCas") || icontains(msg, "UpdateConfigFiles") || icontains(msg, "%ExchangeInstallDir%"))
                    words = true;
            }
            return true;
        });
        if (known_file_name(in.file_name) && !in.text_head.empty()) return true;
        return stamped > 0 && words;
    }

    void parse(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags) const override {
        sink.on_file_begin(path, kName);
        std::string_view stem = file_name_of(path);
        if (size_t dot = stem.rfind('.'); dot != std::string_view::npos && dot > 0) stem = stem.substr(0, dot);
        std::array<Field, 1> fields{};
        StampedTextAssembler assembler;
        uint64_t records = 0;
        auto deliver = [&](TextEntry& e) {
            Record r;
            r.parser = kName;
            r.path = path;
            r.line = e.line;
            r.line_count = e.line_count;
            r.offset = e.offset;
            r.raw = e.raw();
            r.text = e.text();
            r.time_ms = e.time_ms;
            r.time_is_utc = false;
            r.level = keyword_level(r.text);
            size_t n = 0;
            if (!stem.empty()) fields[n++] = {"log_name", stem};
            r.fields = std::span<const Field>(fields.data(), n);
            ++records;
            sink.on_record(r);
        };
        for_each_line(source, path, kName, diags, [&](std::string_view line, uint64_t number, uint64_t offset) {
            assembler.on_line(line, number, offset, deliver);
        });
        assembler.finish(deliver);
        if (assembler.capped_entries())
            diags.warning_at_line(path, 0,
                                  fmt::format("{} record(s) longer than {} bytes; later continuation lines dropped",
                                              assembler.capped_entries(), StampedTextAssembler::kMaxEntryBytes),
                                  std::string(kName));
        if (records == 0) diags.warning_at_line(path, 0, "the file has no text lines", std::string(kName));
        sink.on_file_end(path);
    }
};

}  // namespace

std::unique_ptr<Parser> make_exchange_update_text_parser() { return std::make_unique<ExchangeUpdateTextParser>(); }

}  // namespace extriage
