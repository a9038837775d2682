// The platform layer (src/platform): UTF-8 ⇄ UTF-16, extended-length path forms, folder listing
// and walks with non-ASCII and long names, links not followed, console detection. The same tests
// run in the Linux build and, under wine, in the Windows build, where they exercise the Win32 code.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "byte_source.hpp"
#include "platform/console.hpp"
#include "platform/files.hpp"
#include "platform/process.hpp"
#include "platform/utf16.hpp"
#include "platform/utf8_path.hpp"

#ifdef _WIN32
#include <windows.h>
#endif

using namespace extriage::platform;
namespace fs = std::filesystem;

namespace {

// A fresh folder under the system's temporary folder, removed afterwards.
struct TempFolder {
    std::string path;
    explicit TempFolder(const std::string& name) {
        // Unique per run: a long-path tree a failed run left behind may be beyond remove_all.
        const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
        path = path_to_u8(fs::temp_directory_path() /
                          u8_to_path("extriage-platform-test-" + name + "-" + std::to_string(stamp)));
        fs::create_directories(u8_to_path(path));
    }
    ~TempFolder() { remove_tree(path); }
    // Through list_folder, which reaches below MAX_PATH on Windows where remove_all does not.
    static void remove_tree(const std::string& p) {
        std::error_code ec;
        for (const auto& e : list_folder(p, ec))
            if (e.kind == FileKind::directory) remove_tree(e.path);
            else fs::remove(u8_to_path(e.path), ec);
        fs::remove(u8_to_path(p), ec);
    }
    std::string operator/(const std::string& name) const { return path_to_u8(u8_to_path(path) / u8_to_path(name)); }
};

void write_file(const std::string& path, const std::string& text) {
    std::FILE* f = fopen_u8(path, "wb");
    REQUIRE_MESSAGE(f, "cannot create " << path);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
}

std::vector<std::string> names_of(const std::vector<FolderEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) out.push_back(e.name);
    return out;
}

// Strips `root` and the separator after it; '\' becomes '/' so both systems compare alike.
std::string relative(const std::string& root, const std::string& path) {
    std::string rest = path.substr(root.size() + 1);
    for (char& c : rest)
        if (c == '\\') c = '/';
    return rest;
}

}  // namespace

TEST_CASE("utf16: round trips of ASCII, Latin, CJK and supplementary characters") {
    for (std::string s : {"C:\\Logs\\ExchangeSetup.log", "Müller", "日本語.log", "\xF0\x9F\x93\x81 folder", ""}) {
        std::u16string wide = utf8_to_utf16(s);
        CHECK(utf16_to_utf8(wide) == s);
    }
    CHECK(utf8_to_utf16("Müller") == u"Müller");
    CHECK(utf8_to_utf16("日本") == u"日本");
    CHECK(utf8_to_utf16("\xF0\x9F\x93\x81") == std::u16string{0xD83D, 0xDCC1});   // a surrogate pair
}

TEST_CASE("utf16: invalid UTF-8 becomes U+FFFD, unpaired surrogates survive a round trip") {
    CHECK(utf8_to_utf16("a\xFF" "b") == u"a\uFFFDb");
    CHECK(utf8_to_utf16("\xC3") == u"\uFFFD");                // cut short at the end
    CHECK(utf8_to_utf16("\xC3(") == u"\uFFFD(");              // cut short by an ASCII byte
    CHECK(utf8_to_utf16("\xC0\xAF") == u"\uFFFD");            // overlong '/'
    CHECK(utf8_to_utf16("\xF4\x90\x80\x80") == u"\uFFFD");    // beyond U+10FFFF
    // NTFS allows a lone surrogate in a name; it must map back to the same UTF-16 to be opened.
    std::u16string lone{u'a', char16_t(0xD800), u'b'};
    std::string wtf8 = utf16_to_utf8(lone);
    CHECK(wtf8 == "a\xED\xA0\x80" "b");
    CHECK(utf8_to_utf16(wtf8) == lone);
}

