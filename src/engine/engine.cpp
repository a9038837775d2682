// Single-pass rule evaluation. Per record: one RE2::Set match per (parser, field) finds the
// candidate leaves, the rule's `where` prefilter and scope gate are checked, and only then
// the leaf's own RE2 runs to get captures and the match position. Conditions are evaluated
// from the leaf states when a run (segment) or the file ends.
#include "engine/engine.hpp"
#include "engine/state_facts.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <functional>
#include <set>

#include <fmt/format.h>
#include <re2/filtered_re2.h>

namespace extriage {

namespace {

constexpr size_t kEvidenceClip = 400;
constexpr size_t kRecordTextClip = 4096;   // Evidence::record_text: enough for the exception and codes of a record
constexpr size_t kMaxEachMatchFindings = 200;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// Writes s, clipped, into out (reusing its buffer).
void clip_into(std::string_view s, std::string& out) {
    if (s.size() <= kEvidenceClip) {
        out.assign(s);
        return;
    }
    size_t cut = kEvidenceClip;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
    out.assign(s.substr(0, cut));
    out += "…";
}

// Keeps the record's text for Evidence::record_text when the evidence line does not show all of
// it (continuation lines, a clipped line, an event's XML), clipped with UTF-8 kept whole.
void record_text_into(const Record& rec, std::string& out) {
    if (rec.line_count <= 1 && rec.raw.size() <= kEvidenceClip) {
        out.clear();
        return;
    }
    size_t cut = std::min(rec.text.size(), kRecordTextClip);
    while (cut > 0 && cut < rec.text.size() && (static_cast<unsigned char>(rec.text[cut]) & 0xC0) == 0x80) --cut;
    out.assign(rec.text.substr(0, cut));
}

// A capture can be a whole 16 MiB line, and a message repeats its facts: both are capped, with
// the full length stated, so one record cannot blow up every report that shows the finding.
constexpr size_t kMaxFactBytes = 4096;
constexpr size_t kMaxMessageBytes = 16384;

void cap_text(std::string& s, size_t max) {
    if (s.size() <= max) return;
    const size_t total = s.size();
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;   // keep UTF-8 whole
    s.resize(cut);
    s += fmt::format("… ({} bytes in all)", total);
}

// Parses "15.2.1118.20" into numbers; missing parts are 0. False if not a version.
bool parse_version(std::string_view s, std::array<long, 4>& out) {
    out = {0, 0, 0, 0};
    size_t part = 0;
    const char* p = s.data();
    const char* end = s.data() + s.size();
    if (p == end) return false;
    while (p < end && part < 4) {
        auto [next, ec] = std::from_chars(p, end, out[part]);
        if (ec != std::errc()) return false;
        ++part;
        p = next;
        if (p < end && *p == '.') ++p;
        else break;
    }
    return p == end;
}

bool check_holds(Check::Op op, const std::string& left, const std::string& right) {
    std::array<long, 4> a{}, b{};
    switch (op) {
        case Check::Op::equals: return iequals(left, right);
        case Check::Op::not_equals: return !iequals(left, right);
        case Check::Op::version_lt: return parse_version(left, a) && parse_version(right, b) && a < b;
        case Check::Op::version_ge: return parse_version(left, a) && parse_version(right, b) && a >= b;
        case Check::Op::same_build:
            return parse_version(left, a) && parse_version(right, b) && a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
        case Check::Op::contains: return list_contains(left, right);
        case Check::Op::different_build:
            return parse_version(left, a) && parse_version(right, b) && !(a[0] == b[0] && a[1] == b[1] && a[2] == b[2]);
    }
    return false;
}

struct Hit {
    uint64_t seq = 0;
    FactList captures;
    Evidence evidence;
};

// The last hit of a pick-last leaf with captures, kept as a copy of the record's text until the
// scope ends: a later hit would replace it, so its captures are extracted once, not per hit.
struct DeferredHit {
    bool pending = false;
    uint64_t seq = 0;
    std::string value, raw, path, record_text;
    uint64_t line = 0, offset = 0;
    int64_t time_ms = kNoTime;
    bool time_is_utc = false;
};

struct LeafState {
    bool hit = false;
    uint64_t first_seq = 0;
    uint64_t last_seq = 0;
    Hit picked;
    DeferredHit deferred;
};

struct SequenceState {
    size_t next = 0;
    std::vector<Hit> steps;
};

struct PendingEach {
    FactList facts;
    std::vector<Evidence> evidence;
    uint64_t count = 0;
};

constexpr size_t kMaxNeedles = 8;

// For a group of patterns, one literal per pattern that every match of it must contain
// (lowercased, as RE2's FilteredRE2 computes them), or nothing when some pattern has no such
// literal, a literal is not ASCII, or there would be more than kMaxNeedles: then the set runs on
// every value. A value that contains none of the needles cannot match any pattern of the group,
// so it skips the set and its per-call cost (on a big setup log, the four patterns that read the
// raw `line` cost ~15% of the run although nearly no line matches them).
std::vector<std::string> required_needles(const std::vector<std::pair<std::string, bool>>& patterns) {
    std::vector<std::string> needles;
    for (const auto& [pattern, case_sensitive] : patterns) {
        re2::FilteredRE2 filter(3);
        RE2::Options opts;
        opts.set_log_errors(false);
        opts.set_case_sensitive(case_sensitive);
        int id = 0;
        if (filter.Add(pattern, opts, &id) != RE2::NoError) return {};
        std::vector<std::string> atoms;
        filter.Compile(&atoms);
        // An atom is required when the pattern is impossible without it (the prefilter tree is
        // monotone, so "all other atoms present" is the strongest test). Take the longest one.
        std::vector<int> all(atoms.size()), potential;
        for (size_t i = 0; i < atoms.size(); ++i) all[i] = static_cast<int>(i);
        std::string best;
        for (size_t i = 0; i < atoms.size(); ++i) {
            std::vector<int> others;
            for (size_t j = 0; j < atoms.size(); ++j)
                if (j != i) others.push_back(static_cast<int>(j));
            filter.AllPotentials(others, &potential);
            if (potential.empty() && atoms[i].size() > best.size()) best = atoms[i];
        }
        if (best.empty()) return {};
        for (char c : best)
            if (static_cast<unsigned char>(c) >= 0x80) return {};
        if (std::find(needles.begin(), needles.end(), best) == needles.end()) needles.push_back(best);
        if (needles.size() > kMaxNeedles) return {};
    }
    return needles;
}

}  // namespace

struct Engine::ScopeState {
    std::vector<std::vector<LeafState>> leaves;                 // [rule][leaf]
    std::vector<std::map<const Condition*, SequenceState>> sequences;
    std::vector<std::map<std::string, PendingEach>> each;       // [rule] dedupe key -> finding
    bool touched = false;
    // Rules whose state changed since the last reset: a log with a million short setup runs
    // resets the run state a million times, and most runs touch few of the rules.
    std::vector<int> dirty;
    std::vector<char> is_dirty;

