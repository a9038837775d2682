// Inputs and their errors (issue 9): skipped files and unreadable folders are named, input in which
// no log can be read is an error, and a file that yields records despite a damaged part is read
// (its problems are warnings).
#include <doctest/doctest.h>

#ifndef _WIN32
#include <sys/stat.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <fstream>
#include <sstream>

#include "app/analyze.hpp"
#include "zip_test_util.hpp"

using namespace extriage;
using namespace extriage::test;

namespace {

const RuleSet& no_rules() {
    static RuleSet rules{{}};
    return rules;
}

AnalyzeOptions quiet_options() {
    AnalyzeOptions o;
    o.version_advice = false;
    o.threads = 1;
    return o;
}

bool has_error(const std::vector<Diagnostic>& diags, std::string_view needle) {
    return std::any_of(diags.begin(), diags.end(), [&](const Diagnostic& d) {
        return d.severity == DiagSeverity::error && d.message.find(needle) != std::string::npos;
    });
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("inputs: files that are not logs are skipped by name and reason") {
    ScratchDir dir("inputs");
    dir.write("bundle/ExchangeSetupLogs/ExchangeSetup.log", setup_log());
    dir.write("bundle/notes.txt", "some notes\n");
    dir.write("bundle/empty.log", "");
    DiagSink diags;
    AnalysisResult r = analyze_paths({(dir.path() / "bundle").string()}, no_rules(), diags, quiet_options());
    CHECK(diags.error_count() == 0);
    REQUIRE(r.discover.skipped.size() == 2);
    CHECK(r.discover.skipped[0].path.ends_with("empty.log"));
    CHECK(r.discover.skipped[0].kind == "file");
    CHECK(r.discover.skipped[0].reason == "the file is empty");
    CHECK(r.discover.skipped[1].path.ends_with("notes.txt"));
    CHECK(r.discover.skipped[1].reason == "not a log format extriage knows");
}

TEST_CASE("inputs: no log extriage can read is an error naming the paths given") {
    ScratchDir dir("inputs");
    std::filesystem::create_directories(dir.path() / "empty");
    dir.write("junk/a.txt", "nothing to see\n");
    for (const char* name : {"empty", "junk"}) {
        CAPTURE(name);
        const std::string path = (dir.path() / name).string();
        DiagSink diags;
        AnalysisResult r = analyze_paths({path}, no_rules(), diags, quiet_options());
        CHECK(r.files.empty());
        auto d = diags.snapshot();
        CHECK(has_error(d, "no log extriage can read was found in " + path));
        CHECK(diags.error_count() == 1);
    }
    // One readable log among the paths is enough.
    dir.write("good/ExchangeSetup.log", setup_log());
    DiagSink diags;
    analyze_paths({(dir.path() / "junk").string(), (dir.path() / "good").string()}, no_rules(), diags, quiet_options());
    CHECK(diags.error_count() == 0);
}

#ifndef _WIN32   // POSIX permissions (Windows has ACLs, which wine does not enforce)
TEST_CASE("inputs: a sub-folder that cannot be read is named, not passed over") {
    if (::geteuid() == 0) {
        MESSAGE("running as root: permissions do not stop reading a folder; skipped");
        return;
    }
    ScratchDir dir("inputs");
    dir.write("bundle/ExchangeSetup.log", setup_log());
    dir.write("bundle/locked/inner.log", setup_log());
    const auto locked = dir.path() / "bundle" / "locked";
    ::chmod(locked.c_str(), 0);
    DiagSink diags;
    AnalysisResult r = analyze_paths({(dir.path() / "bundle").string()}, no_rules(), diags, quiet_options());
    ::chmod(locked.c_str(), 0755);
    CHECK(diags.error_count() == 0);
    REQUIRE(r.discover.skipped.size() == 1);
    CHECK(r.discover.skipped[0].kind == "folder");
    CHECK(r.discover.skipped[0].reason.starts_with("folder could not be read: "));
    CHECK(r.files.size() == 1);
}

#endif

TEST_CASE("inputs: a damaged chunk in an event log that otherwise reads is a warning, not an input error") {
    const std::string sample = std::string(EXTRIAGE_TEST_SOURCE_DIR) + "/samples/evtx/bad-chunk-magic.evtx";
    DiagSink diags;
    AnalysisResult r = analyze_paths({sample}, no_rules(), diags, quiet_options());
    REQUIRE(r.files.size() == 1);
    CHECK(r.files[0].records > 0);
    CHECK(diags.error_count() == 0);
    auto d = diags.snapshot();
    CHECK(std::any_of(d.begin(), d.end(), [](const Diagnostic& x) { return x.severity == DiagSeverity::warning; }));

    // The same file cut inside its first chunk yields nothing: that stays an error.
    ScratchDir dir("inputs");
    std::string bytes = read_file(sample);
    const std::string cut = dir.write("cut.evtx", bytes.substr(0, 4096 + 100));
    DiagSink cut_diags;
    AnalysisResult c = analyze_paths({cut}, no_rules(), cut_diags, quiet_options());
    REQUIRE(c.files.size() == 1);
    CHECK(c.files[0].records == 0);
    CHECK(cut_diags.error_count() >= 1);
}

TEST_CASE("diagnostics: errors of one file since a point become warnings; others stay") {
    DiagSink sink;
    sink.error_at_line("a.log", 1, "before", "p");
    size_t from = sink.size();
    sink.error_at_line("a.log", 2, "inside", "p");
    sink.error_at_line("b.log", 3, "other file", "p");
    sink.warning_at_line("a.log", 4, "already a warning", "p");
    CHECK(sink.downgrade_errors(from, "a.log") == 1);
    auto d = sink.snapshot();
    CHECK(d[0].severity == DiagSeverity::error);
    CHECK(d[1].severity == DiagSeverity::warning);
    CHECK(d[2].severity == DiagSeverity::error);
    CHECK(sink.error_count() == 2);
    // A diagnostic about no one input prints with the tool's name.
    sink.error_at_line("", 0, "no log extriage can read was found in x", "discover");
    CHECK(sink.snapshot().back().format() == "extriage: error: no log extriage can read was found in x [discover]");
}
