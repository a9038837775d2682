// Where a parser's bytes come from: a file on disk or a buffer (a zip entry, a rule example).
// Parsers read sequentially (EVTX too: chunk by chunk); read_all() is for small inputs.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace extriage {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Reads up to n bytes; returns 0 at end of input. Throws InputError on an I/O failure.
    virtual size_t read(char* buffer, size_t n) = 0;
    // Total size if known in advance.
    virtual std::optional<uint64_t> size() const = 0;
    // Reads the rest of the input, refusing to go past max_bytes (throws InputError).
    std::string read_all(uint64_t max_bytes);
};

struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class FileSource final : public ByteSource {
public:
    explicit FileSource(const std::string& path);   // throws InputError if it cannot be opened
    ~FileSource() override;
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;
    size_t read(char* buffer, size_t n) override;
    std::optional<uint64_t> size() const override { return size_; }

private:
    std::FILE* file_ = nullptr;
    std::string path_;
    std::optional<uint64_t> size_;
};

class MemorySource final : public ByteSource {
public:
    explicit MemorySource(std::string_view data) : data_(data) {}
    size_t read(char* buffer, size_t n) override;
    std::optional<uint64_t> size() const override { return data_.size(); }

private:
    std::string_view data_;
    size_t pos_ = 0;
};

// Reads the first bytes of a file for sniffing without consuming a ByteSource.
std::string read_head(const std::string& path, size_t max_bytes);

}  // namespace extriage
