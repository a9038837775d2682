// Parser for ExchangeSetup.log ("exchange-setup"): one Record per log entry (a timestamped
// physical line plus its continuation lines) and one Segment per setup.exe run with header facts,
// outcome and the last [ERROR] with the lines before it. It streams through LineReader and keeps
// only the entry being assembled, a few held header entries and a 10-line ring, so memory stays
// flat in file size. Deciding *why* setup failed is left to the rules.
#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "decode.hpp"
#include "parser.hpp"
#include "setup_stamp.hpp"
#include "update_log_common.hpp"

namespace extriage {

namespace {

constexpr std::string_view kName = "exchange-setup";
constexpr size_t kMaxRecordBytes = 16u << 20;      // cap on one entry's joined text
constexpr size_t kContextLines = 10;               // physical lines kept before the last error
constexpr size_t kMaxContextLineBytes = 4096;      // per context line (some lines are ~1 MB)
constexpr size_t kMaxErrorTextBytes = 64 * 1024;   // last_error text kept for the report
constexpr size_t kMaxHeld = 8;                     // header entries held until the time zone is known

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

size_t ifind(std::string_view s, std::string_view needle) {
    if (needle.empty()) return 0;
    if (s.size() < needle.size()) return std::string_view::npos;
    const char first = ascii_lower(needle[0]);
    for (size_t i = 0; i + needle.size() <= s.size(); ++i)
        if (ascii_lower(s[i]) == first && iequals(s.substr(i, needle.size()), needle)) return i;
    return std::string_view::npos;
}

std::string_view trim_right(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

std::string_view trim(std::string_view s) {
    s = trim_right(s);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    return s;
}

// "15.2.792.3." -> "15.2.792.3"
std::string_view strip_period(std::string_view s) {
    s = trim_right(s);
    if (!s.empty() && s.back() == '.') s.remove_suffix(1);
    return s;
}

// "'X'." or "'X' was found ..." after an opening quote was consumed: the text up to the last quote.
std::string_view up_to_last_quote(std::string_view s) {
    size_t q = s.rfind('\'');
    return q == std::string_view::npos ? strip_period(s) : s.substr(0, q);
}

// Cuts s to at most max bytes without splitting a UTF-8 sequence.
std::string_view cut_utf8(std::string_view s, size_t max) {
    if (s.size() <= max) return s;
    size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n);
}

inline unsigned num2(std::string_view s, size_t at) {
    return static_cast<unsigned>((s[at] - '0') * 10 + (s[at + 1] - '0'));
}

// The "[MM/dd/yyyy HH:mm:ss.ffff] [N] " prefix of a physical line (any culture's separators).
struct Prefix {
    int64_t local_ms = kNoTime;   // calendar fields read as if UTC
    size_t depth_begin = 0;
    size_t depth_end = 0;
    size_t msg_pos = 0;           // start of the message
};

bool parse_prefix(std::string_view s, Prefix& p) {
    SetupStamp stamp;
    if (!parse_setup_stamp(s, stamp)) return false;
    const size_t i = stamp.end;
    if (i + 2 > s.size() || s[i] != ' ' || s[i + 1] != '[') return false;
    const size_t d0 = i + 2;
    size_t d = d0;
    while (d < s.size() && d - d0 < 9 && is_digit(s[d])) ++d;
    if (d == d0 || d >= s.size() || s[d] != ']') return false;
    size_t msg = d + 1;
    if (msg < s.size()) {
        if (s[msg] != ' ') return false;
        ++msg;
    }
    p.depth_begin = d0;
    p.depth_end = d;
    p.msg_pos = msg;
    p.local_ms = stamp.local_ms;
    return true;
}

// Severity tag right after "[N] ": "[ERROR] ...".
std::string_view detect_tag(std::string_view msg) {
    if (msg.size() < 3 || msg[0] != '[') return {};
    size_t close = msg.find(']');
    if (close == std::string_view::npos || close > 20) return {};
    if (close + 1 < msg.size() && msg[close + 1] != ' ') return {};
    std::string_view tag = msg.substr(1, close - 1);
    // RECOMENDED is Exchange's own spelling.
    for (std::string_view t : {"ERROR", "ERROR-REFERENCE", "WARNING", "REQUIRED", "RECOMENDED", "RECOMMENDED"})
        if (tag == t) return tag;
    return {};
}

bool is_asterisk_line(std::string_view msg) {
    msg = trim_right(msg);
    if (msg.size() < 10) return false;
    for (char c : msg)
        if (c != '*') return false;
    return true;
}

// "Starting Microsoft Exchange Server (\d{4}|Subscription Edition) Setup", case-insensitive as in
// SetupLogReviewer's Select-String. Returns the product ("Exchange Server 2019") or empty.
std::string_view banner_product(std::string_view msg) {
    static constexpr std::string_view kStart = "Starting Microsoft Exchange Server ";
    if (!istarts_with(msg, kStart)) return {};
    std::string_view rest = msg.substr(kStart.size());
    size_t edition;
    if (rest.size() >= 4 && is_digit(rest[0]) && is_digit(rest[1]) && is_digit(rest[2]) && is_digit(rest[3]))
        edition = 4;
    else if (istarts_with(rest, "Subscription Edition"))
        edition = std::string_view("Subscription Edition").size();
    else
        return {};
    if (!istarts_with(rest.substr(edition), " Setup")) return {};
    const size_t product_begin = std::string_view("Starting Microsoft ").size();
    return msg.substr(product_begin, kStart.size() + edition - product_begin);
}

// "(UTC-05:00) Eastern Time (US & Canada)." -> offset in ms; "(UTC) ..." -> 0.
bool parse_utc_offset(std::string_view zone, int64_t& offset_ms) {
    if (!zone.starts_with("(UTC")) return false;
    zone.remove_prefix(4);
    if (zone.starts_with(")")) {
        offset_ms = 0;
        return true;
    }
    if (zone.size() < 7 || (zone[0] != '+' && zone[0] != '-') || !is_digit(zone[1]) || !is_digit(zone[2]) ||
        zone[3] != ':' || !is_digit(zone[4]) || !is_digit(zone[5]) || zone[6] != ')')
        return false;
    const int64_t minutes = num2(zone, 1) * 60 + num2(zone, 4);
    offset_ms = (zone[0] == '-' ? -minutes : minutes) * 60000;
    return true;
}

// Switches that replace /mode for AD preparation and recovery runs.
std::string_view mode_for_switch(std::string_view name) {
    struct Switch {
        std::string_view name, mode;
    };
    static constexpr Switch kSwitches[] = {
        {"prepareschema", "PrepareSchema"},
        {"ps", "PrepareSchema"},
        {"preparead", "PrepareAD"},
        {"p", "PrepareAD"},
        {"preparedomain", "PrepareDomain"},
        {"pd", "PrepareDomain"},
        {"preparealldomains", "PrepareAllDomains"},
        {"pad", "PrepareAllDomains"},
        {"preparelegacyexchangepermissions", "PrepareLegacyExchangePermissions"},
        {"pl", "PrepareLegacyExchangePermissions"},
        {"recoverserver", "RecoverServer"},
    };
    for (const Switch& s : kSwitches)
        if (iequals(name, s.name)) return s.mode;
    return {};
}

// One log entry being assembled: the first physical line plus continuation lines, in one buffer
// so that raw (a prefix) and text (a suffix) are both plain views.
struct Entry {
    std::string body;
    size_t raw_len = 0;
    size_t msg_pos = 0;
    size_t depth_begin = 0, depth_end = 0;
    bool stamped = false;          // has the timestamp prefix
    bool capped = false;           // continuation text dropped past kMaxRecordBytes
    uint64_t line = 0;
    uint64_t line_count = 0;
    uint64_t offset = 0;
    int64_t local_ms = kNoTime;
    std::vector<ContextLine> context;   // only for [ERROR] entries

