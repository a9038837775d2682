// The decoding behind the live-server reader on Windows (platform/windows_values.hpp): raw
// registry data, service codes, version numbers and error codes as the snapshot keeps them.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "platform/windows_values.hpp"

using namespace extriage::platform;
using namespace std::literals;

namespace {

// UTF-16LE bytes of an ASCII/Latin-1 or BMP string, as RegQueryValueExW returns REG_SZ data.
std::string utf16le(std::u16string_view s) {
    std::string out;
    for (char16_t c : s) {
        out += static_cast<char>(c & 0xff);
        out += static_cast<char>(c >> 8);
    }
    return out;
}

std::string bytes(std::initializer_list<unsigned> values) {
    std::string out;
    for (unsigned v : values) out += static_cast<char>(v);
    return out;
}

constexpr uint32_t kSz = 1, kExpandSz = 2, kBinary = 3, kDword = 4, kDwordBigEndian = 5, kMultiSz = 7, kQword = 11;

}  // namespace

TEST_CASE("registry strings: UTF-16 to UTF-8, up to the first NUL, with or without a terminator") {
    CHECK(registry_value_text(kSz, utf16le(u"D:\\Exchange\\V15\\\0"sv)) == "D:\\Exchange\\V15\\");
    CHECK(registry_value_text(kSz, utf16le(u"15.2.1544.4")) == "15.2.1544.4");
    CHECK(registry_value_text(kSz, utf16le(u"C:\\Logs M\u00fcller\\\u65e5\u672c.log")) == "C:\\Logs M\u00fcller\\\u65e5\u672c.log");
    CHECK(registry_value_text(kSz, utf16le(u"ab\0junk"sv)) == "ab");
    CHECK(registry_value_text(kSz, utf16le(u"ab") + "x") == "ab");   // an odd trailing byte
    CHECK(registry_value_text(kSz, "") == "");
    // REG_EXPAND_SZ as stored: the snapshot says what the registry holds.
    CHECK(registry_value_text(kExpandSz, utf16le(u"%SystemRoot%\\Installer")) == "%SystemRoot%\\Installer");
}

TEST_CASE("registry numbers in decimal; too short data is not a number") {
    CHECK(registry_value_text(kDword, bytes({0x26, 0x0b, 0x08, 0x00})) == "527142");   // .NET 4.8's Release
    CHECK(registry_value_text(kDword, bytes({0xff, 0xff, 0xff, 0xff})) == "4294967295");
    CHECK(registry_value_text(kDwordBigEndian, bytes({0x00, 0x08, 0x0b, 0x26})) == "527142");
    CHECK(registry_value_text(kQword, bytes({1, 0, 0, 0, 1, 0, 0, 0})) == "4294967297");
    CHECK_FALSE(registry_value_text(kDword, bytes({1, 2, 3})));
    CHECK_FALSE(registry_value_text(kQword, bytes({1, 2, 3, 4})));
}

TEST_CASE("REG_MULTI_SZ: one line per string, the terminators dropped, empty strings inside kept") {
    // PendingFileRenameOperations: pairs of source and target; an empty target deletes the file.
    const std::string pending = utf16le(u"\\??\\C:\\a.tmp\0\0\\??\\C:\\b.tmp\0\\??\\C:\\c.tmp\0\0"sv);
    CHECK(registry_value_text(kMultiSz, pending) == "\\??\\C:\\a.tmp\n\n\\??\\C:\\b.tmp\n\\??\\C:\\c.tmp");
    CHECK(registry_value_text(kMultiSz, utf16le(u"one\0two\0\0"sv)) == "one\ntwo");
    CHECK(registry_value_text(kMultiSz, utf16le(u"one\0two"sv)) == "one\ntwo");   // no terminators at all
    CHECK(registry_value_text(kMultiSz, utf16le(u"\0"sv)) == "");
    CHECK(registry_value_text(kMultiSz, "") == "");
}

TEST_CASE("other registry types as hex") {
    CHECK(registry_value_text(kBinary, bytes({0x00, 0xab, 0x10})) == "00ab10");
    CHECK(registry_value_text(99, bytes({0x7f})) == "7f");
}

TEST_CASE("registry paths: root and subkey") {
    auto p = split_registry_path(R"(HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\Setup)");
    CHECK(p.root == RegistryRoot::local_machine);
    CHECK(p.subkey == R"(SOFTWARE\Microsoft\ExchangeServer\v15\Setup)");
    CHECK(split_registry_path(R"(hkey_current_user\Software\x\)").root == RegistryRoot::current_user);
    CHECK(split_registry_path(R"(hkey_current_user\Software\x\)").subkey == R"(Software\x)");
    CHECK(split_registry_path("HKCU").subkey.empty());
    CHECK(split_registry_path(R"(HKU\S-1-5-18\x)").root == RegistryRoot::unknown);
    CHECK(split_registry_path(R"(HKLMX\SOFTWARE)").root == RegistryRoot::unknown);
}

TEST_CASE("service codes under Get-Service's names") {
    CHECK(service_start_type_name(2) == "Automatic");
    CHECK(service_start_type_name(3) == "Manual");
    CHECK(service_start_type_name(4) == "Disabled");
    CHECK(service_start_type_name(0) == "Boot");
    CHECK(service_start_type_name(9) == "9");
    CHECK(service_state_name(1) == "Stopped");
    CHECK(service_state_name(4) == "Running");
    CHECK(service_state_name(7) == "Paused");
    CHECK(service_state_name(0) == "0");
}

TEST_CASE("file versions and error classes") {
    CHECK(file_version_text((15u << 16) | 2u, (1544u << 16) | 4u) == "15.2.1544.4");
    CHECK(file_version_text(0, 0) == "0.0.0.0");
    CHECK(classify_win32_error(2) == ReadFailure::missing);
    CHECK(classify_win32_error(1605) == ReadFailure::missing);
    CHECK(classify_win32_error(15007) == ReadFailure::missing);
    CHECK(classify_win32_error(5) == ReadFailure::denied);
    CHECK(classify_win32_error(1314) == ReadFailure::denied);
    CHECK(classify_win32_error(1167) == ReadFailure::error);
    CHECK(utc_iso(2026, 12, 6, 9, 4, 3) == "2026-12-06T09:04:03Z");
}
