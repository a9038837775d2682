// Error code table parsing, decoding and the decoded_error facts.
#include "advice/error_codes.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "advice/tsv_table.hpp"

namespace extriage {

namespace {

constexpr std::array<std::pair<std::string_view, CodeKind>, 5> kKinds{{{"win32", CodeKind::win32},
                                                                       {"hresult", CodeKind::hresult},
                                                                       {"ntstatus", CodeKind::ntstatus},
                                                                       {"ldap", CodeKind::ldap},
                                                                       {"msi", CodeKind::msi}}};

std::optional<CodeKind> kind_named(std::string_view s) {
    for (const auto& [name, kind] : kKinds)
        if (name == s) return kind;
    return std::nullopt;
}

std::optional<uint32_t> parse_code(std::string_view s) {
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s.remove_prefix(2);
        base = 16;
    }
    uint32_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

// Microsoft's message as a clause after "NAME: ": "Access is denied." -> "access is denied".
// Acronyms and names ("LDAP ...", "DNS ...") keep their case.
std::string as_clause(std::string_view meaning) {
    std::string s(meaning);
    while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
    if (s.size() >= 2 && std::isupper(static_cast<unsigned char>(s[0])) && std::islower(static_cast<unsigned char>(s[1])))
        s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    return s;
}

std::string hex32(uint32_t v) { return fmt::format("0x{:08X}", v); }

std::string with_meaning(std::string head, const ErrorCodeInfo& info) {
    if (!info.name.empty()) head += " " + info.name;
    if (!info.meaning.empty()) head += ": " + as_clause(info.meaning);
    return head;
}

// "1603 = 0x643 ERROR_INSTALL_FAILURE: fatal error during installation"
std::optional<DecodedCode> small_code(const ErrorCodeTable& table, CodeKind kind, uint32_t code) {
    const ErrorCodeInfo* info = table.find(kind, code);
    if (!info) return std::nullopt;
    return DecodedCode{kind, code, with_meaning(fmt::format("{} = 0x{:X}", code, code), *info)};
}

// A 32-bit value: as written, then as 8 hex digits when written otherwise (decimal, negative).
std::optional<DecodedCode> wide_code(const ErrorCodeTable& table, const CodeMention& m) {
    const uint32_t v = m.value;
    std::string head = hex32(v);
    std::string written_upper = m.written;
    std::transform(written_upper.begin(), written_upper.end(), written_upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (written_upper != fmt::format("0X{:08X}", v)) head = m.written + " = " + head;
    auto found = [&](CodeKind kind, uint32_t code) -> std::optional<DecodedCode> {
        if (const ErrorCodeInfo* info = table.find(kind, code)) return DecodedCode{kind, code, with_meaning(head, *info)};
        return std::nullopt;
    };
    if (auto d = found(CodeKind::hresult, v)) return d;
    if (auto d = found(CodeKind::ntstatus, v)) return d;
    // HRESULT_FROM_WIN32 (0x8007xxxx) and NTSTATUS FACILITY_NTWIN32 (0xC007xxxx) carry a Win32 code.
    if ((v >> 16) == 0x8007 || (v >> 16) == 0xC007) return found(CodeKind::win32, v & 0xFFFF);
    // HRESULT_FROM_NT sets the N bit (0x10000000) on an NTSTATUS value (the table holds errors).
    if ((v & 0xF0000000u) == 0xD0000000u) return found(CodeKind::ntstatus, v & ~0x10000000u);
    return std::nullopt;
}

}  // namespace

ErrorCodeTable ErrorCodeTable::parse(std::string_view tsv, std::vector<std::string>* errors) {
    ErrorCodeTable t;
    read_tsv(
        tsv, {"kind", "code", "name", "meaning"},
        [&](uint64_t number, const TsvRow& cell, std::vector<std::string>* errs) {
            auto kind = kind_named(cell["kind"]);
            auto code = parse_code(cell["code"]);
            if (!kind || !code) {
                if (errs) errs->push_back(fmt::format("line {}: bad kind or code '{}' '{}'", number, cell["kind"], cell["code"]));
                return;
            }
            t.rows_.emplace(key(*kind, *code), ErrorCodeInfo{std::string(cell["name"]), std::string(cell["meaning"])});
        },
        errors);
    return t;
}

const ErrorCodeInfo* ErrorCodeTable::find(CodeKind kind, uint32_t code) const {
    auto it = rows_.find(key(kind, code));
    return it == rows_.end() ? nullptr : &it->second;
}

std::optional<DecodedCode> decode_error_code(const ErrorCodeTable& table, const CodeMention& m) {
    switch (m.space) {
        case CodeSpace::any32:
            if (m.value > 0xFFFF) return wide_code(table, m);
            return small_code(table, CodeKind::win32, m.value);
        case CodeSpace::win32: return small_code(table, CodeKind::win32, m.value);
        case CodeSpace::ldap: return small_code(table, CodeKind::ldap, m.value);
        case CodeSpace::msi:
            if (const ErrorCodeInfo* info = table.find(CodeKind::msi, m.value))
                return DecodedCode{CodeKind::msi, m.value, fmt::format("{} (Windows Installer): {}", m.value, as_clause(info->meaning))};
            // "The error code is 5" outside an MSI message: a Win32 code after all.
            return small_code(table, CodeKind::win32, m.value);
    }
    return std::nullopt;
}

void add_decoded_errors(Finding& finding, const ErrorCodeTable& table) {
    std::vector<DecodedCode> decoded;
    std::vector<uint32_t> small_values;   // numbers decoded already as Win32, LDAP or MSI codes
    auto take = [&](const CodeMention& m) {
        if (decoded.size() >= kMaxDecodedErrors) return;
        // The first reading of a small number wins: "Error 1303." in the evidence is an MSI
        // message, and an error_code fact of 1303 captured from it is not a second, Win32 code.
        const bool small = m.space != CodeSpace::any32;
        if (small && std::find(small_values.begin(), small_values.end(), m.value) != small_values.end()) return;
        auto d = decode_error_code(table, m);
        if (!d) return;
        for (const auto& seen : decoded)
            if (seen.kind == d->kind && seen.code == d->code) return;
        if (small) small_values.push_back(m.value);
        decoded.push_back(std::move(*d));
    };
    for (const Evidence& e : finding.evidence) {
        for (const CodeMention& m : find_error_codes(e.text)) take(m);
        for (const CodeMention& m : find_error_codes(e.record_text)) take(m);   // its continuation lines
    }
    for (const auto& [name, value] : finding.facts) {
        if (auto m = fact_error_code(name, value)) take(*m);
        for (const CodeMention& m : find_error_codes(value)) take(m);
    }
    size_t n = 0;
    for (auto& d : decoded) {
        std::string name;
        do {   // a rule's own fact of the same name keeps its value
            ++n;
            name = n == 1 ? std::string(kDecodedErrorFact) : fmt::format("{}_{}", kDecodedErrorFact, n);
        } while (finding.fact(name));
        finding.facts.emplace_back(std::move(name), std::move(d.text));
    }
}

void add_decoded_errors(std::vector<Finding>& findings, const ErrorCodeTable& table) {
    for (Finding& f : findings) add_decoded_errors(f, table);
}

}  // namespace extriage
