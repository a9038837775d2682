// Parser for C:\ExchangeSetupLogs\ServiceControl.log ("exchange-service-control"), written by
// V15\Bin\ServiceControl.ps1 when setup or an SU saves, disables, stops and later restores
// services. The format is not documented: lines are "[HH:mm:ss] text" (a full date only in the
// "* ServiceControl.ps1: <locale date> <time>" banner), so this parser is liberal: any bracketed
// time starts a record, other lines continue it. Records get `service`, `action`
// (save/stop/start/disable/set-startup/restore) and `start_type` when the text says so; each
// script invocation is one "service-control" Segment. Which services stayed disabled is tracked
// across the whole file. The rules decide what is wrong.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "parser.hpp"
#include "setup_stamp.hpp"
#include "update_log_common.hpp"

namespace extriage {

namespace {

using namespace updlog;

constexpr std::string_view kName = "exchange-service-control";
constexpr size_t kMaxTrackedServices = 256;
constexpr size_t kMaxListedServices = 40;
constexpr size_t kMaxErrorTextBytes = 16 * 1024;
constexpr size_t kContextLines = 10;
constexpr size_t kMaxContextLineBytes = 1024;

bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '$' || c == '-' || c == '#';
}

bool is_start_type_word(std::string_view w) {
    for (std::string_view t : {"Disabled", "Automatic", "Manual", "Auto", "Boot", "System", "AutomaticDelayedStart"})
        if (iequals(w, t)) return true;
    return false;
}

// Words that follow "service" but are not a service name.
bool is_stopword(std::string_view w) {
    for (std::string_view t : {"state", "startup", "start", "control", "for", "with", "mode", "is", "to", "on", "from",
                               "type", "types", "status", "list", "cache", "the", "and", "in", "at", "that", "which"})
        if (iequals(w, t)) return true;
    return false;
}

// First quoted token ('X' or "X") in s that looks like a service name (not a path, not a start type).
std::string_view quoted_name(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        const char q = s[i];
        if (q != '\'' && q != '"') {
            ++i;
            continue;
        }
        const size_t end = s.find(q, i + 1);
        if (end == std::string_view::npos) return {};
        std::string_view inner = trim(s.substr(i + 1, end - i - 1));
        if (!inner.empty() && inner.size() <= 80 && inner.find('\\') == std::string_view::npos &&
            inner.find(':') == std::string_view::npos && !is_start_type_word(inner))
            return inner;
        i = end + 1;
    }
    return {};
}

// The service a line is about: a quoted name after "service", "-Name X", "Set-Service X" or the
// word after "service ".
std::string_view service_name(std::string_view line) {
    size_t at = ifind(line, "service");
    while (at != std::string_view::npos) {
        size_t after = at + 7;
        const bool plural = after < line.size() && (line[after] == 's' || line[after] == 'S');
        if (plural) ++after;
        std::string_view rest = line.substr(after);
        if (istarts_with(rest, " -Name ")) rest.remove_prefix(7);
        else if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
        else if (!rest.empty() && rest[0] == ':') rest = trim(rest.substr(1));
        else {
            at = ifind(line, "service", after);
            continue;
        }
        if (!rest.empty() && (rest[0] == '\'' || rest[0] == '"')) {
            std::string_view q = quoted_name(rest);
            if (!q.empty()) return q;
        } else if (!plural) {
            size_t n = 0;
            while (n < rest.size() && is_name_char(rest[n])) ++n;
            std::string_view word = rest.substr(0, n);
            while (!word.empty() && (word.back() == '.' || word.back() == '-')) word.remove_suffix(1);
            if (!word.empty() && !is_stopword(word) && !is_start_type_word(word)) return word;
        }
        at = ifind(line, "service", after);
    }
    // "Stopping 'MSExchangeIS'." without the word service.
    return quoted_name(line);
}

