// Parser for ldifde error files ("ldif-err"): the ldif.err that Exchange /PrepareSchema leaves in
// %TEMP% when an LDF import fails. One Record per error block ("Entry DN: ..." up to the next
// entry), with entry_dn, operation, ldf_line, error, server_error(_code), extended_error(_code),
// problem(_code), dsid, data and attribute as fields. Lines outside a block ("An error has
// occurred in the program" on its own) are records too. No segments. What the error means is
// left to the rules.
//
// Only the English headers ("Entry DN:", "Add error on entry starting on line N", "The server side
// error is", "The extended server error is") are read. ldifde's strings are localized with Windows,
// but no public ldif.err in another language was found (searched December 2026: German, French and
// Japanese wordings in public pages and repositories); the one ldif.err quoted from a German-speaking
// site (msxfaq.de, "LinkID und Schema Erweiterungen") is in English. A file with none of these
// headers is not recognised (sniff) and is listed as skipped, not misread; add the localized
// headers here once a real sample shows them.
#include <array>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "parser.hpp"
#include "update_log_common.hpp"

namespace extriage {

namespace {

using namespace updlog;

constexpr std::string_view kName = "ldif-err";
constexpr size_t kMaxBlockBytes = 256 * 1024;

// "Add error on entry starting on line 78: Unwilling To Perform" / "Modify error on line 12: ..."
struct ErrorLine {
    std::string_view operation, ldf_line, error;
};

bool parse_error_line(std::string_view s, ErrorLine& out) {
    s = trim(s);
    const size_t sp = s.find(' ');
    if (sp == std::string_view::npos || sp > 12) return false;
    std::string_view rest = s.substr(sp);
    std::string_view tail;
    if (istarts_with(rest, " error on entry starting on line ")) tail = rest.substr(33);
    else if (istarts_with(rest, " error on line ")) tail = rest.substr(15);
    else return false;
    size_t n = 0;
    while (n < tail.size() && is_digit(tail[n])) ++n;
    if (n == 0) return false;
    out.operation = s.substr(0, sp);
    out.ldf_line = tail.substr(0, n);
    std::string_view err = tail.substr(n);
    if (!err.empty() && err[0] == ':') err.remove_prefix(1);
    out.error = strip_period(trim(err));
    return true;
}

bool starts_block(std::string_view line) {
    ErrorLine el;
    return istarts_with(trim(line), "Entry DN:") || parse_error_line(line, el);
}

struct Block {
    std::string body;            // non-blank lines joined with '\n'
    size_t raw_len = 0;
    uint64_t line = 0, last_line = 0, offset = 0;
    bool has_error_line = false;
    bool open = false;
};

class LdifErrState {
public:
    LdifErrState(const std::string& path, RecordSink& sink, DiagSink& diags) : path_(path), sink_(sink), diags_(diags) {}

    void on_line(std::string_view line, uint64_t number, uint64_t offset) {
        const std::string_view t = trim(line);
        if (t.empty()) return;
        ErrorLine el;
        const bool err = parse_error_line(t, el);
        if (istarts_with(t, "Entry DN:")) {
            deliver();
        } else if (err && block_.open && (block_.has_error_line || !istarts_with(block_.body, "Entry DN:"))) {
            // An error line joins the "Entry DN:" line right before it; otherwise it opens a block.
            deliver();
        }
        if (!block_.open) {
            block_.body.assign(cut_utf8(line, kMaxBlockBytes));
            block_.raw_len = block_.body.size();
            block_.line = block_.last_line = number;
            block_.offset = offset;
            block_.open = true;
            block_.has_error_line = err;
            ++blocks_;
            return;
        }
        if (err) block_.has_error_line = true;
        block_.last_line = number;
        if (block_.body.size() + 1 + line.size() > kMaxBlockBytes) {
            if (!warned_) {
                warned_ = true;
                diags_.warning_at_line(path_, block_.line, "error block too long; later lines dropped", std::string(kName));
            }
            return;
        }
        block_.body.push_back('\n');
        block_.body.append(line);
    }

