// Formatting and collection of diagnostics.
#include "diagnostics.hpp"

#include <cctype>

#include <fmt/format.h>

#include "terminal_text.hpp"

namespace extriage {

namespace {

const char* severity_name(DiagSeverity s) {
    return s == DiagSeverity::error ? "error" : s == DiagSeverity::warning ? "warning" : "note";
}

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

std::string Diagnostic::format() const {
    // A run-wide note (nothing to name) is extriage's own line.
    std::string where = path.empty() ? std::string("extriage") : escape_for_terminal(path);
    if (line > 0) {
        where += fmt::format(":{}", line);
        if (column > 0) where += fmt::format(":{}", column);
    } else if (has_offset) {
        where += fmt::format(":offset {}", offset);
    }
    std::string out = fmt::format("{}: {}: {}", where, severity_name(severity), escape_for_terminal(message));
    if (!origin.empty()) out += fmt::format(" [{}]", escape_for_terminal(origin));
    return out;
}

// "chunk 12: bad record signature 0x00002b2a at 'x'" and "chunk 7: bad record signature
// 0x41414141 at 'y'" are one kind: words holding a digit become '#', quoted text is dropped.
std::string diagnostic_kind(const Diagnostic& d) {
    std::string key = d.path;
    key += '\0';
    key += d.origin;
    key += '\0';
    key += severity_name(d.severity);
    key += '\0';
    const std::string_view m = d.message;
    size_t kept = 0;
    for (size_t i = 0; i < m.size() && kept < 120;) {
        const char c = m[i];
        if (c == '\'' || c == '"') {
            size_t close = m.find(c, i + 1);
            if (close != std::string_view::npos && close - i <= 256) {
                key += c;
                key += c;
                i = close + 1;
                kept += 2;
                continue;
            }
        }
        if (is_word(c)) {
            size_t end = i;
            bool digit = false;
            for (; end < m.size() && is_word(m[end]); ++end)
                if (std::isdigit(static_cast<unsigned char>(m[end]))) digit = true;
            if (digit) key += '#';
            else key.append(m.substr(i, end - i));
            kept += digit ? 1 : end - i;
            i = end;
            continue;
        }
        key += c;
        ++kept;
        ++i;
    }
    return key;
}

void DiagSink::report(Diagnostic d) {
    std::string key = diagnostic_kind(d);
    std::lock_guard lock(mutex_);
    ++reported_;
    errors_ += d.severity == DiagSeverity::error;
    auto it = kinds_.find(key);
    if (it == kinds_.end()) {
        if (kinds_.size() >= limits_.max_kinds || diags_.size() >= limits_.per_run) {
            ++suppressed_;
            ++dropped_by_run_cap_;
            if (d.severity == DiagSeverity::error) ++dropped_errors_[d.path];
            return;
        }
        it = kinds_.emplace(std::move(key), Kind{0, 0, 0, d.severity, d.path, d.origin}).first;
    }
    Kind& kind = it->second;
    if (kind.kept >= limits_.per_kind || diags_.size() >= limits_.per_run) {
        ++kind.suppressed;
        ++suppressed_;
        return;
    }
    ++kind.kept;
    kind.last_index = diags_.size();
    diags_.push_back(std::move(d));
}

void DiagSink::error_at_line(std::string path, uint64_t line, std::string message, std::string origin) {
    report({DiagSeverity::error, std::move(path), line, 0, 0, false, std::move(message), std::move(origin)});
}

void DiagSink::warning_at_line(std::string path, uint64_t line, std::string message, std::string origin) {
    report({DiagSeverity::warning, std::move(path), line, 0, 0, false, std::move(message), std::move(origin)});
}

void DiagSink::error_at_offset(std::string path, uint64_t offset, std::string message, std::string origin) {
    report({DiagSeverity::error, std::move(path), 0, 0, offset, true, std::move(message), std::move(origin)});
}

void DiagSink::warning_at_offset(std::string path, uint64_t offset, std::string message, std::string origin) {
    report({DiagSeverity::warning, std::move(path), 0, 0, offset, true, std::move(message), std::move(origin)});
}

size_t DiagSink::downgrade_errors(size_t from, std::string_view path) {
    std::lock_guard lock(mutex_);
    size_t n = 0;
    for (size_t i = from; i < diags_.size(); ++i) {
        if (diags_[i].severity != DiagSeverity::error || diags_[i].path != path) continue;
        diags_[i].severity = DiagSeverity::warning;
        --errors_;
        ++n;
    }
    // Suppressed errors of this file count no more either.
    for (auto& [key, kind] : kinds_) {
        if (kind.severity != DiagSeverity::error || kind.path != path) continue;
        errors_ -= kind.suppressed;
        kind.severity = DiagSeverity::warning;
    }
    if (auto it = dropped_errors_.find(std::string(path)); it != dropped_errors_.end()) {
        errors_ -= it->second;
        dropped_errors_.erase(it);
    }
    return n;
}

std::vector<Diagnostic> DiagSink::snapshot() const {
    std::lock_guard lock(mutex_);
    if (suppressed_ == 0) return diags_;
    // Where each kind's note goes: after its last kept diagnostic.
    std::vector<std::vector<const Kind*>> notes_after(diags_.size());
    for (const auto& [key, kind] : kinds_)
        if (kind.suppressed && kind.kept) notes_after[kind.last_index].push_back(&kind);
    std::vector<Diagnostic> out;
    out.reserve(diags_.size() + kinds_.size() + 1);
    for (size_t i = 0; i < diags_.size(); ++i) {
        out.push_back(diags_[i]);
        for (const Kind* k : notes_after[i])
            out.push_back({DiagSeverity::note, k->path, 0, 0, 0, false,
                           fmt::format("{} more like this suppressed (at most {} of a kind are kept per file)",
                                       k->suppressed, limits_.per_kind),
                           k->origin});
    }
    if (dropped_by_run_cap_)
        out.push_back({DiagSeverity::note, "", 0, 0, 0, false,
                       fmt::format("{} more diagnostic(s) suppressed (at most {} are kept per run)", dropped_by_run_cap_,
                                   limits_.per_run),
                       ""});
    return out;
}

size_t DiagSink::error_count() const {
    std::lock_guard lock(mutex_);
    return errors_;
}

size_t DiagSink::size() const {
    std::lock_guard lock(mutex_);
    return reported_;
}

size_t DiagSink::kept() const {
    std::lock_guard lock(mutex_);
    return diags_.size();
}

size_t DiagSink::suppressed() const {
    std::lock_guard lock(mutex_);
    return suppressed_;
}

}  // namespace extriage
