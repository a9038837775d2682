// Central directory scan (APPNOTE.TXT 4.3.12-4.3.16, zip64 4.3.14-4.3.15 and 4.5.3).
#include "inputs/zip_layout.hpp"

#include <algorithm>
#include <fstream>
#include <string_view>
#include <vector>

#include "platform/files.hpp"
#include "platform/utf8_path.hpp"

namespace extriage {

namespace {

constexpr uint32_t kEndSig = 0x06054b50, kEnd64Sig = 0x06064b50, kLocator64Sig = 0x07064b50;
constexpr uint32_t kCentralSig = 0x02014b50, kLocalSig = 0x04034b50;
constexpr uint64_t kMaxCentralDirectory = uint64_t{256} << 20;

uint64_t le(std::string_view b, size_t at, size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= uint64_t{static_cast<unsigned char>(b[at + i])} << (8 * i);
    return v;
}

class File {
public:
    // Through the platform layer: the path is UTF-8 on every system (a UTF-16 name on Windows).
    explicit File(const std::string& path) {
        std::error_code ec;
        if (platform::file_kind(path, ec) != platform::FileKind::regular || ec) return;
        in_.open(platform::u8_to_path(path), std::ios::binary);
        if (in_) size_ = platform::file_size(path).value_or(0);
    }

    uint64_t size() const { return size_; }
    // Exactly n bytes at offset, or an empty string.
    std::string read(uint64_t offset, size_t n) {
        if (!in_.is_open() || offset > size_ || n > size_ - offset) return {};
        in_.clear();
        in_.seekg(static_cast<std::streamoff>(offset));
        std::string out(n, '\0');
        if (!in_.read(out.data(), static_cast<std::streamsize>(n))) return {};
        return out;
    }

private:
    std::ifstream in_;
    uint64_t size_ = 0;
};

struct Span {
    uint64_t begin = 0, end = 0;   // local header to the end of the compressed data
    size_t entry = 0;
};

}  // namespace

ZipLayout read_zip_layout(const std::string& fs_path) {
    ZipLayout out;
    File f(fs_path);
    if (f.size() < 22) return out;
    // The end record: its signature within the last 64 KiB + 22 bytes (the comment may be that long).
    const uint64_t tail_size = std::min<uint64_t>(f.size(), 65535 + 22);
    const std::string tail = f.read(f.size() - tail_size, static_cast<size_t>(tail_size));
    if (tail.empty()) return out;
    size_t end_at = std::string::npos;
    for (size_t i = tail.size() - 22 + 1; i-- > 0;)
        if (le(tail, i, 4) == kEndSig && i + 22 + le(tail, i + 20, 2) <= tail.size()) {
            end_at = i;
            break;
        }
    if (end_at == std::string::npos) return out;
    const uint64_t end_offset = f.size() - tail_size + end_at;
    uint64_t entries = le(tail, end_at + 10, 2);
    uint64_t cd_size = le(tail, end_at + 12, 4);
    uint64_t cd_offset = le(tail, end_at + 16, 4);
    if (entries == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF) {
        if (end_offset < 20) return out;
        const std::string loc = f.read(end_offset - 20, 20);
        if (loc.empty() || le(loc, 0, 4) != kLocator64Sig) return out;
        const std::string end64 = f.read(le(loc, 8, 8), 56);
        if (end64.empty() || le(end64, 0, 4) != kEnd64Sig) return out;
        entries = le(end64, 32, 8);
        cd_size = le(end64, 40, 8);
        cd_offset = le(end64, 48, 8);
    }
    if (cd_size > kMaxCentralDirectory || cd_size / 46 < entries) return out;
    const std::string cd = f.read(cd_offset, static_cast<size_t>(cd_size));
    if (cd.size() != cd_size) return out;

    std::vector<std::string> names;
    std::vector<Span> spans;
    std::vector<std::pair<uint64_t, size_t>> by_offset;   // local header offset, entry
    size_t pos = 0;
    for (uint64_t e = 0; e < entries; ++e) {
        if (pos + 46 > cd.size() || le(cd, pos, 4) != kCentralSig) return out;
        uint64_t comp = le(cd, pos + 20, 4), uncomp = le(cd, pos + 24, 4), local = le(cd, pos + 42, 4);
        const size_t name_len = le(cd, pos + 28, 2), extra_len = le(cd, pos + 30, 2), comment_len = le(cd, pos + 32, 2);
        if (pos + 46 + name_len + extra_len + comment_len > cd.size()) return out;
        std::string name = cd.substr(pos + 46, name_len);
        // Zip64 extra field: 64-bit values for the 32-bit fields that hold 0xFFFFFFFF, in this order.
        std::string_view extra = std::string_view(cd).substr(pos + 46 + name_len, extra_len);
        for (size_t x = 0; x + 4 <= extra.size();) {
            const uint64_t id = le(extra, x, 2), len = le(extra, x + 2, 2);
            if (x + 4 + len > extra.size()) break;
            if (id == 0x0001) {
                size_t v = x + 4;
                auto take = [&](uint64_t& field) {
                    if (field != 0xFFFFFFFF || v + 8 > x + 4 + len) return;
                    field = le(extra, v, 8);
                    v += 8;
                };
                take(uncomp);
                take(comp);
                take(local);
            }
            x += 4 + len;
        }
        pos += 46 + name_len + extra_len + comment_len;
        by_offset.emplace_back(local, names.size());
        const std::string header = f.read(local, 30);
        if (!header.empty() && le(header, 0, 4) == kLocalSig) {
            const uint64_t data = local + 30 + le(header, 26, 2) + le(header, 28, 2);
            spans.push_back({local, data + comp, names.size()});
        }
        names.push_back(std::move(name));
    }
    out.readable = true;
    std::sort(by_offset.begin(), by_offset.end());
    for (size_t rank = 0; rank < by_offset.size(); ++rank)
        if (names[by_offset[rank].second].find('\0') != std::string::npos) out.nul_names[rank] = names[by_offset[rank].second];

    auto shown = [&](size_t entry) { return "'" + names[entry] + "'"; };
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
    const Span* reach = nullptr;   // the span reaching furthest so far
    for (const Span& s : spans) {
        if (reach && s.begin < reach->end) {
            out.overlap = shown(reach->entry) + " and " + shown(s.entry);
            return out;
        }
        if (!reach || s.end > reach->end) reach = &s;
    }
    if (reach && reach->end > cd_offset && cd_offset >= spans.front().begin)
        out.overlap = shown(reach->entry) + " and the central directory";
    return out;
}

}  // namespace extriage
