// libFuzzer target for the rule loader: arbitrary bytes as a rule YAML file through parse_rule
// (strict YAML tree, keys, regexes, templates, examples). A rule that loads is then run on its
// own examples, which drives the RE2::Set build and the engine with fuzzed patterns.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "diagnostics.hpp"
#include "engine/engine.hpp"
#include "engine/rule_examples.hpp"
#include "engine/rule_loader.hpp"

using namespace extriage;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string yaml(reinterpret_cast<const char*>(data), size);
    std::unique_ptr<Rule> rule;
    try {
        // An empty path skips the "id must equal the file name" check, so ids stay reachable.
        rule = parse_rule(yaml, "");
    } catch (const RuleError& e) {
        (void)e.pos;
        return 0;
    }
    std::vector<std::unique_ptr<Rule>> rules;
    rules.push_back(std::move(rule));
    RuleSet set(std::move(rules));
    DiagSink diags;
    (void)check_all_examples(set, diags);
    for (const Diagnostic& d : diags.snapshot()) (void)d.format();
    return 0;
}