TEST_CASE("utf8_path: extended-length forms of drive, UNC and other paths") {
    CHECK(to_extended_length("C:\\Logs\\a.log") == "\\\\?\\C:\\Logs\\a.log");
    CHECK(to_extended_length("d:\\x") == "\\\\?\\d:\\x");
    CHECK(to_extended_length("\\\\srv\\share\\Logs") == "\\\\?\\UNC\\srv\\share\\Logs");
    CHECK(to_extended_length("\\\\?\\C:\\x") == "\\\\?\\C:\\x");         // already extended
    CHECK(to_extended_length("\\\\.\\pipe\\x") == "\\\\.\\pipe\\x");     // a device
    CHECK(to_extended_length("Logs\\a.log") == "Logs\\a.log");           // relative: unchanged
    CHECK(to_extended_length("C:a.log") == "C:a.log");                   // drive-relative: unchanged

    CHECK(strip_extended_length("\\\\?\\C:\\Logs\\a.log") == "C:\\Logs\\a.log");
    CHECK(strip_extended_length("\\\\?\\UNC\\srv\\share\\Logs") == "\\\\srv\\share\\Logs");
    CHECK(strip_extended_length("\\\\?\\Volume{1234}\\x") == "\\\\?\\Volume{1234}\\x");   // no drive: kept
    CHECK(strip_extended_length("/var/log/x") == "/var/log/x");
    for (std::string p : {"C:\\a\\b", "\\\\srv\\share\\a"}) CHECK(strip_extended_length(to_extended_length(p)) == p);
}

TEST_CASE("utf8_path: non-ASCII names are created, found and read back") {
    TempFolder dir("names");
    const std::string sub = dir / "Logs Müller";
    fs::create_directories(u8_to_path(sub));
    const std::string file = path_to_u8(u8_to_path(sub) / u8_to_path("日本語 ExchangeSetup.log"));
    write_file(file, "hello\n");

    std::error_code ec;
    CHECK(file_kind(file, ec) == FileKind::regular);
    CHECK_FALSE(ec);
    CHECK(file_kind(sub, ec) == FileKind::directory);
    CHECK(file_kind(dir / "nothing here", ec) == FileKind::missing);
    CHECK_FALSE(ec);
    CHECK(file_size(file) == 6u);
    auto text = read_file(file, ec);
    REQUIRE(text);
    CHECK(*text == "hello\n");
    CHECK_FALSE(read_file(sub, ec));   // a folder is not a file
    CHECK(ec);

    // FileSource (every parser's input) opens it through the same names.
    extriage::FileSource src(file);
    CHECK(src.size() == 6u);

    auto entries = list_folder(sub, ec);
    CHECK_FALSE(ec);
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].name == "日本語 ExchangeSetup.log");
    CHECK(entries[0].kind == FileKind::regular);
    CHECK(entries[0].path == file);
}

TEST_CASE("files: walks give files in path order, each folder by name") {
    TempFolder dir("walk");
    for (std::string d : {"a", "a-b", "a/c", "z"}) fs::create_directories(u8_to_path(dir / d));
    for (std::string f : {"a/b.log", "a/c/d.log", "a-b/c.log", "a.log", "z/ü.log", "Z.log"}) write_file(dir / f, "x");

    std::error_code ec;
    std::vector<std::string> found;
    for (const auto& f : walk_files(dir.path, ec)) found.push_back(relative(dir.path, f));
    CHECK_FALSE(ec);
    // "a/..." comes before "a-b/...": element by element, as std::filesystem::path orders them.
    CHECK(found == std::vector<std::string>{"Z.log", "a/b.log", "a/c/d.log", "a-b/c.log", "a.log", "z/ü.log"});

    CHECK(names_of(list_folder(dir.path, ec)) == std::vector<std::string>{"Z.log", "a", "a-b", "a.log", "z"});
    CHECK(walk_files(dir / "missing", ec).empty());
    CHECK(ec);
}

TEST_CASE("files: a walk does not follow links out of the folder or into loops") {
    TempFolder dir("links");
    TempFolder outside("links-target");
    fs::create_directories(u8_to_path(dir / "inner"));
    write_file(dir / "inner/own.log", "x");
    write_file(outside / "foreign.log", "x");
    // A link back up (a loop) and a link to a folder elsewhere: neither may be walked into.
    bool made = false;
#ifdef _WIN32
    // Directory symbolic links (unprivileged in developer mode); junctions need a reparse buffer
    // and behave alike for this walk: both carry a link reparse tag.
    const DWORD flags = SYMBOLIC_LINK_FLAG_DIRECTORY | 0x2 /* SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE */;
    made = CreateSymbolicLinkW(u8_to_path(dir / "inner/loop").c_str(), u8_to_path(dir.path).c_str(), flags) &&
           CreateSymbolicLinkW(u8_to_path(dir / "elsewhere").c_str(), u8_to_path(outside.path).c_str(), flags);
    // Wine answers TRUE without making a link.
    made = made && GetFileAttributesW(u8_to_path(dir / "elsewhere").c_str()) != INVALID_FILE_ATTRIBUTES;
#else
    std::error_code lec;
    fs::create_directory_symlink("..", dir / "inner/loop", lec);
    if (!lec) fs::create_directory_symlink(outside.path, dir / "elsewhere", lec);
    made = !lec;
#endif
    if (!made) {
        MESSAGE("this system does not let the test create directory links; walking without them only");
    }
    std::error_code ec;
    std::vector<std::string> found;
    for (const auto& f : walk_files(dir.path, ec)) found.push_back(relative(dir.path, f));
    CHECK_FALSE(ec);
    CHECK(found == std::vector<std::string>{"inner/own.log"});
    if (made) {
        auto entries = list_folder(dir.path, ec);
        REQUIRE(entries.size() == 2);
        CHECK(entries[0].name == "elsewhere");
        CHECK(entries[0].kind == FileKind::link);
        // An explicitly named link is followed.
        CHECK(file_kind(dir / "elsewhere", ec) == FileKind::directory);
    }
}