    std::string_view raw() const { return std::string_view(body).substr(0, raw_len); }
    std::string_view text() const { return std::string_view(body).substr(msg_pos); }
    std::string_view msg_line() const { return raw().substr(msg_pos); }
};

class SetupLogState {
public:
    SetupLogState(const std::string& path, RecordSink& sink, DiagSink& diags)
        : path_(path), sink_(sink), diags_(diags) {}

    void on_line(std::string_view line, uint64_t number, uint64_t offset);
    void finish();
    bool saw_stamped() const { return saw_stamped_; }

private:
    struct Run {
        Segment seg;
        bool open = false;
        bool succeeded = false, failed_line = false, error = false, end_of_setup = false;
        bool awaiting_tz = false;
        bool tz_known = false;
        int64_t tz_offset_ms = 0;
        int64_t start_local = kNoTime, end_local = kNoTime;
        uint64_t begin_line = 0;   // first physical line (known before held entries are emitted)
    };

    void start_entry(std::string_view line, uint64_t number, uint64_t offset, const Prefix* prefix);
    void deliver(Entry& e);
    void emit(Entry& e);
    void flush_held();
    void open_run(bool banner, uint64_t begin_line);
    void end_run();
    void update_run(const Entry& e, std::string_view tag);
    void set_header_fact(std::string_view msg);
    void push_ring(uint64_t number, std::string_view line);
    std::vector<ContextLine> ring_since(uint64_t first_line) const;

