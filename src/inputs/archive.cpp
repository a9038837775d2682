// Zip bundles read in place with libarchive (zip only; other formats are not recognised).
//
// Why reopen-by-index rather than buffering: a member is read twice, once while the archive is
// walked (its first 64 KiB, for sniffing) and once when its parser runs, and libarchive cannot
// rewind. Instead of keeping members in memory we remember each member's locator (its entry
// index in the top-level archive, then in each nested zip) and, when the parser opens it,
// reopen the chain of archives and skip forward to it. Nested zips are never buffered either:
// they are read as a stream straight out of their parent member. An ArchiveSession keeps the
// last cursor, so members opened in archive order (as analyze_inputs does) cost one extra pass
// over the archive in total. Memory is libarchive's buffers per nesting level (a few hundred
// KiB), whatever the size of the bundle or of its members; the price is decompressing parsed
// members twice and skipping through nested zips sequentially (they have no central
// directory to seek with when streamed).
//
// Every byte extriage decompresses goes through an EntryReader, which enforces the per-member
// size cap, the member's declared size and the compression-ratio guard on what is actually
// produced (declared sizes can lie), and counts it against --max-total-size: the walk counts
// every byte it inflates (sniffed heads, nested zips read through, members drained) plus the
// sizes it promises to parsers; the parsers' reads (and the nested zips skipped through to reach
// their members) are counted again, by the session, against the same limit. Entries whose size
// is unknown (streamed zips with data descriptors) are drained through an EntryReader too,
// because libarchive would otherwise skip them by inflating them unchecked. Before the walk, the
// central directory is checked for members whose data overlap (zip_layout.hpp).
#include "inputs/archive.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include "inputs/bundle.hpp"
#include "inputs/discover.hpp"
#include "inputs/zip_layout.hpp"
#include "platform/files.hpp"
#include "platform/utf8_path.hpp"

namespace extriage {

namespace fs = std::filesystem;

namespace {

constexpr size_t kBlock = 64 * 1024;
constexpr const char* kOrigin = "archive";

struct ArchiveFree {
    void operator()(archive* a) const noexcept { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

std::string la_error(archive* a) {
    const char* s = archive_error_string(a);
    std::string out = s && *s ? s : "unknown libarchive error";
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' ')) out.pop_back();
    return out;
}

// Opens a zip file by its UTF-8 name (libarchive's char* open takes the ANSI code page on Windows).
int open_zip_file(archive* a, const std::string& fs_path) {
#ifdef _WIN32
    return archive_read_open_filename_w(a, platform::u8_to_path(fs_path).c_str(), kBlock);
#else
    return archive_read_open_filename(a, fs_path.c_str(), kBlock);
#endif
}

ArchivePtr new_zip_reader() {
    ArchivePtr a(archive_read_new());
    if (!a) throw std::bad_alloc();
    archive_read_support_format_zip(a.get());
    return a;
}

std::string human_size(uint64_t n) {
    constexpr uint64_t kKiB = 1024, kMiB = kKiB << 10, kGiB = kMiB << 10;
    if (n >= kGiB && n % kGiB == 0) return fmt::format("{} GiB", n / kGiB);
    if (n >= kMiB && n % kMiB == 0) return fmt::format("{} MiB", n / kMiB);
    if (n >= kMiB) return fmt::format("{:.1f} MiB", static_cast<double>(n) / static_cast<double>(kMiB));
    if (n >= kKiB && n % kKiB == 0) return fmt::format("{} KiB", n / kKiB);
    return fmt::format("{} bytes", n);
}

uint64_t position(archive* a) {
    la_int64_t p = archive_filter_bytes(a, 0);
    return p > 0 ? static_cast<uint64_t>(p) : 0;
}

std::string total_limit_message(uint64_t limit) {
    return fmt::format("member would take the archive's decompressed total over the --max-total-size limit of {}; "
                       "refused",
                       human_size(limit));
}

// Decompressed bytes counted against --max-total-size (see the top of the file).
struct InflateBudget {
    uint64_t limit = 0;
    uint64_t used = 0;
};

// Reads the current entry's data, enforcing the per-member caps on the bytes it produces.
class EntryReader {
public:
    // `declared`: the size the entry's header gives, if any; `budget`: counts what is produced.
    EntryReader(archive* a, const ArchiveLimits& limits, InflateBudget* budget, std::optional<uint64_t> declared)
        : a_(a), limits_(limits), budget_(budget), declared_(declared), start_(position(a)) {}

