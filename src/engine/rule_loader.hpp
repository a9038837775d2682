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
// skipped. Duplicate ids are errors. (The rules used without --rules: resources/resources.hpp.)
std::vector<std::unique_ptr<Rule>> load_rules(const std::vector<std::string>& paths, DiagSink& diags);

// One rule file's text and the path its diagnostics name.
struct RuleText {
    std::string path;
    std::string text;
};
// Parses rule texts in the given order, as load_rules() does with the files it read.
std::vector<std::unique_ptr<Rule>> load_rule_texts(const std::vector<RuleText>& texts, DiagSink& diags);

}  // namespace extriage
