// Shared HTML pieces (see the header).
#include "report/html_parts.hpp"

#include <fmt/format.h>

#include "model/run_labels.hpp"
#include "report/commands.hpp"
#include "report/markup.hpp"

namespace extriage {

std::string severity_badge(Level level) {
    const std::string name(level_name(level));
    return fmt::format("<span class=\"badge sev-{}\">{}</span>", name, name);
}

std::string outcome_badge(std::string_view outcome) {
    const std::string o = outcome.empty() ? "unknown" : html_escape(outcome);
    const bool known = o == "succeeded" || o == "failed" || o == "incomplete";
    return fmt::format("<span class=\"badge out-{}\">{}</span>", known ? o : "unknown", o);
}

std::string command_block(std::string_view command) {
    return fmt::format("<div class=\"cmd\"><pre><code>{}</code></pre><button type=\"button\">Copy</button></div>",
                       html_escape(command));
}

std::string remediation_step(std::string_view step) {
    std::string text, blocks;
    for (const auto& piece : split_commands(step)) {
        if (piece.command) {
            text += "<code class=\"inline\">" + html_escape(piece.text) + "</code>";
            // A cmdlet named alone ("repeat the Set-Service step") is no command to copy; a script
            // to run (".\SetupAssist.ps1") is.
            if (piece.text.find(' ') != std::string::npos || piece.text.starts_with(".\\")) blocks += command_block(piece.text);
        } else {
            text += html_escape(piece.text);
        }
    }
    return text + blocks;
}

std::string headline_html(const Headline& h, std::string_view id) {
    const std::string sev = h.top ? std::string(level_name(h.top->severity)) : "none";
    std::string out = fmt::format("<section class=\"headline o-{} s-{}\"{}>\n", html_id(h.outcome.empty() ? "none" : h.outcome), sev,
                                  id.empty() ? "" : fmt::format(" id=\"{}\"", html_escape(id)));
    if (!h.outcome.empty()) out += fmt::format("<p class=\"outcome\">{} {}</p>\n", outcome_badge(h.outcome), html_escape(h.run_text));
    if (h.top)
        out += fmt::format("<p class=\"cause\">{} {}: {} <span class=\"rule\">[{}]</span></p>\n", severity_badge(h.top->severity),
                           html_escape(h.cause_label), html_escape(h.cause_message), html_escape(h.top->rule_id));
    else
        out += fmt::format("<p class=\"cause\">{}</p>\n", html_escape(h.cause_text));
    if (!h.first_step.empty()) out += fmt::format("<p class=\"first-step\"><strong>First step:</strong> {}</p>\n", remediation_step(h.first_step));
    return out + "</section>\n";
}

std::string evidence_location(const Evidence& e) {
    std::string loc = e.line ? fmt::format("{}:{}", e.path, e.line) : fmt::format("{}@{}", e.path, e.offset);
    if (e.time_ms != kNoTime) loc += "  " + format_time(e.time_ms, e.time_is_utc);
    return loc;
}

std::string finding_anchor(std::string_view prefix, size_t n) { return fmt::format("{}{}", prefix, n); }

namespace {

std::string facts_table(const FactList& facts) {
    std::string out = "<h4>Facts</h4>\n<table class=\"facts\">\n";
    for (const auto& [k, v] : facts) {
        // A fact holding a command (example_command) gets a copy button like the steps.
        const bool command = k.find("command") != std::string::npos;
        out += fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", html_escape(k), command ? command_block(v) : html_escape(v));
    }
    return out + "</table>\n";
}

std::string links_list(const std::vector<Link>& links) {
    std::string out = "<h4>Sources</h4>\n<ul class=\"links\">\n";
    for (const auto& l : links) {
        const std::string url = safe_link(l.url);
        const std::string title = html_escape(l.title.empty() ? l.url : l.title);
        if (url.empty())
            out += fmt::format("<li>{} <span class=\"meta\">({})</span></li>\n", title, html_escape(l.url));
        else
            out += fmt::format("<li><a href=\"{}\" rel=\"noreferrer noopener\" target=\"_blank\">{}</a> <span class=\"meta small\">{}</span></li>\n",
                               html_escape(url), title, html_escape(url));
    }
    return out + "</ul>\n";
}

std::string evidence_details(const std::vector<Evidence>& evidence) {
    std::string out = fmt::format("<details class=\"evidence\"><summary>Evidence ({} line{})</summary>\n", evidence.size(),
                                  evidence.size() == 1 ? "" : "s");
    for (const auto& e : evidence)
        out += fmt::format("<div class=\"ev\"><div class=\"loc\">{}</div><pre>{}</pre></div>\n", html_escape(evidence_location(e)),
                           html_escape(e.text));
    return out + "</details>\n";
}

}  // namespace

std::string finding_html(const Finding& f, FindingRole role, std::string_view anchor) {
    const std::string sev(level_name(f.severity));
    std::string out = fmt::format("<article class=\"finding f-{}\" id=\"{}\" data-severity=\"{}\" data-role=\"{}\">\n", sev,
                                  html_escape(anchor), sev, role_name(role));
    out += fmt::format("<h3>{} {} <span class=\"rule\">[{}]</span></h3>\n", severity_badge(f.severity), html_escape(f.title),
                       html_escape(f.rule_id));
    if (!f.latest) out += fmt::format("<p class=\"meta\">From earlier run {}.</p>\n", f.segment + 1);
    out += fmt::format("<p class=\"msg\">{}</p>\n", html_escape(f.message));
    if (!f.items.empty()) {
        out += "<ul class=\"items\">\n";
        for (const auto& item : f.items) {
            const std::string line = item.text.empty() ? item.name : item.name + ": " + item.text;
            out += fmt::format("<li{}>{}</li>\n", item.under.empty() ? "" : " class=\"under\"", html_escape(line));
        }
        out += "</ul>\n";
    }
    if (f.related_run) out += fmt::format("<p class=\"meta\">{}</p>\n", html_escape(related_run_label(*f.related_run)));
    else if (f.nearest_run) out += fmt::format("<p class=\"meta\">{}</p>\n", html_escape(related_run_label(*f.nearest_run)));
    if (f.count > 1) out += fmt::format("<p class=\"meta\">{} occurrences</p>\n", f.count);
    if (!f.remediation.empty()) {
        out += "<h4>What to do</h4>\n<ol class=\"steps\">\n";
        for (const auto& step : f.remediation) out += "<li>" + remediation_step(step) + "</li>\n";
        out += "</ol>\n";
    }
    if (!f.facts.empty()) out += facts_table(f.facts);
    if (!f.links.empty()) out += links_list(f.links);
    if (!f.evidence.empty()) out += evidence_details(f.evidence);
    return out + "</article>\n";
}

}  // namespace extriage