    // Bytes read (> 0), 0 at the end of the entry, -1 on an error or a refusal (see error()).
    la_ssize_t read(void* buffer, size_t n) {
        if (!error_.empty()) return -1;
        if (eof_) return 0;
        la_ssize_t k = archive_read_data(a_, buffer, n);
        if (k < 0) {
            error_ = la_error(a_);
            return -1;
        }
        if (k == 0) {
            eof_ = true;
            return 0;
        }
        produced_ += static_cast<uint64_t>(k);
        if (declared_ && produced_ > *declared_) {
            refused_ = true;
            error_ = fmt::format("member holds more data than the {} its header declares; refused", human_size(*declared_));
            return -1;
        }
        if (budget_ && (budget_->used += static_cast<uint64_t>(k)) > budget_->limit) {
            refused_ = true;
            error_ = total_limit_message(budget_->limit);
            return -1;
        }
        if (produced_ > limits_.max_entry_size) {
            refused_ = true;
            error_ = fmt::format("member is larger than the --max-entry-size limit of {}; refused",
                                 human_size(limits_.max_entry_size));
            return -1;
        }
        if (produced_ >= limits_.ratio_min_size) {
            uint64_t packed = std::max<uint64_t>(position(a_) - std::min(position(a_), start_), 1);
            if (produced_ / packed > limits_.max_ratio) {
                refused_ = true;
                error_ = fmt::format("member expands more than {}:1 ({} from {} compressed bytes): possible zip bomb; refused",
                                     limits_.max_ratio, human_size(produced_), packed);
                return -1;
            }
        }
        return k;
    }

    // Reads up to max bytes (fewer at the end or on an error).
    std::string read_head(size_t max) {
        std::string out(max, '\0');
        size_t total = 0;
        while (total < max) {
            la_ssize_t k = read(out.data() + total, max - total);
            if (k <= 0) break;
            total += static_cast<size_t>(k);
        }
        out.resize(total);
        return out;
    }

    bool failed() const { return !error_.empty(); }
    bool refused() const { return refused_; }   // a cap, not a read error
    bool at_end() const { return eof_; }
    const std::string& error() const { return error_; }
    uint64_t produced() const { return produced_; }

    bool reported = false;   // the walker has already told about error()

private:
    archive* a_;
    const ArchiveLimits& limits_;
    InflateBudget* budget_;
    std::optional<uint64_t> declared_;
    uint64_t start_;
    uint64_t produced_ = 0;
    bool eof_ = false;
    bool refused_ = false;
    std::string error_;
};

// The read callback of a nested zip: bytes already taken from the parent member for sniffing,
// then the rest of the parent member.
struct NestedStream {
    EntryReader* parent = nullptr;
    std::string prefix;
    size_t prefix_pos = 0;
    std::vector<char> buffer = std::vector<char>(kBlock);
};

la_ssize_t nested_read(archive* self, void* client, const void** out) {
    auto* s = static_cast<NestedStream*>(client);
    if (s->prefix_pos < s->prefix.size()) {
        *out = s->prefix.data() + s->prefix_pos;
        size_t n = s->prefix.size() - s->prefix_pos;
        s->prefix_pos = s->prefix.size();
        return static_cast<la_ssize_t>(n);
    }
    la_ssize_t n = s->parent->read(s->buffer.data(), s->buffer.size());
    if (n < 0) {
        archive_set_error(self, EIO, "%s", s->parent->error().c_str());
        return ARCHIVE_FATAL;
    }
    *out = s->buffer.data();
    return n;
}

// Opens a zip that is read out of `parent` (whose first bytes are `prefix`).
ArchivePtr open_nested(NestedStream& stream) {
    ArchivePtr a = new_zip_reader();
    if (archive_read_open(a.get(), &stream, nullptr, nested_read, nullptr) != ARCHIVE_OK)
        throw InputError(fmt::format("cannot open nested zip: {}", la_error(a.get())));
    return a;
}

// One open archive in a chain: the top-level file or a zip inside the current entry of the
// level above. Declaration order matters: the archive is freed before the stream it reads.
struct Level {
    std::unique_ptr<NestedStream> stream;     // null for the top level
    ArchivePtr a;
    std::optional<EntryReader> entry;         // data of the current entry
    int64_t index = -1;                       // current entry; -1 before the first header
    std::optional<uint64_t> declared;         // the current entry's declared size
    bool touched = false;                     // the current entry's data has been read from
};

// A chain of open archives positioned on one member, able to move forward to later members.
class ArchiveCursor {
public:
    ArchiveCursor(std::string fs_path, const ArchiveLimits& limits, InflateBudget& budget)
        : fs_path_(std::move(fs_path)), limits_(limits), budget_(budget) {}
    ArchiveCursor(const ArchiveCursor&) = delete;
    ArchiveCursor& operator=(const ArchiveCursor&) = delete;
    ~ArchiveCursor() {
        while (!levels_.empty()) levels_.pop_back();   // inner levels first: they read from outer ones
    }

