// Loads rule files (one YAML rule per file) strictly: unknown keys, duplicate keys, bad
// regexes, unknown placeholders and bad examples are errors reported as file:line:col.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "diagnostics.hpp"
#include "engine/rule.hpp"

namespace extriage {

// Parses and compiles one rule from YAML text. Throws RuleError (with position).
std::unique_ptr<Rule> parse_rule(const std::string& yaml_text, const std::string& file_path);

// Loads every *.yaml / *.yml under each path (a directory, searched recursively, or a file),
// in sorted path order. Errors go to diags (origin: the rule id or "rules"); rules that fail are
// skipped. Duplicate ids are errors.
std::vector<std::unique_ptr<Rule>> load_rules(const std::vector<std::string>& paths, DiagSink& diags);

// The rules directory used when --rules is not given: $EXTRIAGE_RULES, then the directory next to
// the installed binary (../share/extriage/rules), then the source tree.
std::string default_rules_dir();
// The data directory (build tables etc.), found the same way.
std::string default_data_dir();

}  // namespace extriage
