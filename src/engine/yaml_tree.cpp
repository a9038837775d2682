// Event-driven construction of YNode trees with strictness checks.
#include "engine/yaml_tree.hpp"

#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

namespace extriage {

namespace {

SourcePos to_pos(const YAML::Mark& m) { return {m.line + 1, m.column + 1}; }

class TreeBuilder final : public YAML::EventHandler {
public:
    YNode root;
    int documents = 0;

    void OnDocumentStart(const YAML::Mark& mark) override {
        if (++documents > 1) throw RuleError(to_pos(mark), "a rule file must hold exactly one YAML document");
    }
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        check_anchor(mark, anchor);
        YNode n;
        n.kind = YNode::Kind::null;
        n.pos = to_pos(mark);
        add(std::move(n));
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
        throw RuleError(to_pos(mark), "YAML aliases (*name) are not allowed in rule files");
    }
    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        check_anchor(mark, anchor);
        check_tag(mark, tag);
        YNode n;
        n.kind = YNode::Kind::scalar;
        n.pos = to_pos(mark);
        n.scalar = value;
        n.quoted = tag == "!";
        add(std::move(n));
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        check_anchor(mark, anchor);
        check_tag(mark, tag);
        YNode n;
        n.kind = YNode::Kind::sequence;
        n.pos = to_pos(mark);
        stack_.push_back(std::move(n));
        pending_key_.push_back(std::nullopt);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        check_anchor(mark, anchor);
        check_tag(mark, tag);
        YNode n;
        n.kind = YNode::Kind::map;
        n.pos = to_pos(mark);
        stack_.push_back(std::move(n));
        pending_key_.push_back(std::nullopt);
    }
    void OnMapEnd() override {
        if (pending_key_.back()) throw RuleError(pending_key_.back()->pos, "mapping key without a value");
        close();
    }

private:
    std::vector<YNode> stack_;
    std::vector<std::optional<YNode>> pending_key_;

    static void check_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) {
        if (anchor != YAML::NullAnchor) throw RuleError(to_pos(mark), "YAML anchors (&name) are not allowed in rule files");
    }
    static void check_tag(const YAML::Mark& mark, const std::string& tag) {
        if (!tag.empty() && tag != "?" && tag != "!")
            throw RuleError(to_pos(mark), fmt::format("YAML tags ('{}') are not allowed in rule files", tag));
    }

    void close() {
        YNode done = std::move(stack_.back());
        stack_.pop_back();
        pending_key_.pop_back();
        add(std::move(done));
    }

    void add(YNode n) {
        if (stack_.empty()) {
            root = std::move(n);
            return;
        }
        YNode& parent = stack_.back();
        if (parent.kind == YNode::Kind::sequence) {
            parent.items.push_back(std::move(n));
            return;
        }
        auto& key = pending_key_.back();
        if (!key) {
            if (n.kind != YNode::Kind::scalar) throw RuleError(n.pos, "mapping keys must be plain strings");
            for (const auto& [k, v] : parent.entries)
                if (k.scalar == n.scalar)
                    throw RuleError(n.pos, fmt::format("duplicate key '{}' (first defined at line {})", n.scalar, k.pos.line));
            key = std::move(n);
        } else {
            parent.entries.emplace_back(std::move(*key), std::move(n));
            key.reset();
        }
    }
};

}  // namespace

YNode::YNode() = default;
YNode::YNode(const YNode&) = default;
YNode::YNode(YNode&&) noexcept = default;
YNode& YNode::operator=(const YNode&) = default;
YNode& YNode::operator=(YNode&&) noexcept = default;
YNode::~YNode() = default;

const YNode* YNode::find(std::string_view key) const {
    for (const auto& [k, v] : entries)
        if (k.scalar == key) return &v;
    return nullptr;
}

std::string_view YNode::kind_name() const {
    switch (kind) {
        case Kind::null: return "an empty value";
        case Kind::scalar: return "a string";
        case Kind::sequence: return "a list";
        case Kind::map: return "a mapping";
    }
    return "?";
}

YNode parse_yaml_strict(const std::string& text) {
    std::istringstream in(text);
    TreeBuilder builder;
    try {
        YAML::Parser parser(in);
        while (parser.HandleNextDocument(builder)) {
        }
    } catch (const YAML::Exception& e) {
        throw RuleError(to_pos(e.mark), e.msg);
    }
    if (builder.documents == 0) throw RuleError({1, 1}, "the rule file is empty");
    return std::move(builder.root);
}

}  // namespace extriage