    void mark(int rule) {
        touched = true;
        if (!is_dirty[static_cast<size_t>(rule)]) {
            is_dirty[static_cast<size_t>(rule)] = 1;
            dirty.push_back(rule);
        }
    }

    void reset(const RuleSet& rs) {
        if (leaves.size() != rs.rules().size()) {
            leaves.assign(rs.rules().size(), {});
            sequences.assign(rs.rules().size(), {});
            each.assign(rs.rules().size(), {});
            is_dirty.assign(rs.rules().size(), 0);
            for (size_t i = 0; i < rs.rules().size(); ++i) leaves[i].resize(rs.rules()[i]->leaves.size());
        } else {
            for (int r : dirty) {
                const auto i = static_cast<size_t>(r);
                for (LeafState& ls : leaves[i]) ls = LeafState{};
                sequences[i].clear();
                each[i].clear();
                is_dirty[i] = 0;
            }
        }
        dirty.clear();
        touched = false;
    }
};

struct Engine::Impl {
    const RuleSet& rules;
    DiagSink& diags;
    mutable std::set<int> warned_incomplete;   // rules whose message lacked a fact (warned once)
    EngineOptions options;
    ScopeState file_state;
    ScopeState run_state;
    std::string path;
    std::string parser;
    uint64_t seq = 0;
    bool error_seen = false;          // the current run has reached its first error-level record
    int current_segment = -1;
    int max_segment = -1;
    size_t file_first_finding = 0;
    size_t file_first_segment = 0;
    uint64_t runs_in_file = 0, runs_dropped = 0;
    FactList last_run_facts;
    bool oom_reported = false;
    bool in_file = false;             // between on_file_begin and on_file_end
    // Per rule: for every leaf that is a sequence step, the owning sequence and its position.
    std::vector<std::vector<std::pair<const Condition*, size_t>>> sequence_steps;
    // Look-back extractors (`scope: file` in a run or error rule) are tracked per run like the
    // rule's own leaves. `looked_back` keeps, per rule, their states from the latest finished run
    // in which any of them matched; a run where none matched borrows those (README, "Extractor
    // scopes"). So a finding's facts come from one run, never from a later one.
    ScopeState looked_back;
    std::vector<char> looked_back_set;      // [rule]: looked_back holds a run's states
    std::vector<char> has_look_back;        // [rule]: the rule has look-back extractors

    static bool looks_back(const Rule& rule, const Leaf& leaf) {
        return leaf.optional && leaf.scope == Scope::file && rule.scope != Scope::file;
    }

    // Per rule: whether its condition holds when none of its leaves has a hit (a `none` of leaves).
    // Other rules cannot fire in a scope where they have no state, and are not evaluated there.
    std::vector<char> holds_without_hits;

    static bool holds_when_empty(const Condition& c) {
        switch (c.op) {
            case Condition::Op::all:
                return std::all_of(c.children.begin(), c.children.end(), [](const Condition& x) { return holds_when_empty(x); });
            case Condition::Op::any:
                return std::any_of(c.children.begin(), c.children.end(), [](const Condition& x) { return holds_when_empty(x); });
            case Condition::Op::none:
                return std::none_of(c.children.begin(), c.children.end(), [](const Condition& x) { return holds_when_empty(x); });
            default:
                return false;   // a leaf, a sequence or without_later needs a hit
        }
    }

    Impl(const RuleSet& r, DiagSink& d, EngineOptions o) : rules(r), diags(d), options(o) {
        file_state.reset(rules);
        run_state.reset(rules);
        reset_look_back();
        has_look_back.assign(rules.rules().size(), 0);
        sequence_steps.resize(rules.rules().size());
        for (size_t i = 0; i < rules.rules().size(); ++i) {
            const Rule& rule = *rules.rules()[i];
            for (const Leaf& leaf : rule.leaves)
                if (looks_back(rule, leaf)) has_look_back[i] = 1;
            sequence_steps[i].assign(rule.leaves.size(), {nullptr, 0});
            std::function<void(const Condition&)> walk = [&](const Condition& c) {
                if (c.op == Condition::Op::sequence)
                    for (size_t k = 0; k < c.children.size(); ++k)
                        sequence_steps[i][static_cast<size_t>(c.children[k].leaf)] = {&c, k};
                for (const auto& child : c.children) walk(child);
            };
            walk(rule.match);
            holds_without_hits.push_back(holds_when_empty(rule.match));
        }
    }

