// Parser for Windows Installer verbose logs ("msi-log"): Exchange SU/HU .msp logs
// (V15\Logging\Update\msi\ExchangeUpdate_*.log), msiexec /l*v logs and the CU *.msilog files.
// One Record per log line (indented continuation lines, e.g. the RunEngine block, are joined),
// one "msi-session" Segment per "=== Verbose logging started" block with the product, patch,
// result and the first failing action. Streams through LineReader; memory is one record plus a
// small ring of context lines. Deciding *why* the install failed is left to the rules.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "parser.hpp"
#include "update_log_common.hpp"

namespace extriage {

namespace {

using namespace updlog;

constexpr std::string_view kName = "msi-log";
constexpr size_t kMaxRecordBytes = 1u << 20;      // one record's joined text
constexpr size_t kContextLines = 20;              // physical lines kept before the failing action
constexpr size_t kMaxContextLineBytes = 1024;
constexpr size_t kMaxErrorTextBytes = 16 * 1024;
constexpr size_t kMaxFactBytes = 4096;
constexpr size_t kMinClientProperties = 20;       // a client property dump this long is "complete enough"

bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// "MSI (s) (7C:10) [14:46:10:386]: text" -- '!' instead of ':' marks custom-action threads.
struct EnginePrefix {
    char context = 0;
    size_t pid_begin = 0, pid_end = 0;
    int64_t ms_of_day = -1;
    size_t msg_pos = 0;
};

bool parse_engine_prefix(std::string_view s, EnginePrefix& p) {
    if (s.size() < 12 || !s.starts_with("MSI (") || s[6] != ')' || s[7] != ' ' || s[8] != '(') return false;
    p.context = ascii_lower(s[5]);
    size_t i = 9;
    const size_t pid_begin = i;
    while (i < s.size() && is_hex(s[i]) && i - pid_begin < 8) ++i;
    if (i == pid_begin || i >= s.size() || (s[i] != ':' && s[i] != '!')) return false;
    ++i;
    const size_t tid_begin = i;
    while (i < s.size() && is_hex(s[i]) && i - tid_begin < 8) ++i;
    if (i == tid_begin || i + 2 >= s.size() || s[i] != ')' || s[i + 1] != ' ' || s[i + 2] != '[') return false;
    p.pid_begin = pid_begin;
    p.pid_end = i;
    i += 3;
    size_t used = 0;
    int64_t ms = 0;
    if (!parse_time_of_day(s.substr(i), ms, used)) return false;
    i += used;
    if (i + 1 >= s.size() || s[i] != ']' || s[i + 1] != ':') return false;
    i += 2;
    if (i < s.size() && s[i] == ' ') ++i;
    p.ms_of_day = ms;
    p.msg_pos = i;
    return true;
}

// "=== Verbose logging started: 1/9/2023  14:46:10  Build type: ... ===" and the non-verbose
// "=== Logging started: ...". Returns the text after the colon, or empty.
std::string_view header_rest(std::string_view s, bool& started) {
    if (!s.starts_with("=== ")) return {};
    std::string_view t = s.substr(4);
    if (t.starts_with("Verbose ")) t.remove_prefix(8);
    if (istarts_with(t, "logging started:")) {
        started = true;
        return t.substr(16);
    }
    if (istarts_with(t, "logging stopped:")) {
        started = false;
        return t.substr(16);
    }
    return {};
}

// Date and time at the start of a header's rest: "  1/9/2023  14:46:10  Build type ...".
bool parse_header_stamp(std::string_view rest, CivilDate& date, int64_t& ms) {
    rest = trim(rest);
    size_t used = 0;
    if (!parse_locale_date(rest, date, used)) return false;
    rest = trim(rest.substr(used));
    return parse_time_of_day(rest, ms, used);
}

bool is_guid(std::string_view s) { return s.size() == 38 && s.front() == '{' && s.back() == '}'; }

bool all_asterisks(std::string_view s) {
    s = trim(s);
    if (s.empty()) return true;
    for (char c : s)
        if (c != '*') return false;
    return true;
}

// The text between `key` and `end` in s ("Product Version: 15.2.1118.7. Product Language:").
std::string_view between(std::string_view s, std::string_view key, std::string_view end) {
    size_t a = s.find(key);
    if (a == std::string_view::npos) return {};
    a += key.size();
    size_t b = s.find(end, a);
    return trim(b == std::string_view::npos ? s.substr(a) : s.substr(a, b - a));
}

// Leading unsigned number of s as a view ("1603." -> "1603").
std::string_view number_at(std::string_view s) {
    size_t n = 0;
    while (n < s.size() && is_digit(s[n])) ++n;
    return s.substr(0, n);
}

// Result codes that mean success (3010/1641: success, restart required / initiated).
bool success_code(std::string_view code) { return code == "0" || code == "3010" || code == "1641"; }
bool restart_code(std::string_view code) { return code == "3010" || code == "1641"; }

// What one message says, as views into it.
struct Semantics {
    std::string_view action;
    std::string_view return_value;
    std::string_view error_code;
    std::string_view note_code;
    std::string_view property;
    std::string_view value;
    char property_context = 0;
    Level level = Level::info;
};

void raise(Semantics& s, Level l) {
    if (l > s.level) s.level = l;
}

void set_code_level(Semantics& s, std::string_view code) {
    if (code.empty() || code == "0") return;
    s.error_code = code;
    if (restart_code(code)) raise(s, Level::warning);
    else if (code != "0") raise(s, Level::error);
}

Semantics analyze(std::string_view msg) {
    Semantics s;
    // Only the first physical line decides the kind of message.
    std::string_view first = msg.substr(0, msg.find('\n'));
    if (first.starts_with("Action ")) {
        std::string_view rest = first.substr(7);
        bool ended = false;
        if (rest.starts_with("start ")) rest.remove_prefix(6);
        else if (rest.starts_with("ended ")) rest.remove_prefix(6), ended = true;
        int64_t ms = 0;
        size_t used = 0;
        if (parse_time_of_day(rest, ms, used) && used < rest.size() && rest[used] == ':') {
            rest = trim(rest.substr(used + 1));
            size_t dot = rest.find(". ");
            std::string_view name = dot == std::string_view::npos ? strip_period(rest) : rest.substr(0, dot);
            s.action = name;
            if (ended) {
                if (size_t rv = rest.find("Return value "); rv != std::string_view::npos) {
                    s.return_value = number_at(rest.substr(rv + 13));
                    if (s.return_value == "3" || s.return_value == "8") raise(s, Level::error);
                    else if (s.return_value == "2") raise(s, Level::warning);
                }
            }
        }
    } else if (first.starts_with("Property(") && first.size() > 12 && first[10] == ')' && first[11] == ':') {
        s.property_context = ascii_lower(first[9]);
        std::string_view rest = msg.substr(12);
        if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
        size_t eq = rest.find(" = ");
        if (eq != std::string_view::npos && rest.substr(0, eq).find('\n') == std::string_view::npos) {
            s.property = rest.substr(0, eq);
            s.value = rest.substr(eq + 3);
        } else if (size_t e2 = rest.find(" ="); e2 != std::string_view::npos) {
            s.property = rest.substr(0, e2);  // "Name =" with an empty value
        }
        return s;  // property values are data: never a level, never a code
    } else if (first.starts_with("CustomAction ")) {
        std::string_view rest = first.substr(13);
        size_t sp = rest.find(' ');
        if (sp != std::string_view::npos) {
            s.action = rest.substr(0, sp);
            if (size_t at = rest.find("returned actual error code "); at != std::string_view::npos) {
                s.error_code = number_at(rest.substr(at + 27));
                if (!s.error_code.empty() && s.error_code != "0") raise(s, Level::warning);
            }
        }
    } else if (first.starts_with("Doing action: ")) {
        s.action = trim(first.substr(14));
    } else if (first.starts_with("Note: 1: ")) {
        s.note_code = number_at(first.substr(9));
    }

    // "Error 1935. ...", also after "Product: X -- ".
    std::string_view err = first;
    if (size_t dash = first.find(" -- "); first.starts_with("Product: ") && dash != std::string_view::npos)
        err = first.substr(dash + 4);
    if (err.starts_with("Error ")) {
        std::string_view code = number_at(err.substr(6));
        if (!code.empty() && code.size() <= 5 && err.size() > 6 + code.size() &&
            (err[6 + code.size()] == '.' || err[6 + code.size()] == ':')) {
            s.error_code = code;
            raise(s, Level::error);
        }
    }
    if (size_t at = first.find("could not be installed. Error code "); at != std::string_view::npos) {
        s.error_code = number_at(first.substr(at + 35));
        raise(s, Level::error);
    } else if (size_t st = first.find("success or error status: "); st != std::string_view::npos) {
        set_code_level(s, number_at(first.substr(st + 25)));
    } else if (size_t mt = first.find("MainEngineThread is returning "); mt != std::string_view::npos) {
        set_code_level(s, number_at(first.substr(mt + 30)));
    }
    if (first.find("-- Installation failed.") != std::string_view::npos ||
        first.find("-- Configuration failed.") != std::string_view::npos ||
        first.find("-- Removal failed.") != std::string_view::npos)
        raise(s, Level::error);
    if (s.return_value.empty() && first.find("Return value 3.") != std::string_view::npos) raise(s, Level::error);
    return s;
}

struct Entry {
    std::string body;
    size_t raw_len = 0;
    size_t msg_pos = 0;
    char context = 0;
    size_t pid_begin = 0, pid_end = 0;
    int64_t ms_of_day = -1;
    bool capped = false;
    bool is_property = false;
    bool is_footer = false;
    uint64_t line = 0, line_count = 0, offset = 0;

