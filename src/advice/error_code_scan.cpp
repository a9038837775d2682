// Error code recognition (see error_code_scan.hpp for what counts as a code and why).
#include "advice/error_code_scan.hpp"

#include <array>
#include <cctype>

namespace extriage {

namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
bool hex_digit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Characters that join a number to its neighbour into something that is not a code: versions and
// addresses (15.2.1544.4), times (09:06:48), dates (05/26/2025, 2024-05-11), thousands (1,603).
bool joins_numbers(char c) { return c == '.' || c == ':' || c == '/' || c == '-' || c == ','; }

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// `s` ends with `word` and the word starts at a word boundary.
bool ends_with_word(std::string_view s, std::string_view word) {
    return ends_with(s, word) && (s.size() == word.size() || !word_char(s[s.size() - word.size() - 1]));
}

std::string_view trim_separators(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == ':' || s.back() == '=' || s.back() == '#' ||
                          s.back() == '(' || s.back() == '\'' || s.back() == '"'))
        s.remove_suffix(1);
    return s;
}

enum class Context { none, win32, win32_weak, ldap, msi };

// After a weak context (exit code, status) only numbers this big count as Win32 codes: the codes
// msiexec and setup exit with (1603, 1618, 3010 ...), not a tool's own small exit codes.
constexpr uint64_t kWeakContextMin = 1000;

// Windows Installer writes its messages as "Error 1714. <text>" after "Product: X -- " or a
// "DEBUG: " / "MSI (s) (..) [..]: " prefix: "Error" with a capital E, exactly one space, four
// digits, then '.' or ':'.
bool msi_message_form(std::string_view text, size_t number_begin, size_t number_end) {
    if (number_end - number_begin != 4 || number_end >= text.size() || (text[number_end] != '.' && text[number_end] != ':'))
        return false;
    if (number_begin < 6 || text.substr(number_begin - 6, 6) != "Error ") return false;
    std::string_view before = text.substr(0, number_begin - 6);
    while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
    return before.empty() || before.back() == ':' || ends_with(before, "--");
}

// What the words right before a number say it is.
Context context_before(std::string_view text, size_t number_begin, size_t number_end) {
    if (msi_message_form(text, number_begin, number_end)) return Context::msi;
    constexpr size_t kLookBack = 48;
    size_t from = number_begin > kLookBack ? number_begin - kLookBack : 0;
    std::string buf(text.substr(from, number_begin - from));
    for (char& c : buf) c = lower(c);
    std::string_view s = trim_separators(buf);
    if (ends_with_word(s, "is") || ends_with_word(s, "was")) s = trim_separators(s.substr(0, s.rfind(' ') + 1));

    if (ends_with_word(s, "note: 1")) return Context::msi;   // "Note: 1: 2203 2: ..." (MSI internal error)
    // MSI's "... The error code is 2753." (ldifde's "The error code is: 8245." is a Win32 code).
    if (ends_with(buf, "the error code is ")) return Context::msi;
    static constexpr std::array kLdap{"ldap error", "ldap error code", "ldap result", "ldap result code", "ldap_error"};
    for (std::string_view w : kLdap)
        if (ends_with_word(s, w)) return Context::ldap;
    static constexpr std::array kWin32{"error",      "error code", "errorcode",    "error_code", "error status", "returning",
                                       "hresult",    "getlasterror", "lasterror", "last error",   "win32 error"};
    for (std::string_view w : kWin32)
        if (ends_with_word(s, w)) return Context::win32;
    // Words that also stand before other numbers: a process's own exit code ("regsvr32 ... exit
    // code 3" is LoadLibrary failing, not ERROR_PATH_NOT_FOUND), a service state ("status: 4").
    static constexpr std::array kWin32Weak{"exit code",   "exitcode",    "exit status", "return code",
                                           "returncode",  "result code", "status code", "status"};
    for (std::string_view w : kWin32Weak)
        if (ends_with_word(s, w)) return Context::win32_weak;
    return Context::none;
}

