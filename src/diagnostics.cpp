// Formatting and collection of diagnostics.
#include "diagnostics.hpp"

#include <fmt/format.h>

namespace extriage {

std::string Diagnostic::format() const {
    std::string where = path.empty() ? std::string("extriage") : path;
    if (line > 0) {
        where += fmt::format(":{}", line);
        if (column > 0) where += fmt::format(":{}", column);
    } else if (has_offset) {
        where += fmt::format(":offset {}", offset);
    }
    const char* sev = severity == DiagSeverity::error ? "error" : severity == DiagSeverity::warning ? "warning" : "note";
    std::string out = fmt::format("{}: {}: {}", where, sev, message);
    if (!origin.empty()) out += fmt::format(" [{}]", origin);
    return out;
}

void DiagSink::report(Diagnostic d) {
    std::lock_guard lock(mutex_);
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
        ++n;
    }
    return n;
}

std::vector<Diagnostic> DiagSink::snapshot() const {
    std::lock_guard lock(mutex_);
    return diags_;
}

size_t DiagSink::error_count() const {
    std::lock_guard lock(mutex_);
    size_t n = 0;
    for (const auto& d : diags_) n += d.severity == DiagSeverity::error;
    return n;
}

size_t DiagSink::size() const {
    std::lock_guard lock(mutex_);
    return diags_.size();
}

}  // namespace extriage