TEST_CASE("files: paths longer than 260 characters are created, walked and read") {
    TempFolder dir("long");
    std::string deep = dir.path;
    const std::string part(60, 'd');
    for (int i = 0; i < 5; ++i) {
        deep = path_to_u8(u8_to_path(deep) / u8_to_path(part + std::to_string(i)));
        std::error_code ec;
        fs::create_directory(u8_to_path(deep), ec);
        REQUIRE_MESSAGE(!ec, "cannot create " << deep << ": " << ec.message());
    }
    const std::string file = path_to_u8(u8_to_path(deep) / u8_to_path("ExchangeSetup-Müller.log"));
    REQUIRE(file.size() > 300);
    write_file(file, "long\n");
    std::error_code ec;
    CHECK(file_kind(file, ec) == FileKind::regular);
    auto found = walk_files(dir.path, ec);
    CHECK_FALSE(ec);
    REQUIRE(found.size() == 1);
    CHECK(found[0] == file);   // shown without any \\?\ prefix
    CHECK(found[0].find("\\\\?\\") == std::string::npos);
    extriage::FileSource src(found[0]);
    char buf[8] = {};
    CHECK(src.read(buf, sizeof buf) == 5u);
}

TEST_CASE("console: a file is no console; text goes out as UTF-8 bytes") {
    std::FILE* f = std::tmpfile();
    REQUIRE(f);
    CHECK_FALSE(is_console(f));
    CHECK_FALSE(enable_colors(f));
    CHECK(write_text(f, "Müller 日本語\n"));
    std::rewind(f);
    char buf[64] = {};
    size_t n = std::fread(buf, 1, sizeof buf, f);
    std::fclose(f);
    CHECK(std::string(buf, n) == "Müller 日本語\n");   // tmpfile is binary: no CRLF here
}

TEST_CASE("process: arguments and the executable's path") {
    char prog[] = "extriage";
    char arg[] = "analyze";
    char* argv[] = {prog, arg, nullptr};
    Utf8Arguments args(2, argv);
    REQUIRE(args.argc() >= 1);
    CHECK(args.argv()[args.argc()] == nullptr);
#ifndef _WIN32
    // Elsewhere main's own arguments are used; on Windows they are this test program's real ones.
    CHECK(args.argc() == 2);
    CHECK(std::string(args.argv()[1]) == "analyze");
#endif
    auto exe = executable_path();
    REQUIRE(exe);
    std::error_code ec;
    CHECK(file_kind(*exe, ec) == FileKind::regular);
    CHECK(path_to_u8(u8_to_path(*exe).filename()).starts_with("extriage_tests"));
}

TEST_CASE("console: redirected text keeps one CR per line end, also for text that brings its own CRLF") {
    TempFolder dir("redirected");
    const std::string path = dir / "out.txt";
    std::FILE* f = fopen_u8(path, "w");   // text mode, as a redirected stdout is on Windows
    REQUIRE(f);
    CHECK(write_text(f, "a,b\r\nc,d\r\n"));   // CSV lines (RFC 4180)
    CHECK(write_text(f, "report line\n"));
    std::fclose(f);
    std::string back;
    std::FILE* r = fopen_u8(path, "rb");
    REQUIRE(r);
    char buf[256];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, r)) > 0;) back.append(buf, n);
    std::fclose(r);
#ifdef _WIN32
    CHECK(back == "a,b\r\nc,d\r\nreport line\r\n");   // never "\r\r\n"
#else
    CHECK(back == "a,b\r\nc,d\r\nreport line\n");
#endif
}