std::optional<CodeSpace> space_of(Context c) {
    switch (c) {
        case Context::win32:
        case Context::win32_weak: return CodeSpace::win32;
        case Context::ldap: return CodeSpace::ldap;
        case Context::msi: return CodeSpace::msi;
        case Context::none: break;
    }
    return std::nullopt;
}

// Active Directory extended errors: "00002098: SecErr: DSID-03150F93, problem 4003 ...".
bool ds_extended_error_at(std::string_view text, size_t i) {
    if (i + 10 > text.size() || text.substr(i + 8, 2) != ": ") return false;
    for (size_t k = 0; k < 8; ++k)
        if (!hex_digit(text[i + k])) return false;
    static constexpr std::array kTags{"LdapErr", "SecErr", "SvcErr", "AtrErr", "NameErr", "RefErr", "UpdErr", "SysErr", "CommErr"};
    std::string_view rest = text.substr(i + 10);
    for (std::string_view tag : kTags)
        if (rest.starts_with(tag) && (rest.size() == tag.size() || !word_char(rest[tag.size()]))) return true;
    return false;
}

uint64_t parse_digits(std::string_view s, int base) {
    uint64_t v = 0;
    for (char c : s) v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(digit(c) ? c - '0' : lower(c) - 'a' + 10);
    return v;
}

// A number with no word character or number-joining character on either side.
bool stands_alone(std::string_view text, size_t begin, size_t end) {
    if (begin > 0 && (word_char(text[begin - 1]) || joins_numbers(text[begin - 1]))) return false;
    if (end < text.size()) {
        char next = text[end];
        if (word_char(next)) return false;
        if (joins_numbers(next) && end + 1 < text.size() && digit(text[end + 1])) return false;
    }
    return true;
}

class Scanner {
public:
    explicit Scanner(std::string_view text) : text_(text) {}

    std::vector<CodeMention> run() {
        size_t i = 0;
        while (i < text_.size()) i = step(i);
        return std::move(out_);
    }

private:
    // Looks at position i and returns where to continue.
    size_t step(size_t i) {
        const char c = text_[i];
        const bool boundary = i == 0 || !word_char(text_[i - 1]);
        if (c == '%' && i + 2 < text_.size() && text_[i + 1] == '%' && digit(text_[i + 2]) && boundary) return insertion(i);
        if (c == '0' && i + 2 < text_.size() && (text_[i + 1] == 'x' || text_[i + 1] == 'X') && hex_digit(text_[i + 2]) && boundary)
            return hex(i);
        if (boundary && ds_extended_error_at(text_, i)) {
            emit(text_.substr(i, 8), static_cast<uint32_t>(parse_digits(text_.substr(i, 8), 16)), CodeSpace::win32);
            return i + 8;
        }
        if (digit(c) || (c == '-' && i + 1 < text_.size() && digit(text_[i + 1]))) return decimal(i);
        return i + 1;
    }

    // "%%1058": an event message insertion string naming a Win32 message.
    size_t insertion(size_t i) {
        size_t end = i + 2;
        while (end < text_.size() && digit(text_[end])) ++end;
        if (end - i - 2 <= 5 && (end == text_.size() || !word_char(text_[end]))) {
            uint64_t v = parse_digits(text_.substr(i + 2, end - i - 2), 10);
            if (v != 0 && v <= 0xFFFF) emit(text_.substr(i, end - i), static_cast<uint32_t>(v), CodeSpace::win32);
        }
        return end;
    }

    size_t hex(size_t i) {
        size_t begin = i + 2;
        size_t end = begin;
        while (end < text_.size() && hex_digit(text_[end])) ++end;
        size_t after = end;
        if (after < text_.size() && (text_[after] == 'L' || text_[after] == 'l')) ++after;   // C-style 0x80070005L
        if (end - begin > 8 || !stands_alone(text_, i, after)) return after;
        const uint64_t v = parse_digits(text_.substr(begin, end - begin), 16);
        std::string_view written = text_.substr(i, end - i);
        if (end - begin == 8 && v >= 0x80000000u) {
            emit(written, static_cast<uint32_t>(v), CodeSpace::any32);
        } else if (v != 0 && v <= 0xFFFF) {
            Context ctx = context_before(text_, i, end);
            if (ctx == Context::msi) ctx = Context::win32;   // MSI message numbers are written in decimal
            if (auto space = space_of(ctx)) emit(written, static_cast<uint32_t>(v), *space);
        } else if (v >= 0x80000000u && space_of(context_before(text_, i, end))) {
            emit(written, static_cast<uint32_t>(v), CodeSpace::any32);   // "HRESULT: 0x80070005" written short is still 32-bit
        }
        return after;
    }