    bool rule_active(int rule_index) const { return options.only_rule < 0 || options.only_rule == rule_index; }

    static bool where_ok(const Rule& rule, const Record& rec) {
        for (const auto& w : rule.where) {
            std::string_view v = rec.field(w.field);
            if (std::none_of(w.values.begin(), w.values.end(), [&](const std::string& x) { return iequals(x, v); }))
                return false;
        }
        return true;
    }

    // Runs the leaf's own regex for captures and the physical line of the match. Callers only
    // pass leaves known to match `value` (the set said so, or PartialMatch did), so when there is
    // nothing to capture and the value is one line the regex is not run again: on big logs most
    // hits are capture-less leaves, and this second match cost ~15% of a run on a big log.
    // `out` is reused across hits (its strings keep their capacity).
    static bool wants_captures(const Leaf& leaf) {
        return std::any_of(leaf.capture_names.begin(), leaf.capture_names.end(), [](const std::string& n) { return !n.empty(); });
    }
    static bool wants_position(const Leaf& leaf, const Record& rec, std::string_view value) {
        return leaf.field == "text" && rec.line > 0 && value.find('\n') != std::string_view::npos;
    }
    // Whether extract() has to run the leaf's regex (else it only copies the record's line).
    static bool needs_regex(const Leaf& leaf, const Record& rec, std::string_view value) {
        return wants_captures(leaf) || wants_position(leaf, rec, value);
    }

    bool extract(const Leaf& leaf, const Record& rec, std::string_view value, Hit& out) {
        const int groups = leaf.re->NumberOfCapturingGroups();
        const bool want_captures = wants_captures(leaf);
        const bool want_position = wants_position(leaf, rec, value);
        sub_.assign(static_cast<size_t>(groups) + 1, re2::StringPiece());
        if (want_captures || want_position) {
            if (!leaf.re->Match(value, 0, value.size(), RE2::UNANCHORED, sub_.data(), groups + 1)) return false;
        }
        out.seq = seq;
        size_t n = 0;
        for (int g = 1; g <= groups && want_captures; ++g) {
            const std::string& name = leaf.capture_names[static_cast<size_t>(g - 1)];
            const re2::StringPiece& sp = sub_[static_cast<size_t>(g)];
            if (name.empty() || sp.data() == nullptr) continue;
            if (n == out.captures.size()) out.captures.emplace_back();
            out.captures[n].first.assign(name);
            out.captures[n].second.assign(sp.data(), sp.size());
            ++n;
        }
        out.captures.resize(n);
        out.evidence.path.assign(rec.path);
        out.evidence.offset = rec.offset;
        out.evidence.line = rec.line;
        out.evidence.time_ms = rec.time_ms, out.evidence.time_is_utc = rec.time_is_utc;
        std::string_view line_text = rec.raw;
        if (want_position) {
            const std::vector<re2::StringPiece>& sub = sub_;
            // Point at the physical line that matched: continuation lines follow the first one.
            size_t match_at = static_cast<size_t>(sub[0].data() - value.data());
            size_t newlines = static_cast<size_t>(std::count(value.begin(), value.begin() + static_cast<long>(match_at), '\n'));
            if (newlines > 0) {
                size_t start = value.rfind('\n', match_at == 0 ? 0 : match_at - 1) + 1;
                size_t end = value.find('\n', match_at);
                line_text = value.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
                out.evidence.line = rec.line + newlines;
            }
        }
        clip_into(line_text, out.evidence.text);
        record_text_into(rec, out.evidence.record_text);
        return true;
    }

    void on_leaf_hit(int rule_index, int leaf_index, const Record& rec, std::string_view value) {
        const Rule& rule = *rules.rules()[static_cast<size_t>(rule_index)];
        const Leaf& leaf = rule.leaves[static_cast<size_t>(leaf_index)];
        if (leaf.scope == Scope::error && !error_seen) return;
        ScopeState& st = tracking_state(rule, leaf);
        st.mark(rule_index);
        LeafState& ls = st.leaves[static_cast<size_t>(rule_index)][static_cast<size_t>(leaf_index)];
        const bool want = !ls.hit || !leaf.pick_first;
        auto [seq_cond, step] = sequence_steps[static_cast<size_t>(rule_index)][static_cast<size_t>(leaf_index)];
        SequenceState* sq = nullptr;
        if (seq_cond) {
            sq = &st.sequences[static_cast<size_t>(rule_index)][seq_cond];
            if (sq->steps.size() < seq_cond->children.size()) sq->steps.resize(seq_cond->children.size());
            bool advances = sq->next == step && (step == 0 || sq->steps[step - 1].seq < seq);
            if (!advances && !want) return;
            Hit hit;
            if (!extract(leaf, rec, value, hit)) return;
            if (advances) {
                sq->steps[step] = hit;
                ++sq->next;
            }
            record_hit(ls, std::move(hit), want);
            return;
        }
        if (!want) {
            ls.last_seq = seq;
            return;
        }
        if (!leaf.pick_first && needs_regex(leaf, rec, value)) {
            // The set matched this leaf, so it is a hit; what it captures is worked out at the end.
            DeferredHit& d = ls.deferred;
            d.pending = true;
            d.seq = seq;
            d.value.assign(value);
            d.raw.assign(rec.raw);
            d.path.assign(rec.path);
            record_text_into(rec, d.record_text);
            d.line = rec.line;
            d.offset = rec.offset;
            d.time_ms = rec.time_ms;
            d.time_is_utc = rec.time_is_utc;
            if (!ls.hit) ls.first_seq = seq;
            ls.last_seq = seq;
            ls.hit = true;
            return;
        }
        if (!extract(leaf, rec, value, scratch_hit_)) return;
        ls.deferred.pending = false;   // this hit replaces a deferred one
        // Swap rather than move: the old pick's buffers are reused by the next extraction.
        if (!ls.hit) ls.first_seq = scratch_hit_.seq;
        ls.last_seq = scratch_hit_.seq;
        ls.hit = true;
        std::swap(ls.picked, scratch_hit_);
    }

