// Builders for hand-made analysis results (files, runs, findings), for tests of the steps that
// work on a finished analysis: folding, outcome findings, coverage and the report outline.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "app/analyze.hpp"

namespace extriage::test {

inline Segment make_run(const std::string& path, int index, const std::string& outcome, const std::string& mode = "Upgrade",
                        const std::string& kind = "setup-run") {
    Segment s;
    s.path = path;
    s.parser = kind == "msi-session" ? "msi-log" : "exchange-setup";
    s.kind = kind;
    s.index = index;
    s.first_line = 1 + static_cast<uint64_t>(index) * 100;
    s.last_line = s.first_line + 99;
    s.start_ms = 1715436000000 + index * 3600000LL;   // 2024-05-11T14:00:00Z, one hour apart
    s.end_ms = s.start_ms + 600000;
    s.time_is_utc = true;
    s.outcome = outcome;
    if (!mode.empty()) s.set_fact("mode", mode);
    return s;
}

inline Finding make_finding(const std::string& rule, Level severity, const std::string& path, int segment, uint64_t line,
                            FactList facts = {}, const std::string& message = "") {
    Finding f;
    f.rule_id = rule;
    f.title = "Title of " + rule;
    f.severity = severity;
    f.path = path;
    f.segment = segment;
    f.facts = std::move(facts);
    f.message = message.empty() ? "Message of " + rule + "." : message;
    f.remediation = {"First step of " + rule + ".", "Second step."};
    Evidence e;
    e.path = path;
    e.line = line;
    e.text = "line " + std::to_string(line) + " of " + path;
    f.evidence.push_back(e);
    return f;
}

inline FileSummary make_file(const std::string& path, const std::string& parser, uint64_t records = 10,
                             const std::string& channel = "") {
    FileSummary f;
    f.path = path;
    f.parser = parser;
    f.records = records;
    f.server = "EX01";
    f.channel = channel;
    return f;
}

}  // namespace extriage::test
