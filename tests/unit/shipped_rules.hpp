// The project's rules (rules/ in the source tree), loaded once per test binary; a load error
// fails the test that asked for them.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "engine/engine.hpp"
#include "engine/rule_loader.hpp"

namespace extriage::testutil {

inline const RuleSet& shipped_rules() {
    static const std::unique_ptr<RuleSet> rules = [] {
        DiagSink diags;
        auto loaded = load_rules({std::string(EXTRIAGE_TEST_SOURCE_DIR) + "/rules"}, diags);
        REQUIRE(diags.error_count() == 0);
        return std::make_unique<RuleSet>(std::move(loaded));
    }();
    return *rules;
}

}  // namespace extriage::testutil
