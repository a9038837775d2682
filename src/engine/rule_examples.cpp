// Example checking for rules.
#include "engine/rule_examples.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "byte_source.hpp"
#include "engine/state_facts.hpp"
#include "parser.hpp"

namespace extriage {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string describe_facts(const Finding& f) {
    std::string s;
    for (const auto& [k, v] : f.facts) s += fmt::format("{}{}='{}'", s.empty() ? "" : ", ", k, v);
    return s.empty() ? "no facts" : s;
}

// The engine's warning when the rule's message needed a fact the finding lacked (engine.cpp).
std::optional<std::string> incomplete_message(const Rule& rule, const DiagSink& diags) {
    for (const auto& d : diags.snapshot())
        if (d.origin == rule.id && d.path == rule.file && d.severity == DiagSeverity::warning) return d.message;
    return std::nullopt;
}

}  // namespace

std::vector<ExampleResult> check_rule_examples(const RuleSet& rules, int rule_index) {
    const Rule& rule = *rules.rules()[static_cast<size_t>(rule_index)];
    std::vector<ExampleResult> results;
    const Parser* parser = nullptr;
    for (const auto& s : rule.sources)
        if ((parser = find_parser(s))) break;
    for (size_t i = 0; i < rule.examples.size(); ++i) {
        const RuleExample& ex = rule.examples[i];
        ExampleResult r{rule_index, i, false, {}};
        if (!parser) {
            r.problem = fmt::format("no parser named '{}'", fmt::join(rule.sources, "' or '"));
            results.push_back(r);
            continue;
        }
        DiagSink diags;
        EngineOptions options{rule_index};
        if (!ex.state.empty()) {
            // A join example: the snapshot's facts, as analyze would gather them.
            StateFactCollector state;
            MemorySource state_src(ex.state);
            if (const Parser* sp = find_parser("system-state")) sp->parse(state_src, "<example state>", state, diags);
            options.state_facts = state.facts();
        }
        Engine engine(rules, diags, options);
        MemorySource src(ex.log);
        parser->parse(src, "<example>", engine, diags);
        std::vector<const Finding*> hits;
        for (const auto& f : engine.findings())
            if (f.rule_id == rule.id && f.latest) hits.push_back(&f);
        if (!ex.expect_match) {
            r.passed = hits.empty();
            if (!r.passed) r.problem = fmt::format("no_match example produced a finding: {}", hits.front()->message);
        } else if (hits.empty()) {
            r.problem = "match example produced no finding";
        } else if (auto gap = incomplete_message(rule, diags)) {
            r.problem = *gap;
        } else {
            for (const Finding* f : hits) {
                bool all = std::all_of(ex.facts.begin(), ex.facts.end(), [&](const auto& kv) {
                    const std::string* v = f->fact(kv.first);
                    if (kv.second.empty()) return v == nullptr;   // '' expects the fact to be absent
                    return v && iequals(*v, kv.second);
                });
                if (all) r.passed = true;
            }
            if (!r.passed) {
                std::string want;
                for (const auto& [k, v] : ex.facts) want += fmt::format("{}{}='{}'", want.empty() ? "" : ", ", k, v);
                r.problem = fmt::format("expected facts {} but the finding has {}", want, describe_facts(*hits.front()));
            }
        }
        results.push_back(r);
    }
    return results;
}

std::pair<size_t, size_t> check_all_examples(const RuleSet& rules, DiagSink& diags) {
    size_t passed = 0, failed = 0;
    for (size_t i = 0; i < rules.rules().size(); ++i) {
        const Rule& rule = *rules.rules()[i];
        for (const auto& r : check_rule_examples(rules, static_cast<int>(i))) {
            if (r.passed) {
                ++passed;
                continue;
            }
            ++failed;
            const RuleExample& ex = rule.examples[r.example];
            diags.report({DiagSeverity::error, rule.file, static_cast<uint64_t>(ex.pos.line),
                          static_cast<uint64_t>(ex.pos.column), 0, false,
                          fmt::format("example {} ({}): {}", r.example + 1, ex.expect_match ? "match" : "no_match", r.problem),
                          rule.id});
        }
    }
    return {passed, failed};
}

}  // namespace extriage