    void record_hit(LeafState& ls, Hit hit, bool want) {
        if (!ls.hit) ls.first_seq = hit.seq;
        ls.last_seq = hit.seq;
        ls.hit = true;
        if (want) ls.picked = std::move(hit);
    }

    // Each-match rules decide on the single record: `hits` holds the leaves that matched it.
    void on_each_match(int rule_index, const Record& rec, const std::vector<int>& hits) {
        const Rule& rule = *rules.rules()[static_cast<size_t>(rule_index)];
        ScopeState& st = rule.scope == Scope::file ? file_state : run_state;
        if (rule.scope == Scope::error && !error_seen) return;
        std::function<bool(const Condition&)> holds = [&](const Condition& c) -> bool {
            switch (c.op) {
                case Condition::Op::leaf: return std::find(hits.begin(), hits.end(), c.leaf) != hits.end();
                case Condition::Op::all: return std::all_of(c.children.begin(), c.children.end(), holds);
                case Condition::Op::any: return std::any_of(c.children.begin(), c.children.end(), holds);
                case Condition::Op::none: return std::none_of(c.children.begin(), c.children.end(), holds);
                default: return false;
            }
        };
        if (!holds(rule.match)) return;
        // Captures come only from leaves of branches that hold: a leaf of an `any` branch that
        // failed as a whole (say, another event id's data layout) must not lend its captures.
        std::vector<int> contributing;
        std::function<void(const Condition&)> collect = [&](const Condition& c) {
            if (!holds(c)) return;
            if (c.op == Condition::Op::leaf) contributing.push_back(c.leaf);
            else if (c.op == Condition::Op::all || c.op == Condition::Op::any)
                for (const auto& child : c.children) collect(child);
        };
        collect(rule.match);
        FactList facts;
        std::vector<Evidence> evidence;
        for (int leaf_index : hits) {
            if (std::find(contributing.begin(), contributing.end(), leaf_index) == contributing.end()) continue;
            const Leaf& leaf = rule.leaves[static_cast<size_t>(leaf_index)];
            if (leaf.optional) continue;
            Hit hit;
            if (!extract(leaf, rec, rec.field(leaf.field), hit)) continue;
            for (auto& kv : hit.captures)
                if (std::none_of(facts.begin(), facts.end(), [&](const auto& f) { return f.first == kv.first; }))
                    facts.push_back(std::move(kv));
            evidence.push_back(std::move(hit.evidence));
        }
        std::string key;
        for (const auto& name : rule.dedupe_by) {
            for (const auto& [k, v] : facts)
                if (k == name) key += v;
            key += '\x1f';
        }
        if (rule.dedupe_by.empty()) key = std::to_string(seq);
        auto& bucket = st.each[static_cast<size_t>(rule_index)];
        auto it = bucket.find(key);
        if (it == bucket.end()) {
            if (bucket.size() >= kMaxEachMatchFindings) return;
            it = bucket.emplace(key, PendingEach{std::move(facts), std::move(evidence), 0}).first;
        }
        ++it->second.count;
        st.mark(rule_index);
    }

    // Scratch buffers reused across records: the per-record path allocates nothing.
    std::vector<GroupMatch> prematch_groups_;
    std::vector<int> prematch_hits_;
    RuleSet::PrematchScratch prematch_scratch_;
    RuleSet::GroupsCache apply_groups_;
    std::vector<re2::StringPiece> sub_;
    Hit scratch_hit_;
    std::vector<signed char> where_cache_;
    std::vector<int> where_touched_;
    std::vector<std::pair<int, int>> each_hits_;   // (rule, leaf) matched by this record
    std::vector<int> each_leaves_;

    // The sequential path: the set matches of this record, then their effects.
    void match_record(const Record& rec) {
        prematch_groups_.clear();
        prematch_hits_.clear();
        rules.prematch(rec, prematch_groups_, prematch_hits_, prematch_scratch_);
        apply_matches(rec, prematch_groups_, prematch_hits_);
    }