// "... StartupType to Disabled", "-StartupType Manual", "startup mode to 'Automatic'",
// "startup type of service 'W3SVC' to 'Disabled'".
std::string_view start_type_of(std::string_view line) {
    auto word_at = [](std::string_view rest) {
        rest = trim(rest);
        if (!rest.empty() && (rest[0] == ':' || rest[0] == '=')) rest = trim(rest.substr(1));
        if (!rest.empty() && (rest[0] == '\'' || rest[0] == '"')) rest.remove_prefix(1);
        size_t n = 0;
        while (n < rest.size() && std::isalpha(static_cast<unsigned char>(rest[n]))) ++n;
        std::string_view word = rest.substr(0, n);
        return is_start_type_word(word) ? word : std::string_view();
    };
    for (std::string_view key : {"startuptype", "startup type", "start type", "starttype", "startmode", "start mode",
                                 "startup mode", "start-up type"}) {
        size_t at = ifind(line, key);
        if (at == std::string_view::npos) continue;
        std::string_view rest = line.substr(at + key.size());
        if (std::string_view w = word_at(rest); !w.empty()) return w;
        if (size_t to = ifind(rest, " to "); to != std::string_view::npos)
            if (std::string_view w = word_at(rest.substr(to + 4)); !w.empty()) return w;
    }
    return {};
}

struct Semantics {
    std::string_view service;
    std::string_view action;
    std::string_view start_type;
    bool plural = false;   // "services for the following roles" -- no single service
};

Semantics analyze(std::string_view first) {
    Semantics s;
    // Option lines ("Operation: DisableServices") name what the run will do, not an action done.
    if (istarts_with(first, "Operation") || istarts_with(first, "-Operation")) {
        std::string_view rest = trim(first.substr(first[0] == '-' ? 10 : 9));
        if (!rest.empty() && (rest[0] == ':' || rest[0] == '=')) return s;
    }
    s.start_type = start_type_of(first);
    if (has_word_start(first, "restor")) s.action = "restore";
    else if (!s.start_type.empty()) s.action = iequals(s.start_type, "Disabled") ? "disable" : "set-startup";
    else if (has_word_start(first, "disabl")) s.action = "disable", s.start_type = {};
    else if (has_word_start(first, "enabling") || has_word_start(first, "enable-")) s.action = "set-startup";
    else if (has_word_start(first, "saving") || has_word_start(first, "save")) s.action = "save";
    else if (has_word_start(first, "stopping") || has_word_start(first, "stopped") || has_word_start(first, "stop-service") ||
             has_word_start(first, "stop service"))
        s.action = "stop";
    else if (has_word_start(first, "starting") || has_word_start(first, "started") ||
             has_word_start(first, "start-service") || has_word_start(first, "start service"))
        s.action = "start";
    if (s.action.empty() && s.start_type.empty()) return s;
    s.service = service_name(first);
    s.plural = s.service.empty() && icontains(first, "services");
    return s;
}

class ServiceControlState {
public:
    ServiceControlState(const std::string& path, RecordSink& sink, DiagSink& diags) : path_(path), sink_(sink), diags_(diags) {}

    void on_line(std::string_view line, uint64_t number, uint64_t offset) {
        assembler_.on_line(line, number, offset, [&](TextEntry& e) { deliver(e); });
        push_ring(number, line);
    }
    void finish() {
        assembler_.finish([&](TextEntry& e) { deliver(e); });
        close_run();
        if (assembler_.capped_entries())
            diags_.warning_at_line(path_, 0,
                                   fmt::format("{} entr{} longer than {} bytes; later continuation lines dropped",
                                               assembler_.capped_entries(), assembler_.capped_entries() == 1 ? "y" : "ies",
                                               StampedTextAssembler::kMaxEntryBytes),
                                   std::string(kName));
    }
    bool saw_stamped() const { return assembler_.saw_stamped(); }

private:
    struct Tracked {
        std::string name;
        bool disabled = false;
    };
    struct Run {
        Segment seg;
        bool open = false;
        bool banner = false;
        bool error = false;
        std::string stopped, disabled, roles;
        size_t stopped_n = 0, disabled_n = 0;
    };

    void open_run() {
        run_ = Run{};
        run_.open = true;
        run_.seg.path = path_;
        run_.seg.parser = std::string(kName);
        run_.seg.kind = "service-control";
        run_.seg.index = next_index_++;
    }

    static void add_to_list(std::string& list, size_t& count, std::string_view name) {
        if (name.empty()) return;
        for (size_t pos = 0; pos < list.size();) {
            size_t end = list.find(", ", pos);
            if (end == std::string::npos) end = list.size();
            if (iequals(std::string_view(list).substr(pos, end - pos), name)) return;
            pos = end + 2;
        }
        if (++count > kMaxListedServices) return;
        if (!list.empty()) list += ", ";
        list += name;
    }

