// Exchange transport logs with W3C-style headers ("exchange-transport-log"): SMTP send and receive
// protocol logs (SEND*.LOG / RECV*.LOG under TransportRoles\Logs\...\ProtocolLog) and message
// tracking logs (MSGTRK*.LOG). Both start with "#Software: Microsoft Exchange Server",
// "#Version:", "#Log-type:", "#Date:" and "#Fields:" (the comma-separated column names); every
// other line is one CSV row (quotes with "" escapes). Headers may repeat inside a file.
// Records carry each column by its header name plus `log_type`; `text` is the protocol line's
// data (and context) or the tracking row's event, recipient status and source context. The file becomes one
// segment ("transport-log") that counts Exchange Online's answers to outdated on-premises servers
// (4.7.230 throttled, 5.7.230 blocked) with their first and last time: rules read them as
// {run.throttled}, {run.blocked}, {run.first_seen}, {run.last_seen}, {run.counted} and
// {run.server_build} (the tracking log's #Version, which is the server's build).
#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "civil_time.hpp"
#include "csv_row.hpp"
#include "parser.hpp"
#include "update_log_common.hpp"

namespace extriage {

namespace {

using namespace updlog;

constexpr std::string_view kName = "exchange-transport-log";
constexpr size_t kMaxColumns = 64;

// "2024-02-21T09:15:02.123Z" -> ms since 1970 (UTC); kNoTime when it is not that shape.
int64_t parse_iso_utc(std::string_view s) {
    auto num = [&](size_t pos, size_t len, unsigned& v) {
        if (pos + len > s.size()) return false;
        v = 0;
        for (size_t i = pos; i < pos + len; ++i) {
            if (!is_digit(s[i])) return false;
            v = v * 10 + static_cast<unsigned>(s[i] - '0');
        }
        return true;
    };
    unsigned y, mo, d, h, mi, sec, ms = 0;
    if (!num(0, 4, y) || s.size() < 19 || s[4] != '-' || !num(5, 2, mo) || s[7] != '-' || !num(8, 2, d) || s[10] != 'T' ||
        !num(11, 2, h) || s[13] != ':' || !num(14, 2, mi) || s[16] != ':' || !num(17, 2, sec))
        return kNoTime;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return kNoTime;
    if (s.size() >= 23 && s[19] == '.') num(20, 3, ms);
    return civil_ms(y, mo, d, h, mi, sec, ms);
}

// Exchange Online's answers to an outdated on-premises server (Exchange Team blog, 2023):
// "450 4.7.230 Connecting Exchange server version is out-of-date; connection to Exchange Online
// throttled for n mins/hr." and "550 5.7.230 ... blocked for n mins/hr."
enum class Enforcement { none, throttled, blocked };

Enforcement enforcement_of(std::string_view text) {
    if (ifind(text, "5.7.230") != std::string_view::npos) return Enforcement::blocked;
    if (ifind(text, "4.7.230") != std::string_view::npos) return Enforcement::throttled;
    return Enforcement::none;
}

std::string_view header_value(std::string_view line, std::string_view key) {
    return istarts_with(line, key) ? trim(line.substr(key.size())) : std::string_view();
}

class ExchangeTransportLogParser final : public Parser {
public:
    std::string_view name() const override { return kName; }

    bool sniff(const SniffInput& in) const override {
        bool software = false, log_type = false, fields = false;
        for_each_head_line(in.text_head, 8, [&](std::string_view line) {
            if (!line.starts_with("#")) return false;
            software |= istarts_with(line, "#Software: Microsoft Exchange");
            log_type |= istarts_with(line, "#Log-type:") &&
                        (icontains(line, "Protocol Log") || icontains(line, "Message Tracking Log"));
            fields |= istarts_with(line, "#Fields:");
            return true;
        });
        return software && log_type && fields;
    }

