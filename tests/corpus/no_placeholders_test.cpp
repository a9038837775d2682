// No placeholder ever appears as a value in a report (issue 15, item 4d). Every finding that the
// rules and the computed version advice produce from the samples (the golden inputs), from every
// rule's examples and from the corpus logs is checked: its message, its remediation steps and its
// facts must not hold a stand-in such as "(unknown)", "(not logged)", "NULL VALUE" (unless the
// log itself says so), an unrendered "{fact}" or a "[[ ]]" section mark; a message must not have
// fallen back to the rule's title, and a warning-or-worse finding must say what to do.
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "app/analyze.hpp"
#include "byte_source.hpp"
#include "engine/rule_loader.hpp"
#include "project_rules.hpp"
#include "parser.hpp"

using namespace extriage;
namespace fs = std::filesystem;

namespace {

struct Forbidden {
    const char* what;
    std::regex re;
};

const std::vector<Forbidden>& forbidden() {
    static const auto icase = std::regex::ECMAScript | std::regex::icase;
    static const std::vector<Forbidden> list = {
        {"a parenthesised unknown/none/n.a.", std::regex(R"(\((unknown|none|n/a)\b[^)]*\))", icase)},
        {"a parenthesised 'not ...' stand-in",
         std::regex(R"(\((not (logged|given|named|in|found|known)|the [a-z' ]*(build|object|domain|entry)\b)[^)]*\))", icase)},
        {"a former default of a rule", std::regex(R"(\((see the entry|named in the MSI log)\)|a cached \.msi/\.msp|the install volume|the update package)", icase)},
        {"a parenthesised 'no ... logged/line/details' stand-in",
         std::regex(R"(\(no [^)]*\b(logged|line|details?|message|switch|trace)\b[^)]*\))", icase)},
        {"a '(this server)'-style stand-in", std::regex(R"(\((this server|DC not logged|unknown [a-z]+)\))", icase)},
        {"a 'not logged' value", std::regex(R"(\bnot logged\b)", icase)},
        {"an angle-bracket stand-in", std::regex(R"(<(DC|type|server|your|the)\b[^>]*\((not|unknown))", icase)},
        {"NULL VALUE", std::regex(R"(\bNULL VALUE\b)")},
        {"SetupLogReviewer's 'Failed to find DC Value'", std::regex(R"(Failed to find DC Value)", icase)},
        {"an unrendered {fact}", std::regex(R"(\{[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*\})")},
        // `]]` alone is PowerShell (`[string[]]`); an unrendered section starts with `[[`.
        {"an optional-section mark", std::regex(R"(\[\[)")},
    };
    return list;
}

// Whole fact values that only stand in for a value.
bool placeholder_value(std::string v) {
    for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static const char* const words[] = {"unknown", "none", "n/a", "not found", "not logged", "null", "(null)", "-", "?"};
    for (const char* w : words)
        if (v == w) return true;
    return false;
}

// "The log says it" exemption: a value taken verbatim from the evidence is not a stand-in.
bool in_evidence(const Finding& f, const std::string& text) {
    for (const auto& e : f.evidence)
        if (e.text.find(text) != std::string::npos) return true;
    return false;
}

void check_text(const Finding& f, const std::string& where, const std::string& text) {
    for (const auto& rule : forbidden()) {
        std::smatch m;
        if (!std::regex_search(text, m, rule.re)) continue;
        if (in_evidence(f, m.str())) continue;
        FAIL_CHECK(f.rule_id << " (" << f.path << "): " << where << " holds " << std::string(rule.what) << " \"" << m.str()
                             << "\": " << text);
    }
}

void check_finding(const Finding& f) {
    check_text(f, "the message", f.message);
    if (f.message == f.title + ".")
        FAIL_CHECK(f.rule_id << " (" << f.path << "): the message fell back to the title (a mandatory fact is missing)");
    for (const auto& step : f.remediation) check_text(f, "a remediation step", step);
    for (const auto& [k, v] : f.facts) {
        check_text(f, "fact " + k, v);
        if (placeholder_value(v) && !in_evidence(f, v))
            FAIL_CHECK(f.rule_id << " (" << f.path << "): fact " << k << " is the stand-in \"" << v << "\"");
    }
    if (f.severity >= Level::warning && f.remediation.empty())
        FAIL_CHECK(f.rule_id << " (" << f.path << "): a " << (f.severity >= Level::error ? "error" : "warning")
                             << " finding with no remediation step left");
}

const RuleSet& rules() { return testing::project_rules(); }

size_t check_tree(const fs::path& dir) {
    DiagSink diags;
    AnalyzeOptions options;
    options.today = "2026-11-22";   // as the golden tests, so the version advice is stable
    AnalysisResult result = analyze_paths({dir.string()}, rules(), diags, options);
    for (const auto& f : result.findings) check_finding(f);
    return result.findings.size();
}

}  // namespace

