// Strict rule loading: every mistake is an error with file:line:col.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "engine/rule_loader.hpp"

using namespace extriage;

namespace {

const char* kValidRule = R"(id: t-rule
title: A test rule
severity: error
source: test
match: 'boom (?P<what>\w+)'
message: 'Boom {what} on {run.server_fqdn}.'
remediation:
  - 'Fix {what}.'
examples:
  match:
    - 'boom x'
)";

RuleError load_error(const std::string& yaml) {
    try {
        parse_rule(yaml, "rules/t-rule.yaml");
    } catch (const RuleError& e) {
        return e;
    }
    FAIL("expected a RuleError");
    return RuleError({0, 0}, "");
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
    auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("rule loader: accepts a valid rule and compiles its captures") {
    auto rule = parse_rule(kValidRule, "rules/t-rule.yaml");
    CHECK(rule->id == "t-rule");
    CHECK(rule->severity == Level::error);
    REQUIRE(rule->leaves.size() == 1);
    CHECK(rule->leaves[0].capture_names == std::vector<std::string>{"what"});
    CHECK(rule->scope == Scope::run);
    CHECK(rule->examples.size() == 1);
}

TEST_CASE("rule loader: reports mistakes with their position") {
    struct Case {
        const char* name;
        std::string yaml;
        int line;
        int column;
        const char* message_part;
    };
    const std::string v = kValidRule;
    const Case cases[] = {
        {"unknown key with suggestion", replace(v, "severity: error", "severity: error\nmessages: x"), 4, 1,
         "did you mean 'message'"},
        {"duplicate key", replace(v, "severity: error", "severity: error\nseverity: info"), 4, 1, "duplicate key 'severity'"},
        {"bad regex", replace(v, R"('boom (?P<what>\w+)')", R"('boom (?P<what>\w+')"), 5, 9, "invalid regular expression"},
        {".NET named group", replace(v, "(?P<what>", "(?<what>"), 5, 14, "(?P<name>"},
        {"unknown placeholder", replace(v, "Boom {what}", "Boom {whom}"), 6, 10, "unknown placeholder '{whom}'"},
        {"bad severity", replace(v, "severity: error", "severity: fatal"), 3, 11, "severity must be"},
        {"anchor", replace(v, "source: test", "source: &a test"), 4, 9, "anchors"},
        {"id differs from file", replace(v, "id: t-rule", "id: other-rule"), 1, 5, "must equal the file name"},
        {"unclosed placeholder", replace(v, "'Fix {what}.'", "'Fix {what.'"), 8, 10, "unclosed"},
        {"capture name case", replace(v, "(?P<what>", "(?P<What>"), 5, 18, "lower_snake_case"},
        {"unknown condition", replace(v, R"(match: 'boom (?P<what>\w+)')", "match:\n  either: ['x']"), 6, 3,
         "unknown condition 'either'"},
        {"unclosed section", replace(v, "Boom {what}", "Boom [[{what}"), 6, 16, "unclosed '[['"},
        {"nested sections", replace(v, "Boom {what}", "Boom [[{what} [[x {what}]]]]"), 6, 25, "do not nest"},
        {"section without a fact", replace(v, "'Fix {what}.'", "'Fix [[it]] {what}.'"), 8, 10, "needs a {fact}"},
        {"section in a check", replace(v, "message:", "checks:\n  - {left: '[[{what}]]', op: equals, right: x}\nmessage:"),
         7, 12, "optional sections"},
        {"one_of with another key", replace(v, "  - 'Fix {what}.'", "  - {one_of: ['Fix {what}.'], when: x}"), 8, 31,
         "unknown key 'when'"},
        {"unknown placeholder in one_of", replace(v, "  - 'Fix {what}.'", "  - one_of: ['Fix {what}.', 'Fix {whom}.']"), 8,
         29, "unknown placeholder '{whom}'"},
        {"no match example", replace(v, "  match:\n    - 'boom x'", "  no_match:\n    - 'x'"), 10, 3,
         "at least one example"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        RuleError e = load_error(c.yaml);
        CHECK(std::string(e.what()).find(c.message_part) != std::string::npos);
        CHECK(e.pos.line == c.line);
        CHECK(e.pos.column == c.column);
    }
}

TEST_CASE("rule loader: warning rules must say what to do") {
    std::string yaml = replace(kValidRule, "remediation:\n  - 'Fix {what}.'\n", "");
    RuleError e = load_error(yaml);
    CHECK(std::string(e.what()).find("remediation") != std::string::npos);
    CHECK_NOTHROW(parse_rule(replace(yaml, "severity: error", "severity: info"), "rules/t-rule.yaml"));
}

TEST_CASE("rule loader: load_rules reports file:line:col diagnostics and keeps good rules") {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / "extriage-rule-loader-test";
    fs::remove_all(dir);
    fs::create_directories(dir / "sub");
    {
        std::ofstream(dir / "t-rule.yaml") << kValidRule;
        std::ofstream(dir / "sub" / "broken.yaml") << "id: broken\ntitle: [unclosed\n";
    }
    DiagSink diags;
    auto rules = load_rules({dir.string()}, diags);
    CHECK(rules.size() == 1);
    auto list = diags.snapshot();
    REQUIRE(list.size() == 1);
    CHECK(list[0].path.find("broken.yaml") != std::string::npos);
    CHECK(list[0].line >= 2);
    CHECK(list[0].format().find("broken.yaml:") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("rule loader: own scopes on match patterns, but not in each_match rules or sequences") {
    CHECK_NOTHROW(parse_rule(replace(kValidRule, R"(match: 'boom (?P<what>\w+)')",
                                     "match:\n  all:\n    - 'boom (?P<what>\\w+)'\n    - none: [{pattern: 'fixed', scope: file}]"),
                             "rules/t-rule.yaml"));
    RuleError each = load_error(replace(kValidRule, R"(match: 'boom (?P<what>\w+)')",
                                        "each_match: true\nmatch: {pattern: 'boom (?P<what>\\w+)', scope: file}"));
    CHECK(std::string(each.what()).find("each_match") != std::string::npos);
    RuleError seq = load_error(replace(kValidRule, R"(match: 'boom (?P<what>\w+)')",
                                       "match:\n  sequence:\n    - {pattern: 'boom (?P<what>\\w+)', scope: file}\n    - 'after'"));
    CHECK(std::string(seq.what()).find("unknown key 'scope'") != std::string::npos);
}
