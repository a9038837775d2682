// File and memory byte sources.
#include "byte_source.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "platform/files.hpp"
#include "platform/utf8_path.hpp"

namespace extriage {

std::string ByteSource::read_all(uint64_t max_bytes) {
    std::string out;
    if (auto s = size(); s && *s <= max_bytes) out.reserve(static_cast<size_t>(*s));
    char buf[1 << 16];
    for (;;) {
        size_t n = read(buf, sizeof buf);
        if (n == 0) break;
        if (out.size() + n > max_bytes)
            throw InputError(fmt::format("input is larger than the limit of {} bytes", max_bytes));
        out.append(buf, n);
    }
    return out;
}

FileSource::FileSource(const std::string& path) : path_(path) {
    std::error_code ec;
    if (platform::file_kind(path, ec) == platform::FileKind::directory)
        throw InputError(fmt::format("cannot read '{}': it is a directory", path));
    file_ = platform::fopen_u8(path, "rb");
    if (!file_) throw InputError(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
    size_ = platform::open_file_size(file_);
}

FileSource::~FileSource() {
    if (file_) std::fclose(file_);
}

size_t FileSource::read(char* buffer, size_t n) {
    size_t got = std::fread(buffer, 1, n, file_);
    if (got < n && std::ferror(file_))
        throw InputError(fmt::format("read error in '{}': {}", path_, std::strerror(errno)));
    return got;
}

size_t MemorySource::read(char* buffer, size_t n) {
    size_t k = std::min(n, data_.size() - pos_);
    std::memcpy(buffer, data_.data() + pos_, k);
    pos_ += k;
    return k;
}

std::string read_head(const std::string& path, size_t max_bytes) {
    FileSource src(path);
    std::string out(max_bytes, '\0');
    size_t total = 0;
    while (total < max_bytes) {
        size_t n = src.read(out.data() + total, max_bytes - total);
        if (n == 0) break;
        total += n;
    }
    out.resize(total);
    return out;
}

}  // namespace extriage
