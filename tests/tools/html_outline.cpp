// html_outline: the structure of an extriage HTML report as indented text, for golden tests.
// Each element on its own line (tag, #id, .classes, data-* attributes, href), text nodes cut to
// 100 characters, <style> and <script> without their content, so a golden file shows what the report is
// made of without the style sheet or chart coordinates. It also checks what a browser would
// forgive: every element closed in order, quoted attributes, no on* event handler attributes, no
// href other than http(s) or an in-page anchor. Exit 1 with a message on the first problem.
// The reports are extriage's own output (well-formed by construction), so this is a checker for
// that output, not a general HTML parser.
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

bool is_void(const std::string& tag) {
    for (const char* v : {"meta", "br", "input", "link", "img", "hr", "col", "wbr"})
        if (tag == v) return true;
    return false;
}

std::string collapse(const std::string& s) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    if (out.size() > 100) {
        size_t cut = 100;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;   // UTF-8 boundary
        out = out.substr(0, cut) + "...";
    }
    return out;
}

int fail(const std::string& why, size_t pos) {
    std::cerr << "html_outline: " << why << " at byte " << pos << "\n";
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: html_outline FILE.html\n";
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string html = buf.str();
    std::vector<std::string> stack;
    struct Entry {
        size_t depth;
        std::string text;
        bool is_text;
    };
    std::vector<Entry> entries;
    size_t i = 0;
    if (html.rfind("<!DOCTYPE html>", 0) != 0) return fail("no <!DOCTYPE html> first", 0);
    i = html.find('>') + 1;
    while (i < html.size()) {
        if (html[i] != '<') {
            const size_t end = html.find('<', i);
            const std::string text = collapse(html.substr(i, end == std::string::npos ? std::string::npos : end - i));
            if (!text.empty()) entries.push_back({stack.size(), "\"" + text + "\"", true});
            if (end == std::string::npos) break;
            i = end;
            continue;
        }
        if (html.compare(i, 2, "</") == 0) {
            const size_t end = html.find('>', i);
            if (end == std::string::npos) return fail("unterminated end tag", i);
            const std::string tag = html.substr(i + 2, end - i - 2);
            if (stack.empty() || stack.back() != tag)
                return fail("</" + tag + "> closes <" + (stack.empty() ? std::string("nothing") : stack.back()) + ">", i);
            stack.pop_back();
            i = end + 1;
            continue;
        }
        // A start tag: name, then name="value" pairs (double quotes), then > or />.
        size_t j = i + 1;
        while (j < html.size() && (std::isalnum(static_cast<unsigned char>(html[j])) || html[j] == '-')) ++j;
        const std::string tag = html.substr(i + 1, j - i - 1);
        if (tag.empty()) return fail("'<' that starts no tag (unescaped text?)", i);
        std::string line = tag, classes, rest;
        bool self_closing = false;
        while (true) {
            while (j < html.size() && html[j] == ' ') ++j;
            if (j >= html.size()) return fail("unterminated tag <" + tag + ">", i);
            if (html[j] == '>') break;
            if (html.compare(j, 2, "/>") == 0) {
                self_closing = true;
                ++j;
                break;
            }
            size_t k = j;
            while (k < html.size() && html[k] != '=' && html[k] != ' ' && html[k] != '>' && html[k] != '/') ++k;
            const std::string name = html.substr(j, k - j);
            std::string value;
            if (k < html.size() && html[k] == '=') {
                if (html[k + 1] != '"') return fail("unquoted value of " + name + " in <" + tag + ">", k);
                const size_t close = html.find('"', k + 2);
                if (close == std::string::npos) return fail("unterminated value of " + name, k);
                value = html.substr(k + 2, close - k - 2);
                if (value.find('<') != std::string::npos) return fail("raw '<' in attribute " + name, k);
                k = close + 1;
            }
            if ((name.size() > 2 && (name[0] == 'o' || name[0] == 'O') && (name[1] == 'n' || name[1] == 'N')))
                return fail("event handler attribute " + name + " in <" + tag + ">", j);
            if (name == "href" && value.rfind("#", 0) != 0 && value.rfind("https://", 0) != 0 && value.rfind("http://", 0) != 0)
                return fail("link to " + value, j);
            if (name == "id") line += "#" + value;
            else if (name == "class") classes = value;
            else if (name.rfind("data-", 0) == 0 || name == "href" || (tag == "meta" && name != "content")) rest += " " + name + "=\"" + value + "\"";
            else if (tag == "meta" && name == "content") rest += " content";
            j = k;
        }
        if (!classes.empty()) {
            for (char& c : classes)
                if (c == ' ') c = '.';
            line += "." + classes;
        }
        entries.push_back({stack.size(), line + rest, false});
        i = j + 1;
        if (tag == "svg") {
            // The chart by what it shows, not by its coordinates: lanes, bars, points, breaks.
            const size_t end = html.find("</svg>", i);
            if (end == std::string::npos) return fail("unterminated <svg>", i);
            const std::string svg = html.substr(i, end - i);
            auto count = [&](const std::string& what) {
                size_t n = 0;
                for (size_t p = svg.find(what); p != std::string::npos; p = svg.find(what, p + 1)) ++n;
                return n;
            };
            entries.push_back({stack.size() + 1,
                               "(lanes " + std::to_string(count("<line class=\"grid\"")) + ", bars " +
                                   std::to_string(count("<rect class=\"r-")) + ", points " + std::to_string(count("<circle")) +
                                   ", breaks " + std::to_string(count("<rect class=\"gap\"")) + ", links " +
                                   std::to_string(count("<a href=\"#")) + ")",
                               true});
            // Text in the chart is escaped (no raw '"'), so ` on<letters>="` can only be an attribute.
            bool handler = svg.find("<script") != std::string::npos;
            for (size_t p = svg.find(" on"); p != std::string::npos && !handler; p = svg.find(" on", p + 1)) {
                size_t q = p + 3;
                while (q < svg.size() && std::isalpha(static_cast<unsigned char>(svg[q]))) ++q;
                handler = q > p + 3 && svg.compare(q, 2, "=\"") == 0;
            }
            if (handler) return fail("script or event handler in the chart", i);
            i = end + 6;
            continue;
        }
        if (tag == "style" || tag == "script") {
            const std::string close = "</" + tag + ">";
            const size_t end = html.find(close, i);
            if (end == std::string::npos) return fail("unterminated <" + tag + ">", i);
            i = end + close.size();
            continue;
        }
        if (!self_closing && !is_void(tag)) stack.push_back(tag);
    }
    if (!stack.empty()) return fail("<" + stack.back() + "> never closed", html.size());
    // An element whose only child is one text goes on one line with it.
    std::string out;
    for (size_t k = 0; k < entries.size(); ++k) {
        std::string line = std::string(2 * entries[k].depth, ' ') + entries[k].text;
        const bool single_text = !entries[k].is_text && k + 1 < entries.size() && entries[k + 1].is_text &&
                                 entries[k + 1].depth == entries[k].depth + 1 &&
                                 (k + 2 == entries.size() || entries[k + 2].depth <= entries[k].depth);
        if (single_text) line += " " + entries[++k].text;
        out += line + "\n";
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
}
