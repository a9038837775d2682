// Rules and data tables embedded at build time and the folders that override them
// (resources/resources.hpp): the embedded copy is exactly the source tree's rules/ and data/, the
// environment and --data override it, a data folder falls back file by file.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "advice/builds.hpp"
#include "resources/embedded_files.hpp"
#include "resources/resources.hpp"
#include "advice/shipped_data.hpp"
#include "advice/tsv_table.hpp"
#include "engine/rule_loader.hpp"
#include "platform/files.hpp"
#include "platform/utf16.hpp"
#include "platform/utf8_path.hpp"

using namespace extriage;
namespace fs = std::filesystem;

namespace {

std::string source_file(const std::string& rel) {
    std::error_code ec;
    auto text = platform::read_file(std::string(EXTRIAGE_TEST_SOURCE_DIR) + "/" + rel, ec);
    return text ? *text : std::string("<cannot read " + rel + ">");
}

void set_env(const char* name, const std::string& value) {
#ifdef _WIN32
    // Through UTF-16: _putenv_s would take the value in the ANSI code page.
    std::u16string n = platform::utf8_to_utf16(name), v = platform::utf8_to_utf16(value);
    _wputenv_s(reinterpret_cast<const wchar_t*>(n.c_str()), reinterpret_cast<const wchar_t*>(v.c_str()));   // "" removes it
#else
    if (value.empty()) unsetenv(name);
    else setenv(name, value.c_str(), 1);
#endif
}

// Sets an environment variable for one test and restores "unset" afterwards.
struct ScopedEnv {
    const char* name;
    ScopedEnv(const char* n, const std::string& value) : name(n) { set_env(name, value); }
    ~ScopedEnv() { set_env(name, ""); }
};

}  // namespace

TEST_CASE("resources: the embedded files are the source tree's rules and data, byte for byte") {
    std::set<std::string> expected;
    const fs::path root(EXTRIAGE_TEST_SOURCE_DIR);
    for (const char* top : {"rules", "data"})
        for (const auto& e : fs::recursive_directory_iterator(root / top)) {
            if (!e.is_regular_file()) continue;
            std::string rel = e.path().lexically_relative(root).generic_string();
            const std::string name = e.path().filename().string();
            if (name.starts_with("README") || name.ends_with(".md")) continue;
            if (rel.starts_with("rules/") && !name.ends_with(".yaml") && !name.ends_with(".yml")) continue;
            expected.insert(rel);
        }
    std::set<std::string> embedded;
    std::string previous;
    for (const auto& f : embedded_files()) {
        CHECK(std::string(f.path) > previous);   // sorted, no duplicates
        previous = std::string(f.path);
        embedded.insert(previous);
        CHECK_MESSAGE(f.data == source_file(previous), previous << " differs from the source tree");
    }
    CHECK(embedded == expected);
    CHECK(embedded.count("data/exchange-builds.tsv"));
    CHECK(embedded_digest().size() == 12);
}

TEST_CASE("resources: without folders, rules and tables come from the executable") {
    REQUIRE(rules_origin().kind == ResourceOrigin::Kind::embedded);
    REQUIRE(data_origin().kind == ResourceOrigin::Kind::embedded);
    DiagSink diags;
    auto embedded = load_default_rules(diags);
    CHECK(diags.error_count() == 0);
    DiagSink source_diags;
    auto from_source = load_rules({std::string(EXTRIAGE_TEST_SOURCE_DIR) + "/rules"}, source_diags);
    REQUIRE(embedded.size() == from_source.size());
    CHECK(embedded.size() > 0);
    for (size_t i = 0; i < embedded.size(); ++i) CHECK(embedded[i]->id == from_source[i]->id);

    std::string error;
    auto text = read_data_file("exchange-builds.tsv", error);
    REQUIRE(text);
    CHECK(*text == source_file("data/exchange-builds.tsv"));
    CHECK(data_file_label("exchange-builds.tsv") == "(embedded) data/exchange-builds.tsv");
    CHECK_FALSE(read_data_file("no-such-table.tsv", error));
    CHECK(error.find("no-such-table.tsv") != std::string::npos);
    const BuildTable* table = shipped_build_table(error);
    REQUIRE(table);
    CHECK(table->rows().size() > 100);
    CHECK(shipped_data_path(kBuildTableFile) == "(embedded) data/exchange-builds.tsv");
    CHECK(rules_origin().describe().starts_with("embedded in the executable, set "));
    CHECK(data_summary().starts_with("data: embedded in the executable, set "));
}

TEST_CASE("resources: a data folder supplies what it holds, the embedded copy the rest") {
    const std::string dir =
        platform::path_to_u8(fs::temp_directory_path() / platform::u8_to_path("extriage-resources-test-Müller"));
    fs::remove_all(platform::u8_to_path(dir));
    fs::create_directories(platform::u8_to_path(dir));
    const std::string builds = platform::path_to_u8(platform::u8_to_path(dir) / "exchange-builds.tsv");
    {
        std::FILE* f = platform::fopen_u8(builds, "wb");
        REQUIRE(f);
        std::fputs("product\trelease_name\tbuild\n", f);
        std::fclose(f);
    }
    SUBCASE("from the environment") {
        ScopedEnv env("EXTRIAGE_DATA", dir);
        CHECK(data_origin().kind == ResourceOrigin::Kind::environment);
        CHECK(data_origin().folder == dir);
    }
    SUBCASE("from --data, which wins over the environment") {
        ScopedEnv env("EXTRIAGE_DATA", dir + "-elsewhere");
        set_data_folder(dir);
        CHECK(data_origin().kind == ResourceOrigin::Kind::option);
        set_data_folder("");
        CHECK(data_origin().kind == ResourceOrigin::Kind::environment);
    }
    std::string error;
    ScopedEnv env("EXTRIAGE_DATA", dir);
    auto text = read_data_file("exchange-builds.tsv", error);
    REQUIRE(text);
    CHECK(*text == "product\trelease_name\tbuild\n");
    CHECK(data_file_label("exchange-builds.tsv") == builds);
    // The folder's table is used even though it has no rows, and the error names it.
    CHECK(shipped_data_path(kBuildTableFile) == builds);
    CHECK_FALSE(parse_tsv_table<BuildTable>(*text, shipped_data_path(kBuildTableFile), "builds", error));
    CHECK(error.find(builds) == 0);
    // A table the folder does not hold still comes from the executable.
    auto issues = read_data_file("exchange-build-issues.tsv", error);
    REQUIRE(issues);
    CHECK(*issues == source_file("data/exchange-build-issues.tsv"));
    CHECK(data_file_label("exchange-build-issues.tsv") == "(embedded) data/exchange-build-issues.tsv");
    const std::string summary = data_summary();
    CHECK(summary.find("data: " + dir + " (from the environment)") != std::string::npos);
    CHECK(summary.find("exchange-build-issues.tsv") != std::string::npos);

    fs::remove_all(platform::u8_to_path(dir));
}

TEST_CASE("resources: EXTRIAGE_RULES names a rules folder that replaces the embedded rules") {
    ScopedEnv env("EXTRIAGE_RULES", std::string(EXTRIAGE_TEST_SOURCE_DIR) + "/rules/ldif");
    CHECK(rules_origin().kind == ResourceOrigin::Kind::environment);
    DiagSink diags;
    auto rules = load_default_rules(diags);
    CHECK(diags.error_count() == 0);
    REQUIRE_FALSE(rules.empty());
    for (const auto& r : rules) CHECK(r->file.find("ldif") != std::string::npos);
}
