// Reports are written piece by piece (report.hpp ReportWriter): a report of thousands of files is
// never held whole, and the pieces make the same document as the one-string render.
#include <doctest/doctest.h>

#include <new>

#include <nlohmann/json.hpp>

#include "memory_reserve.hpp"
#include "report/report.hpp"
#include "result_test_util.hpp"

using namespace extriage;
using namespace extriage::test;

namespace {

AnalysisResult many_files(size_t n) {
    AnalysisResult r;
    for (size_t i = 0; i < n; ++i) {
        const std::string path = "f" + std::to_string(i) + "/ExchangeSetup.log";
        r.files.push_back(make_file(path, "exchange-setup", 10));
        r.runs.push_back(make_run(path, 0, "failed"));
        r.findings.push_back(make_finding("t-cause", Level::error, path, 0, 5));
    }
    return r;
}

}  // namespace

TEST_CASE("report streaming: JSON and text come in many pieces that add up to the whole report") {
    const AnalysisResult r = many_files(2000);
    for (bool json : {true, false}) {
        CAPTURE(json);
        std::string joined;
        size_t pieces = 0, largest = 0;
        auto collect = [&](std::string_view piece) {
            joined += piece;
            ++pieces;
            largest = std::max(largest, piece.size());
        };
        if (json) write_json(r, {}, ReportOptions{}, collect);
        else write_text(r, {}, ReportOptions{}, collect);
        const std::string whole = json ? render_json(r, {}, ReportOptions{}) : render_text(r, {}, ReportOptions{});
        CHECK(joined == whole);
        CHECK(pieces > 8);
        CHECK(largest < whole.size() / 8);
        if (json) {
            auto doc = nlohmann::json::parse(joined);
            CHECK(doc["files"].size() == 2000);
            CHECK(doc["findings"].size() == 2000);
            CHECK(doc["diagnostics"].is_array());
            CHECK(doc["diagnostics"].empty());
        }
    }
}

TEST_CASE("report streaming: empty arrays and a diagnostic keep the document's layout") {
    AnalysisResult r;
    Diagnostic d;
    d.severity = DiagSeverity::warning;
    d.path = "x.log";
    d.line = 3;
    d.message = "bad line";
    d.origin = "exchange-setup";
    const std::string json = render_json(r, {d}, ReportOptions{});
    CHECK(json.find("  \"files\": [],\n") != std::string::npos);
    CHECK(json.find("  \"diagnostics\": [\n    {\n      \"severity\": \"warning\",\n      \"file\": \"x.log\",\n      \"line\": 3,\n")
          != std::string::npos);
    CHECK(json.ends_with("\n  }\n}\n"));
}

TEST_CASE("memory reserve: a failed allocation releases the reserve and the next check throws") {
    install_memory_reserve(1 << 20);
    CHECK_FALSE(memory_reserve_spent());
    CHECK_NOTHROW(check_memory_reserve());
    std::new_handler handler = std::get_new_handler();
    REQUIRE((handler != nullptr));
    handler();   // what operator new does when malloc fails
    CHECK(memory_reserve_spent());
    CHECK_THROWS_AS(check_memory_reserve(), std::bad_alloc);
    // Nothing left to release: the handler steps aside so operator new throws.
    handler();
    CHECK((std::get_new_handler() == nullptr));
    // Once the work that ran out is freed, the reserve is set aside again.
    CHECK(rearm_memory_reserve());
    CHECK_FALSE(memory_reserve_spent());
    CHECK((std::get_new_handler() != nullptr));
    CHECK_NOTHROW(check_memory_reserve());
    std::set_new_handler(nullptr);
}
