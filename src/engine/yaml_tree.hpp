// A strict YAML reader for rule files. yaml-cpp's Node API silently accepts duplicate keys
// and forgets positions, so we build our own small tree from the parser's events, keeping
// line:column for every node and rejecting duplicate keys, anchors, aliases, tags and
// multiple documents with file:line:col errors.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace extriage {

struct SourcePos {
    int line = 0;     // 1-based
    int column = 0;   // 1-based
};

// Thrown for any problem in a rule file; carries the position.
struct RuleError : std::runtime_error {
    RuleError(SourcePos p, std::string message) : std::runtime_error(std::move(message)), pos(p) {}
    SourcePos pos;
};

struct YNode {
    enum class Kind { null, scalar, sequence, map };
    Kind kind = Kind::null;
    SourcePos pos;
    std::string scalar;
    bool quoted = false;                                   // scalar was written in quotes
    std::vector<YNode> items;                              // sequence
    std::vector<std::pair<YNode, YNode>> entries;          // map: key node, value node

    // Defined out of line (yaml_tree.cpp): clang 14 with libstdc++ rejects the implicit ones,
    // which would need std::pair<YNode, YNode> complete inside YNode itself.
    YNode();
    YNode(const YNode&);
    YNode(YNode&&) noexcept;
    YNode& operator=(const YNode&);
    YNode& operator=(YNode&&) noexcept;
    ~YNode();

    bool is_scalar() const { return kind == Kind::scalar; }
    bool is_map() const { return kind == Kind::map; }
    bool is_seq() const { return kind == Kind::sequence; }
    bool is_null() const { return kind == Kind::null; }
    const YNode* find(std::string_view key) const;
    std::string_view kind_name() const;
};

// Parses exactly one YAML document. Throws RuleError.
YNode parse_yaml_strict(const std::string& text);

}  // namespace extriage