    void apply_matches(const Record& rec, std::span<const GroupMatch> matches, std::span<const int> hits) {
        if (matches.empty()) return;
        const auto* groups = rules.groups_for(rec.parser, apply_groups_);
        if (!groups || groups->size() != matches.size()) return;
        if (where_cache_.size() != rules.rules().size()) where_cache_.assign(rules.rules().size(), -1);
        each_hits_.clear();
        for (size_t g = 0; g < matches.size(); ++g) {
            const GroupMatch& m = matches[g];
            if (m.kind == GroupMatch::Kind::skipped) continue;
            const auto& group = (*groups)[g];
            if (m.set_failed && !oom_reported) {
                oom_reported = true;
                diags.warning_at_line(path, rec.line,
                                      "the pattern set ran out of memory on this record; matching patterns one by one", "engine");
            }
            const bool verified = m.kind == GroupMatch::Kind::matched;   // the set vouches for every hit
            const size_t count = verified ? m.count : group.leaves.size();
            std::string_view value = rec.field(group.field);
            for (size_t k = 0; k < count; ++k) {
                const int index = verified ? hits[m.first + k] : static_cast<int>(k);
                const auto& ref = group.leaves[static_cast<size_t>(index)];
                if (!rule_active(ref.rule)) continue;
                const Rule& rule = *rules.rules()[static_cast<size_t>(ref.rule)];
                auto& w = where_cache_[static_cast<size_t>(ref.rule)];
                if (w < 0) {
                    w = where_ok(rule, rec) ? 1 : 0;
                    where_touched_.push_back(ref.rule);
                }
                if (!w) continue;
                const Leaf& leaf = rule.leaves[static_cast<size_t>(ref.leaf)];
                if (!verified && !RE2::PartialMatch(value, *leaf.re)) continue;
                if (rule.each_match && !leaf.optional) {
                    each_hits_.emplace_back(ref.rule, ref.leaf);
                    continue;
                }
                on_leaf_hit(ref.rule, ref.leaf, rec, value);
            }
        }
        for (int r : where_touched_) where_cache_[static_cast<size_t>(r)] = -1;
        where_touched_.clear();
        if (each_hits_.empty()) return;
        std::sort(each_hits_.begin(), each_hits_.end());
        for (size_t i = 0; i < each_hits_.size();) {
            const int rule_index = each_hits_[i].first;
            each_leaves_.clear();
            for (; i < each_hits_.size() && each_hits_[i].first == rule_index; ++i) each_leaves_.push_back(each_hits_[i].second);
            on_each_match(rule_index, rec, each_leaves_);
        }
    }

    // --- evaluation at the end of a scope ---

    struct Outcome {
        FactList captures;
        std::vector<Evidence> evidence;
    };

    // Where a leaf's hits are kept: file-scope leaves in the file state, except look-back
    // extractors, which are kept per run like everything else.
    static bool kept_for_file(const Rule& rule, const Leaf& leaf) {
        return leaf.scope == Scope::file && !looks_back(rule, leaf);
    }
    ScopeState& tracking_state(const Rule& rule, const Leaf& leaf) { return kept_for_file(rule, leaf) ? file_state : run_state; }

    // Whether any look-back extractor of the rule matched in the current run.
    bool run_has_look_back(size_t rule_index) const {
        const Rule& rule = *rules.rules()[rule_index];
        for (size_t l = 0; l < rule.leaves.size(); ++l)
            if (looks_back(rule, rule.leaves[l]) && run_state.leaves[rule_index][l].hit) return true;
        return false;
    }

    const LeafState& leaf_state(int rule_index, const Leaf& leaf, int leaf_index) const {
        const auto r = static_cast<size_t>(rule_index);
        const auto l = static_cast<size_t>(leaf_index);
        const Rule& rule = *rules.rules()[r];
        if (looks_back(rule, leaf) && looked_back_set[r] && !run_has_look_back(r)) return looked_back.leaves[r][l];
        return (kept_for_file(rule, leaf) ? file_state : run_state).leaves[r][l];
    }

    // At the end of a run (after its evaluation): remember its look-back extractor states for
    // the later runs of the file that name none of these values themselves.
    void carry_look_back() {
        for (size_t r = 0; r < rules.rules().size(); ++r) {
            if (!has_look_back[r] || !run_has_look_back(r)) continue;
            const Rule& rule = *rules.rules()[r];
            for (size_t l = 0; l < rule.leaves.size(); ++l)
                if (looks_back(rule, rule.leaves[l])) looked_back.leaves[r][l] = run_state.leaves[r][l];
            looked_back.mark(static_cast<int>(r));   // so that reset_look_back clears it
            looked_back_set[r] = 1;
        }
    }

    void reset_look_back() {
        looked_back.reset(rules);
        looked_back_set.assign(rules.rules().size(), 0);
    }

    static void add_captures(FactList& into, const FactList& from) {
        for (const auto& kv : from)
            if (std::none_of(into.begin(), into.end(), [&](const auto& f) { return f.first == kv.first; }))
                into.push_back(kv);
    }

