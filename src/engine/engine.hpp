// The matching engine: a RuleSet compiles every rule's patterns into one RE2::Set per
// (parser, field); an Engine is a RecordSink that makes a single pass over the records,
// keeps small per-leaf states for the current run and file, and turns them into Findings
// when a run or file ends. Memory depends on the rules, not on the input size.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <re2/set.h>

#include "diagnostics.hpp"
#include "engine/finding.hpp"
#include "engine/needle_set.hpp"
#include "engine/rule.hpp"
#include "record.hpp"

namespace extriage {

// What the RE2::Set of one field group found in one record (RuleSet::prematch). It depends only
// on the record's text, so it can be worked out ahead of the engine, on another thread.
struct GroupMatch {
    enum class Kind : uint8_t {
        skipped,      // the record lacks the field, or holds none of the group's needles
        matched,      // hits[first, first + count) are the Set indexes that match (sorted)
        unverified,   // no usable set (not built, or out of memory): every leaf is a candidate
    };
    Kind kind = Kind::skipped;
    bool set_failed = false;   // the set ran out of memory on this value (worth a warning)
    uint32_t count = 0;
    size_t first = 0;
};

class RuleSet {
public:
    explicit RuleSet(std::vector<std::unique_ptr<Rule>> rules);
    RuleSet(const RuleSet&) = delete;
    RuleSet& operator=(const RuleSet&) = delete;

    const std::vector<std::unique_ptr<Rule>>& rules() const { return rules_; }
    const Rule* find(std::string_view id) const;

    struct LeafRef {
        int rule = 0;
        int leaf = 0;
    };
    // All leaves reading one field of one parser's records, prefiltered by one RE2::Set.
    struct FieldGroup {
        std::string field;
        std::unique_ptr<RE2::Set> set;     // null when the set could not be built: match leaves one by one
        std::vector<LeafRef> leaves;       // Set index -> leaf
        // For small groups: lowercase ASCII literals, one of which every match must contain
        // (engine.cpp, required_needles). Empty: every value goes to the set.
        NeedleSet needles;
    };
    const std::vector<FieldGroup>* groups_for(std::string_view parser) const;

    // The last parser's groups, kept by the caller: records come in long runs of one parser, so
    // the map lookup is done once per run, not per record.
    struct GroupsCache {
        std::string parser;                               // the parser `groups` belongs to
        const std::vector<FieldGroup>* groups = nullptr;
    };
    const std::vector<FieldGroup>* groups_for(std::string_view parser, GroupsCache& cache) const;

    // Caller-owned scratch for prematch, so that one RuleSet serves several threads.
    struct PrematchScratch {
        GroupsCache groups;
        std::vector<int> set_hits;
    };
    // Appends one GroupMatch per field group of the record's parser (in groups_for order) and
    // their Set indexes to `hits`. Const and thread-safe.
    void prematch(const Record& rec, std::vector<GroupMatch>& groups, std::vector<int>& hits,
                  PrematchScratch& scratch) const;

private:
    std::vector<std::unique_ptr<Rule>> rules_;
    std::map<std::string, std::vector<FieldGroup>, std::less<>> by_parser_;
};

struct EngineOptions {
    int only_rule = -1;            // evaluate just this rule index (rule examples)
    FactList state_facts;          // the server's state, as {state.name} (engine/state_facts.hpp)
    std::vector<std::string> state_scope;   // path prefixes the state applies to; empty: every file
};

class Engine final : public RecordSink {
public:
    Engine(const RuleSet& rules, DiagSink& diags, EngineOptions options = {});
    ~Engine() override;

    void on_file_begin(std::string_view path, std::string_view parser) override;
    void on_record(const Record& record) override;
    void on_segment_end(const Segment& segment) override;
    void on_file_end(std::string_view path) override;
    // on_record() for a record whose set matches were worked out ahead (RuleSet::prematch):
    // `groups` are its GroupMatches, whose ranges index `hits`.
    void on_prematched_record(const Record& record, std::span<const GroupMatch> groups, std::span<const int> hits);

    std::vector<Finding>& findings() { return findings_; }
    std::vector<Segment>& segments() { return segments_; }
    uint64_t records_seen() const { return records_; }

private:
    void count_record(const Record& record);
    void drop_old_runs(size_t keep);   // of the current file, with their findings

    struct ScopeState;
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::vector<Finding> findings_;
    std::vector<Segment> segments_;
    uint64_t records_ = 0;
};

}  // namespace extriage
