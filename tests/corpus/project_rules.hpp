// The project's rules (EXTRIAGE_RULES_DIR), loaded once for the corpus test binary; a rule that
// does not load fails the test that asked for them.
#pragma once

#include <doctest/doctest.h>

#include <memory>

#include "engine/rule_loader.hpp"

namespace extriage::testing {

inline const RuleSet& project_rules() {
    static std::unique_ptr<RuleSet> rules = [] {
        DiagSink diags;
        auto loaded = load_rules({EXTRIAGE_RULES_DIR}, diags);
        for (const auto& d : diags.snapshot()) MESSAGE(d.format());
        REQUIRE(diags.error_count() == 0);
        return std::make_unique<RuleSet>(std::move(loaded));
    }();
    return *rules;
}

}  // namespace extriage::testing
