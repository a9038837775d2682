// The in-memory form of one YAML rule (see README "Writing rules"). Rules are data: the
// loader (rule_loader.cpp) validates and compiles them; the engine (engine.cpp) runs them.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <re2/re2.h>

#include "engine/template.hpp"
#include "engine/yaml_tree.hpp"
#include "record.hpp"

namespace extriage {

// Which records a condition looks at.
enum class Scope {
    file,    // the whole file
    run,     // one segment (setup run); findings of the latest run are the ones reported
    error,   // the part of a run from its first error-level record on
};

std::string_view scope_name(Scope s);

using FactList = std::vector<std::pair<std::string, std::string>>;

// One regular expression applied to one record field.
struct Leaf {
    std::string field = "text";
    std::string pattern;          // as written in the rule
    bool case_sensitive = false;
    bool pick_first = false;      // captures from the first match instead of the last
    Scope scope = Scope::run;     // the rule's scope, or the extractor's own
    bool optional = false;        // an extractor: contributes facts, never decides a match
    SourcePos pos;
    std::unique_ptr<RE2> re;      // compiled with case folding applied
    std::vector<std::string> capture_names;   // named groups, in group order (index+1 = group)
};

struct Condition {
    enum class Op { leaf, all, any, none, sequence, without_later };
    Op op = Op::leaf;
    int leaf = -1;                // Op::leaf: index into Rule::leaves
    std::vector<Condition> children;
    SourcePos pos;
};

// A record prefilter: record.field(field) must equal one of values (case-insensitive).
struct WhereClause {
    std::string field;
    std::vector<std::string> values;
};

// A comparison between rendered templates, checked after the condition holds.
struct Check {
    enum class Op { equals, not_equals, version_lt, version_ge, same_build, different_build, contains };
    Template left;
    Op op = Op::equals;
    Template right;
    SourcePos pos;
};

struct Link {
    std::string title;
    std::string url;
};

struct RuleExample {
    std::string log;
    bool expect_match = true;
    FactList facts;               // expected facts (subset) for match examples
    std::string state;            // a system-state snapshot the example runs with ({state.name} facts)
    SourcePos pos;
};

// One remediation step: its wordings, tried in order. The first whose mandatory facts all have
// values is shown; when none can be, the step is left out (never shown with a gap).
struct RemediationStep {
    std::vector<Template> alternatives;
};

struct Rule {
    std::string id;
    std::string file;             // path of the YAML file
    std::string title;
    std::string description;
    Level severity = Level::error;
    std::vector<std::string> sources;    // parser names whose records this rule reads
    Scope scope = Scope::run;
    std::vector<WhereClause> where;
    std::vector<Leaf> leaves;            // match leaves first, then extractors
    Condition match;
    std::vector<Check> checks;
    FactList static_facts;               // name: template source (`facts:`)
    std::vector<Template> static_fact_templates;   // parallel to static_facts
    FactList default_facts;
    Template message;
    std::vector<RemediationStep> remediation;
    std::vector<Link> links;
    std::vector<std::string> tags;
    bool each_match = false;             // one finding per matching record (deduplicated)
    std::vector<std::string> dedupe_by;  // fact names forming the dedupe key for each_match
    bool fallback = false;               // only reported when no other rule fired in the same scope
    std::vector<RuleExample> examples;
    SourcePos id_pos;

    bool reads(std::string_view parser) const;
};

}  // namespace extriage