    size_t decimal(size_t i) {
        const bool negative = text_[i] == '-';
        size_t begin = negative ? i + 1 : i;
        size_t end = begin;
        while (end < text_.size() && digit(text_[end])) ++end;
        // A '-' after a word or number is a separator ("2024-05-11", "x-1"), not a sign.
        if (negative && i > 0 && (word_char(text_[i - 1]) || joins_numbers(text_[i - 1]))) return end;
        if (!stands_alone(text_, begin - (negative ? 1 : 0), end) || end - begin > 10) return end;
        const uint64_t magnitude = parse_digits(text_.substr(begin, end - begin), 10);
        std::string_view written = text_.substr(i, end - i);
        const size_t digits = end - begin;
        if (negative) {
            // Signed 32-bit failure values (HRESULT/NTSTATUS as int): -2147483648 .. -1000000000.
            if (digits == 10 && magnitude <= 0x80000000u)
                emit(written, static_cast<uint32_t>(0x100000000u - magnitude), CodeSpace::any32);
            return end;
        }
        if (digits == 10 && magnitude >= 0x80000000u && magnitude <= 0xFFFFFFFFu) {
            emit(written, static_cast<uint32_t>(magnitude), CodeSpace::any32);
        } else if (digits <= 5 && magnitude != 0 && magnitude <= 0xFFFF) {
            Context ctx = context_before(text_, i, end);
            if (ctx == Context::win32_weak && magnitude < kWeakContextMin) ctx = Context::none;
            if (auto space = space_of(ctx)) emit(written, static_cast<uint32_t>(magnitude), *space);
        }
        return end;
    }

    void emit(std::string_view written, uint32_t value, CodeSpace space) {
        out_.push_back(CodeMention{std::string(written), value, space});
    }

    std::string_view text_;
    std::vector<CodeMention> out_;
};

// The context a fact's name gives its value, as context_before() does for words in text.
Context context_of_fact_name(std::string_view name) {
    std::string n(name);
    for (char& c : n) c = lower(c);
    auto has = [&](std::string_view w) { return n.find(w) != std::string::npos; };
    if (has("ldap")) return Context::ldap;
    if (has("note_code")) return Context::msi;
    if (has("error") || has("hresult")) return Context::win32;
    if (has("code") || has("status") || has("exit") || has("result")) return Context::win32_weak;
    return Context::none;
}

}  // namespace

std::vector<CodeMention> find_error_codes(std::string_view text) { return Scanner(text).run(); }

std::optional<CodeMention> fact_error_code(std::string_view name, std::string_view value) {
    const Context ctx = context_of_fact_name(name);
    auto space = space_of(ctx);
    if (!space) return std::nullopt;
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    const bool is_hex = value.size() > 2 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X');
    size_t begin = is_hex ? 2 : 0;
    size_t end = begin;
    while (end < value.size() && (is_hex ? hex_digit(value[end]) : digit(value[end]))) ++end;
    if (end == begin || end - begin > (is_hex ? 8u : 5u) || !stands_alone(value, 0, end)) return std::nullopt;
    const uint64_t v = parse_digits(value.substr(begin, end - begin), is_hex ? 16 : 10);
    if (v == 0 || v > 0xFFFF) return std::nullopt;   // bigger values are found by find_error_codes()
    if (ctx == Context::win32_weak && !is_hex && v < kWeakContextMin) return std::nullopt;
    if (is_hex && *space == CodeSpace::msi) space = CodeSpace::win32;
    return CodeMention{std::string(value.substr(0, end)), static_cast<uint32_t>(v), *space};
}

}  // namespace extriage