    bool broken() const { return broken_; }

    // Whether seek(loc) can get there by moving forward only.
    bool can_reach(const std::vector<uint32_t>& loc) const {
        if (broken_) return false;
        if (levels_.empty()) return true;
        for (size_t i = 0;; ++i) {
            if (i == levels_.size()) return !levels_[i - 1]->touched;
            if (i == loc.size()) return false;
            int64_t at = levels_[i]->index, want = static_cast<int64_t>(loc[i]);
            if (at < want) return true;
            if (at > want) return false;
        }
    }

    // Positions the chain on the member at loc. Throws InputError.
    void seek(const std::vector<uint32_t>& loc) {
        try {
            if (levels_.empty()) open_top();
            for (size_t i = 0; i < loc.size(); ++i) {
                if (i == levels_.size()) push_nested();
                Level& level = *levels_[i];
                if (level.index != static_cast<int64_t>(loc[i])) {
                    while (levels_.size() > i + 1) levels_.pop_back();
                    advance(level, loc[i]);
                }
            }
            while (levels_.size() > loc.size()) levels_.pop_back();
        } catch (...) {
            broken_ = true;
            throw;
        }
    }

    size_t read(char* buffer, size_t n) {
        Level& leaf = *levels_.back();
        leaf.touched = true;
        la_ssize_t k = leaf.entry->read(buffer, n);
        if (k < 0) {
            broken_ = true;
            throw InputError(leaf.entry->error());
        }
        return static_cast<size_t>(k);
    }

private:
    void open_top() {
        auto level = std::make_unique<Level>();
        level->a = new_zip_reader();
        if (open_zip_file(level->a.get(), fs_path_) != ARCHIVE_OK)
            throw InputError(fmt::format("cannot reopen the archive: {}", la_error(level->a.get())));
        levels_.push_back(std::move(level));
    }

    void push_nested() {
        Level& parent = *levels_.back();
        parent.touched = true;
        auto level = std::make_unique<Level>();
        level->stream = std::make_unique<NestedStream>();
        level->stream->parent = &*parent.entry;
        level->a = open_nested(*level->stream);
        levels_.push_back(std::move(level));
    }

    void advance(Level& level, uint32_t index) {
        while (level.index < static_cast<int64_t>(index)) {
            level.entry.reset();
            archive_entry* e = nullptr;
            int r = archive_read_next_header(level.a.get(), &e);
            if (r == ARCHIVE_EOF)
                throw InputError("the archive ended before this member (did it change since it was listed?)");
            if (r < ARCHIVE_WARN)
                throw InputError(fmt::format("cannot reach this member in the archive: {}", la_error(level.a.get())));
            ++level.index;
            level.touched = false;
            level.declared = archive_entry_size_is_set(e)
                                 ? std::optional<uint64_t>(std::max<la_int64_t>(archive_entry_size(e), 0))
                                 : std::nullopt;
        }
        level.entry.emplace(level.a.get(), limits_, &budget_, level.declared);
    }

