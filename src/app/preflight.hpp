// `extriage check --target CU15`: is this server ready for the update about to be installed? The
// state (live, a snapshot or a HealthChecker export) goes through the state rules (rules/state/);
// errors block the update, warnings are worth fixing first. The target is looked up in the build
// table to say what the update moves the server from and to.
#pragma once

#include <string>
#include <vector>

#include "engine/engine.hpp"

namespace extriage {

class BuildTable;

struct Readiness {
    enum class Verdict { ready, ready_with_warnings, not_ready };
    Verdict verdict = Verdict::ready;
    std::string server, installed_build;
    std::string target;              // as given ("CU15")
    std::string target_name;         // "Exchange Server 2019 CU15" when the table knows it
    std::string target_note;         // e.g. the server already runs the target or a later build
    std::vector<Finding> findings;   // state findings, most severe first
};

// `text` is a snapshot or a HealthChecker export, read by the parser named `parser`.
Readiness check_readiness(const std::string& text, const std::string& parser, const std::string& target,
                          const RuleSet& rules, const BuildTable* builds, DiagSink& diags);

std::string_view verdict_name(Readiness::Verdict v);

// The text report `extriage check` prints.
std::string format_readiness(const Readiness& r);

}  // namespace extriage