    void parse(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags) const override {
        sink.on_file_begin(path, kName);
        std::vector<std::string> columns, cells;
        std::vector<Field> fields;
        std::string log_type, version, server_build, text;
        bool tracking = false;
        uint64_t records = 0, bad_rows = 0, first_line = 0, last_line = 0;
        uint64_t throttled = 0, blocked = 0;
        std::set<std::string> throttled_ids, blocked_ids;   // distinct messages or sessions
        int64_t first_seen = kNoTime, last_seen = kNoTime, start = kNoTime, end = kNoTime;
        for_each_line(source, path, kName, diags, [&](std::string_view line, uint64_t number, uint64_t offset) {
            line = trim_right(line);
            if (line.empty()) return;
            if (first_line == 0) first_line = number;
            last_line = number;
            if (line.starts_with("#")) {
                if (auto v = header_value(line, "#Log-type:"); !v.empty()) {
                    log_type = std::string(v);
                    tracking = icontains(v, "Message Tracking");
                } else if (auto v2 = header_value(line, "#Version:"); !v2.empty()) {
                    version = std::string(v2);
                    // Protocol logs write the fixed schema version 15.0.0.0; tracking logs the build.
                    if (version != "15.0.0.0" && version != "14.0.0.0") server_build = version;
                } else if (auto v3 = header_value(line, "#Fields:"); !v3.empty()) {
                    csvrow::split(v3, columns, kMaxColumns);
                    for (auto& c : columns) c = std::string(trim(c));
                }
                return;
            }
            if (columns.empty()) {
                ++bad_rows;
                return;
            }
            if (!csvrow::split(line, cells, kMaxColumns)) ++bad_rows;
            fields.clear();
            auto cell = [&](std::string_view col) -> std::string_view {
                for (size_t i = 0; i < columns.size() && i < cells.size(); ++i)
                    if (iequals(columns[i], col)) return cells[i];
                return {};
            };
            for (size_t i = 0; i < columns.size() && i < cells.size(); ++i)
                if (!cells[i].empty()) fields.push_back({columns[i], cells[i]});
            if (!log_type.empty()) fields.push_back({"log_type", log_type});
            if (tracking) {
                // Where a DEFER row keeps the remote answer is not verified: show both columns.
                text = std::string(cell("event-id"));
                if (auto st = cell("recipient-status"); !st.empty()) text += fmt::format(" {}", st);
                if (auto sc = cell("source-context"); !sc.empty()) text += fmt::format(" | {}", sc);
            } else {
                text = std::string(cell("data"));
                if (auto ctx = cell("context"); !ctx.empty()) text += text.empty() ? std::string(ctx) : fmt::format(" | {}", ctx);
            }
            Record r;
            r.parser = kName;
            r.path = path;
            r.line = number;
            r.offset = offset;
            r.raw = line;
            r.text = text;
            r.time_ms = parse_iso_utc(cell("date-time"));
            r.time_is_utc = true;
            if (r.time_ms != kNoTime) {
                if (start == kNoTime || r.time_ms < start) start = r.time_ms;
                if (end == kNoTime || r.time_ms > end) end = r.time_ms;
            }
            Enforcement e = enforcement_of(line);   // the answer may sit in any column
            r.level = e == Enforcement::blocked ? Level::error : e == Enforcement::throttled ? Level::warning : Level::info;
            if (e != Enforcement::none) {
                // A message in a tracking log, an SMTP session in a protocol log.
                std::string id(tracking ? cell("message-id") : cell("session-id"));
                if (id.empty()) id = fmt::format("line {}", number);
                if (e == Enforcement::blocked) {
                    ++blocked;
                    blocked_ids.insert(id);
                } else {
                    ++throttled;
                    throttled_ids.insert(id);
                }
                if (r.time_ms != kNoTime) {
                    if (first_seen == kNoTime || r.time_ms < first_seen) first_seen = r.time_ms;
                    if (last_seen == kNoTime || r.time_ms > last_seen) last_seen = r.time_ms;
                }
            }
            r.fields = std::span<const Field>(fields.data(), fields.size());
            r.segment = 0;
            ++records;
            sink.on_record(r);
        });
        if (bad_rows)
            diags.warning_at_line(path, 0, fmt::format("{} row(s) without a #Fields: header or with an open quote", bad_rows),
                                  std::string(kName));
        if (records == 0) diags.warning_at_line(path, 0, "the file has no log rows", std::string(kName));
        Segment seg;
        seg.path = path;
        seg.parser = std::string(kName);
        seg.kind = "transport-log";
        seg.first_line = first_line;
        seg.last_line = last_line;
        seg.start_ms = start;
        seg.end_ms = end;
        seg.time_is_utc = true;
        seg.outcome = blocked ? "failed" : "unknown";
        if (!log_type.empty()) seg.set_fact("log_type", log_type);
        if (!server_build.empty()) seg.set_fact("server_build", server_build);
        if (throttled || blocked) {
            seg.set_fact("counted", tracking ? "messages" : "SMTP sessions");
            seg.set_fact("throttled", std::to_string(throttled_ids.size()));
            seg.set_fact("blocked", std::to_string(blocked_ids.size()));
            seg.set_fact("throttled_answers", std::to_string(throttled));
            seg.set_fact("blocked_answers", std::to_string(blocked));
            if (first_seen != kNoTime) seg.set_fact("first_seen", format_time(first_seen, true));
            if (last_seen != kNoTime) seg.set_fact("last_seen", format_time(last_seen, true));
        }
        sink.on_segment_end(seg);
        sink.on_file_end(path);
    }
};

}  // namespace

std::unique_ptr<Parser> make_exchange_transport_log_parser() { return std::make_unique<ExchangeTransportLogParser>(); }

}  // namespace extriage