    const std::string& path_;
    RecordSink& sink_;
    DiagSink& diags_;

    Entry pending_;
    bool has_pending_ = false;
    bool saw_stamped_ = false;
    std::deque<Entry> held_;
    Run run_;
    int next_index_ = 0;

    std::array<ContextLine, kContextLines> ring_{};
    size_t ring_next_ = 0;
    size_t ring_size_ = 0;

    std::array<Field, 8> fields_{};
    size_t nfields_ = 0;
};

void SetupLogState::push_ring(uint64_t number, std::string_view line) {
    ContextLine& slot = ring_[ring_next_];
    slot.line = number;
    slot.text.assign(cut_utf8(line, kMaxContextLineBytes));
    ring_next_ = (ring_next_ + 1) % kContextLines;
    if (ring_size_ < kContextLines) ++ring_size_;
}

std::vector<ContextLine> SetupLogState::ring_since(uint64_t first_line) const {
    std::vector<ContextLine> out;
    out.reserve(ring_size_);
    for (size_t k = 0; k < ring_size_; ++k) {
        const ContextLine& c = ring_[(ring_next_ + kContextLines - ring_size_ + k) % kContextLines];
        if (c.line >= first_line) out.push_back(c);
    }
    return out;
}

void SetupLogState::start_entry(std::string_view line, uint64_t number, uint64_t offset, const Prefix* prefix) {
    Entry& e = pending_;
    e.body.assign(line);
    e.raw_len = line.size();
    e.stamped = prefix != nullptr;
    e.msg_pos = prefix ? prefix->msg_pos : 0;
    e.depth_begin = prefix ? prefix->depth_begin : 0;
    e.depth_end = prefix ? prefix->depth_end : 0;
    e.local_ms = prefix ? prefix->local_ms : kNoTime;
    e.capped = false;
    e.line = number;
    e.line_count = 1;
    e.offset = offset;
    e.context.clear();
    has_pending_ = true;
}

void SetupLogState::on_line(std::string_view line, uint64_t number, uint64_t offset) {
    Prefix prefix;
    if (parse_prefix(line, prefix)) {
        saw_stamped_ = true;
        const std::string_view msg = line.substr(prefix.msg_pos);
        const bool banner = !banner_product(msg).empty();
        if (has_pending_) {
            // The asterisk line right before a banner opens the new run, so a run's first line is
            // its "*****" frame and not the last line of the previous run.
            if (banner && pending_.stamped && pending_.line_count == 1 && is_asterisk_line(pending_.msg_line())) {
                end_run();
                open_run(true, pending_.line);
                deliver(pending_);
            } else {
                deliver(pending_);
                if (banner) {
                    end_run();
                    open_run(true, number);
                }
            }
            has_pending_ = false;
        } else if (banner) {
            end_run();
            open_run(true, number);
        }
        start_entry(line, number, offset, &prefix);
        if (detect_tag(msg) == "ERROR") {
            if (!run_.open) open_run(false, number);
            pending_.context = ring_since(run_.begin_line);
        }
    } else if (has_pending_ && pending_.stamped) {
        // Continuation line: stack traces, script blocks, LDAP details, blank lines.
        Entry& e = pending_;
        ++e.line_count;
        if (!e.capped) {
            if (e.body.size() + 1 + line.size() <= kMaxRecordBytes) {
                e.body.push_back('\n');
                e.body.append(line);
            } else {
                e.capped = true;
                diags_.warning_at_line(path_, e.line,
                                       fmt::format("entry longer than {} bytes; later continuation lines dropped",
                                                   kMaxRecordBytes),
                                       std::string(kName));
            }
        }
    } else if (!trim(line).empty()) {
        // Before the first timestamped line (a cut log, a pasted snippet): one record per line.
        if (has_pending_) deliver(pending_);
        start_entry(line, number, offset, nullptr);
    }
    push_ring(number, line);
}

void SetupLogState::finish() {
    if (has_pending_) {
        deliver(pending_);
        has_pending_ = false;
    }
    end_run();
}

void SetupLogState::open_run(bool banner, uint64_t begin_line) {
    run_ = Run{};
    run_.open = true;
    run_.begin_line = begin_line;
    run_.awaiting_tz = banner;
    run_.seg.path = path_;
    run_.seg.parser = std::string(kName);
    run_.seg.kind = "setup-run";
    run_.seg.index = next_index_++;
}

void SetupLogState::end_run() {
    flush_held();
    if (!run_.open) return;
    Segment& seg = run_.seg;
    if (run_.succeeded)
        seg.outcome = "succeeded";
    else if (run_.failed_line || run_.error)
        seg.outcome = "failed";
    else if (!run_.end_of_setup)
        seg.outcome = "incomplete";
    else
        seg.outcome = "unknown";
    const int64_t shift = run_.tz_known ? run_.tz_offset_ms : 0;
    seg.start_ms = run_.start_local == kNoTime ? kNoTime : run_.start_local - shift;
    seg.end_ms = run_.end_local == kNoTime ? kNoTime : run_.end_local - shift;
    seg.time_is_utc = run_.tz_known;
    sink_.on_segment_end(seg);
    run_.open = false;
}

// Setup writes local time and states the zone in each run's header:
//   Local time zone: (UTC-05:00) Eastern Time (US & Canada).
// When a run has that line we convert its records to UTC (time_is_utc = true); otherwise times are
// the calendar fields read as if UTC (time_is_utc = false). The header line comes 3 entries after
// the banner, so the first few entries of a run are held back until it is seen (at most kMaxHeld).
// Caveat: the display name carries the zone's *standard* offset; Windows does not log whether DST
// was in effect, so during daylight saving time the UTC value is one hour off.
void SetupLogState::deliver(Entry& e) {
    if (!run_.open) open_run(false, e.line);
    if (e.stamped) {
        std::string_view msg = e.text();
        if (msg.starts_with("Local time zone: ")) {
            int64_t offset = 0;
            if (parse_utc_offset(msg.substr(17), offset)) {
                run_.tz_known = true;
                run_.tz_offset_ms = offset;
            }
            run_.awaiting_tz = false;
        }
    }
    if (run_.awaiting_tz) {
        // Only short single-line "[0]" header entries are held, so holding stays cheap.
        if (held_.size() < kMaxHeld && e.stamped && e.line_count == 1 && e.body.size() <= kMaxContextLineBytes &&
            e.depth_end - e.depth_begin == 1 && e.raw()[e.depth_begin] == '0') {
            held_.push_back(std::move(e));
            return;
        }
        run_.awaiting_tz = false;
    }
    flush_held();
    emit(e);
}

void SetupLogState::flush_held() {
    while (!held_.empty()) {
        emit(held_.front());
        held_.pop_front();
    }
}

void SetupLogState::emit(Entry& e) {
    Record r;
    r.parser = kName;
    r.path = path_;
    r.line = e.line;
    r.line_count = e.line_count;
    r.offset = e.offset;
    r.raw = e.raw();
    r.text = e.text();
    r.segment = run_.seg.index;
    if (e.local_ms != kNoTime) {
        r.time_ms = run_.tz_known ? e.local_ms - run_.tz_offset_ms : e.local_ms;
        r.time_is_utc = run_.tz_known;
    }

    size_t n = 0;
    std::string_view tag;
    if (e.stamped) {
        fields_[n++] = {"depth", r.raw.substr(e.depth_begin, e.depth_end - e.depth_begin)};
        tag = detect_tag(r.text);
        if (!tag.empty()) fields_[n++] = {"tag", tag};
        const std::string_view text = r.text;
        std::string_view rest;
        bool evaluated = false;
        if (text.starts_with("Evaluated [")) {
            rest = text.substr(11);
            evaluated = true;
        } else if (text.starts_with("Failed [")) {
            rest = text.substr(8);
        }
        const size_t colon = rest.find(':');
        const size_t close = rest.find(']');
        if (colon != std::string_view::npos && close != std::string_view::npos && colon < close) {
            std::string_view kind = rest.substr(0, colon);
            if (kind == "Setting" || kind == "Rule") {
                fields_[n++] = {"kind", kind};
                fields_[n++] = {"name", rest.substr(colon + 1, close - colon - 1)};
                std::string_view after = rest.substr(close + 1);
                if (evaluated) {
                    if (size_t h = after.find("[HasException:"); h != std::string_view::npos) {
                        std::string_view hv = after.substr(h + 14);
                        fields_[n++] = {"has_exception", hv.substr(0, hv.find(']'))};
                    }
                    // Values may span lines ("[Value:\nExpected failure ...\n] [ParentValue:").
                    if (size_t v = after.find("[Value:"); v != std::string_view::npos) {
                        std::string_view value = after.substr(v + 7);
                        size_t end = value.find("] [ParentValue:");
                        if (end == std::string_view::npos) end = value.find("\"] [");
                        if (end != std::string_view::npos && value.substr(end).starts_with("\"]")) ++end;
                        if (end != std::string_view::npos) value = value.substr(0, end);
                        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
                            value = value.substr(1, value.size() - 2);
                        else
                            value = trim(value);
                        fields_[n++] = {"value", value};
                    }
                } else if (size_t m = after.find("[Message:"); m != std::string_view::npos) {
                    std::string_view message = trim_right(after.substr(m + 9));
                    if (!message.empty() && message.back() == ']') message.remove_suffix(1);
                    fields_[n++] = {"message", message};
                }
            }
        }
        if (tag == "ERROR" || tag == "ERROR-REFERENCE")
            r.level = Level::error;
        else if (tag == "WARNING")
            r.level = Level::warning;
    }
    r.fields = std::span<const Field>(fields_.data(), n);
    nfields_ = n;

    update_run(e, tag);
    sink_.on_record(r);
}

void SetupLogState::update_run(const Entry& e, std::string_view tag) {
    Segment& seg = run_.seg;
    if (seg.first_line == 0) seg.first_line = e.line;
    seg.last_line = e.line + e.line_count - 1;
    if (e.local_ms != kNoTime) {
        if (run_.start_local == kNoTime) run_.start_local = e.local_ms;
        run_.end_local = e.local_ms;
    }
    if (!e.stamped) return;

    const std::string_view text = e.text();
    const std::string_view line = trim_right(e.msg_line());
    if (tag == "ERROR") {
        run_.error = true;
        seg.last_error = ContextLine{e.line, std::string(cut_utf8(text, kMaxErrorTextBytes))};
        seg.error_context = e.context;
    }
    if (line == "The Exchange Server setup operation completed successfully.") {
        run_.succeeded = true;
    } else if (line.starts_with("The Exchange Server setup operation didn't complete") ||
               line.starts_with("Setup is stopping now because of one or more critical errors")) {
        run_.failed_line = true;
    } else if (line == "End of Setup") {
        run_.end_of_setup = true;
    }

    const std::string_view depth = e.raw().substr(e.depth_begin, e.depth_end - e.depth_begin);
    if (depth == "0") {
        set_header_fact(line);
    } else if (text.starts_with("Evaluated [Setting:")) {
        // Prerequisite settings that identify the server; empty values mean "not found".
        struct SettingFact {
            std::string_view setting, fact;
        };
        static constexpr SettingFact kSettings[] = {
            {"ComputerNameDnsFullyQualified", "server_fqdn"},
            {"SiteName", "site"},
            {"DomainControllerSiteName", "dc_site"},
            {"SMOSchemaSiteName", "schema_master_site"},
        };
        std::string_view rest = text.substr(19);
        std::string_view name = rest.substr(0, rest.find(']'));
        for (const SettingFact& s : kSettings) {
            if (name != s.setting) continue;
            for (const Field& f : std::span<const Field>(fields_.data(), nfields_))
                if (f.name == "value") {
                    if (!f.value.empty()) seg.set_fact(std::string(s.fact), std::string(f.value));
                    break;
                }
            break;
        }
    }
}

// Facts from the "[0]" header lines of a run. The last occurrence inside the run wins.
void SetupLogState::set_header_fact(std::string_view msg) {
    Segment& seg = run_.seg;
    auto set = [&](std::string_view name, std::string_view value) {
        value = trim(value);
        if (!value.empty()) seg.set_fact(std::string(name), std::string(value));
    };
    auto after = [&](std::string_view prefix, std::string_view& rest) {
        if (!msg.starts_with(prefix)) return false;
        rest = msg.substr(prefix.size());
        return true;
    };
    if (msg.empty()) return;
    std::string_view rest;
    switch (msg[0]) {
        case 'S':
        case 's':
            if (std::string_view product = banner_product(msg); !product.empty())
                set("product", product);
            else if (after("Setup version: ", rest))
                set("setup_version", strip_period(rest));
            else if (after("Setup will use the domain controller '", rest))
                set("domain_controller", up_to_last_quote(rest));
            else if (after("Setup will use the global catalog '", rest))
                set("global_catalog", up_to_last_quote(rest));
            else if (after("Schema Update Required Status : '", rest))
                set("schema_update_required", up_to_last_quote(rest));
            else if (after("Server Name=", rest))
                set("server_name", rest);
            break;
        case 'L':
            if (after("Local time zone: ", rest))
                set("time_zone", strip_period(rest));
            else if (after("Logged on user: ", rest))
                set("user", strip_period(rest));
            break;
        case 'O':
            if (after("Operating system version: ", rest))
                set("os_version", strip_period(rest));
            else if (after("Organization Configuration Update Required Status : '", rest))
                set("org_update_required", up_to_last_quote(rest));
            break;
        case 'C':
            if (after("Command Line Parameter Name='", rest)) {
                const size_t sep = rest.find("', Value='");
                if (sep == std::string_view::npos) break;
                const std::string_view name = rest.substr(0, sep);
                const std::string_view value = up_to_last_quote(rest.substr(sep + 10));
                if (iequals(name, "mode") || iequals(name, "m"))
                    set("mode", value);
                else if (iequals(name, "sourcedir"))
                    set("source_dir", value);
                else if (std::string_view mode = mode_for_switch(name); !mode.empty())
                    set("mode", mode);
            }
            break;
        case 'R':
            if (after("RuntimeAssembly was started with the following command: '", rest))
                set("command_line", up_to_last_quote(rest));
            break;
        case 'T':
            if (after("The following roles are installed: ", rest))
                set("roles", rest);
            else if (after("The locally installed version is ", rest))
                set("installed_version", strip_period(rest));
            else if (after("The backup copy of the previously installed version is '", rest))
                set("previous_version", up_to_last_quote(rest));
            else if (after("The installation mode is set to: '", rest))
                set("install_mode", up_to_last_quote(rest));
            break;
        case 'A':
            if (after("An Exchange organization with name '", rest))
                set("organization", rest.substr(0, rest.find('\'')));
            else if (after("Active Directory Initialization status : '", rest))
                set("ad_initialized", up_to_last_quote(rest));
            break;
        case 'D':
            if (after("Domain Configuration Update Required Status : '", rest))
                set("domain_update_required", up_to_last_quote(rest));
            break;
        case 'E':
            if (after("Exchange Installation Directory : '", rest)) set("install_path", up_to_last_quote(rest));
            break;
        case 'P':
            // "PrepareAD has either not been run or ... Setup will attempt to use the Schema Master
            // domain controller DC1.contoso.com"
            static constexpr std::string_view kSchemaMaster =
                "Setup will attempt to use the Schema Master domain controller ";
            if (size_t at = msg.find(kSchemaMaster); at != std::string_view::npos)
                set("schema_master", strip_period(msg.substr(at + kSchemaMaster.size())));
            break;
        default:
            break;
    }
}

class ExchangeSetupParser final : public Parser {
public:
    std::string_view name() const override { return kName; }

