// Finding commands in remediation prose (see the header).
#include "report/commands.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "text_util.hpp"

namespace extriage {

namespace {

struct Token {
    size_t begin, end;   // in the step
};

std::vector<Token> tokens(std::string_view s) {
    std::vector<Token> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && s[i] == ' ') ++i;
        if (i == s.size()) break;
        size_t j = i;
        while (j < s.size() && s[j] != ' ') ++j;
        out.push_back({i, j});
        i = j;
    }
    return out;
}

bool is_cmdlet(std::string_view t) {
    static constexpr std::array<std::string_view, 32> kVerbs = {
        "Get",     "Set",    "Start",   "Stop",       "Restart", "Rename",   "Remove",  "New",
        "Add",     "Enable", "Disable", "Invoke",     "Test",    "Import",   "Install", "Uninstall",
        "Update",  "Clear",  "Copy",    "Move",       "Register", "Unregister", "Format", "Where",
        "Select",  "Resume", "Suspend", "Mount",      "Dismount", "Reset",   "Repair",  "ForEach"};
    const size_t dash = t.find('-');
    if (dash == std::string_view::npos || dash + 1 >= t.size()) return false;
    if (std::find(kVerbs.begin(), kVerbs.end(), t.substr(0, dash)) == kVerbs.end()) return false;
    const std::string_view noun = t.substr(dash + 1);
    if (!std::isupper(static_cast<unsigned char>(noun.front()))) return false;
    return std::all_of(noun.begin(), noun.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

// A program with arguments: "D:\Setup.exe /Mode:Upgrade", ".\SetupAssist.ps1 -Verbose", "msiexec /i".
bool is_program(std::string_view t, std::string_view next) {
    const bool path = t.starts_with(".\\") || (t.size() > 2 && std::isalpha(static_cast<unsigned char>(t[0])) && t[1] == ':' && t[2] == '\\');
    const bool program = ends_with_ci(t, ".exe") || ends_with_ci(t, ".ps1") || ends_with_ci(t, ".cmd") ||
                         iequals(t, "msiexec") || iequals(t, "iisreset") || iequals(t, "certutil") || iequals(t, "dism");
    const bool switch_follows = !next.empty() && (next.front() == '/' || next.front() == '-');
    return program && (path ? true : switch_follows);
}

bool is_prose_word(std::string_view t) {
    static constexpr std::array<std::string_view, 44> kWords = {
        "for", "and", "or", "then", "if", "to", "when", "with", "on", "in", "from", "so", "until", "before", "after",
        "which", "that", "is", "are", "was", "the", "a", "an", "again", "first", "otherwise", "as", "each", "every",
        "also", "it", "its", "this", "these", "those", "once", "while", "where", "see", "instead", "but", "not", "e.g.", "i.e."};
    return std::find(kWords.begin(), kWords.end(), t) != kWords.end();
}

// Where the command that starts at token `first` ends (an offset into the step).
size_t command_end(std::string_view s, const std::vector<Token>& toks, size_t first) {
    int depth = 0;   // parentheses the command opened
    size_t end = toks[first].end;
    for (size_t k = first; k < toks.size(); ++k) {
        std::string_view t = s.substr(toks[k].begin, toks[k].end - toks[k].begin);
        if (k > first) {
            // Prose again: a function word, an aside in parentheses, a plain lowercase word
            // ("repeat the Set-Service step"); PowerShell arguments rarely are one.
            const bool lowercase_word = t.size() >= 2 && std::all_of(t.begin(), t.end(), [](char c) { return c >= 'a' && c <= 'z'; });
            if (is_prose_word(t) || t.front() == '(' || lowercase_word) break;
        }
        size_t keep = t.size();
        bool stop = false;
        for (size_t i = 0; i < t.size(); ++i) {
            if (t[i] == '(') ++depth;
            else if (t[i] == ')') {
                if (depth == 0) {
                    keep = i;
                    stop = true;
                    break;
                }
                --depth;
            }
        }
        std::string_view kept = t.substr(0, keep);
        // A sentence ends at '.', ',' or ';' followed by prose: "... Automatic. If it stops".
        const bool sentence_end = !stop && !kept.empty() && (kept.back() == '.' || kept.back() == ':');
        if (sentence_end) {
            keep = kept.size() - 1;
            stop = true;
        }
        if (!stop && !kept.empty() && (kept.back() == ',' || kept.back() == ';') && k + 1 < toks.size()) {
            std::string_view next = s.substr(toks[k + 1].begin, toks[k + 1].end - toks[k + 1].begin);
            // "; Get-Service ..." chains commands; ", then" or "; otherwise" return to prose.
            if (is_prose_word(next) || (kept.back() == ';' && !is_cmdlet(next))) {
                keep = kept.size() - 1;
                stop = true;
            }
        }
        if (!stop && !kept.empty() && (kept.back() == ',' || kept.back() == ';') && k + 1 == toks.size()) {
            keep = kept.size() - 1;
            stop = true;
        }
        end = toks[k].begin + keep;
        if (stop) break;
    }
    return end;
}

}  // namespace

std::vector<TextPiece> split_commands(std::string_view s) {
    std::vector<TextPiece> out;
    auto toks = tokens(s);
    size_t done = 0;   // offset up to which pieces were emitted
    for (size_t k = 0; k < toks.size(); ++k) {
        if (toks[k].begin < done) continue;
        // "(.\Setup.exe /Mode:Upgrade ...)": the command starts inside the parenthesis.
        while (toks[k].begin < toks[k].end && s[toks[k].begin] == '(') ++toks[k].begin;
        std::string_view t = s.substr(toks[k].begin, toks[k].end - toks[k].begin);
        std::string_view next = k + 1 < toks.size() ? s.substr(toks[k + 1].begin, toks[k + 1].end - toks[k + 1].begin) : "";
        // Trailing punctuation on a lone cmdlet ("run Get-ExchangeServer.") is not part of it.
        std::string_view bare = t;
        while (!bare.empty() && (bare.back() == '.' || bare.back() == ',' || bare.back() == ';' || bare.back() == ')')) bare.remove_suffix(1);
        if (bare.empty() || (!is_cmdlet(bare) && !is_program(bare, next))) continue;
        const size_t end = command_end(s, toks, k);
        if (end <= toks[k].begin) continue;
        if (toks[k].begin > done) out.push_back({std::string(s.substr(done, toks[k].begin - done)), false});
        out.push_back({std::string(s.substr(toks[k].begin, end - toks[k].begin)), true});
        done = end;
    }
    if (done < s.size()) out.push_back({std::string(s.substr(done)), false});
    return out;
}

}  // namespace extriage