    bool eval(int rule_index, const Condition& c, Outcome& out) const {
        const Rule& rule = *rules.rules()[static_cast<size_t>(rule_index)];
        switch (c.op) {
            case Condition::Op::leaf: {
                const LeafState& ls = leaf_state(rule_index, rule.leaves[static_cast<size_t>(c.leaf)], c.leaf);
                if (!ls.hit) return false;
                add_captures(out.captures, ls.picked.captures);
                out.evidence.push_back(ls.picked.evidence);
                return true;
            }
            case Condition::Op::all: {
                Outcome tmp;
                for (const auto& child : c.children)
                    if (!eval(rule_index, child, tmp)) return false;
                add_captures(out.captures, tmp.captures);
                out.evidence.insert(out.evidence.end(), tmp.evidence.begin(), tmp.evidence.end());
                return true;
            }
            case Condition::Op::any: {
                bool any = false;
                for (const auto& child : c.children) any = eval(rule_index, child, out) || any;
                return any;
            }
            case Condition::Op::none: {
                Outcome ignored;
                for (const auto& child : c.children)
                    if (eval(rule_index, child, ignored)) return false;
                return true;
            }
            case Condition::Op::sequence: {
                const Leaf& first = rule.leaves[static_cast<size_t>(c.children.front().leaf)];
                const ScopeState& st = first.scope == Scope::file ? file_state : run_state;
                const auto& seqs = st.sequences[static_cast<size_t>(rule_index)];
                auto it = seqs.find(&c);
                if (it == seqs.end() || it->second.next < c.children.size()) return false;
                for (const auto& step : it->second.steps) {
                    add_captures(out.captures, step.captures);
                    out.evidence.push_back(step.evidence);
                }
                return true;
            }
            case Condition::Op::without_later: {
                const int a = c.children[0].leaf, b = c.children[1].leaf;
                const LeafState& la = leaf_state(rule_index, rule.leaves[static_cast<size_t>(a)], a);
                const LeafState& lb = leaf_state(rule_index, rule.leaves[static_cast<size_t>(b)], b);
                if (!la.hit || (lb.hit && lb.last_seq > la.last_seq)) return false;
                add_captures(out.captures, la.picked.captures);
                out.evidence.push_back(la.picked.evidence);
                return true;
            }
        }
        return false;
    }

    // Builds, checks and renders one finding. Returns false when a check fails.
    bool finish(const Rule& rule, int rule_index, FactList captured, std::vector<Evidence> evidence,
                const FactList& run_facts, int segment, uint64_t count, std::vector<Finding>& out) const {
        FactList facts = std::move(captured);
        for (size_t i = 0; i < rule.leaves.size(); ++i) {
            const Leaf& leaf = rule.leaves[i];
            if (!leaf.optional) continue;
            const LeafState& ls = leaf_state(rule_index, leaf, static_cast<int>(i));
            if (ls.hit) add_captures(facts, ls.picked.captures);
        }
        add_captures(facts, rule.default_facts);
        for (auto& kv : facts) cap_text(kv.second, kMaxFactBytes);
        auto lookup = [&](std::string_view name) -> std::optional<std::string> {
            if (name.starts_with("run.")) {
                for (const auto& [k, v] : run_facts)
                    if (k == name.substr(4)) return v;
                return std::nullopt;
            }
            if (name.starts_with("state.")) {
                if (!options.state_scope.empty() &&
                    std::none_of(options.state_scope.begin(), options.state_scope.end(),
                                 [&](const std::string& prefix) { return path.starts_with(prefix); }))
                    return std::nullopt;
                for (const auto& [k, v] : options.state_facts)
                    if (k == name.substr(6)) return v;
                return std::nullopt;
            }
            if (name == "file") return path;
            for (const auto& [k, v] : facts)
                if (k == name) return v;
            return std::nullopt;
        };
        // Static facts last; one built from values the finding lacks is left out.
        for (size_t i = 0; i < rule.static_facts.size(); ++i)
            if (auto v = rule.static_fact_templates[i].render(lookup)) facts.emplace_back(rule.static_facts[i].first, std::move(*v));
        for (const auto& chk : rule.checks) {
            auto l = chk.left.render(lookup), r = chk.right.render(lookup);
            if (!l || !r || !check_holds(chk.op, *l, *r)) return false;   // a missing value fails the check
        }
        // An empty capture is no value: the finding leaves it out, as it does any fact the log lacks.
        facts.erase(std::remove_if(facts.begin(), facts.end(), [](const auto& kv) { return kv.second.empty(); }),
                    facts.end());
        std::sort(evidence.begin(), evidence.end(), [](const Evidence& x, const Evidence& y) {
            return std::tie(x.path, x.line, x.offset, x.text) < std::tie(y.path, y.line, y.offset, y.text);
        });
        evidence.erase(std::unique(evidence.begin(), evidence.end(),
                                   [](const Evidence& x, const Evidence& y) {
                                       return x.path == y.path && x.line == y.line && x.offset == y.offset && x.text == y.text;
                                   }),
                       evidence.end());
        Finding f;
        f.rule_id = rule.id;
        f.rule_file = rule.file;
        f.title = rule.title;
        f.severity = rule.severity;
        f.path = path;
        f.segment = segment;
        // An empty run fact is no value either.
        auto shown = [&](std::string_view name) -> std::optional<std::string> {
            auto v = lookup(name);
            if (v && v->empty()) return std::nullopt;
            return v;
        };
        std::vector<std::string> missing;
        if (auto m = rule.message.render(shown, &missing)) {
            f.message = std::move(*m);
            cap_text(f.message, kMaxMessageBytes);
        } else {
            // The rule put a fact that may be absent outside [[ ]]: say what the rule means
            // rather than print a gap, and tell (`extriage rules test` fails on this).
            f.message = rule.title + ".";
            if (warned_incomplete.insert(rule_index).second)
                diags.warning_at_line(rule.file, static_cast<uint64_t>(rule.id_pos.line),
                                      fmt::format("the message needs {{{}}}, which this finding lacks; the title is "
                                                  "shown instead (put that part of the message in [[ ]])",
                                                  fmt::join(missing, "}, {")),
                                      rule.id);
        }
        for (const auto& step : rule.remediation)
            for (const auto& wording : step.alternatives)
                if (auto text = wording.render(shown)) {
                    f.remediation.push_back(std::move(*text));
                    cap_text(f.remediation.back(), kMaxMessageBytes);
                    break;
                }
        f.links = rule.links;
        f.facts = std::move(facts);
        f.evidence = std::move(evidence);
        f.count = count;
        out.push_back(std::move(f));
        return true;
    }

