// See preflight.hpp.
#include "app/preflight.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "advice/builds.hpp"
#include "byte_source.hpp"
#include "parser.hpp"

namespace extriage {

namespace {

// The table row named "<product> <target>" for the product the server runs ("CU15" on a 15.2
// server is Exchange Server 2019 CU15).
const BuildInfo* find_target(const BuildTable& table, const std::string& installed, const std::string& target) {
    auto b = BuildNumber::parse(installed);
    const std::string product = b ? product_of(*b) : std::string();
    for (const auto& row : table.rows()) {
        if (!product.empty() && row.product != product) continue;
        if (row.name == fmt::format("{} {}", row.product, target) || row.name == target) return &row;
    }
    return nullptr;
}

}  // namespace

std::string_view verdict_name(Readiness::Verdict v) {
    switch (v) {
        case Readiness::Verdict::ready: return "ready";
        case Readiness::Verdict::ready_with_warnings: return "ready, with warnings";
        case Readiness::Verdict::not_ready: return "not ready";
    }
    return "?";
}

Readiness check_readiness(const std::string& text, const std::string& parser_name, const std::string& target,
                          const RuleSet& rules, const BuildTable* builds, DiagSink& diags) {
    Readiness r;
    r.target = target;
    const Parser* parser = find_parser(parser_name);
    if (!parser) return r;
    Engine engine(rules, diags);
    MemorySource src(text);
    parser->parse(src, "<server state>", engine, diags);
    for (auto& f : engine.findings()) {
        if (f.rule_id.rfind("state-join-", 0) == 0) continue;   // joins need logs
        r.findings.push_back(std::move(f));
    }
    std::stable_sort(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) { return a.severity > b.severity; });
    for (const auto& f : r.findings) {
        if (f.severity >= Level::error) r.verdict = Readiness::Verdict::not_ready;
        else if (f.severity == Level::warning && r.verdict == Readiness::Verdict::ready)
            r.verdict = Readiness::Verdict::ready_with_warnings;
    }
    // The server and its build come from the snapshot record.
    struct Probe final : RecordSink {
        Readiness& r;
        explicit Probe(Readiness& rr) : r(rr) {}
        void on_file_begin(std::string_view, std::string_view) override {}
        void on_record(const Record& rec) override {
            if (rec.field("kind") == "snapshot") r.server = std::string(rec.field("server"));
            if (rec.field("kind") == "exchange") r.installed_build = std::string(rec.field("build"));
        }
        void on_segment_end(const Segment&) override {}
        void on_file_end(std::string_view) override {}
    } probe(r);
    MemorySource again(text);
    DiagSink ignored;
    parser->parse(again, "<server state>", probe, ignored);
    if (builds && !target.empty()) {
        if (const BuildInfo* t = find_target(*builds, r.installed_build, target)) {
            r.target_name = t->name;
            auto installed = BuildNumber::parse(r.installed_build);
            if (installed && !(*installed < t->build))
                r.target_note = fmt::format("the server already runs {} ({}), at or past {} ({})",
                                            describe_build(*builds, *installed), installed->str(), t->name, t->build.str());
        } else {
            r.target_note = fmt::format("{} is not a release of {} in the build table", target,
                                        r.installed_build.empty() ? "this product" : r.installed_build);
        }
    }
    return r;
}

std::string format_readiness(const Readiness& r) {
    std::string out = fmt::format("Readiness of {} for {}: {}\n", r.server.empty() ? "the server" : r.server,
                                  r.target_name.empty() ? (r.target.empty() ? "an update" : r.target) : r.target_name,
                                  verdict_name(r.verdict));
    if (!r.installed_build.empty()) out += fmt::format("  installed build: {}\n", r.installed_build);
    if (!r.target_note.empty()) out += fmt::format("  note: {}\n", r.target_note);
    for (const auto& f : r.findings) {
        if (f.severity < Level::warning) continue;
        out += fmt::format("\n  {} [{}] {}\n    {}\n", level_name(f.severity), f.rule_id, f.title, f.message);
        if (!f.remediation.empty()) out += fmt::format("    fix: {}\n", f.remediation.front());
    }
    if (r.findings.empty()) out += "  no blocking problem found in the server state\n";
    return out;
}

}  // namespace extriage
