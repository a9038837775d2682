// make_hostile_inputs KIND OUT [ARGS...]: writes one hostile input (hostile_inputs.hpp) for the
// malformed-input suite (tests/malformed/run_malformed.sh). Sizes are arguments, so the suite
// decides how large an attack has to be to prove a bound.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <archive.h>
#include <archive_entry.h>

#include "hostile_inputs.hpp"

namespace {

using namespace extriage::hostile;

long arg(const std::vector<std::string>& a, size_t i) {
    if (i >= a.size()) throw std::runtime_error("missing argument " + std::to_string(i));
    return std::stol(a[i]);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const std::string& path, const std::string& data) {
    std::ofstream out(path, std::ios::binary);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) throw std::runtime_error("cannot write " + path);
}

// Members named to attack the terminal and the name checks, each holding `log`.
std::string zip_with_hostile_names(const std::string& log) {
    std::vector<ZipEntry> entries;
    for (const char* name : {"osc52\x1b]52;c;aGk=\x07.log", "line\nforged.log: error: forged [archive]", "clear\x1b[2J.log",
                             "c1\xc2\x9b" "31m.log"})
        entries.push_back({name, log, {}, 0, 0});
    entries.push_back({std::string("hidden.log\0/../../escape.log", 28), log, {}, 0, 0});
    entries.push_back({"plain.log", log, {}, 0, 0});
    return zip_archive(entries);
}

// One member whose headers declare `declared` bytes but whose data inflate to `actual`.
std::string zip_lying(size_t actual, size_t declared, const std::string& log) {
    std::vector<ZipEntry> entries;
    entries.push_back({"lying.log", {}, deflate_repeated('x', actual), declared, crc32_repeated('x', actual)});
    entries.push_back({"good.log", log, {}, 0, 0});
    return zip_archive(entries);
}

// outer.zip holding inner.zip, deflated by libarchive; inner.zip stores `pad` zero bytes (never
// parsed, only walked past) and then `log`. Walking inner.zip inflates the padding out of outer.zip.
std::string zip_nested(size_t pad, const std::string& log) {
    const std::string inner = zip_archive({{"pad.bin", std::string(pad, '\0'), {}, 0, 0}, {"late.log", log, {}, 0, 0}});
    std::string out;
    archive* a = archive_write_new();
    archive_write_set_format_zip(a);
    archive_write_zip_set_compression_deflate(a);
    archive_write_set_bytes_in_last_block(a, 1);
    auto write_cb = [](archive*, void* client, const void* buf, size_t n) -> la_ssize_t {
        static_cast<std::string*>(client)->append(static_cast<const char*>(buf), n);
        return static_cast<la_ssize_t>(n);
    };
    if (archive_write_open2(a, &out, nullptr, write_cb, nullptr, nullptr) != ARCHIVE_OK)
        throw std::runtime_error(archive_error_string(a));
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, "inner.zip");
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(inner.size()));
    archive_write_header(a, e);
    archive_write_data(a, inner.data(), inner.size());
    archive_entry_free(e);
    archive_write_close(a);
    archive_write_free(a);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> a(argv + 1, argv + argc);
    if (a.size() < 2) {
        std::fprintf(stderr, "usage: make_hostile_inputs KIND OUT [ARGS...]\n");
        return 2;
    }
    try {
        const std::string& kind = a[0];
        const std::string& out = a[1];
        if (kind == "clixml-deep") write_file(out, clixml_deep(static_cast<int>(arg(a, 2))));
        else if (kind == "event-xml-deep") write_file(out, event_xml_deep_user_data(static_cast<int>(arg(a, 2))));
        else if (kind == "deep-folder") make_deep_folder(out, static_cast<int>(arg(a, 2)));
        else if (kind == "remove-deep-folder") remove_deep_folder(out);
        else if (kind == "clixml-refs")
            write_file(out, clixml_ref_amplification(static_cast<size_t>(arg(a, 2)), static_cast<int>(arg(a, 3)),
                                                     static_cast<int>(arg(a, 4))));
        else if (kind == "evtx-expanding") write_file(out, evtx_expanding(static_cast<int>(arg(a, 2))));
        else if (kind == "evtx-cpu") write_file(out, evtx_cpu_burner(static_cast<int>(arg(a, 2))));
        else if (kind == "evtx-flood") write_file(out, evtx_diagnostic_flood(static_cast<int>(arg(a, 2))));
        else if (kind == "setup-runs") write_file(out, setup_log_runs(static_cast<size_t>(arg(a, 2))));
        else if (kind == "many-files") {
            // OUT is a folder: N small setup logs in folders of 1000.
            const long n = arg(a, 2);
            const std::string log = setup_log_runs(1);
            for (long i = 0; i < n; ++i) {
                const std::string dir = out + "/f" + std::to_string(i / 1000);
                if (i % 1000 == 0) std::filesystem::create_directories(dir);
                write_file(dir + "/ExchangeSetup-" + std::to_string(i) + ".log", log);
            }
        }
        else if (kind == "zip-overlap")
            write_file(out, zip_overlapping(static_cast<size_t>(arg(a, 2)), static_cast<int>(arg(a, 3))));
        else if (kind == "zip-lying")
            write_file(out, zip_lying(static_cast<size_t>(arg(a, 2)), static_cast<size_t>(arg(a, 3)), read_file(a.at(4))));
        else if (kind == "zip-nested") write_file(out, zip_nested(static_cast<size_t>(arg(a, 2)), read_file(a.at(3))));
        else if (kind == "zip-names") write_file(out, zip_with_hostile_names(read_file(a.at(2))));
        else if (kind == "setup-controls") write_file(out, setup_log_with_controls(read_file(a.at(2))));
        else if (kind == "event-xml-computer") write_file(out, event_xml_with_computer(a.at(2)));
        else {
            std::fprintf(stderr, "unknown kind %s\n", kind.c_str());
            return 2;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "make_hostile_inputs: %s\n", e.what());
        return 1;
    }
    return 0;
}
