// Test helpers for archive and batch tests: zips built with libarchive's writer (in memory or
// into a scratch folder), a scratch folder that removes itself, and a small setup log.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace extriage::test {

struct ZipMember {
    enum class Kind { file, dir, symlink, hardlink };
    std::string name;
    std::string data;
    Kind kind = Kind::file;
    std::string target;          // symlink / hardlink target
    bool store = false;          // stored instead of deflated
    bool declare_size = true;    // false: no size in the header (written with a data descriptor)
    uint64_t zeros = 0;          // append this many zero bytes after data (written in chunks)
};

inline std::string make_zip(const std::vector<ZipMember>& members) {
    std::string out;
    archive* a = archive_write_new();
    archive_write_set_format_zip(a);
    auto write_cb = [](archive*, void* client, const void* buf, size_t n) -> la_ssize_t {
        static_cast<std::string*>(client)->append(static_cast<const char*>(buf), n);
        return static_cast<la_ssize_t>(n);
    };
    archive_write_set_bytes_in_last_block(a, 1);
    if (archive_write_open2(a, &out, nullptr, write_cb, nullptr, nullptr) != ARCHIVE_OK)
        throw std::runtime_error(archive_error_string(a));
    for (const auto& m : members) {
        if (m.store) archive_write_zip_set_compression_store(a);
        else archive_write_zip_set_compression_deflate(a);
        archive_entry* e = archive_entry_new();
        archive_entry_set_pathname(e, m.name.c_str());
        archive_entry_set_mtime(e, 1700000000, 0);
        switch (m.kind) {
            case ZipMember::Kind::file:
                archive_entry_set_filetype(e, AE_IFREG);
                archive_entry_set_perm(e, 0644);
                if (m.declare_size) archive_entry_set_size(e, static_cast<la_int64_t>(m.data.size() + m.zeros));
                break;
            case ZipMember::Kind::dir:
                archive_entry_set_filetype(e, AE_IFDIR);
                archive_entry_set_perm(e, 0755);
                break;
            case ZipMember::Kind::symlink:
                archive_entry_set_filetype(e, AE_IFLNK);
                archive_entry_set_perm(e, 0777);
                archive_entry_set_symlink(e, m.target.c_str());
                break;
            case ZipMember::Kind::hardlink:
                archive_entry_set_filetype(e, AE_IFREG);
                archive_entry_set_perm(e, 0644);
                archive_entry_set_hardlink(e, m.target.c_str());
                archive_entry_set_size(e, 0);
                break;
        }
        if (archive_write_header(a, e) < ARCHIVE_WARN) throw std::runtime_error(archive_error_string(a));
        if (!m.data.empty()) archive_write_data(a, m.data.data(), m.data.size());
        if (m.zeros) {
            std::string chunk(1 << 20, '\0');
            for (uint64_t left = m.zeros; left;) {
                size_t n = static_cast<size_t>(std::min<uint64_t>(left, chunk.size()));
                archive_write_data(a, chunk.data(), n);
                left -= n;
            }
        }
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
    return out;
}

// A scratch folder under the system temp folder, removed at the end of the test.
class ScratchDir {
public:
    explicit ScratchDir(const std::string& tag) {
        static std::atomic<int> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                ("extriage-" + tag + "-p" + std::to_string(::getpid()) + "-n" + std::to_string(counter++));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::filesystem::path& path() const { return path_; }

    std::string write(const std::string& relative, const std::string& bytes) const {
        auto p = path_ / relative;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << bytes;
        return p.string();
    }

private:
    std::filesystem::path path_;
};

// A short ExchangeSetup.log with one run; `server` goes into the run's server_fqdn fact.
inline std::string setup_log(const std::string& version = "15.2.858.5", bool succeeded = true,
                             const std::string& server = "EX01.contoso.com") {
    std::string s;
    s += "[03/06/2021 18:37:29.0350] [0] **********************************************\r\n";
    s += "[03/06/2021 18:37:29.0350] [0] Starting Microsoft Exchange Server 2019 Setup\r\n";
    s += "[03/06/2021 18:37:29.0350] [0] **********************************************\r\n";
    s += "[03/06/2021 18:37:29.0360] [0] Setup version: " + version + ".\r\n";
    s += "[03/06/2021 18:37:31.0000] [1] Evaluated [Setting:ComputerNameDnsFullyQualified] [HasException:False] [Value:\"" +
         server + "\"] [ParentValue:\"<null>\"] [Thread:6] [Duration:00:00:00]\r\n";
    if (succeeded) {
        s += "[03/06/2021 18:40:00.0000] [0] The Exchange Server setup operation completed successfully.\r\n";
    } else {
        s += "[03/06/2021 18:39:59.0000] [1] [ERROR] The operation couldn't be performed because object 'X' couldn't be "
             "found.\r\n";
        s += "[03/06/2021 18:40:00.0000] [0] The Exchange Server setup operation didn't complete. More details can be found "
             "in ExchangeSetup.log located in the <SystemDrive>:\\ExchangeSetupLogs folder.\r\n";
    }
    s += "[03/06/2021 18:40:00.0010] [0] End of Setup\r\n";
    s += "[03/06/2021 18:40:00.0020] [0] **********************************************\r\n";
    return s;
}

}  // namespace extriage::test
