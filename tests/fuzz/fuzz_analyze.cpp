// libFuzzer target for the whole analysis pipeline on one input: the bytes are sniffed exactly
// as discover.cpp sniffs a file (identify() on the first kSniffHeadBytes), parsed from a
// MemorySource by the parser that claimed them, run through the engine with the shipped rules,
// correlated, given version advice and decoded error codes, and rendered as the text, JSON, HTML
// and Markdown reports. The parser targets only check what parsers hand out; this one reaches the engine,
// templates, correlation, the error code scanner and reporters with hostile record contents (huge
// fields, odd timestamps, empty runs).
// Zips are left to fuzz_archive, which needs a file on disk.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/analyze.hpp"
#include "advice/builds.hpp"
#include "advice/shipped_data.hpp"
#include "inputs/discover.hpp"
#include "resources/resources.hpp"
#include "byte_source.hpp"
#include "diagnostics.hpp"
#include "engine/engine.hpp"
#include "engine/rule_loader.hpp"
#include "report/report.hpp"

using namespace extriage;

namespace {

// The shipped rules (embedded from rules/ of the source tree this target was built from), loaded
// once: a rule error here is a broken checkout, not a finding, so it stops the fuzzer.
const RuleSet& shipped_rules() {
    static const std::unique_ptr<RuleSet> rules = [] {
        DiagSink diags;
        auto loaded = load_default_rules(diags);
        if (diags.error_count() || loaded.empty()) {
            for (const Diagnostic& d : diags.snapshot()) std::fprintf(stderr, "%s\n", d.format().c_str());
            std::fprintf(stderr, "fuzz_analyze: cannot load the rules from %s\n", rules_origin().describe().c_str());
            std::abort();
        }
        return std::make_unique<RuleSet>(std::move(loaded));
    }();
    return *rules;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const RuleSet& rules = shipped_rules();
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    std::string_view head = bytes.substr(0, kSniffHeadBytes);
    if (looks_like_zip(head)) return 0;
    const Parser* parser = identify(head, "fuzz.log");
    if (!parser) return 0;

    InputFile input;
    input.display_path = "fuzz.log";
    input.parser = parser;
    input.open = [bytes] { return std::unique_ptr<ByteSource>(std::make_unique<MemorySource>(bytes)); };

    DiagSink diags;
    // Two threads: the records also go through the matching pipeline (PrematchPipeline), as
    // they do in the CLI on any machine with two cores.
    AnalysisResult result = analyze_inputs({input}, rules, diags, {}, 2);
    // A fixed date keeps runs reproducible (the CLI's --today).
    static const std::optional<Date> today = parse_iso_date("2026-11-22");
    std::string error;
    const BuildIssueTable* issues = shipped_build_issues(error);
    if (const BuildTable* table = shipped_build_table(error); table && today) add_version_advice(result, *table, *today, issues);
    if (const ErrorCodeTable* codes = shipped_error_codes(error)) add_decoded_errors(result.findings, *codes);

    auto diag_list = diags.snapshot();
    ReportOptions plain;
    ReportOptions everything;
    everything.color = true;
    everything.all_runs = true;
    std::string text = render_text(result, {}, plain);
    std::string text_all = render_text(result, diag_list, everything);
    std::string json = render_json(result, diag_list, plain);
    std::string json_all = render_json(result, diag_list, everything);
    std::string html = render_html(result, diag_list, everything);
    std::string md = render_markdown(result, diag_list, plain);
    // The reports must be non-empty documents; keep the strings observable so nothing is elided.
    if (text.empty() || json.empty() || json.front() != '{' || text_all.size() + json_all.size() == 0) std::abort();
    // Nothing from the input becomes markup: the page holds its one script and no raw control byte.
    if (html.find("<script") != html.rfind("<script") || md.empty()) std::abort();
    for (char c : html)
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n') std::abort();
    return 0;
}