    std::string left_disabled() const {
        std::string out;
        size_t n = 0;
        for (const auto& t : tracked_)
            if (t.disabled) add_to_list(out, n, t.name);
        if (n > kMaxListedServices) out += fmt::format(" and {} more", n - kMaxListedServices);
        return out;
    }

    void close_run() {
        if (!run_.open) return;
        Segment& seg = run_.seg;
        if (!run_.stopped.empty()) seg.set_fact("services_stopped", run_.stopped);
        if (!run_.disabled.empty()) seg.set_fact("services_disabled", run_.disabled);
        if (!run_.roles.empty()) seg.set_fact("roles", run_.roles);
        // As of the end of this invocation, over the whole file so far.
        std::string left = left_disabled();
        if (!left.empty()) seg.set_fact("services_left_disabled", left);
        seg.outcome = run_.error ? "failed" : "unknown";
        sink_.on_segment_end(seg);
        run_.open = false;
    }

    void track(std::string_view name, bool disabled) {
        for (auto& t : tracked_)
            if (iequals(t.name, name)) {
                t.disabled = disabled;
                return;
            }
        if (tracked_.size() < kMaxTrackedServices) tracked_.push_back({std::string(name), disabled});
    }

    void push_ring(uint64_t number, std::string_view line) {
        ContextLine& slot = ring_[ring_next_];
        slot.line = number;
        slot.text.assign(cut_utf8(line, kMaxContextLineBytes));
        ring_next_ = (ring_next_ + 1) % kContextLines;
        if (ring_size_ < kContextLines) ++ring_size_;
    }

    std::vector<ContextLine> ring_between(uint64_t first_line, uint64_t before_line) const {
        std::vector<ContextLine> out;
        for (size_t k = 0; k < ring_size_; ++k) {
            const ContextLine& c = ring_[(ring_next_ + kContextLines - ring_size_ + k) % kContextLines];
            if (c.line >= first_line && c.line < before_line) out.push_back(c);
        }
        return out;
    }

    void deliver(TextEntry& e) {
        const std::string_view text = e.text();
        const std::string_view first = trim(text.substr(0, text.find('\n')));
        // A run starts at its "-----" separator or at a second script banner.
        std::string_view script;
        CivilDate date;
        int64_t ms = 0;
        const bool banner = parse_script_banner(first, script, date, ms);
        const bool separator = first.size() >= 10 && first.find_first_not_of('-') == std::string_view::npos;
        if (!run_.open) open_run();
        else if ((separator && run_.seg.first_line != 0) || (banner && run_.banner)) {
            close_run();
            open_run();
        }
        Segment& seg = run_.seg;
        if (seg.first_line == 0) seg.first_line = e.line;
        seg.last_line = e.line + e.line_count - 1;
        if (e.time_ms != kNoTime) {
            if (seg.start_ms == kNoTime) seg.start_ms = e.time_ms;
            seg.end_ms = e.time_ms;
        }
        if (banner) {
            run_.banner = true;
            seg.set_fact("script", std::string(script));
            size_t colon = ifind(first, ".ps1:");
            seg.set_fact("started", std::string(trim(first.substr(colon + 5))));
        }

        Semantics s = analyze(first);
        Record r;
        r.parser = kName;
        r.path = path_;
        r.line = e.line;
        r.line_count = e.line_count;
        r.offset = e.offset;
        r.raw = e.raw();
        r.text = text;
        r.time_ms = e.time_ms;
        r.time_is_utc = false;
        r.segment = seg.index;
        r.level = keyword_level(text);
        size_t n = 0;
        if (!s.service.empty()) fields_[n++] = {"service", s.service};
        if (!s.action.empty()) fields_[n++] = {"action", s.action};
        if (!s.start_type.empty()) fields_[n++] = {"start_type", s.start_type};
        r.fields = std::span<const Field>(fields_.data(), n);

        learn(first, s, r.level);
        if (r.level >= Level::error) {
            run_.error = true;
            seg.last_error = ContextLine{e.line, std::string(cut_utf8(text, kMaxErrorTextBytes))};
            seg.error_context = ring_between(seg.first_line, e.line);
        }
        sink_.on_record(r);
    }

