// Saved Get-Queue listings ("exchange-queue-listing"), in the three shapes admins save them:
//  - Format-List (`Get-Queue | fl`, `Format-List > queues.txt`, ExchangeLogCollector's
//    <server>_InstantQueueInfo.txt): "Name<padding> : value" lines, one block per queue; long
//    values wrap onto indented lines. The property order of a real Exchange 2013+ listing is
//    RunspaceId, DeliveryType, NextHopDomain, TlsDomain, NextHopConnector, Status, MessageCount,
//    LastError, RetryCount, LastRetryTime, NextRetryTime, FirstRetryTime, ..., Identity, IsValid,
//    ObjectState; a repeated property name starts the next queue, so blank lines (which pasted
//    listings scatter everywhere) never split one.
//  - Format-Table (the default `Get-Queue` output): a header line that starts with "Identity",
//    a line of dashes that gives each column's start, then one row per queue; rows wrapped by
//    -Wrap continue on lines whose first column is blank. Columns are taken from the header, so
//    Exchange 2007's five columns and later versions' eight both work.
//  - Export-Csv: an optional "#TYPE ..." line, a header of property names, one row per queue
//    (quoted cells may span lines).
// Each queue becomes one record: its properties as fields by name, `format`, and
// `enforcement` (throttled / blocked) when LastError holds Exchange Online's 4.7.230 / 5.7.230
// answer to an outdated on-premises server. `text` is the queue's physical lines, so a rule's
// evidence points at the line that holds the answer. The file is one segment ("queue-listing")
// with counts of queues, queued messages, and throttled or blocked queues and their messages.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "civil_time.hpp"
#include "csv_row.hpp"
#include "parser.hpp"
#include "update_log_common.hpp"

