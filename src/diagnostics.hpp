// Problems found in inputs or rules. Data errors become diagnostics and the run goes on;
// they print as `path:line: error: message [origin]` (or `path@offset` for binary inputs), and as
// `extriage: error: message` when they concern no one input (path "").
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace extriage {

enum class DiagSeverity { note, warning, error };

struct Diagnostic {
    DiagSeverity severity = DiagSeverity::error;
    std::string path;
    uint64_t line = 0;          // 1-based; 0 when not line-oriented
    uint64_t column = 0;        // 1-based; 0 when unknown
    uint64_t offset = 0;        // byte offset, used when line == 0
    bool has_offset = false;
    std::string message;
    std::string origin;         // parser or rule name shown in [brackets]

    std::string format() const;
};

// Thread-safe collector. Parsers report here instead of throwing.
class DiagSink {
public:
    void report(Diagnostic d);
    void error_at_line(std::string path, uint64_t line, std::string message, std::string origin);
    void warning_at_line(std::string path, uint64_t line, std::string message, std::string origin);
    void error_at_offset(std::string path, uint64_t offset, std::string message, std::string origin);
    void warning_at_offset(std::string path, uint64_t offset, std::string message, std::string origin);

    // Turns the errors reported for `path` since index `from` into warnings (a file that still
    // yielded records was read: what was skipped inside it does not fail the run). Returns how many.
    size_t downgrade_errors(size_t from, std::string_view path);

    std::vector<Diagnostic> snapshot() const;
    size_t error_count() const;
    size_t size() const;

private:
    mutable std::mutex mutex_;
    std::vector<Diagnostic> diags_;
};

}  // namespace extriage
