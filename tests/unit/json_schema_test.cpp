// Every JSON document extriage writes conforms to its schema under schema/ (issue 9): every
// golden analysis, a timeline and a batch row; and the checker does reject what does not conform.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/analyze.hpp"
#include "app/batch.hpp"
#include "app/timeline.hpp"
#include "engine/rule_loader.hpp"
#include "json_schema_check.hpp"

using namespace extriage;
using namespace extriage::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path kSource = EXTRIAGE_TEST_SOURCE_DIR;

json load(const fs::path& p) {
    std::ifstream in(p);
    return json::parse(in);
}

const RuleSet& shipped_rules() {
    static std::unique_ptr<RuleSet> rules = [] {
        DiagSink diags;
        auto loaded = load_rules({(kSource / "rules").string()}, diags);
        REQUIRE(diags.error_count() == 0);
        return std::make_unique<RuleSet>(std::move(loaded));
    }();
    return *rules;
}

void check_conforms(const json& schema, const json& doc, const std::string& what) {
    auto errors = schema_errors(schema, doc);
    CAPTURE(what);
    for (const auto& e : errors) MESSAGE(e);
    CHECK(errors.empty());
}

}  // namespace

TEST_CASE("json schema: every golden analysis conforms to schema/analyze.schema.json") {
    const json schema = load(kSource / "schema/analyze.schema.json");
    size_t checked = 0;
    for (const auto& entry : fs::recursive_directory_iterator(kSource / "tests/golden")) {
        const std::string name = entry.path().filename().string();
        if (!name.ends_with(".findings.json")) continue;
        check_conforms(schema, load(entry.path()), entry.path().string());
        ++checked;
    }
    CHECK(checked >= 25);
}

TEST_CASE("json schema: the checker rejects documents that do not conform") {
    const json schema = load(kSource / "schema/analyze.schema.json");
    json doc = load(kSource / "tests/golden/exchange-setup/unknown-error.findings.json");
    REQUIRE(schema_errors(schema, doc).empty());
    json missing = doc;
    missing["files"][0].erase("headline");
    CHECK_FALSE(schema_errors(schema, missing).empty());
    json bad_enum = doc;
    bad_enum["findings"][0]["category"] = "whatever";
    CHECK_FALSE(schema_errors(schema, bad_enum).empty());
    json extra = doc;
    extra["summary"]["surprise"] = 1;
    CHECK_FALSE(schema_errors(schema, extra).empty());
    json wrong_type = doc;
    wrong_type["findings"][0]["facts"]["x"] = 3;
    CHECK_FALSE(schema_errors(schema, wrong_type).empty());
    CHECK_FALSE(schema_errors(json{{"type", "string"}, {"pattern", "x"}}, "x").empty());   // unchecked keyword
}

TEST_CASE("json schema: a timeline conforms to schema/timeline.schema.json") {
    const json schema = load(kSource / "schema/timeline.schema.json");
    DiagSink diags;
    TimelineOptions options;
    options.analyze.today = "2026-11-22";
    Timeline tl = build_timeline({(kSource / "samples/bundles/EX01-1106.zip").string(),
                                  (kSource / "samples/evtx/system-services.evtx").string()},
                                 shipped_rules(), diags, options);
    json doc = json::parse(render_timeline_json(tl, diags.snapshot()));
    CHECK(doc["entries"].size() > 5);
    check_conforms(schema, doc, "timeline");
}

TEST_CASE("json schema: batch rows conform to schema/batch.schema.json") {
    const json schema = load(kSource / "schema/batch.schema.json");
    BatchOptions options;
    options.jobs = 1;
    options.analyze.today = "2026-11-22";
    BatchResult result = run_batch({(kSource / "samples/bundles").string()}, shipped_rules(), options);
    std::istringstream lines(render_batch_jsonl(result, ReportOptions{}));
    size_t rows = 0;
    for (std::string line; std::getline(lines, line); ++rows) check_conforms(schema, json::parse(line), line.substr(0, 60));
    CHECK(rows >= 2);
}