    std::string fs_path_;
    ArchiveLimits limits_;
    InflateBudget& budget_;
    std::vector<std::unique_ptr<Level>> levels_;
    bool broken_ = false;
};

// Shared by the InputFiles of one top-level archive: hands out cursors and keeps the last one
// for reuse, so that reading members in archive order is a single pass.
class ArchiveSession {
public:
    ArchiveSession(std::string fs_path, const ArchiveLimits& limits) : fs_path_(std::move(fs_path)), limits_(limits) {
        budget_.limit = limits.max_total_size;
    }

    std::unique_ptr<ArchiveCursor> acquire(const std::vector<uint32_t>& loc) {
        std::unique_ptr<ArchiveCursor> cursor;
        {
            std::lock_guard lock(mutex_);
            if (idle_ && idle_->can_reach(loc)) cursor = std::move(idle_);
            idle_.reset();
        }
        if (!cursor) cursor = std::make_unique<ArchiveCursor>(fs_path_, limits_, budget_);
        cursor->seek(loc);
        return cursor;
    }

    // Keeps the cursor for the next member, unless it is broken or sits on the last member
    // (so that a folder of many zips does not keep one open file per zip).
    void release(std::unique_ptr<ArchiveCursor> cursor, const std::vector<uint32_t>& loc) noexcept {
        if (!cursor || cursor->broken() || loc == last_) return;
        std::lock_guard lock(mutex_);
        idle_ = std::move(cursor);
    }

    void set_last(const std::vector<uint32_t>& loc) { last_ = loc; }

private:
    std::string fs_path_;
    ArchiveLimits limits_;
    InflateBudget budget_;   // what the parsers' reads inflate (InputFiles are opened one at a time)
    std::vector<uint32_t> last_;
    std::mutex mutex_;
    std::unique_ptr<ArchiveCursor> idle_;
};

class ArchiveMemberSource final : public ByteSource {
public:
    ArchiveMemberSource(std::shared_ptr<ArchiveSession> session, std::vector<uint32_t> loc, std::optional<uint64_t> size)
        : session_(std::move(session)), loc_(std::move(loc)), size_(size) {
        cursor_ = session_->acquire(loc_);
    }
    ~ArchiveMemberSource() override { session_->release(std::move(cursor_), loc_); }
    ArchiveMemberSource(const ArchiveMemberSource&) = delete;
    ArchiveMemberSource& operator=(const ArchiveMemberSource&) = delete;