    void finish() { deliver(); }
    uint64_t blocks() const { return blocks_; }
    bool saw_ldif() const { return saw_ldif_; }

private:
    void deliver() {
        if (!block_.open) return;
        block_.open = false;
        const std::string_view body = block_.body;
        std::string_view entry_dn, server_error, server_code, extended, ext_code, problem, problem_code, dsid, data, attribute;
        ErrorLine el;
        bool have_error = false, pending_server = false, program_error = false;
        size_t pos = 0;
        while (pos <= body.size()) {
            size_t end = body.find('\n', pos);
            if (end == std::string_view::npos) end = body.size();
            const std::string_view t = trim(body.substr(pos, end - pos));
            pos = end + 1;
            if (t.empty()) continue;
            if (pending_server) {
                server_error = t;
                pending_server = false;
                continue;
            }
            if (istarts_with(t, "Entry DN:")) {
                entry_dn = trim(t.substr(9));
            } else if (!have_error && parse_error_line(t, el)) {
                have_error = true;
            } else if (istarts_with(t, "The server side error is:")) {
                server_error = trim(t.substr(25));
                pending_server = server_error.empty();
            } else if (istarts_with(t, "The server side error is ")) {
                server_error = trim(t.substr(25));
            } else if (istarts_with(t, "The extended server error is:")) {
                // The extended error may span lines (AtrErr lists "0: ..., problem 1006 (...)
                // ..., Att 90060 (mayContain)" below its first line): keep everything up to the
                // end of the block or "An error has occurred in the program".
                const size_t value_begin = static_cast<size_t>(t.data() - body.data()) + 29;
                size_t stop = body.size();
                if (size_t prog = ifind(body, "An error has occurred in the program", value_begin);
                    prog != std::string_view::npos)
                    stop = prog;
                extended = trim(body.substr(value_begin, stop - value_begin));
                pos = stop;
            } else if (istarts_with(t, "An error has occurred in the program")) {
                program_error = true;
            }
        }
        if (entry_dn.size() || have_error || server_error.size() || extended.size() || program_error) saw_ldif_ = true;
        if (istarts_with(server_error, "0x")) {
            size_t n = 2;
            while (n < server_error.size() && std::isxdigit(static_cast<unsigned char>(server_error[n]))) ++n;
            server_code = server_error.substr(0, n);
        }
        if (!extended.empty()) {
            // "000020BB: SvcErr: DSID-0326036D, problem 5003 (WILL_NOT_PERFORM), data 8379"
            size_t n = 0;
            while (n < extended.size() && std::isxdigit(static_cast<unsigned char>(extended[n]))) ++n;
            if (n >= 4 && n < extended.size() && extended[n] == ':') ext_code = extended.substr(0, n);
            if (size_t d = ifind(extended, "DSID-"); d != std::string_view::npos) {
                size_t k = d + 5;
                while (k < extended.size() && std::isxdigit(static_cast<unsigned char>(extended[k]))) ++k;
                dsid = extended.substr(d, k - d);
            }
            if (size_t p = ifind(extended, "problem "); p != std::string_view::npos) {
                std::string_view rest = extended.substr(p + 8);
                size_t k = 0;
                while (k < rest.size() && is_digit(rest[k])) ++k;
                problem_code = rest.substr(0, k);
                if (size_t open = rest.find('('); open != std::string_view::npos && open <= k + 1) {
                    size_t close = rest.find(')', open);
                    if (close != std::string_view::npos) problem = rest.substr(open + 1, close - open - 1);
                }
            }
            if (size_t att = ifind(extended, ", Att "); att != std::string_view::npos) {
                // "..., Att 20009 (mayContain)"
                std::string_view rest = extended.substr(att + 6);
                size_t open = rest.find('('), close = rest.find(')');
                if (open != std::string_view::npos && close != std::string_view::npos && open < close && open < 12)
                    attribute = rest.substr(open + 1, close - open - 1);
            }
            if (size_t dpos = ifind(extended, "data "); dpos != std::string_view::npos) {
                std::string_view rest = extended.substr(dpos + 5);
                size_t k = 0;
                while (k < rest.size() && std::isxdigit(static_cast<unsigned char>(rest[k]))) ++k;
                data = rest.substr(0, k);
            }
        }

        Record r;
        r.parser = kName;
        r.path = path_;
        r.line = block_.line;
        r.line_count = block_.last_line - block_.line + 1;
        r.offset = block_.offset;
        r.raw = body.substr(0, block_.raw_len);
        r.text = body;
        r.level = (have_error || program_error || !server_error.empty()) ? Level::error : Level::info;
        size_t n = 0;
        auto add = [&](std::string_view name, std::string_view value) {
            if (!value.empty()) fields_[n++] = {name, value};
        };
        add("entry_dn", entry_dn);
        if (have_error) {
            add("operation", el.operation);
            add("ldf_line", el.ldf_line);
            add("error", el.error);
        }
        add("server_error", server_error);
        add("server_error_code", server_code);
        add("extended_error", extended);
        add("extended_error_code", ext_code);
        add("problem", problem);
        add("problem_code", problem_code);
        add("dsid", dsid);
        add("data", data);
        add("attribute", attribute);
        r.fields = std::span<const Field>(fields_.data(), n);
        sink_.on_record(r);
    }

    const std::string& path_;
    RecordSink& sink_;
    DiagSink& diags_;
    Block block_;
    uint64_t blocks_ = 0;
    bool warned_ = false;
    bool saw_ldif_ = false;
    std::array<Field, 14> fields_{};
};

class LdifErrParser final : public Parser {
public:
    std::string_view name() const override { return kName; }

    bool sniff(const SniffInput& in) const override {
        bool hit = false;
        for_each_head_line(in.text_head, 12, [&](std::string_view line) {
            const std::string_view t = trim(line);
            if (starts_block(t) || istarts_with(t, "The server side error is") ||
                istarts_with(t, "The extended server error is:"))
                hit = true;
            return !hit;
        });
        return hit;
    }

    void parse(ByteSource& source, const std::string& path, RecordSink& sink, DiagSink& diags) const override {
        sink.on_file_begin(path, kName);
        LdifErrState state(path, sink, diags);
        for_each_line(source, path, kName, diags,
                      [&](std::string_view line, uint64_t number, uint64_t offset) { state.on_line(line, number, offset); });
        state.finish();
        if (state.blocks() == 0) diags.warning_at_line(path, 0, "the ldif error file is empty", std::string(kName));
        else if (!state.saw_ldif())
            diags.error_at_line(path, 0, "no ldifde error entries found", std::string(kName));
        sink.on_file_end(path);
    }
};

}  // namespace

std::unique_ptr<Parser> make_ldif_err_parser() { return std::make_unique<LdifErrParser>(); }

}  // namespace extriage