namespace extriage {

namespace {

using namespace updlog;

constexpr std::string_view kName = "exchange-queue-listing";
constexpr size_t kMaxProperties = 64;             // per queue; ExtensibleQueueInfo has 28
constexpr size_t kMaxValueBytes = 64 * 1024;      // per property value
constexpr size_t kMaxTextBytes = 256 * 1024;      // the physical lines kept as a record's text
constexpr size_t kMaxColumns = 64;
constexpr size_t kMaxCsvRowBytes = 1u << 20;      // a quoted cell spanning lines
constexpr int kMaxLineDiagnostics = 20;

enum class Format { none, list, table, csv };

std::string_view format_name(Format f) {
    switch (f) {
        case Format::list: return "list";
        case Format::table: return "table";
        case Format::csv: return "csv";
        default: return "";
    }
}

bool is_identifier(std::string_view s) {
    if (s.empty() || s.size() > 64 || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// A Format-List property line: "Name<padding> : value" at column 0. Format-List always puts a
// space before the colon, which keeps wrapped text such as "status: x" or a URL from passing
// for a property.
bool split_property(std::string_view line, std::string_view& name, std::string_view& value) {
    if (line.empty() || is_space(line[0])) return false;
    const size_t colon = line.find(" :");
    if (colon == std::string_view::npos) return false;
    name = trim_right(line.substr(0, colon));
    if (!is_identifier(name)) return false;
    value = line.substr(colon + 2);
    if (!value.empty() && value[0] != ' ') return false;   // "Name :value" is not Format-List
    value = trim(value);
    return true;
}

// Whitespace-separated words of a line (at most max).
std::vector<std::string_view> words(std::string_view line, size_t max) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < line.size() && out.size() < max) {
        while (i < line.size() && is_space(line[i])) ++i;
        const size_t start = i;
        while (i < line.size() && !is_space(line[i])) ++i;
        if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
}

bool has_word(const std::vector<std::string_view>& ws, std::string_view w) {
    return std::any_of(ws.begin(), ws.end(), [&](std::string_view x) { return iequals(x, w); });
}

// The header of a Get-Queue table: "Identity  DeliveryType Status MessageCount ...".
bool is_table_header(std::string_view line) {
    if (!istarts_with(line, "Identity")) return false;
    const auto ws = words(line, kMaxColumns);
    return ws.size() >= 3 && iequals(ws[0], "Identity") && has_word(ws, "Status") && has_word(ws, "MessageCount");
}

// A PowerShell prompt captured with the listing ("[PS] C:\\Windows\\system32>Get-Queue",
// "PS C:\\> Get-Queue | fl"): not part of any queue, and expected, so skipped quietly.
bool is_prompt_line(std::string_view line) {
    if (line.find('>') == std::string_view::npos) return false;
    if (istarts_with(line, "[PS] ")) line.remove_prefix(5);
    else if (istarts_with(line, "PS ")) line.remove_prefix(3);
    else return false;
    return line.size() >= 3 && std::isalpha(static_cast<unsigned char>(line[0])) && line[1] == ':' && line[2] == '\\';
}

bool is_dash_line(std::string_view line) {
    line = trim_right(line);
    return !line.empty() && line[0] == '-' && std::all_of(line.begin(), line.end(), [](char c) { return c == '-' || c == ' '; });
}

bool has_cell(const std::vector<std::string>& cells, std::string_view name) {
    return std::any_of(cells.begin(), cells.end(), [&](const std::string& c) { return iequals(trim(c), name); });
}

// An Export-Csv header of Get-Queue objects.
bool is_csv_header(const std::vector<std::string>& cells) {
    return cells.size() >= 3 && has_cell(cells, "Identity") && has_cell(cells, "MessageCount") &&
           (has_cell(cells, "DeliveryType") || has_cell(cells, "NextHopDomain"));
}

// Exchange Online's answers to an outdated on-premises server (Exchange Team blog, 2023):
// "450 4.7.230 Connecting Exchange server version is out-of-date; connection to Exchange Online
// throttled for n mins/hr." and "550 5.7.230 ... blocked for n mins/hr."
std::string_view enforcement_of(std::string_view text) {
    if (ifind(text, "5.7.230") != std::string_view::npos) return "blocked";
    if (ifind(text, "4.7.230") != std::string_view::npos) return "throttled";
    return {};
}

// A LastRetryTime as the saving machine's culture wrote it: "15-01-21 23:50:05",
// "1/8/2016 10:05:41 AM", "2024-02-21 09:15:02". Local time; kNoTime when unreadable.
int64_t parse_local_time(std::string_view s) {
    s = trim(s);
    CivilDate date;
    size_t used = 0;
    if (!parse_locale_date(s, date, used)) return kNoTime;
    std::string_view rest = trim(s.substr(used));
    int64_t ms = 0;
    if (!parse_time_of_day(rest, ms, used)) return kNoTime;
    const std::string_view tail = trim(rest.substr(used));
    const int64_t hour = ms / 3600000;
    if (iequals(tail, "PM") || iequals(tail, "AM")) {
        if (hour > 12) return kNoTime;
        if (iequals(tail, "PM") && hour < 12) ms += 12 * 3600000;
        if (iequals(tail, "AM") && hour == 12) ms -= 12 * 3600000;
    } else if (!tail.empty()) {
        return kNoTime;
    }
    return date.days() * 86400000 + ms;
}

// The LED part of a 2013+ LastError "[{LRT=...};{LED=...};{FQDN=...};{IP=...}]".
std::string_view last_error_detail(std::string_view last_error) {
    const size_t at = ifind(last_error, "{LED=");
    if (at == std::string_view::npos) return {};
    std::string_view rest = last_error.substr(at + 5);
    const size_t end = rest.find("};{");
    return trim(end == std::string_view::npos ? rest.substr(0, rest.rfind('}')) : rest.substr(0, end));
}

// One queue while it is being read.
struct QueueEntry {
    std::vector<std::pair<std::string, std::string>> props;
    std::string text;            // the queue's physical lines, '\n'-joined
    std::string raw;             // its first line
    uint64_t line = 0, line_count = 0, offset = 0, last_content_line = 0;
    size_t text_content = 0;     // text size up to the last non-blank line
    bool capped = false;

    bool empty() const { return props.empty(); }
    std::string* find(std::string_view name) {
        for (auto& [k, v] : props)
            if (iequals(k, name)) return &v;
        return nullptr;
    }
    void clear() {
        props.clear();
        text.clear();
        raw.clear();
        line = line_count = offset = last_content_line = 0;
        text_content = 0;
        capped = false;
    }
    void start(std::string_view first, uint64_t number, uint64_t off) {
        clear();
        line = number;
        offset = off;
        raw.assign(cut_utf8(first, kMaxTextBytes));
    }
    // Adds a physical line to the text; blank lines are kept only when more content follows,
    // so line numbers inside the text stay true.
    void add_line(std::string_view l, uint64_t number) {
        if (line == 0) return;
        const uint64_t gap = number - (last_content_line ? last_content_line : line - 1);
        if (trim(l).empty()) return;
        line_count = number - line + 1;
        if (text.size() + l.size() + gap > kMaxTextBytes) {
            capped = true;
            return;
        }
        if (last_content_line) text.append(gap, '\n');
        text.append(l);
        text_content = text.size();
        last_content_line = number;
    }
    // Sets or extends a property (wrapped values continue with a space).
    bool set(std::string_view name, std::string_view value) {
        if (std::string* v = find(name)) {
            *v = std::string(cut_utf8(value, kMaxValueBytes));
            return true;
        }
        if (props.size() >= kMaxProperties) return false;
        props.emplace_back(std::string(name), std::string(cut_utf8(value, kMaxValueBytes)));
        return true;
    }
    void append_to_last(std::string_view more) {
        if (props.empty() || more.empty()) return;
        std::string& v = props.back().second;
        if (v.size() + 1 + more.size() > kMaxValueBytes) {
            capped = true;
            return;
        }
        if (!v.empty()) v += ' ';
        v.append(more);
    }
};

// Everything one parse() call keeps: the sink side (records, counts, diagnostics) and the
// state of the format being read.
class ListingReader {
public:
    ListingReader(const std::string& path, RecordSink& sink, DiagSink& diags) : path_(path), sink_(sink), diags_(diags) {}

    void on_line(std::string_view line, uint64_t number, uint64_t offset) {
        line = trim_right(line);
        if (first_line_ == 0 && !line.empty()) first_line_ = number;
        if (!line.empty()) last_line_ = number;
        if (csv_pending_) return continue_csv_row(line, number);
        if (pending_header_) {
            if (line.empty()) return;
            pending_header_ = false;
            if (is_dash_line(line)) return start_table(line, number);
            note_unrecognized(header_line_);
        }
        if (line.empty()) {
            if (format_ == Format::table) flush();
            return;
        }
        if (is_table_header(line)) {
            flush();
            header_.assign(line);
            header_line_ = number;
            pending_header_ = true;
            return;
        }
        if (istarts_with(line, "#TYPE ")) return;   // Export-Csv's type line
        if (is_prompt_line(line)) {
            flush();
            return;
        }
        if (line.find(',') != std::string_view::npos && line[0] == '"') {
            csvrow::split(line, cells_, kMaxColumns);
            if (is_csv_header(cells_)) {
                flush();
                columns_.clear();
                for (auto& c : cells_) columns_.push_back(std::string(trim(c)));
                format_ = Format::csv;
                return;
            }
            if (format_ == Format::csv) return csv_row(line, number, offset);
        }
        std::string_view name, value;
        if (split_property(line, name, value)) return list_property(line, name, value, number, offset);
        if (format_ == Format::list && !entry_.empty()) {
            // A wrapped value: Format-List indents it; pasted listings may not.
            entry_.add_line(line, number);
            entry_.append_to_last(trim(line));
            return;
        }
        if (format_ == Format::table) return table_row(line, number, offset);
        note_unrecognized(number);
    }

    void finish() {
        if (csv_pending_) {
            line_warning(csv_line_, "a quoted cell is not closed at the end of the file; the row is kept as read");
            csv_pending_ = false;
            emit_csv(csv_text_, csv_line_, csv_offset_);
        }
        if (pending_header_) note_unrecognized(header_line_);
        flush();
        if (unrecognized_ > 0)
            diags_.warning_at_line(path_, first_unrecognized_,
                                   fmt::format("{} line(s) that are not part of a Get-Queue listing were skipped (first at this line)",
                                               unrecognized_),
                                   std::string(kName));
        if (queues_ == 0) diags_.warning_at_line(path_, 0, "the file lists no queues", std::string(kName));
        Segment seg;
        seg.path = path_;
        seg.parser = std::string(kName);
        seg.kind = "queue-listing";
        seg.first_line = first_line_;
        seg.last_line = last_line_;
        seg.outcome = blocked_queues_ ? "failed" : "unknown";
        if (first_format_ != Format::none) seg.set_fact("format", std::string(format_name(first_format_)));
        seg.set_fact("queues", std::to_string(queues_));
        seg.set_fact("messages", std::to_string(messages_));
        if (throttled_queues_ || blocked_queues_) {
            seg.set_fact("throttled_queues", std::to_string(throttled_queues_));
            seg.set_fact("blocked_queues", std::to_string(blocked_queues_));
            seg.set_fact("enforced_messages", std::to_string(enforced_messages_));
        }
        sink_.on_segment_end(seg);
    }

private:
    // --- Format-List ---
    void list_property(std::string_view line, std::string_view name, std::string_view value, uint64_t number, uint64_t offset) {
        if (format_ != Format::list) {
            flush();
            format_ = Format::list;
        }
        if (!entry_.empty() && entry_.find(name)) flush();   // a repeated name starts the next queue
        if (entry_.empty()) entry_.start(line, number, offset);
        entry_.add_line(line, number);
        if (!entry_.set(name, value)) entry_.capped = true;
    }

    // --- Format-Table ---
    void start_table(std::string_view dashes, uint64_t number) {
        flush();
        column_starts_.clear();
        columns_.clear();
        for (size_t i = 0; i < dashes.size() && column_starts_.size() < kMaxColumns; ++i)
            if (dashes[i] == '-' && (i == 0 || dashes[i - 1] == ' ')) column_starts_.push_back(i);
        for (size_t c = 0; c < column_starts_.size(); ++c) {
            const size_t start = column_starts_[c];
            const size_t end = c + 1 < column_starts_.size() ? column_starts_[c + 1] : std::string_view::npos;
            columns_.push_back(std::string(trim(start < header_.size() ? std::string_view(header_).substr(start, end - start) : "")));
        }
        const auto ws = words(header_, kMaxColumns);
        if (ws.size() != columns_.size()) {
            line_warning(number, "the dashes under the Get-Queue table header do not line up with its column names; columns are read by the dashes");
        }
        format_ = Format::table;
    }

    // Cuts a row at the column starts; when a cut falls inside a word (a pasted table whose
    // spacing was lost) and the row has exactly one word per column, the words are used.
    void cut_row(std::string_view line, uint64_t number, std::vector<std::string>& out) {
        out.assign(columns_.size(), std::string());
        bool aligned = true;
        for (size_t c = 1; c < column_starts_.size(); ++c) {
            const size_t at = column_starts_[c];
            if (at < line.size() && at > 0 && !is_space(line[at - 1]) && !is_space(line[at])) aligned = false;
        }
        if (!aligned) {
            const auto ws = words(line, kMaxColumns + 1);
            if (ws.size() == columns_.size()) {
                for (size_t c = 0; c < ws.size(); ++c) out[c] = std::string(ws[c]);
                return;
            }
            line_warning(number, "a Get-Queue table row does not line up with the header; it is cut at the header's columns");
        }
        for (size_t c = 0; c < column_starts_.size(); ++c) {
            const size_t start = column_starts_[c];
            if (start >= line.size()) break;
            const size_t end = c + 1 < column_starts_.size() ? column_starts_[c + 1] : std::string_view::npos;
            out[c] = std::string(trim(line.substr(start, end == std::string_view::npos ? end : end - start)));
        }
    }

    void table_row(std::string_view line, uint64_t number, uint64_t offset) {
        cut_row(line, number, cells_);
        if (!entry_.empty() && (cells_.empty() || cells_[0].empty())) {
            // -Wrap: the rest of the previous row's cells.
            entry_.add_line(line, number);
            for (size_t c = 0; c < cells_.size() && c < columns_.size(); ++c) {
                if (cells_[c].empty() || columns_[c].empty()) continue;
                std::string* v = entry_.find(columns_[c]);
                if (v && v->size() + 1 + cells_[c].size() <= kMaxValueBytes) *v += (v->empty() ? "" : " ") + cells_[c];
                else if (!v) entry_.set(columns_[c], cells_[c]);
            }
            return;
        }
        flush();
        entry_.start(line, number, offset);
        entry_.add_line(line, number);
        for (size_t c = 0; c < cells_.size() && c < columns_.size(); ++c)
            if (!columns_[c].empty()) entry_.set(columns_[c], cells_[c]);
    }

    // --- Export-Csv ---
    void csv_row(std::string_view line, uint64_t number, uint64_t offset) {
        if (!csvrow::split(line, cells_, kMaxColumns + 1)) {
            csv_pending_ = true;
            csv_text_.assign(line);
            csv_line_ = number;
            csv_offset_ = offset;
            return;
        }
        emit_csv(line, number, offset);
    }

    void continue_csv_row(std::string_view line, uint64_t number) {
        if (csv_text_.size() + 1 + line.size() > kMaxCsvRowBytes) {
            line_warning(csv_line_, "a quoted cell runs on for more than 1 MiB; the row is kept as read so far");
            csv_pending_ = false;
            emit_csv(csv_text_, csv_line_, csv_offset_);
            return on_line(line, number, 0);
        }
        csv_text_ += '\n';
        csv_text_.append(line);
        if (csvrow::split(csv_text_, cells_, kMaxColumns + 1)) {
            csv_pending_ = false;
            emit_csv(csv_text_, csv_line_, csv_offset_);
        }
    }

    void emit_csv(std::string_view row, uint64_t number, uint64_t offset) {
        csvrow::split(row, cells_, kMaxColumns + 1);
        if (cells_.size() != columns_.size())
            line_warning(number, fmt::format("a CSV row has {} cells where the header names {}", cells_.size(), columns_.size()));
        entry_.start(row.substr(0, row.find('\n')), number, offset);
        uint64_t n = number;
        size_t pos = 0;
        while (pos <= row.size()) {
            const size_t nl = row.find('\n', pos);
            entry_.add_line(row.substr(pos, nl == std::string_view::npos ? nl : nl - pos), n++);
            if (nl == std::string_view::npos) break;
            pos = nl + 1;
        }
        for (size_t c = 0; c < cells_.size() && c < columns_.size(); ++c) entry_.set(columns_[c], cells_[c]);
        flush();
    }

    // --- records ---
    void flush() {
        if (entry_.empty()) {
            entry_.clear();
            return;
        }
        emit(entry_);
        entry_.clear();
    }

    void emit(QueueEntry& q) {
        if (first_format_ == Format::none) first_format_ = format_;
        fields_.clear();
        for (const auto& [k, v] : q.props)
            if (!v.empty()) fields_.push_back({k, v});
        const std::string_view format = format_name(format_);
        fields_.push_back({"format", format});
        const std::string* last_error = q.find("LastError");
        const std::string_view enforcement = enforcement_of(last_error ? std::string_view(*last_error) : std::string_view(q.text));
        if (!enforcement.empty()) fields_.push_back({"enforcement", enforcement});
        if (last_error) {
            detail_ = std::string(last_error_detail(*last_error));
            if (!detail_.empty()) fields_.push_back({"last_error_detail", detail_});
        }
        const std::string* identity = q.find("Identity");
        if (!identity || identity->empty()) identity = q.find("QueueIdentity");
        if (!identity || identity->empty()) line_warning(q.line, "a queue without an Identity");
        unsigned count = 0;
        size_t used = 0;
        if (const std::string* mc = q.find("MessageCount"); mc && !mc->empty()) {
            if (leading_number(*mc, count, used) && used == mc->size()) messages_ += count;
            else line_warning(q.line, fmt::format("MessageCount \"{}\" is not a number", cut_utf8(*mc, 40)));
        }
        if (q.capped) line_warning(q.line, "a queue with more properties or longer values than kept; the rest was skipped");
        ++queues_;
        if (enforcement == "blocked") ++blocked_queues_;
        if (enforcement == "throttled") ++throttled_queues_;
        if (!enforcement.empty()) enforced_messages_ += count;

        Record r;
        r.parser = kName;
        r.path = path_;
        r.line = q.line;
        r.line_count = std::max<uint64_t>(q.line_count, 1);
        r.offset = q.offset;
        r.raw = q.raw;
        r.text = std::string_view(q.text).substr(0, q.text_content);
        const std::string* retry = q.find("LastRetryTime");
        r.time_ms = retry ? parse_local_time(*retry) : kNoTime;
        r.time_is_utc = false;
        const std::string* status = q.find("Status");
        const bool troubled = status && (iequals(*status, "Retry") || iequals(*status, "Suspended"));
        r.level = enforcement == "blocked" ? Level::error
                  : (!enforcement.empty() || troubled) ? Level::warning
                                                       : Level::info;
        r.fields = std::span<const Field>(fields_.data(), fields_.size());
        r.segment = 0;
        sink_.on_record(r);
    }

    void line_warning(uint64_t line, std::string message) {
        if (++line_diagnostics_ > kMaxLineDiagnostics) return;
        diags_.warning_at_line(path_, line, std::move(message), std::string(kName));
    }

    void note_unrecognized(uint64_t number) {
        if (unrecognized_++ == 0) first_unrecognized_ = number;
    }

    const std::string& path_;
    RecordSink& sink_;
    DiagSink& diags_;
    Format format_ = Format::none, first_format_ = Format::none;
    QueueEntry entry_;
    std::vector<std::string> columns_, cells_;
    std::vector<size_t> column_starts_;
    std::string header_, csv_text_, detail_;
    bool pending_header_ = false, csv_pending_ = false;
    uint64_t header_line_ = 0, csv_line_ = 0, csv_offset_ = 0;
    std::vector<Field> fields_;
    uint64_t first_line_ = 0, last_line_ = 0, unrecognized_ = 0, first_unrecognized_ = 0;
    uint64_t queues_ = 0, messages_ = 0, throttled_queues_ = 0, blocked_queues_ = 0, enforced_messages_ = 0;
    int line_diagnostics_ = 0;
};

class ExchangeQueueListingParser final : public Parser {
public:
    std::string_view name() const override { return kName; }

    // A Format-List listing names DeliveryType, NextHopDomain and MessageCount; a table has the
    // "Identity ... Status ... MessageCount" header over a line of dashes; an Export-Csv file
    // has a header naming Identity, MessageCount and DeliveryType or NextHopDomain. A command
    // line or banner may come first, so 40 lines are looked at.
    bool sniff(const SniffInput& in) const override {
        bool delivery_type = false, next_hop = false, message_count = false, table_header = false, table = false, csv = false;
        std::vector<std::string> cells;
        for_each_head_line(in.text_head, 40, [&](std::string_view line) {
            line = trim_right(line);
            if (table_header && is_dash_line(line)) table = true;
            table_header = is_table_header(line);
            std::string_view name, value;
            if (split_property(line, name, value)) {
                delivery_type |= iequals(name, "DeliveryType");
                next_hop |= iequals(name, "NextHopDomain");
                message_count |= iequals(name, "MessageCount");
            } else if (line.starts_with("\"") && line.find(',') != std::string_view::npos) {
                csvrow::split(line.substr(0, 4096), cells, kMaxColumns);
                csv |= is_csv_header(cells);
            }
            return !table && !csv && !(delivery_type && next_hop && message_count);
        });
        return table || csv || (delivery_type && next_hop && message_count);
    }

    void parse(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags) const override {
        sink.on_file_begin(path, kName);
        ListingReader reader(path, sink, diags);
        for_each_line(source, path, kName, diags,
                      [&](std::string_view line, uint64_t number, uint64_t offset) { reader.on_line(line, number, offset); });
        reader.finish();
        sink.on_file_end(path);
    }
};

}  // namespace

std::unique_ptr<Parser> make_exchange_queue_listing_parser() { return std::make_unique<ExchangeQueueListingParser>(); }

}  // namespace extriage