TEST_CASE("no placeholders: the forbidden patterns catch what they are for and pass real values") {
    auto hits = [](const std::string& s) {
        for (const auto& rule : forbidden())
            if (std::regex_search(s, rule.re)) return true;
        return false;
    };
    for (const char* bad : {"process (not named in the log)", "task (unknown task)", "<DC in site (not logged)>",
                            "Installed build: (the installed build).", "(unknown)", "(none)", "(not logged)",
                            "site NULL VALUE", "(no Entry DN line)", "HRESULT {hresult}", "on DC [[ {dc}]]",
                            "(the object was not logged)", "(no task exception logged)", "(unknown component)",
                            "(not named in the event)", "(no details in the event)", "(not given)", "(this server)",
                            "(no /Mode switch)", "(no stack trace logged)", "display name not logged"}) {
        const std::string text = bad;
        CAPTURE(text);
        CHECK(hits(bad));
    }
    for (const char* good : {"Setup failed in task install-UMService.", "Where-Object { $_.Name -eq 'x' }",
                             "[Value:\"True\"] on DC01.contoso.com (site HQ)", "D:\\Program Files\\Microsoft\\Exchange Server\\V15",
                             "Get-ExchangeCertificate | Where-Object {$_.NotAfter -lt (Get-Date)}",
                             "(no restart needed)", "[string[]]$names"}) {
        const std::string text = good;
        CAPTURE(text);
        CHECK_FALSE(hits(good));
    }
    CHECK(placeholder_value("Unknown"));
    CHECK(placeholder_value("n/a"));
    CHECK_FALSE(placeholder_value("install-UMService"));
}

TEST_CASE("no placeholders: findings from the samples (golden inputs)") {
    CHECK(check_tree(fs::path(EXTRIAGE_SAMPLES_DIR)) > 20);
}

TEST_CASE("no placeholders: findings from every rule example") {
    size_t findings = 0;
    for (const auto& rule : rules().rules()) {
        const Parser* parser = nullptr;
        for (const auto& s : rule->sources)
            if ((parser = find_parser(s))) break;
        REQUIRE(parser);
        for (const auto& ex : rule->examples) {
            // Every rule, not only the example's own: what else fires on the text is checked too.
            DiagSink diags;
            Engine engine(rules(), diags);
            MemorySource src(ex.log);
            parser->parse(src, "<example of " + rule->id + ">", engine, diags);
            for (const auto& f : engine.findings()) check_finding(f);
            findings += engine.findings().size();
        }
    }
    CHECK(findings > rules().rules().size());
}

TEST_CASE("no placeholders: findings from the corpus logs") {
    const fs::path dir(EXTRIAGE_CORPUS_DIR);
    if (!fs::exists(dir)) {
        MESSAGE("corpus not present at " << dir.string() << "; skipped");
        return;
    }
    CHECK(check_tree(dir) > 20);
}