    std::string_view raw() const { return std::string_view(body).substr(0, raw_len); }
    std::string_view text() const { return std::string_view(body).substr(msg_pos); }
};

class MsiLogState {
public:
    MsiLogState(const std::string& path, RecordSink& sink, DiagSink& diags) : path_(path), sink_(sink), diags_(diags) {}

    void on_line(std::string_view line, uint64_t number, uint64_t offset);
    void finish();
    bool saw_msi() const { return saw_msi_; }

private:
    struct Session {
        Segment seg;
        bool open = false;
        std::vector<std::pair<std::string, int>> priority;   // fact -> priority of its source
        bool any_error = false, installation_failed = false, installation_succeeded = false;
        bool ended = false;                                  // footer or a MainEngineThread line seen
        bool elevated_yes = false;
        bool command_line_seen = false;                      // the first "Command Line:" (client) wins
        size_t client_properties = 0;
        std::string last_ca, last_ca_code;                   // last "CustomAction X returned actual error code N"
        bool have_failed_action = false;
        std::optional<ContextLine> first_failure;            // first "Return value 3"
        std::vector<ContextLine> failure_context;
        std::optional<ContextLine> last_error;
        std::vector<ContextLine> last_error_context;
        int64_t start_ms = kNoTime, end_ms = kNoTime;
    };

