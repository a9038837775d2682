// Report text gathered into chunks for a ReportWriter (report.hpp): a report of many files is
// written while it is made, without handing on every small piece (each one a write to stdout).
#pragma once

#include <string>
#include <string_view>

#include "memory_reserve.hpp"
#include "report/report.hpp"

namespace extriage {

class ChunkedWriter {
public:
    static constexpr size_t kChunkBytes = 64 * 1024;

    explicit ChunkedWriter(const ReportWriter& out) : out_(out) {}

    // The text waiting to be written; reporters append to it.
    std::string& buffer() { return buffer_; }
    void append(std::string_view piece) { buffer_ += piece; }

    // A safe point between two pieces of the report: raises an out-of-memory the reserve absorbed
    // (memory_reserve.hpp), and hands the buffer on once it holds a chunk.
    void piece_done() {
        check_memory_reserve();
        if (buffer_.size() >= kChunkBytes) flush();
    }

    void flush() {
        if (!buffer_.empty()) out_(buffer_);
        buffer_.clear();
        check_memory_reserve();
    }

private:
    const ReportWriter& out_;
    std::string buffer_;
};

}  // namespace extriage
