// Prints the regex of every rule leaf that reads a given parser's records, one per line, as the
// engine compiles them (without the "(?i)" it adds; give rg -i). Used by setup_log_bench.sh to
// hand ripgrep the patterns extriage matches. Built by that script, not by CMake.
//   rule_patterns [--for-rg] RULES_DIR PARSER
// --for-rg adapts two things ripgrep rejects when it joins all patterns into one line-oriented
// regex: named groups become (?:...) (the same name in two rules is a duplicate), and a "\n"
// outside a character class becomes "$" (rg never sees a newline inside a line; such a pattern
// still costs rg the same scan, it just cannot match across lines as the engine's can).
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "diagnostics.hpp"
#include "engine/rule_loader.hpp"

namespace {

std::string for_rg(const std::string& p) {
    std::string out;
    bool in_class = false;
    for (size_t i = 0; i < p.size(); ++i) {
        char c = p[i];
        if (c == '\\' && i + 1 < p.size()) {
            if (!in_class && p[i + 1] == 'n') {
                out += '$';
            } else {
                out += c;
                out += p[i + 1];
            }
            ++i;
            continue;
        }
        if (in_class) {
            if (c == ']') in_class = false;
            out += c;
            continue;
        }
        if (c == '[') {
            in_class = true;
            out += c;
            // A ']' right after '[' or '[^' is a literal.
            if (i + 1 < p.size() && p[i + 1] == '^') out += p[++i];
            if (i + 1 < p.size() && p[i + 1] == ']') out += p[++i];
            continue;
        }
        if (c == '(' && p.compare(i, 3, "(?P") == 0 && i + 3 < p.size() && p[i + 3] == '<') {
            size_t close = p.find('>', i);
            out += "(?:";
            i = close;
            continue;
        }
        if (c == '(' && p.compare(i, 3, "(?<") == 0 && i + 3 < p.size() && p[i + 3] != '=' && p[i + 3] != '!') {
            size_t close = p.find('>', i);
            out += "(?:";
            i = close;
            continue;
        }
        out += c;
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    bool rg = argc > 1 && std::strcmp(argv[1], "--for-rg") == 0;
    if (rg) {
        --argc;
        ++argv;
    }
    if (argc != 3) {
        std::fprintf(stderr, "usage: rule_patterns [--for-rg] RULES_DIR PARSER\n");
        return 2;
    }
    extriage::DiagSink diags;
    auto rules = extriage::load_rules({argv[1]}, diags);
    for (const auto& d : diags.snapshot()) std::fprintf(stderr, "%s\n", d.format().c_str());
    size_t n = 0;
    for (const auto& rule : rules) {
        if (!rule->reads(argv[2])) continue;
        for (const auto& leaf : rule->leaves) {
            // One pattern per line: rg -f cannot take a literal newline inside a pattern.
            if (leaf.pattern.find('\n') != std::string::npos) continue;
            std::printf("%s\n", (rg ? for_rg(leaf.pattern) : leaf.pattern).c_str());
            ++n;
        }
    }
    std::fprintf(stderr, "rule_patterns: %zu patterns from %zu rules\n", n, rules.size());
    return diags.error_count() ? 1 : 0;
}
