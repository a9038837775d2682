// Templates: placeholders, literal braces and brackets, optional sections and their errors.
#include <doctest/doctest.h>

#include <map>
#include <stdexcept>
#include <string>

#include "engine/template.hpp"

using namespace extriage;

namespace {

std::optional<std::string> render(const std::string& source, const std::map<std::string, std::string>& facts,
                                  std::vector<std::string>* missing = nullptr) {
    Template t = Template::parse(source);
    return t.render(
        [&](std::string_view name) -> std::optional<std::string> {
            auto it = facts.find(std::string(name));
            if (it == facts.end()) return std::nullopt;
            return it->second;
        },
        missing);
}

// The error message and offset of a template that must not parse.
std::pair<std::string, size_t> parse_error(const std::string& source) {
    size_t at = 12345;
    try {
        Template::parse(source, &at);
    } catch (const std::invalid_argument& e) {
        return {e.what(), at};
    }
    FAIL("expected a parse error for: " << source);
    return {"", at};
}

}  // namespace

TEST_CASE("template: placeholders and literal braces") {
    CHECK(render("Task {task} on {run.server}.", {{"task", "install-UMService"}, {"run.server", "EX01"}}) ==
          "Task install-UMService on EX01.");
    CHECK(render("Where-Object {{ $_.Name -eq '{name}' }}", {{"name", "x"}}) == "Where-Object { $_.Name -eq 'x' }");
}

TEST_CASE("template: an optional section is left out when any fact in it has no value") {
    const std::string t = "Setup failed in task {task}[[ on domain controller {dc} (site {site})]].";
    CHECK(render(t, {{"task", "install-X"}, {"dc", "DC1"}, {"site", "HQ"}}) ==
          "Setup failed in task install-X on domain controller DC1 (site HQ).");
    CHECK(render(t, {{"task", "install-X"}, {"dc", "DC1"}}) == "Setup failed in task install-X.");
    CHECK(render(t, {{"task", "install-X"}}) == "Setup failed in task install-X.");
    // Each section stands on its own.
    CHECK(render("A[[ b={b}]][[ c={c}]].", {{"c", "3"}}) == "A c=3.");
    CHECK(render("[[{a}]]", {}) == "");
}

TEST_CASE("template: a missing mandatory fact renders nothing and is named") {
    std::vector<std::string> missing;
    CHECK_FALSE(render("Stop {process}[[ (id {pid})]] and {what}.", {{"pid", "7"}}, &missing));
    CHECK(missing == std::vector<std::string>{"process", "what"});
    Template t = Template::parse("Stop {process}[[ (id {pid})]].");
    CHECK(t.mandatory_placeholders() == std::vector<std::string>{"process"});
    CHECK(t.placeholders() == std::vector<std::string>{"process", "pid"});
    CHECK(t.has_sections());
    CHECK_FALSE(Template::parse("Stop {process}.").has_sections());
}

TEST_CASE("template: escaped brackets are literal, braces do not escape brackets") {
    CHECK(render("$a = [string[\\]]@('{v}')", {{"v", "1"}}) == "$a = [string[]]@('1')");
    CHECK(render("\\[[literal\\]] {v}", {{"v", "1"}}) == "[[literal]] 1");
    // `{{` is one literal brace; a `[[` after it still opens a section.
    CHECK(render("{{[[{v}]]}}", {}) == "{}");
    CHECK(render("{{[[{v}]]}}", {{"v", "1"}}) == "{1}");
    // Single brackets and a lone backslash are plain text (Windows paths, PowerShell types).
    CHECK(render("[System.IO.Path]::Combine('D:\\x', '{f}')", {{"f", "a"}}) == "[System.IO.Path]::Combine('D:\\x', 'a')");
}

TEST_CASE("template: bad sections are errors with the offset of the offending mark") {
    struct Case {
        std::string source;
        size_t offset;
        const char* part;
    };
    const Case cases[] = {
        {"a [[b {x} [[c {y}]] ]]", 10, "do not nest"},
        {"a [[b {x}", 2, "unclosed '[['"},
        {"a {x}]] b", 5, "without an open '[['"},
        {"a [[ no fact ]] b", 2, "needs a {fact}"},
        {"a [[]] b", 2, "needs a {fact}"},
        {"a [[{x}]] {y", 10, "unclosed '{'"},
        {"a [[{x}]] }", 10, "unmatched '}'"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.source);
        auto [message, at] = parse_error(c.source);
        CHECK(message.find(c.part) != std::string::npos);
        CHECK(at == c.offset);
    }
}