    size_t read(char* buffer, size_t n) override { return cursor_->read(buffer, n); }
    std::optional<uint64_t> size() const override { return size_; }

private:
    std::shared_ptr<ArchiveSession> session_;
    std::vector<uint32_t> loc_;
    std::optional<uint64_t> size_;
    std::unique_ptr<ArchiveCursor> cursor_;
};

std::string entry_name(archive_entry* e, uint32_t index) {
    const char* n = archive_entry_pathname_utf8(e);
    if (!n) n = archive_entry_pathname(e);
    if (!n || !*n) return fmt::format("<member {}>", index + 1);
    return normalize_member_name(n);
}

std::string_view base_name(std::string_view name) {
    auto slash = name.find_last_of('/');
    return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

// One walk over a top-level archive and the zips nested in it.
class Walker {
public:
    Walker(const std::string& fs_path, const std::string& display, const DiscoverOptions& options, DiagSink& diags,
           DiscoverStats& stats, std::vector<InputFile>& out)
        : options_(options), limits_(options.archive), diags_(diags), stats_(stats), out_(out), display_(display) {
        std::error_code ec;
        abs_display_ = platform::path_to_u8(fs::absolute(platform::u8_to_path(fs_path), ec).lexically_normal());
        if (ec) abs_display_ = display;
        session_ = std::make_shared<ArchiveSession>(fs_path, limits_);
        budget_.limit = limits_.max_total_size;
    }

    ~Walker() {
        if (!last_loc_.empty()) session_->set_last(last_loc_);
    }

    // Whole names (by position in the archive) of top-level members whose name holds a NUL.
    void set_full_names(const std::map<size_t, std::string>* names) { full_names_ = names; }

    // Walks the entries of `a`, whose display path is `display`. archive_size is the compressed
    // size of this archive when known (0 otherwise), for the up-front ratio check; parent reads
    // the member this archive is nested in (null at the top).
    void walk(archive* a, const std::string& display, int depth, uint64_t archive_size, EntryReader* parent) {
        for (uint32_t index = 0; !stopped_; ++index) {
            if (budget_.used > budget_.limit) {
                diags_.error_at_line(display_, 0,
                                     fmt::format("the decompressed total is over the --max-total-size limit of {}; the "
                                                 "rest of this archive is skipped",
                                                 human_size(limits_.max_total_size)),
                                     kOrigin);
                stopped_ = true;
                return;
            }
            archive_entry* entry = nullptr;
            int r = archive_read_next_header(a, &entry);
            if (r == ARCHIVE_EOF) return;
            if (r < ARCHIVE_WARN) {
                if (parent && parent->refused()) {
                    refuse(display, fmt::format("{}; the rest of this nested archive is skipped", parent->error()));
                    parent->reported = true;
                } else {
                    diags_.error_at_offset(display, position(a),
                                           fmt::format("corrupt or truncated zip after {} member(s): {}; the rest of "
                                                       "this archive is skipped",
                                                       index, la_error(a)),
                                           kOrigin);
                    if (parent) parent->reported = parent->failed();
                }
                return;
            }
            std::string name = entry_name(entry, index);
            if (depth == 1 && full_names_ && !full_names_->empty()) {
                // libarchive cuts a name at a NUL byte; show the whole name (its NUL escaped on display).
                auto it = full_names_->find(index);
                if (it != full_names_->end() && normalize_member_name(it->second).starts_with(name))
                    name = normalize_member_name(it->second);
            }
            std::string where = display + "!" + name;
            if (r == ARCHIVE_WARN) diags_.warning_at_line(where, 0, la_error(a), kOrigin);
            if (++members_ > limits_.max_members) {
                diags_.error_at_line(display_, 0,
                                     fmt::format("more than {} members (the limit per archive); the rest is skipped",
                                                 limits_.max_members),
                                     kOrigin);
                stopped_ = true;
                return;
            }
            bool size_known = archive_entry_size_is_set(entry) != 0;
            uint64_t declared = size_known ? static_cast<uint64_t>(std::max<la_int64_t>(archive_entry_size(entry), 0)) : 0;
            EntryReader reader(a, limits_, &budget_, size_known ? std::optional<uint64_t>(declared) : std::nullopt);
            visit(entry, reader, name, where, depth, index, size_known, declared, archive_size, parent);
            // libarchive would skip an entry of unknown length by inflating it unchecked: drain it here.
            if (!size_known && !drain(reader, where)) return;
        }
    }

private:
    void refuse(const std::string& where, const std::string& message) {
        ++stats_.members_refused;
        diags_.error_at_line(where, 0, message, kOrigin);
        stats_.skip(where, "member", message);
    }

    void skip_link(const std::string& where, const std::string& message) {
        ++stats_.members_refused;
        diags_.warning_at_line(where, 0, message, kOrigin);
        stats_.skip(where, "member", message);
    }

    void visit(archive_entry* entry, EntryReader& reader, const std::string& name, const std::string& where,
               int depth, uint32_t index, bool size_known, uint64_t declared, uint64_t archive_size,
               const EntryReader* parent) {
        auto type = archive_entry_filetype(entry);
        if (type == AE_IFDIR) return;
        if (is_unsafe_member_name(name)) {
            refuse(where, "unsafe member name (absolute path or '..' component); refused");
            return;
        }
        if (const char* target = archive_entry_hardlink(entry)) {
            skip_link(where, fmt::format("hard link member (to '{}') skipped: links are not followed", target));
            return;
        }
        if (type == AE_IFLNK) {
            const char* target = archive_entry_symlink(entry);
            skip_link(where, fmt::format("symbolic link member (to '{}') skipped: links are not followed", target ? target : ""));
            return;
        }
        if (type != AE_IFREG) {
            skip_link(where, "not a regular file; skipped");
            return;
        }
        if (archive_entry_is_encrypted(entry)) {
            refuse(where, "encrypted member; skipped (extriage does not take passwords)");
            return;
        }
        if (size_known && declared > limits_.max_entry_size) {
            refuse(where, fmt::format("member is {} decompressed, over the --max-entry-size limit of {}; refused",
                                      human_size(declared), human_size(limits_.max_entry_size)));
            return;
        }
        if (size_known && archive_size > 0 && declared >= limits_.ratio_min_size &&
            declared / archive_size > limits_.max_ratio) {
            refuse(where, fmt::format("member would expand to {} out of an archive of {} (over {}:1): possible zip bomb; "
                                      "refused",
                                      human_size(declared), human_size(archive_size), limits_.max_ratio));
            return;
        }

        // The budget counts every byte decompressed (sniffed heads included) plus the full size of
        // members promised to a parser. Known sizes can be refused and skipped cheaply; unknown
        // ones cannot be skipped without decompressing them, so going over stops the archive.
        if (size_known && budget_.used + std::min<uint64_t>(declared, kSniffHeadBytes) > limits_.max_total_size) {
            refuse(where, total_message());
            return;
        }
        ++stats_.files_seen;
        std::string head = reader.read_head(kSniffHeadBytes);
        if (reader.failed()) {
            // When the archive around this one was refused, the next header says so, once.
            if (parent && parent->refused()) {
            } else if (reader.refused()) {
                refuse(where, reader.error());
            } else {
                diags_.error_at_offset(where, reader.produced(), fmt::format("cannot read member: {}", reader.error()), kOrigin);
                stats_.skip(where, "member", fmt::format("cannot read member: {}", reader.error()));
            }
            reader.reported = true;
            return;
        }

        if (looks_like_zip(head)) {
            if (depth >= limits_.max_depth) {
                refuse(where, fmt::format("nested archive deeper than --max-depth {}; skipped", limits_.max_depth));
                return;
            }
            NestedStream stream;
            stream.parent = &reader;
            stream.prefix = std::move(head);
            loc_.push_back(index);
            try {
                ArchivePtr inner = open_nested(stream);
                ++stats_.archives;
                walk(inner.get(), where, depth + 1, size_known ? declared : 0, &reader);
            } catch (const InputError& e) {
                diags_.error_at_line(where, 0, e.what(), kOrigin);
                stats_.skip(where, "member", e.what());
                reader.reported = reader.failed();
            }
            loc_.pop_back();
            return;
        }

        const Parser* parser =
            options_.force_parser.empty() ? identify(head, base_name(name)) : find_parser(options_.force_parser);
        if (!parser) {
            ++stats_.files_skipped;
            stats_.skip(where, "member", head.empty() ? "the member is empty" : "not a log format extriage knows");
            return;
        }
        uint64_t size = declared;
        if (!size_known) {
            // Learn the real size (the budget needs it) by reading the member once, under the caps.
            if (!drain(reader, where)) return;
            size = reader.produced();
        } else if (budget_.used + (size - std::min<uint64_t>(size, head.size())) > limits_.max_total_size) {
            refuse(where, total_message());
            return;
        } else {
            budget_.used += size - std::min<uint64_t>(size, head.size());   // promised to the parser
        }

        std::vector<uint32_t> loc = loc_;
        loc.push_back(index);
        last_loc_ = loc;
        InputFile in;
        in.display_path = where;
        in.server = server_from_path(abs_display_ + where.substr(display_.size()));
        in.parser = parser;
        std::optional<uint64_t> known_size = size;
        in.open = [session = session_, loc, known_size] {
            return std::unique_ptr<ByteSource>(std::make_unique<ArchiveMemberSource>(session, loc, known_size));
        };
        out_.push_back(std::move(in));
    }

    std::string total_message() const { return total_limit_message(limits_.max_total_size); }

    // Reads the rest of the current entry under the caps, counting it against the total.
    // False when the rest of the archive level must be given up.
    bool drain(EntryReader& reader, const std::string& where) {
        if (stopped_) return false;
        if (reader.failed()) {
            // A cap or a read error inside an entry of unknown length: its end cannot be found safely.
            if (reader.reported) return false;
            diags_.error_at_line(where, 0,
                                 fmt::format("{}; the rest of this archive is skipped (its members have no sizes to skip by)",
                                             reader.error()),
                                 kOrigin);
            reader.reported = true;
            return false;
        }
        char buffer[kBlock];
        for (;;) {
            la_ssize_t k = reader.read(buffer, sizeof buffer);
            if (k == 0) return true;
            if (k < 0) {
                if (reader.refused()) ++stats_.members_refused;
                diags_.error_at_line(where, 0,
                                     fmt::format("{}; the rest of this archive is skipped (its members have no sizes to "
                                                 "skip by)",
                                                 reader.error()),
                                     kOrigin);
                reader.reported = true;
                return false;
            }
        }
    }

    const DiscoverOptions& options_;
    const ArchiveLimits& limits_;
    DiagSink& diags_;
    DiscoverStats& stats_;
    std::vector<InputFile>& out_;
    std::string display_;
    std::string abs_display_;
    std::shared_ptr<ArchiveSession> session_;
    std::vector<uint32_t> loc_;          // entry indices of the nested archives being walked
    std::vector<uint32_t> last_loc_;     // locator of the last member handed out
    uint64_t members_ = 0;
    InflateBudget budget_;               // decompressed bytes inflated by the walk or promised to parsers
    const std::map<size_t, std::string>* full_names_ = nullptr;
    bool stopped_ = false;
};

}  // namespace

bool looks_like_zip(std::string_view head) {
    if (head.size() < 4 || head[0] != 'P' || head[1] != 'K') return false;
    auto b2 = static_cast<unsigned char>(head[2]), b3 = static_cast<unsigned char>(head[3]);
    return (b2 == 3 && b3 == 4) || (b2 == 5 && b3 == 6) || (b2 == 7 && b3 == 8);
}

std::string normalize_member_name(std::string_view name) {
    std::string out(name);
    std::replace(out.begin(), out.end(), '\\', '/');
    return out;
}

bool is_unsafe_member_name(std::string_view name) {
    if (name.empty()) return false;
    if (name.front() == '/' || name.front() == '\\') return true;
    if (name.size() >= 2 && std::isalpha(static_cast<unsigned char>(name[0])) && name[1] == ':') return true;
    size_t start = 0;
    while (start <= name.size()) {
        size_t end = name.find_first_of("/\\", start);
        if (end == std::string_view::npos) end = name.size();
        if (name.substr(start, end - start) == "..") return true;
        start = end + 1;
    }
    return false;
}

void discover_archive(const std::string& fs_path, const std::string& display, const DiscoverOptions& options,
                      DiagSink& diags, DiscoverStats& stats, std::vector<InputFile>& out) {
    ArchivePtr a = new_zip_reader();
    if (open_zip_file(a.get(), fs_path) != ARCHIVE_OK) {
        std::string why = fmt::format("cannot open zip: {}", la_error(a.get()));
        diags.error_at_line(display, 0, why, kOrigin);
        stats.skip(display, "file", why);
        return;
    }
    ++stats.archives;
    const ZipLayout layout = read_zip_layout(fs_path);
    if (layout.overlap) {
        ++stats.members_refused;
        diags.error_at_line(display, 0,
                            fmt::format("members {} overlap in the file (a zip bomb's trick, refused as Info-ZIP does); "
                                        "the archive is not read",
                                        *layout.overlap),
                            kOrigin);
        return;
    }
    Walker walker(fs_path, display, options, diags, stats, out);
    walker.set_full_names(&layout.nul_names);
    walker.walk(a.get(), display, 1, platform::file_size(fs_path).value_or(0), nullptr);
}

std::optional<uint64_t> parse_byte_size(std::string_view text) {
    size_t i = 0;
    uint64_t value = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        uint64_t digit = static_cast<uint64_t>(text[i] - '0');
        if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
        value = value * 10 + digit;
        ++i;
    }
    if (i == 0) return std::nullopt;
    std::string unit;
    for (char c : text.substr(i)) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    int shift = -1;
    if (unit.empty() || unit == "b") shift = 0;
    else if (unit == "k" || unit == "kb" || unit == "kib") shift = 10;
    else if (unit == "m" || unit == "mb" || unit == "mib") shift = 20;
    else if (unit == "g" || unit == "gb" || unit == "gib") shift = 30;
    else if (unit == "t" || unit == "tb" || unit == "tib") shift = 40;
    if (shift < 0) return std::nullopt;
    if (shift > 0 && value > (UINT64_MAX >> shift)) return std::nullopt;
    return value << shift;
}

}  // namespace extriage