    void start_entry(std::string_view line, uint64_t number, uint64_t offset);
    void deliver();
    void open_session();
    void close_session();
    void learn(const Entry& e, const Semantics& s);
    void fact(std::string_view name, std::string_view value, int priority);
    void push_ring(uint64_t number, std::string_view line);
    std::vector<ContextLine> ring_since(uint64_t first_line, uint64_t before_line) const;

    const std::string& path_;
    RecordSink& sink_;
    DiagSink& diags_;

    Entry pending_;
    bool has_pending_ = false;
    bool saw_msi_ = false;
    bool warned_cap_ = false;
    Session session_;
    int next_index_ = 0;
    DayClock clock_;

    std::array<ContextLine, kContextLines> ring_{};
    size_t ring_next_ = 0, ring_size_ = 0;
    std::array<Field, 10> fields_{};
};

void MsiLogState::push_ring(uint64_t number, std::string_view line) {
    ContextLine& slot = ring_[ring_next_];
    slot.line = number;
    slot.text.assign(cut_utf8(line, kMaxContextLineBytes));
    ring_next_ = (ring_next_ + 1) % kContextLines;
    if (ring_size_ < kContextLines) ++ring_size_;
}

std::vector<ContextLine> MsiLogState::ring_since(uint64_t first_line, uint64_t before_line) const {
    std::vector<ContextLine> out;
    for (size_t k = 0; k < ring_size_; ++k) {
        const ContextLine& c = ring_[(ring_next_ + kContextLines - ring_size_ + k) % kContextLines];
        if (c.line >= first_line && c.line < before_line) out.push_back(c);
    }
    return out;
}

void MsiLogState::fact(std::string_view name, std::string_view value, int priority) {
    value = trim(value);
    if (value.empty()) return;
    value = cut_utf8(value, kMaxFactBytes);
    for (auto& [n, p] : session_.priority) {
        if (n != name) continue;
        if (priority < p) return;
        p = priority;
        session_.seg.set_fact(std::string(name), std::string(value));
        return;
    }
    session_.priority.emplace_back(std::string(name), priority);
    session_.seg.set_fact(std::string(name), std::string(value));
}

void MsiLogState::open_session() {
    session_ = Session{};
    session_.open = true;
    session_.seg.path = path_;
    session_.seg.parser = std::string(kName);
    session_.seg.kind = "msi-session";
    session_.seg.index = next_index_++;
}

void MsiLogState::close_session() {
    if (!session_.open) return;
    Session& ss = session_;
    Segment& seg = ss.seg;
    // Derived facts: the KB and the build the update carries. (Copies: set_fact may reallocate.)
    auto copy_fact = [&](std::string_view name) {
        const std::string* v = seg.fact(name);
        return v ? *v : std::string();
    };
    const std::string update = copy_fact("update_name");
    const std::string patch = copy_fact("patch");
    for (const std::string& src : {update, patch}) {
        if (src.empty() || seg.fact("kb")) continue;
        size_t kb = ifind(src, "KB");
        while (kb != std::string::npos) {
            std::string_view digits = number_at(std::string_view(src).substr(kb + 2));
            if (digits.size() >= 6 && digits.size() <= 8) {
                seg.set_fact("kb", "KB" + std::string(digits));
                break;
            }
            kb = ifind(src, "KB", kb + 2);
        }
    }
    if (!update.empty()) {
        // "... (KB5019758) 15.2.1118.20" -> 15.2.1118.20
        std::string_view u = trim(update);
        size_t sp = u.rfind(' ');
        std::string_view last = sp == std::string_view::npos ? u : u.substr(sp + 1);
        if (std::count(last.begin(), last.end(), '.') == 3 && is_digit(last.front()) && is_digit(last.back()))
            seg.set_fact("update_version", std::string(last));
    }
    const std::string result = copy_fact("result_code");
    // Windows Installer sets MsiRunningElevated only in an elevated process, and property dumps
    // list only properties that are set: a complete client dump without it means the client
    // (the admin's msiexec, e.g. a double-clicked .msp) ran with a filtered, non-elevated token.
    if (ss.client_properties >= kMinClientProperties && ss.ended && !ss.elevated_yes && !seg.fact("elevated"))
        seg.set_fact("elevated", "no");
    if (restart_code(result)) seg.set_fact("restart_required", "yes");
    if (!result.empty()) seg.outcome = success_code(result) ? "succeeded" : "failed";
    else if (ss.have_failed_action || ss.installation_failed || ss.any_error) seg.outcome = "failed";
    else if (ss.installation_succeeded) seg.outcome = "succeeded";
    else if (!ss.ended) seg.outcome = "incomplete";
    else seg.outcome = "unknown";
    seg.set_fact("outcome", seg.outcome);
    // The first "Return value 3" is the root cause; later errors are rollback and the summary.
    if (ss.first_failure) {
        seg.last_error = ss.first_failure;
        seg.error_context = std::move(ss.failure_context);
    } else if (ss.last_error) {
        seg.last_error = ss.last_error;
        seg.error_context = std::move(ss.last_error_context);
    }
    seg.start_ms = ss.start_ms;
    seg.end_ms = ss.end_ms;
    seg.time_is_utc = false;
    sink_.on_segment_end(seg);
    ss.open = false;
}

void MsiLogState::start_entry(std::string_view line, uint64_t number, uint64_t offset) {
    Entry& e = pending_;
    e.body.assign(cut_utf8(line, kMaxRecordBytes));
    e.raw_len = e.body.size();
    e.msg_pos = 0;
    e.context = 0;
    e.pid_begin = e.pid_end = 0;
    e.ms_of_day = -1;
    e.capped = false;
    e.is_property = false;
    e.is_footer = false;
    e.line = number;
    e.line_count = 1;
    e.offset = offset;
    EnginePrefix p;
    if (parse_engine_prefix(line, p)) {
        e.context = p.context;
        e.pid_begin = p.pid_begin;
        e.pid_end = p.pid_end;
        e.ms_of_day = p.ms_of_day;
        e.msg_pos = std::min(p.msg_pos, e.raw_len);
        saw_msi_ = true;
    } else if (line.starts_with("Action ")) {
        std::string_view rest = line.substr(7);
        if (rest.starts_with("start ") || rest.starts_with("ended ")) rest.remove_prefix(6);
        int64_t ms = 0;
        size_t used = 0;
        if (parse_time_of_day(rest, ms, used)) e.ms_of_day = ms;
    } else if (line.starts_with("Property(")) {
        e.is_property = true;
        saw_msi_ = true;
    }
    has_pending_ = true;
}

// Lines that begin a record of their own (everything else continues a property value).
bool starts_record(std::string_view line) {
    return line.starts_with("MSI (") || line.starts_with("Action ") || line.starts_with("Property(") ||
           line.starts_with("=== ") || line.starts_with("CustomAction ") || line.starts_with("Error ") ||
           line.starts_with("Info ") || line.starts_with("DEBUG: ") || line.starts_with("Calling custom action ") ||
           line.starts_with("SFXCA: ") || line.starts_with("Product: ");
}

void MsiLogState::on_line(std::string_view line, uint64_t number, uint64_t offset) {
    bool started = false;
    std::string_view rest = header_rest(line, started);
    const bool is_header = !rest.empty() && started;
    const bool is_footer = !rest.empty() && !started;
    if (is_header || is_footer) {
        saw_msi_ = true;
        if (has_pending_) deliver();
        if (is_header) {
            close_session();
            open_session();
            CivilDate date;
            int64_t ms = 0;
            if (parse_header_stamp(rest, date, ms)) clock_.anchor(date, ms);
        }
        start_entry(line, number, offset);
        pending_.is_footer = is_footer;
        if (is_footer) {
            CivilDate date;
            int64_t ms = 0;
            if (parse_header_stamp(rest, date, ms)) clock_.anchor(date, ms);
        }
        push_ring(number, line);
        deliver();
        if (is_footer) close_session();
        return;
    }
    const bool blank = trim(line).empty();
    if (has_pending_ && !blank &&
        (line.front() == ' ' || line.front() == '\t' || (pending_.is_property && !starts_record(line)))) {
        // Continuation: the indented RunEngine block, wrapped custom action output, multi-line
        // property values.
        Entry& e = pending_;
        ++e.line_count;
        if (!e.capped) {
            if (e.body.size() + 1 + line.size() <= kMaxRecordBytes) {
                e.body.push_back('\n');
                e.body.append(line);
            } else {
                e.capped = true;
                if (!warned_cap_) {
                    warned_cap_ = true;
                    diags_.warning_at_line(path_, e.line,
                                           fmt::format("record longer than {} bytes; later continuation lines dropped",
                                                       kMaxRecordBytes),
                                           std::string(kName));
                }
            }
        }
    } else if (!blank) {
        if (has_pending_) deliver();
        start_entry(line, number, offset);
    } else if (has_pending_ && !pending_.is_property) {
        deliver();  // a blank line ends a record; property values may contain blank lines
    }
    push_ring(number, line);
}

void MsiLogState::finish() {
    if (has_pending_) deliver();
    close_session();
}

void MsiLogState::deliver() {
    has_pending_ = false;
    Entry& e = pending_;
    if (!session_.open) open_session();
    const std::string_view text = e.text();
    Semantics s = analyze(text);

    Record r;
    r.parser = kName;
    r.path = path_;
    r.line = e.line;
    r.line_count = e.line_count;
    r.offset = e.offset;
    r.raw = e.raw();
    r.text = text;
    r.segment = session_.seg.index;
    r.level = s.level;
    r.time_is_utc = false;
    if (e.ms_of_day >= 0) r.time_ms = clock_.stamp(e.ms_of_day);

    // `kind` lets rules skip property dumps, whose message texts (msgInterimIncorrectRollup ...)
    // would otherwise look like errors.
    static constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyz";
    auto letter = [](char c) {
        return (c >= 'a' && c <= 'z') ? kLetters.substr(static_cast<size_t>(c - 'a'), 1) : std::string_view("?");
    };
    bool started = false;
    std::string_view kind = "text";
    if (!header_rest(r.raw, started).empty()) kind = started ? "header" : "footer";
    else if (e.context) kind = "engine";
    else if (s.property_context) kind = "property";
    else if (text.starts_with("Action ")) kind = "action";
    else if (text.starts_with("CustomAction ")) kind = "custom-action";
    size_t n = 0;
    fields_[n++] = {"kind", kind};
    if (e.context) {
        fields_[n++] = {"context", letter(e.context)};
        fields_[n++] = {"pid_tid", r.raw.substr(e.pid_begin, e.pid_end - e.pid_begin)};
    } else if (s.property_context) {
        fields_[n++] = {"context", letter(s.property_context)};
    }
    if (!s.action.empty()) fields_[n++] = {"action", s.action};
    if (!s.return_value.empty()) fields_[n++] = {"return_value", s.return_value};
    if (!s.error_code.empty()) fields_[n++] = {"error_code", s.error_code};
    if (!s.note_code.empty()) fields_[n++] = {"note_code", s.note_code};
    if (!s.property.empty()) {
        fields_[n++] = {"property", s.property};
        fields_[n++] = {"value", s.value};
    }
    r.fields = std::span<const Field>(fields_.data(), n);

    learn(e, s);
    Session& ss = session_;
    Segment& seg = ss.seg;
    if (seg.first_line == 0) seg.first_line = e.line;
    seg.last_line = e.line + e.line_count - 1;
    if (r.time_ms != kNoTime) {
        if (ss.start_ms == kNoTime) ss.start_ms = r.time_ms;
        if (!e.is_footer) ss.end_ms = r.time_ms;
    }
    if (r.level >= Level::error) {
        ss.any_error = true;
        ss.last_error = ContextLine{e.line, std::string(cut_utf8(text, kMaxErrorTextBytes))};
        ss.last_error_context = ring_since(seg.first_line, e.line);
    }
    sink_.on_record(r);
}

// Session facts from one record. Priorities decide between sources of the same fact: the
// Windows Installer summary lines beat property dumps, which beat the patch sequencer.
void MsiLogState::learn(const Entry& e, const Semantics& s) {
    Session& ss = session_;
    const std::string_view text = e.text();
    const std::string_view first = text.substr(0, text.find('\n'));

    if (e.line == ss.seg.first_line || ss.seg.first_line == 0) {
        bool started = false;
        std::string_view rest = header_rest(e.raw(), started);
        if (!rest.empty() && started) {
            CivilDate date;
            int64_t ms = 0;
            if (parse_header_stamp(rest, date, ms)) ss.start_ms = date.days() * 86400000 + ms;
            fact("calling_process", between(rest, "Calling process: ", " ==="), 1);
        }
    }
    if (e.is_footer) {
        ss.ended = true;
        bool started = false;
        std::string_view rest = header_rest(e.raw(), started);
        CivilDate date;
        int64_t ms = 0;
        if (parse_header_stamp(rest, date, ms)) ss.end_ms = date.days() * 86400000 + ms;
        return;
    }

    if (!s.property.empty()) {
        const bool client = s.property_context == 'c';
        if (client) ++ss.client_properties;
        const std::string_view name = s.property, value = s.value;
        const int pri = client ? 1 : 2;
        if (name == "ProductName") fact("product_name", value, pri);
        else if (name == "ProductVersion") fact("product_version", value, pri);
        else if (name == "ProductCode") fact("product_code", value, pri);
        else if (name == "PackageCode") fact("package_code", value, pri);
        else if (name == "PATCH") fact("patch", value, pri);
        else if (name == "MsiLogFileLocation") fact("log_file", value, 1);
        else if (name == "LogonUser") fact("user", value, pri);
        else if (name == "MsiRunningElevated" && client) {
            if (trim(value) == "1") {
                ss.elevated_yes = true;
                fact("elevated", "yes", 1);
            }
        }
        return;
    }

    if (size_t at = text.find("******* Product: "); at != std::string_view::npos) {
        std::string_view v = trim(text.substr(at + 17, text.find('\n', at) - (at + 17)));
        if (is_guid(v)) fact("product_code", v, 1);
        else fact("package", v, 1);
    }
    if (size_t at = text.find("******* CommandLine: "); at != std::string_view::npos) {
        std::string_view v = trim(text.substr(at + 21, text.find('\n', at) - (at + 21)));
        if (!all_asterisks(v)) fact("command_line", v, 1);
    }
    if (first.starts_with("Command Line: ")) {
        std::string_view v = first.substr(14);
        if (!all_asterisks(v) && !ss.command_line_seen) {
            fact("command_line", v, 2);
            ss.command_line_seen = true;
        }
    } else if (first.starts_with("SequencePatches starts. ")) {
        fact("product_code", between(first, "Product code: ", ","), 1);
        fact("product_version", between(first, "Product version: ", ","), 1);
    } else if (first.starts_with("PATCH SEQUENCER: verifying the applicability of QFE patch ")) {
        fact("patch", between(first, "QFE patch ", " against"), 1);
    } else if (first.starts_with("PATCH SEQUENCER: QFE patch ") && first.ends_with(" is not applicable.")) {
        std::string_view p = first.substr(27, first.size() - 27 - 19);
        fact("patch", p, 1);
        fact("patch_applicable", "no", 1);
    } else if (first.starts_with("Original patch ==> ")) {
        fact("patch", first.substr(19), 3);
    } else if (first.starts_with("Product: ")) {
        // "Product: Microsoft Exchange Server - Update 'X' could not be installed. Error code 1603. ..."
        std::string_view rest = first.substr(9);
        size_t upd = rest.find(" - Update '");
        if (upd != std::string_view::npos) {
            fact("product_name", rest.substr(0, upd), 1);
            std::string_view name = rest.substr(upd + 11);
            size_t q = name.find("' could not be installed.");
            if (q == std::string_view::npos) q = name.find("' installed successfully.");
            if (q == std::string_view::npos) q = name.rfind('\'');
            if (q != std::string_view::npos) fact("update_name", name.substr(0, q), 3);
            if (size_t c = first.find("could not be installed. Error code "); c != std::string_view::npos)
                fact("result_code", number_at(first.substr(c + 35)), 3);
            else if (first.find("installed successfully.") != std::string_view::npos)
                fact("result_code", "0", 2);
        } else if (size_t dash = rest.find(" -- "); dash != std::string_view::npos) {
            fact("product_name", rest.substr(0, dash), 1);
            std::string_view what = rest.substr(dash + 4);
            if (what.starts_with("Installation failed") || what.starts_with("Configuration failed") ||
                what.starts_with("Removal failed"))
                ss.installation_failed = true;
            else if (what.find("completed successfully") != std::string_view::npos) ss.installation_succeeded = true;
        }
    } else if (first.starts_with("Windows Installer ") && first.find("Product Name: ") != std::string_view::npos) {
        // "Windows Installer installed an update. Product Name: X. Product Version: V. ... Update Name: U.
        //  Installation success or error status: 1603."
        const bool update = first.find(" an update.") != std::string_view::npos;
        fact("product_name", between(first, "Product Name: ", ". Product Version:"), 3);
        fact("product_version", between(first, "Product Version: ", ". "), 3);
        if (update) fact("update_name", between(first, "Update Name: ", ". Installation success or error status:"), 3);
        if (size_t st = first.find("success or error status: "); st != std::string_view::npos)
            fact("result_code", number_at(first.substr(st + 25)), update ? 3 : 2);
    } else if (size_t mt = first.find("MainEngineThread is returning "); mt != std::string_view::npos) {
        fact("result_code", number_at(first.substr(mt + 30)), 1);
        ss.ended = true;
    }

    if (first.starts_with("CustomAction ") && !s.error_code.empty() && s.error_code != "0") {
        ss.last_ca.assign(s.action);
        ss.last_ca_code.assign(s.error_code);
    }
    if (s.return_value == "3" && !ss.have_failed_action) {
        ss.have_failed_action = true;
        fact("failed_action", s.action, 5);
        if (!ss.last_ca.empty()) {
            // Deferred custom actions fail inside InstallFinalize/InstallExecute, so the action
            // that returned 3 is not the custom action: name both.
            fact("failed_custom_action", ss.last_ca, 5);
            fact("failed_custom_action_error_code", ss.last_ca_code, 5);
        }
        ss.first_failure = ContextLine{e.line, std::string(cut_utf8(text, kMaxErrorTextBytes))};
        ss.failure_context = ring_since(ss.seg.first_line ? ss.seg.first_line : e.line, e.line);
    }
}

class MsiLogParser final : public Parser {
public:
    std::string_view name() const override { return kName; }

    bool sniff(const SniffInput& in) const override {
        bool hit = false;
        for_each_head_line(in.text_head, 30, [&](std::string_view line) {
            bool started = false;
            if (!header_rest(line, started).empty()) hit = true;
            EnginePrefix p;
            if (!hit && parse_engine_prefix(line, p)) hit = true;
            return !hit;
        });
        return hit;
    }

    void parse(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags) const override {
        sink.on_file_begin(path, kName);
        MsiLogState state(path, sink, diags);
        for_each_line(source, path, kName, diags,
                      [&](std::string_view line, uint64_t number, uint64_t offset) { state.on_line(line, number, offset); });
        state.finish();
        if (!state.saw_msi())
            diags.error_at_line(path, 0, "no Windows Installer log lines found", std::string(kName));
        sink.on_file_end(path);
    }
};

}  // namespace

std::unique_ptr<Parser> make_msi_log_parser() { return std::make_unique<MsiLogParser>(); }

}  // namespace extriage