    // Evaluates the rules of the given scopes; fallback rules only when nothing else fired.
    // Extracts the captures of the deferred last hits, before anything reads LeafState::picked.
    void materialize(ScopeState& st) {
        for (int dirty_rule : st.dirty) {   // only rules with hits can have deferred ones
            const auto r = static_cast<size_t>(dirty_rule);
            for (size_t l = 0; l < st.leaves[r].size(); ++l) {
                LeafState& ls = st.leaves[r][l];
                if (!ls.deferred.pending) continue;
                const DeferredHit& d = ls.deferred;
                Record rec;
                rec.path = d.path;
                rec.raw = d.raw;
                rec.line = d.line;
                rec.offset = d.offset;
                rec.time_ms = d.time_ms;
                rec.time_is_utc = d.time_is_utc;
                const Leaf& leaf = rules.rules()[r]->leaves[l];
                if (extract(leaf, rec, d.value, ls.picked)) {
                    ls.picked.seq = d.seq;
                    ls.picked.evidence.record_text.assign(d.record_text);
                }
                ls.deferred.pending = false;
            }
        }
    }

    void evaluate(bool run_scopes, const FactList& run_facts, int segment, std::vector<Finding>& out) {
        materialize(file_state);
        materialize(run_state);
        std::vector<Finding> produced;
        for (int pass = 0; pass < 2; ++pass) {
            for (size_t i = 0; i < rules.rules().size(); ++i) {
                if (!rule_active(static_cast<int>(i))) continue;
                const Rule& rule = *rules.rules()[i];
                if ((rule.scope != Scope::file) != run_scopes) continue;
                if (rule.fallback != (pass == 1)) continue;
                // Informational findings (setup succeeded, same build...) explain nothing.
                if (rule.fallback && std::any_of(produced.begin(), produced.end(),
                                                 [](const Finding& f) { return f.severity >= Level::warning; }))
                    continue;
                const int ri = static_cast<int>(i);
                if (!holds_without_hits[i] && !file_state.is_dirty[i] && !run_state.is_dirty[i] &&
                    !(has_look_back[i] && looked_back_set[i]))
                    continue;
                if (rule.each_match) {
                    ScopeState& st = rule.scope == Scope::file ? file_state : run_state;
                    for (auto& [key, pending] : st.each[i])
                        finish(rule, ri, pending.facts, pending.evidence, run_facts, segment, pending.count, produced);
                    continue;
                }
                Outcome o;
                if (eval(ri, rule.match, o))
                    finish(rule, ri, std::move(o.captures), std::move(o.evidence), run_facts, segment, 1, produced);
            }
        }
        for (auto& f : produced) out.push_back(std::move(f));
    }
};

const std::string* Finding::fact(std::string_view name) const {
    for (const auto& [k, v] : facts)
        if (k == name) return &v;
    return nullptr;
}

RuleSet::RuleSet(std::vector<std::unique_ptr<Rule>> rules) : rules_(std::move(rules)) {
    std::map<std::pair<std::string, std::string>, std::vector<LeafRef>> pending;
    for (size_t r = 0; r < rules_.size(); ++r) {
        const Rule& rule = *rules_[r];
        for (const auto& source : rule.sources)
            for (size_t l = 0; l < rule.leaves.size(); ++l)
                pending[{source, rule.leaves[l].field}].push_back({static_cast<int>(r), static_cast<int>(l)});
    }
    for (auto& [key, refs] : pending) {
        FieldGroup group;
        group.field = key.second;
        RE2::Options opts;
        opts.set_log_errors(false);
        opts.set_max_mem(256 << 20);
        auto set = std::make_unique<RE2::Set>(opts, RE2::UNANCHORED);
        bool ok = true;
        std::vector<std::pair<std::string, bool>> patterns;
        for (const auto& ref : refs) {
            const Leaf& leaf = rules_[static_cast<size_t>(ref.rule)]->leaves[static_cast<size_t>(ref.leaf)];
            std::string pattern = leaf.case_sensitive ? leaf.pattern : "(?i)" + leaf.pattern;
            ok = ok && set->Add(pattern, nullptr) >= 0;
            patterns.emplace_back(leaf.pattern, leaf.case_sensitive);
        }
        ok = ok && set->Compile();
        if (ok) group.set = std::move(set);
        if (ok && patterns.size() <= kMaxNeedles) group.needles = NeedleSet(required_needles(patterns));
        group.leaves = std::move(refs);
        by_parser_[key.first].push_back(std::move(group));
    }
}

const Rule* RuleSet::find(std::string_view id) const {
    for (const auto& r : rules_)
        if (r->id == id) return r.get();
    return nullptr;
}

const std::vector<RuleSet::FieldGroup>* RuleSet::groups_for(std::string_view parser) const {
    auto it = by_parser_.find(parser);
    return it == by_parser_.end() ? nullptr : &it->second;
}

const std::vector<RuleSet::FieldGroup>* RuleSet::groups_for(std::string_view parser, GroupsCache& cache) const {
    if (!cache.groups || cache.parser != parser) {
        cache.groups = groups_for(parser);
        cache.parser.assign(parser);
    }
    return cache.groups;
}

void RuleSet::prematch(const Record& rec, std::vector<GroupMatch>& out, std::vector<int>& hits,
                       PrematchScratch& scratch) const {
    const auto* groups = groups_for(rec.parser, scratch.groups);
    if (!groups) return;
    for (const FieldGroup& group : *groups) {
        GroupMatch& m = out.emplace_back();
        if (!rec.has_field(group.field)) continue;
        std::string_view value = rec.field(group.field);
        if (!group.needles.empty() && !group.needles.may_occur_in(value)) continue;   // no leaf can match
        m.kind = GroupMatch::Kind::unverified;
        if (!group.set) continue;
        RE2::Set::ErrorInfo info{};
        if (!group.set->Match(value, &scratch.set_hits, &info)) {
            m.set_failed = info.kind != RE2::Set::kNoError;
            if (!m.set_failed) m.kind = GroupMatch::Kind::skipped;
            continue;
        }
        std::sort(scratch.set_hits.begin(), scratch.set_hits.end());
        m.kind = GroupMatch::Kind::matched;
        m.first = hits.size();
        m.count = static_cast<uint32_t>(scratch.set_hits.size());
        hits.insert(hits.end(), scratch.set_hits.begin(), scratch.set_hits.end());
    }
}

Engine::Engine(const RuleSet& rules, DiagSink& diags, EngineOptions options)
    : impl_(std::make_unique<Impl>(rules, diags, options)) {}

Engine::~Engine() = default;

void Engine::on_file_begin(std::string_view path, std::string_view parser) {
    if (impl_->in_file) on_file_end(impl_->path);   // the previous file was not closed by its parser
    impl_->in_file = true;
    impl_->path = std::string(path);
    impl_->parser = std::string(parser);
    impl_->file_state.reset(impl_->rules);
    impl_->run_state.reset(impl_->rules);
    impl_->reset_look_back();
    impl_->error_seen = false;
    impl_->current_segment = -1;
    impl_->max_segment = -1;
    impl_->file_first_finding = findings_.size();
    impl_->file_first_segment = segments_.size();
    impl_->runs_in_file = impl_->runs_dropped = 0;
    impl_->last_run_facts.clear();
}

void Engine::count_record(const Record& record) {
    ++records_;
    ++impl_->seq;
    impl_->current_segment = record.segment;
    impl_->max_segment = std::max(impl_->max_segment, record.segment);
    if (record.level >= Level::error) impl_->error_seen = true;
}

void Engine::on_record(const Record& record) {
    count_record(record);
    impl_->match_record(record);
}

void Engine::on_prematched_record(const Record& record, std::span<const GroupMatch> groups, std::span<const int> hits) {
    count_record(record);
    impl_->apply_matches(record, groups, hits);
}

// A log with a million setup runs keeps the last kMaxRunsKept of them (and their findings) for the
// report, so memory and the report's size stay bounded; the latest run is what matters.
constexpr size_t kMaxRunsKept = 1000;

void Engine::drop_old_runs(size_t keep) {
    const size_t first = impl_->file_first_segment;
    if (segments_.size() - first <= keep) return;
    const size_t drop = segments_.size() - first - keep;
    segments_.erase(segments_.begin() + static_cast<std::ptrdiff_t>(first),
                    segments_.begin() + static_cast<std::ptrdiff_t>(first + drop));
    impl_->runs_dropped += drop;
    const int oldest_kept = segments_[first].index;
    auto from = findings_.begin() + static_cast<std::ptrdiff_t>(impl_->file_first_finding);
    findings_.erase(std::remove_if(from, findings_.end(),
                                   [&](const Finding& f) { return f.segment >= 0 && f.segment < oldest_kept; }),
                    findings_.end());
}

void Engine::on_segment_end(const Segment& segment) {
    segments_.push_back(segment);
    for (auto& [name, value] : segments_.back().facts) cap_text(value, kMaxFactBytes);
    ++impl_->runs_in_file;
    // Dropped in batches, so that keeping the last runs costs O(1) per run.
    if (segments_.size() - impl_->file_first_segment > 2 * kMaxRunsKept) drop_old_runs(kMaxRunsKept);
    impl_->max_segment = std::max(impl_->max_segment, segment.index);
    impl_->evaluate(true, segment.facts, segment.index, findings_);
    impl_->carry_look_back();
    impl_->last_run_facts = segment.facts;
    impl_->run_state.reset(impl_->rules);
    impl_->error_seen = false;
}

void Engine::on_file_end(std::string_view) {
    if (!impl_->in_file) return;
    impl_->in_file = false;
    // Parsers without segments (event logs): the run scope is the whole file.
    if (impl_->run_state.touched) impl_->evaluate(true, impl_->last_run_facts, -1, findings_);
    impl_->evaluate(false, impl_->last_run_facts, -1, findings_);
    drop_old_runs(kMaxRunsKept);
    if (impl_->runs_dropped)
        impl_->diags.report({DiagSeverity::note, impl_->path, 0, 0, 0, false,
                             fmt::format("{} runs: only the last {} (and their findings) are kept for the report",
                                         impl_->runs_in_file, kMaxRunsKept),
                             "engine"});
    for (size_t i = impl_->file_first_finding; i < findings_.size(); ++i)
        findings_[i].latest = findings_[i].segment < 0 || findings_[i].segment == impl_->max_segment;
    impl_->run_state.reset(impl_->rules);
    impl_->file_state.reset(impl_->rules);
    impl_->reset_look_back();
}

}  // namespace extriage