    void learn(std::string_view first, const Semantics& s, Level level) {
        Segment& seg = run_.seg;
        if (size_t at = ifind(first, "Adding to installed roles list:"); at != std::string_view::npos) {
            size_t n = 0;
            add_to_list(run_.roles, n, trim(first.substr(at + 31)));
        }
        if (size_t at = ifind(first, "operation"); at != std::string_view::npos && !seg.fact("operation")) {
            // "-Operation:Stop", "Operation: DisableServices", "Operation = AfterPatch"
            std::string_view rest = trim(first.substr(at + 9));
            if (!rest.empty() && (rest[0] == ':' || rest[0] == '=')) {
                rest = trim(rest.substr(1));
                size_t k = 0;
                while (k < rest.size() && std::isalpha(static_cast<unsigned char>(rest[k]))) ++k;
                if (k > 0) seg.set_fact("operation", std::string(rest.substr(0, k)));
            }
        }
        if (size_t at = ifind(first, "service state to '"); at != std::string_view::npos) {
            std::string_view file = first.substr(at + 18);
            seg.set_fact("state_file", std::string(file.substr(0, file.find('\''))));
        }
        if (level >= Level::error) return;   // a failed "Stopping ..." did not stop anything
        if (s.action == "stop" && !s.service.empty()) add_to_list(run_.stopped, run_.stopped_n, s.service);
        if (s.action == "disable") {
            if (!s.service.empty()) {
                add_to_list(run_.disabled, run_.disabled_n, s.service);
                track(s.service, true);
            }
        } else if (s.action == "restore" || s.action == "set-startup" || s.action == "start") {
            const bool to_disabled = iequals(s.start_type, "Disabled");
            if (!s.service.empty()) {
                track(s.service, to_disabled);
            } else if (s.action == "restore") {
                for (auto& t : tracked_) t.disabled = false;   // "Restoring services startup mode."
            }
        }
    }

    const std::string& path_;
    RecordSink& sink_;
    DiagSink& diags_;
    StampedTextAssembler assembler_;
    Run run_;
    int next_index_ = 0;
    std::vector<Tracked> tracked_;
    std::array<Field, 3> fields_{};
    std::array<ContextLine, kContextLines> ring_{};
    size_t ring_next_ = 0, ring_size_ = 0;
};

bool file_name_is_service_control(std::string_view name) { return istarts_with(name, "ServiceControl"); }

class ServiceControlLogParser final : public Parser {
public:
    std::string_view name() const override { return kName; }

    bool sniff(const SniffInput& in) const override {
        int stamped = 0;
        bool banner = false;
        bool words = false;
        bool setup_log = false;
        for_each_head_line(in.text_head, 20, [&](std::string_view line) {
            // ExchangeSetup.log lines ("[date time] [N] ...") are never ServiceControl.log's.
            if (looks_like_setup_line(line)) {
                setup_log = true;
                return false;
            }
            BracketStamp b;
            if (!parse_bracket_stamp(line, b)) return true;
            ++stamped;
            std::string_view msg = line.substr(b.msg_pos);
            std::string_view script;
            CivilDate date;
            int64_t ms = 0;
            if (parse_script_banner(msg, script, date, ms) && iequals(script, "ServiceControl.ps1")) banner = true;
            if (icontains(msg, "service control") || icontains(msg, "Saving service") || icontains(msg, "Stopping service") ||
                icontains(msg, "ServiceControl.ps1"))
                words = true;
            return true;
        });
        if (stamped == 0 || setup_log) return false;
        return banner || words || file_name_is_service_control(in.file_name);
    }

    void parse(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags) const override {
        sink.on_file_begin(path, kName);
        ServiceControlState state(path, sink, diags);
        for_each_line(source, path, kName, diags,
                      [&](std::string_view line, uint64_t number, uint64_t offset) { state.on_line(line, number, offset); });
        state.finish();
        if (!state.saw_stamped())
            diags.error_at_line(path, 0, "no \"[time] text\" lines found", std::string(kName));
        sink.on_file_end(path);
    }
};

}  // namespace

std::unique_ptr<Parser> make_service_control_log_parser() { return std::make_unique<ServiceControlLogParser>(); }

}  // namespace extriage
