// Runs the examples embedded in rules (`examples: {match: [...], no_match: [...]}`) through
// the rule's own parser and engine, so every rule proves it fires on what it claims and
// stays quiet on its near misses. Used by `extriage rules test` and by ctest.
#pragma once

#include <string>
#include <vector>

#include "diagnostics.hpp"
#include "engine/engine.hpp"

namespace extriage {

struct ExampleResult {
    int rule = 0;
    size_t example = 0;
    bool passed = false;
    std::string problem;   // why it failed
};

std::vector<ExampleResult> check_rule_examples(const RuleSet& rules, int rule_index);

// Checks all rules; failures are reported to diags as file:line:col errors. Returns (passed, failed).
std::pair<size_t, size_t> check_all_examples(const RuleSet& rules, DiagSink& diags);

}  // namespace extriage
