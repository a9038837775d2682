// Strict YAML → Rule conversion and compilation of the rule's regular expressions.
#include "engine/rule_loader.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "platform/files.hpp"
#include "platform/utf8_path.hpp"

namespace extriage {

namespace {

// "rules/x/a-b.yaml" → "a-b" (UTF-8 in, UTF-8 out on every platform).
std::string file_stem(const std::string& path) { return platform::path_to_u8(platform::u8_to_path(path).stem()); }

size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

void check_keys(const YNode& map, std::initializer_list<std::string_view> allowed, std::string_view where) {
    for (const auto& [k, v] : map.entries) {
        if (std::find(allowed.begin(), allowed.end(), k.scalar) != allowed.end()) continue;
        std::string msg = fmt::format("unknown key '{}' in {}", k.scalar, where);
        std::string_view best;
        size_t best_d = 3;
        for (auto a : allowed) {
            size_t d = edit_distance(k.scalar, a);
            if (d < best_d) best_d = d, best = a;
        }
        if (!best.empty()) msg += fmt::format(" (did you mean '{}'?)", best);
        else msg += fmt::format(" (allowed: {})", fmt::join(allowed, ", "));
        throw RuleError(k.pos, msg);
    }
}

const YNode& need(const YNode& map, std::string_view key, std::string_view where) {
    const YNode* n = map.find(key);
    if (!n) throw RuleError(map.pos, fmt::format("missing required key '{}' in {}", key, where));
    return *n;
}

const std::string& scalar(const YNode& n, std::string_view what) {
    if (!n.is_scalar()) throw RuleError(n.pos, fmt::format("{} must be a string, not {}", what, n.kind_name()));
    return n.scalar;
}

bool boolean(const YNode& n, std::string_view what) {
    const std::string& s = scalar(n, what);
    if (s == "true") return true;
    if (s == "false") return false;
    throw RuleError(n.pos, fmt::format("{} must be true or false, not '{}'", what, s));
}

std::vector<std::string> string_list(const YNode& n, std::string_view what) {
    std::vector<std::string> out;
    if (n.is_scalar()) {
        out.push_back(n.scalar);
        return out;
    }
    if (!n.is_seq()) throw RuleError(n.pos, fmt::format("{} must be a string or a list of strings", what));
    for (const auto& item : n.items) out.push_back(scalar(item, what));
    return out;
}

FactList fact_map(const YNode& n, std::string_view what) {
    if (!n.is_map()) throw RuleError(n.pos, fmt::format("{} must be a mapping of name: value", what));
    FactList out;
    for (const auto& [k, v] : n.entries) out.emplace_back(k.scalar, scalar(v, what));
    return out;
}

bool valid_identifier(std::string_view s) {
    if (s.empty() || !(std::islower(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
    });
}

Scope parse_scope(const YNode& n) {
    const std::string& s = scalar(n, "scope");
    if (s == "file") return Scope::file;
    if (s == "run") return Scope::run;
    if (s == "error") return Scope::error;
    throw RuleError(n.pos, fmt::format("scope must be file, run or error, not '{}'", s));
}

// Column of `needle` inside a single-line scalar, to point at a regex error precisely.
SourcePos locate_in_scalar(const YNode& n, std::string_view needle) {
    SourcePos p = n.pos;
    if (needle.empty()) return p;
    size_t at = n.scalar.find(needle);
    if (at == std::string::npos || n.scalar.find('\n') != std::string::npos) return p;
    p.column += static_cast<int>(at) + (n.quoted ? 1 : 0);
    return p;
}

class RuleBuilder {
public:
    RuleBuilder(Rule& rule) : rule_(rule) {}

    int leaf(const YNode& n, bool optional, std::string_view where) {
        Leaf leaf;
        leaf.optional = optional;
        leaf.scope = rule_.scope;
        const YNode* pattern_node = &n;
        if (n.is_map()) {
            // A match pattern may look wider than the rule (e.g. `none:` of a line anywhere in the
            // file); sequence steps share one scope.
            if (optional || where == "a pattern") check_keys(n, {"pattern", "field", "case_sensitive", "pick", "scope"}, where);
            else check_keys(n, {"pattern", "field", "case_sensitive", "pick"}, where);
            pattern_node = &need(n, "pattern", where);
            if (auto* f = n.find("field")) leaf.field = scalar(*f, "field");
            if (auto* c = n.find("case_sensitive")) leaf.case_sensitive = boolean(*c, "case_sensitive");
            if (auto* p = n.find("pick")) {
                const std::string& s = scalar(*p, "pick");
                if (s != "first" && s != "last") throw RuleError(p->pos, "pick must be first or last");
                leaf.pick_first = s == "first";
            }
            if (auto* s = n.find("scope")) leaf.scope = parse_scope(*s);
        } else if (!n.is_scalar()) {
            throw RuleError(n.pos, fmt::format("a pattern must be a string or a mapping with 'pattern', not {}", n.kind_name()));
        }
        leaf.pattern = scalar(*pattern_node, "pattern");
        leaf.pos = pattern_node->pos;
        if (leaf.pattern.empty()) throw RuleError(leaf.pos, "empty pattern");
        compile(leaf, *pattern_node);
        rule_.leaves.push_back(std::move(leaf));
        return static_cast<int>(rule_.leaves.size() - 1);
    }

    Condition condition(const YNode& n, int depth = 0) {
        if (depth > 16) throw RuleError(n.pos, "conditions nest too deeply");
        Condition c;
        c.pos = n.pos;
        if (n.is_scalar() || (n.is_map() && n.find("pattern"))) {
            c.op = Condition::Op::leaf;
            c.leaf = leaf(n, false, "a pattern");
            return c;
        }
        if (!n.is_map() || n.entries.size() != 1)
            throw RuleError(n.pos, "a condition is a pattern string, or a mapping with exactly one of: pattern, all, any, none, not, sequence, without_later");
        // Not a structured binding: lambdas cannot capture those before clang 16.
        const YNode& key = n.entries.front().first;
        const YNode& body = n.entries.front().second;
        const std::string& op = key.scalar;
        auto children = [&](bool leaves_only) {
            if (!body.is_seq() || body.items.empty())
                throw RuleError(body.pos, fmt::format("'{}' takes a non-empty list", op));
            for (const auto& item : body.items) {
                if (leaves_only) {
                    Condition leaf_c;
                    leaf_c.pos = item.pos;
                    leaf_c.leaf = leaf(item, false, "a sequence step");
                    c.children.push_back(std::move(leaf_c));
                } else {
                    c.children.push_back(condition(item, depth + 1));
                }
            }
        };
        if (op == "all") c.op = Condition::Op::all, children(false);
        else if (op == "any") c.op = Condition::Op::any, children(false);
        else if (op == "none") c.op = Condition::Op::none, children(false);
        else if (op == "not") {
            c.op = Condition::Op::none;
            c.children.push_back(condition(body, depth + 1));
        } else if (op == "sequence") {
            c.op = Condition::Op::sequence;
            children(true);
            if (c.children.size() < 2) throw RuleError(body.pos, "'sequence' needs at least two steps");
        } else if (op == "without_later") {
            c.op = Condition::Op::without_later;
            if (!body.is_map()) throw RuleError(body.pos, "'without_later' takes a mapping with 'match' and 'later'");
            check_keys(body, {"match", "later"}, "without_later");
            for (const char* part : {"match", "later"}) {
                Condition leaf_c;
                const YNode& p = need(body, part, "without_later");
                leaf_c.pos = p.pos;
                leaf_c.leaf = leaf(p, false, part);
                c.children.push_back(std::move(leaf_c));
            }
        } else {
            std::string msg = fmt::format("unknown condition '{}'", op);
            throw RuleError(key.pos, msg + " (expected pattern, all, any, none, not, sequence or without_later)");
        }
        return c;
    }

private:
    void compile(Leaf& leaf, const YNode& node) {
        static const std::regex named_group_dotnet(R"(\(\?<[A-Za-z_])");
        if (std::regex_search(leaf.pattern, named_group_dotnet))
            throw RuleError(locate_in_scalar(node, "(?<"),
                            "named groups are written (?P<name>...) in RE2, not (?<name>...)");
        RE2::Options opts;
        opts.set_log_errors(false);
        opts.set_case_sensitive(leaf.case_sensitive);
        opts.set_max_mem(64 << 20);
        leaf.re = std::make_unique<RE2>(leaf.pattern, opts);
        if (!leaf.re->ok()) {
            throw RuleError(locate_in_scalar(node, leaf.re->error_arg()),
                            fmt::format("invalid regular expression: {} near '{}'", leaf.re->error(), leaf.re->error_arg()));
        }
        leaf.capture_names.assign(static_cast<size_t>(leaf.re->NumberOfCapturingGroups()), std::string());
        for (const auto& [name, index] : leaf.re->NamedCapturingGroups()) {
            if (!valid_identifier(name))
                throw RuleError(locate_in_scalar(node, name),
                                fmt::format("capture name '{}' must be lower_snake_case", name));
            leaf.capture_names[static_cast<size_t>(index - 1)] = name;
        }
    }

    Rule& rule_;
};

Level parse_severity(const YNode& n) {
    const std::string& s = scalar(n, "severity");
    if (auto l = parse_level(s); l && *l != Level::trace) return *l;
    throw RuleError(n.pos, fmt::format("severity must be info, warning, error or critical, not '{}'", s));
}

Check::Op parse_check_op(const YNode& n) {
    static const std::pair<const char*, Check::Op> ops[] = {
        {"equals", Check::Op::equals},           {"not_equals", Check::Op::not_equals},
        {"version_lt", Check::Op::version_lt},   {"version_ge", Check::Op::version_ge},
        {"same_build", Check::Op::same_build},   {"different_build", Check::Op::different_build}, {"contains", Check::Op::contains}};
    const std::string& s = scalar(n, "op");
    for (const auto& [name, op] : ops)
        if (s == name) return op;
    throw RuleError(n.pos, fmt::format("unknown check op '{}' (equals, not_equals, version_lt, version_ge, same_build, different_build, contains)", s));
}

Template parse_template(const YNode& n, std::string_view what) {
    const std::string& s = scalar(n, what);
    size_t at = 0;
    try {
        return Template::parse(s, &at);
    } catch (const std::invalid_argument& e) {
        SourcePos p = n.pos;
        if (s.find('\n') == std::string::npos) p.column += static_cast<int>(at) + (n.quoted ? 1 : 0);
        throw RuleError(p, e.what());
    }
}

void collect_leaf_captures(const Rule& rule, std::set<std::string>& names) {
    for (const auto& leaf : rule.leaves)
        for (const auto& n : leaf.capture_names)
            if (!n.empty()) names.insert(n);
}

void validate_placeholders(const Template& t, const std::set<std::string>& known, SourcePos pos) {
    for (const auto& name : t.placeholders()) {
        if (name.starts_with("run.") && name.size() > 4) continue;
        if (name.starts_with("state.") && name.size() > 6) continue;   // joined server state
        if (known.count(name)) continue;
        throw RuleError(pos, fmt::format("unknown placeholder '{{{}}}': not captured by any pattern, not in facts or defaults (run facts are written {{run.name}})", name));
    }
}

// Checks and static facts are whole values: a missing value fails the check or leaves the fact
// out, so optional sections have no meaning there.
Template parse_check_template(const YNode& n, std::string_view what) {
    Template t = parse_template(n, what);
    if (t.has_sections())
        throw RuleError(n.pos, fmt::format("'{}' is a whole value: optional sections '[[ ... ]]' are for message and remediation", what));
    return t;
}

// A step is a template, or {one_of: [template, ...]}: the first wording whose facts are all there.
RemediationStep parse_step(const YNode& n, const std::set<std::string>& known) {
    RemediationStep step;
    const YNode* list = nullptr;
    if (n.is_map()) {
        check_keys(n, {"one_of"}, "a remediation step");
        list = &need(n, "one_of", "a remediation step");
        if (!list->is_seq() || list->items.empty())
            throw RuleError(list->pos, "one_of is a list of wordings for the step, tried in order");
    }
    if (!list) {
        step.alternatives.push_back(parse_template(n, "remediation step"));
        validate_placeholders(step.alternatives.back(), known, n.pos);
        return step;
    }
    for (const auto& item : list->items) {
        step.alternatives.push_back(parse_template(item, "remediation step"));
        validate_placeholders(step.alternatives.back(), known, item.pos);
    }
    return step;
}

RuleExample parse_example(const YNode& n, bool expect_match) {
    RuleExample ex;
    ex.expect_match = expect_match;
    ex.pos = n.pos;
    if (n.is_scalar()) {
        ex.log = n.scalar;
        return ex;
    }
    if (!n.is_map()) throw RuleError(n.pos, "an example is a log text, or a mapping with 'log' and 'facts'");
    check_keys(n, {"log", "facts", "state"}, "an example");
    ex.log = scalar(need(n, "log", "an example"), "log");
    if (auto* st = n.find("state")) ex.state = scalar(*st, "state");
    if (auto* f = n.find("facts")) {
        if (!expect_match) throw RuleError(f->pos, "no_match examples cannot expect facts");
        ex.facts = fact_map(*f, "facts");
    }
    return ex;
}

}  // namespace

std::string_view scope_name(Scope s) {
    switch (s) {
        case Scope::file: return "file";
        case Scope::run: return "run";
        case Scope::error: return "error";
    }
    return "?";
}

bool Rule::reads(std::string_view parser) const {
    return std::find(sources.begin(), sources.end(), parser) != sources.end();
}

std::unique_ptr<Rule> parse_rule(const std::string& yaml_text, const std::string& file_path) {
    YNode root = parse_yaml_strict(yaml_text);
    if (!root.is_map()) throw RuleError(root.pos, "a rule file must be a mapping of keys");
    check_keys(root, {"id", "title", "description", "severity", "source", "scope", "where", "match", "extract",
                      "checks", "facts", "defaults", "message", "remediation", "links", "tags", "each_match",
                      "dedupe_by", "fallback", "examples"},
               "a rule");
    auto rule = std::make_unique<Rule>();
    Rule& r = *rule;
    r.file = file_path;

    const YNode& id = need(root, "id", "a rule");
    r.id = scalar(id, "id");
    r.id_pos = id.pos;
    static const std::regex id_shape("[a-z0-9]+(-[a-z0-9]+)*");
    if (!std::regex_match(r.id, id_shape)) throw RuleError(id.pos, fmt::format("rule id '{}' must be kebab-case", r.id));
    std::string stem = file_stem(file_path);
    if (!file_path.empty() && stem != r.id)
        throw RuleError(id.pos, fmt::format("rule id '{}' must equal the file name '{}'", r.id, stem));

    r.title = scalar(need(root, "title", "a rule"), "title");
    if (auto* d = root.find("description")) r.description = scalar(*d, "description");
    r.severity = parse_severity(need(root, "severity", "a rule"));
    r.sources = string_list(need(root, "source", "a rule"), "source");
    if (auto* s = root.find("scope")) r.scope = parse_scope(*s);
    if (auto* w = root.find("where")) {
        if (!w->is_map()) throw RuleError(w->pos, "where must be a mapping of field: value (or a list of values)");
        for (const auto& [k, v] : w->entries) r.where.push_back({k.scalar, string_list(v, "where value")});
    }

    RuleBuilder builder(r);
    r.match = builder.condition(need(root, "match", "a rule"));
    if (auto* e = root.find("extract")) {
        if (!e->is_seq()) throw RuleError(e->pos, "extract must be a list of patterns");
        for (const auto& item : e->items) {
            int index = builder.leaf(item, true, "an extract pattern");
            if (std::all_of(r.leaves[index].capture_names.begin(), r.leaves[index].capture_names.end(),
                            [](const std::string& s) { return s.empty(); }))
                throw RuleError(item.pos, "an extract pattern must have at least one named group (?P<name>...)");
        }
    }
    if (auto* f = root.find("facts")) r.static_facts = fact_map(*f, "facts");
    if (auto* d = root.find("defaults")) r.default_facts = fact_map(*d, "defaults");

    std::set<std::string> known;
    collect_leaf_captures(r, known);
    for (const auto& [k, v] : r.static_facts) {
        if (known.count(k)) throw RuleError(root.find("facts")->pos, fmt::format("fact '{}' is both captured and static", k));
        known.insert(k);
    }
    for (const auto& [k, v] : r.default_facts) known.insert(k);
    known.insert("file");
    // A static fact may be built from other facts, e.g. '{run.install_path}\Bin\Search'.
    if (auto* f = root.find("facts")) {
        for (const auto& [k, v] : f->entries) {
            r.static_fact_templates.push_back(parse_check_template(v, k.scalar));
            validate_placeholders(r.static_fact_templates.back(), known, v.pos);
        }
    }

    const YNode& msg = need(root, "message", "a rule");
    r.message = parse_template(msg, "message");
    validate_placeholders(r.message, known, msg.pos);
    if (auto* rem = root.find("remediation")) {
        if (!rem->is_seq()) throw RuleError(rem->pos, "remediation must be a list of steps");
        for (const auto& step : rem->items) r.remediation.push_back(parse_step(step, known));
    }
    if (r.severity >= Level::warning && r.remediation.empty())
        throw RuleError(root.pos, "rules of severity warning or above need remediation steps");
    if (auto* c = root.find("checks")) {
        if (!c->is_seq()) throw RuleError(c->pos, "checks must be a list");
        for (const auto& item : c->items) {
            if (!item.is_map()) throw RuleError(item.pos, "a check is a mapping with left, op and right");
            check_keys(item, {"left", "op", "right"}, "a check");
            Check chk;
            chk.pos = item.pos;
            chk.left = parse_check_template(need(item, "left", "a check"), "left");
            chk.op = parse_check_op(need(item, "op", "a check"));
            chk.right = parse_check_template(need(item, "right", "a check"), "right");
            validate_placeholders(chk.left, known, item.pos);
            validate_placeholders(chk.right, known, item.pos);
            r.checks.push_back(std::move(chk));
        }
    }
    if (auto* l = root.find("links")) {
        if (!l->is_seq()) throw RuleError(l->pos, "links must be a list of {title, url}");
        for (const auto& item : l->items) {
            if (!item.is_map()) throw RuleError(item.pos, "a link is a mapping with title and url");
            check_keys(item, {"title", "url"}, "a link");
            Link link{scalar(need(item, "title", "a link"), "title"), scalar(need(item, "url", "a link"), "url")};
            if (!link.url.starts_with("https://") && !link.url.starts_with("http://"))
                throw RuleError(item.find("url")->pos, "link urls must start with https://");
            r.links.push_back(std::move(link));
        }
    }
    if (auto* t = root.find("tags")) r.tags = string_list(*t, "tags");
    if (auto* e = root.find("each_match")) r.each_match = boolean(*e, "each_match");
    if (auto* d = root.find("dedupe_by")) {
        r.dedupe_by = string_list(*d, "dedupe_by");
        for (const auto& name : r.dedupe_by)
            if (!known.count(name)) throw RuleError(d->pos, fmt::format("dedupe_by names '{}', which is not a fact of this rule", name));
        if (!r.each_match) throw RuleError(d->pos, "dedupe_by only applies to each_match rules");
    }
    if (auto* f = root.find("fallback")) r.fallback = boolean(*f, "fallback");
    if (r.each_match) {
        std::function<void(const Condition&)> record_level = [&](const Condition& c) {
            if (c.op == Condition::Op::sequence || c.op == Condition::Op::without_later)
                throw RuleError(c.pos, "each_match rules match single records: sequence and without_later are not allowed");
            for (const auto& child : c.children) record_level(child);
        };
        record_level(r.match);
        for (const auto& leaf : r.leaves)
            if (!leaf.optional && leaf.scope != r.scope)
                throw RuleError(leaf.pos, "each_match rules match single records: their patterns take the rule's scope");
        if (r.match.op == Condition::Op::none) throw RuleError(r.match.pos, "an each_match rule cannot match on absence alone");
    }

    const YNode& ex = need(root, "examples", "a rule");
    if (!ex.is_map()) throw RuleError(ex.pos, "examples must be a mapping with 'match' and 'no_match' lists");
    check_keys(ex, {"match", "no_match"}, "examples");
    for (const char* kind : {"match", "no_match"}) {
        const YNode* list = ex.find(kind);
        if (!list) continue;
        if (!list->is_seq()) throw RuleError(list->pos, fmt::format("examples.{} must be a list", kind));
        for (const auto& item : list->items) r.examples.push_back(parse_example(item, std::string_view(kind) == "match"));
    }
    if (std::none_of(r.examples.begin(), r.examples.end(), [](const RuleExample& e) { return e.expect_match; }))
        throw RuleError(ex.pos, "a rule needs at least one example under examples.match");
    return rule;
}

std::vector<std::unique_ptr<Rule>> load_rules(const std::vector<std::string>& paths, DiagSink& diags) {
    std::vector<std::string> files;
    for (const auto& p : paths) {
        std::error_code ec;
        auto kind = platform::file_kind(p, ec);
        if (kind == platform::FileKind::directory) {
            for (auto& f : platform::walk_files(p, ec)) {
                auto ext = platform::u8_to_path(f).extension();
                if (ext == ".yaml" || ext == ".yml") files.push_back(std::move(f));
            }
            if (ec) diags.error_at_line(p, 0, fmt::format("cannot list rules: {}", ec.message()), "rules");
        } else if (kind != platform::FileKind::missing) {
            files.push_back(p);
        } else {
            diags.error_at_line(p, 0, "rules path does not exist", "rules");
        }
    }
    std::sort(files.begin(), files.end());
    std::vector<RuleText> texts;
    for (const auto& file : files) {
        std::error_code ec;
        auto text = platform::read_file(file, ec);
        if (!text) {
            diags.error_at_line(file, 0, "cannot read rule file", "rules");
            continue;
        }
        texts.push_back({file, std::move(*text)});
    }
    return load_rule_texts(texts, diags);
}

std::vector<std::unique_ptr<Rule>> load_rule_texts(const std::vector<RuleText>& texts, DiagSink& diags) {
    std::vector<std::unique_ptr<Rule>> rules;
    std::map<std::string, std::string> seen_ids;
    for (const auto& [file, text] : texts) {
        try {
            auto rule = parse_rule(text, file);
            if (auto [it, inserted] = seen_ids.emplace(rule->id, file); !inserted) {
                diags.report({DiagSeverity::error, file, static_cast<uint64_t>(rule->id_pos.line),
                              static_cast<uint64_t>(rule->id_pos.column), 0, false,
                              fmt::format("duplicate rule id (also in {})", it->second), rule->id});
                continue;
            }
            rules.push_back(std::move(rule));
        } catch (const RuleError& e) {
            diags.report({DiagSeverity::error, file, static_cast<uint64_t>(std::max(e.pos.line, 1)),
                          static_cast<uint64_t>(std::max(e.pos.column, 1)), 0, false, e.what(), file_stem(file)});
        }
    }
    return rules;
}

}  // namespace extriage