    bool sniff(const SniffInput& in) const override {
        std::string_view t = in.text_head;
        if (t.starts_with("\xEF\xBB\xBF")) t.remove_prefix(3);
        int nonblank = 0;
        int lines = 0;
        size_t pos = 0;
        while (pos < t.size() && nonblank < 5 && lines < 50) {
            size_t end = t.find_first_of("\r\n", pos);
            if (end == std::string_view::npos) end = t.size();
            std::string_view line = t.substr(pos, end - pos);
            ++lines;
            if (!trim(line).empty()) {
                if (looks_like_setup_line(line)) return true;
                ++nonblank;
            }
            pos = end + 1;
        }
        return ifind(t, "Starting Microsoft Exchange Server ") != std::string_view::npos;
    }

    void parse(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags) const override {
        sink.on_file_begin(path, kName);
        SetupLogState state(path, sink, diags);
        updlog::for_each_line(source, path, kName, diags, [&](std::string_view line, uint64_t number, uint64_t offset) {
            state.on_line(line, number, offset);
        });
        state.finish();
        if (!state.saw_stamped()) diags.error_at_line(path, 0, "no ExchangeSetup.log lines found", std::string(kName));
        sink.on_file_end(path);
    }
};

}  // namespace

std::unique_ptr<Parser> make_exchange_setup_parser() { return std::make_unique<ExchangeSetupParser>(); }

}  // namespace extriage
