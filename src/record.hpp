// The normalized record every parser emits, and the sink that receives records.
// Parsers fill Records whose string_views stay valid only for the duration of the
// on_record() call; consumers copy what they keep. Segments (setup runs, MSI sessions)
// summarise a stretch of one file and are handed over when the stretch ends.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace extriage {

enum class Level { trace = 0, info = 1, warning = 2, error = 3, critical = 4 };

std::string_view level_name(Level level);
std::optional<Level> parse_level(std::string_view name);

inline constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

struct Field {
    std::string_view name;
    std::string_view value;
};

struct Record {
    std::string_view parser;      // parser name, e.g. "exchange-setup"
    std::string_view path;        // display path of the file (as given, or "bundle.zip!inner/file")
    uint64_t line = 0;            // 1-based first physical line; 0 for binary formats
    uint64_t line_count = 1;      // physical lines this record spans (continuations included)
    uint64_t offset = 0;          // byte offset of the record in the (undecoded) file
    int64_t time_ms = kNoTime;    // milliseconds since the Unix epoch
    bool time_is_utc = false;     // false: the log's local time (setup logs), true: UTC (EVTX)
    Level level = Level::info;
    std::string_view text;        // message; continuation lines joined with '\n'
    std::string_view raw;         // first physical line exactly as written (for evidence)
    std::span<const Field> fields;
    int segment = -1;             // index of the segment (setup run) inside the file, -1 if none

    // Value of a named field; "text" and "line" are always available. Empty if absent.
    std::string_view field(std::string_view name) const;
    bool has_field(std::string_view name) const;
};

struct ContextLine {
    uint64_t line = 0;
    std::string text;
};

// A stretch of one file with its own identity: one run of setup.exe, one MSI session.
struct Segment {
    std::string path;
    std::string parser;
    std::string kind;             // "setup-run", "msi-session", ...
    int index = 0;                // 0-based within the file
    uint64_t first_line = 0;
    uint64_t last_line = 0;
    int64_t start_ms = kNoTime;
    int64_t end_ms = kNoTime;
    bool time_is_utc = false;
    std::string outcome;          // "succeeded", "failed", "incomplete" or "unknown"
    // Ordered facts, e.g. exchange_version, setup_version, mode, user, domain_controller...
    std::vector<std::pair<std::string, std::string>> facts;
    std::optional<ContextLine> last_error;
    std::vector<ContextLine> error_context;   // lines before last_error, oldest first

    const std::string* fact(std::string_view name) const;
    void set_fact(std::string name, std::string value);
};

class RecordSink {
public:
    virtual ~RecordSink() = default;
    virtual void on_file_begin(std::string_view path, std::string_view parser) = 0;
    virtual void on_record(const Record& record) = 0;
    // Called after the last record of a segment and before the first record of the next one.
    virtual void on_segment_end(const Segment& segment) = 0;
    virtual void on_file_end(std::string_view path) = 0;
};

}  // namespace extriage
