// Problems found in inputs or rules. Data errors become diagnostics and the run goes on;
// they print as `path:line: error: message [origin]` (or `path:offset N` for binary inputs), and as
// `extriage: error: message` when they concern no one input (path "").
// A damaged file can produce millions of them (one per bad record), so a sink keeps only the
// first few of each kind per file and a bounded number per run, and says how many it dropped.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
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

    // One line for a terminal: control characters from the path or the message are escaped.
    std::string format() const;
};

struct DiagLimits {
    // Diagnostics of one kind (same file, origin, severity and message up to its numbers and
    // quoted parts) kept per file; the rest become one "N more like this suppressed" note.
    size_t per_kind = 20;
    size_t per_run = 2000;        // diagnostics kept by one sink in all
    size_t max_kinds = 20000;     // kinds tracked; past that, diagnostics are only counted
};

// Thread-safe collector. Parsers report here instead of throwing.
class DiagSink {
public:
    DiagSink() = default;
    explicit DiagSink(DiagLimits limits) : limits_(limits) {}
    void report(Diagnostic d);
    void error_at_line(std::string path, uint64_t line, std::string message, std::string origin);
    void warning_at_line(std::string path, uint64_t line, std::string message, std::string origin);
    void error_at_offset(std::string path, uint64_t offset, std::string message, std::string origin);
    void warning_at_offset(std::string path, uint64_t offset, std::string message, std::string origin);

    // Turns the errors reported for `path` since kept() was `from` into warnings (a file that still
    // yielded records was read: what was skipped inside it does not fail the run), the suppressed
    // ones included. Returns how many kept diagnostics changed.
    size_t downgrade_errors(size_t from, std::string_view path);

    // The kept diagnostics in report order, each kind's "N more like this suppressed" note right
    // after its last kept one, and a final note (path "") for what the per-run cap dropped.
    std::vector<Diagnostic> snapshot() const;
    size_t error_count() const;   // reported errors, suppressed ones included
    size_t size() const;          // reported diagnostics, suppressed ones included
    size_t suppressed() const;    // reported but not kept
    size_t kept() const;          // kept diagnostics (the index downgrade_errors starts from)

private:
    struct Kind {
        size_t kept = 0, suppressed = 0;
        size_t last_index = 0;    // in diags_, of the last kept one
        DiagSeverity severity = DiagSeverity::note;
        std::string path, origin;
    };

    DiagLimits limits_;
    mutable std::mutex mutex_;
    std::vector<Diagnostic> diags_;
    std::unordered_map<std::string, Kind> kinds_;
    size_t reported_ = 0, errors_ = 0, suppressed_ = 0;
    size_t dropped_by_run_cap_ = 0;   // suppressed without a kind note to carry them
    std::unordered_map<std::string, size_t> dropped_errors_;   // errors among those, by path
};

// The key that groups a diagnostic with others "like it" (see DiagLimits::per_kind).
std::string diagnostic_kind(const Diagnostic& d);

}  // namespace extriage
