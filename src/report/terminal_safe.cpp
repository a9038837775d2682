// Escaped copies of results for the text reporters (see terminal_safe.hpp).
#include "report/terminal_safe.hpp"

#include "terminal_text.hpp"

namespace extriage {

namespace {

// Calls f on every string of the result that a text report can show.
template <class Result, class F>
void each_string(Result& r, F&& f) {
    for (auto& file : r.files) {
        f(file.path);
        f(file.parser);
        f(file.server);
    }
    for (auto& s : r.runs) {
        f(s.path);
        f(s.parser);
        f(s.kind);
        f(s.outcome);
        for (auto& [k, v] : s.facts) {
            f(k);
            f(v);
        }
        if (s.last_error) f(s.last_error->text);
        for (auto& c : s.error_context) f(c.text);
    }
    for (auto& x : r.findings) {
        f(x.rule_id);
        f(x.title);
        f(x.path);
        f(x.message);
        for (auto& [k, v] : x.facts) {
            f(k);
            f(v);
        }
        for (auto& e : x.evidence) {
            f(e.path);
            f(e.text);
        }
        for (auto& step : x.remediation) f(step);
        for (auto& link : x.links) {
            f(link.title);
            f(link.url);
        }
        if (x.related_run) f(x.related_run->file);
    }
}

template <class Timeline_, class F>
void each_timeline_string(Timeline_& t, F&& f) {
    for (auto& e : t.entries) {
        f(e.path);
        f(e.parser);
        f(e.text);
        f(e.rule_id);
        f(e.outcome);
        if (e.related_run) f(e.related_run->file);
    }
    each_string(t.analysis, f);
}

// `value` itself when none of its strings needs escaping, else an escaped copy in `storage`.
template <class T, class Each>
const T& escaped(const T& value, T& storage, Each each) {
    bool needed = false;
    each(value, [&](const std::string& s) { needed = needed || needs_terminal_escape(s); });
    if (!needed) return value;
    storage = value;
    each(storage, [](std::string& s) { escape_for_terminal_in_place(s); });
    return storage;
}

}  // namespace

const AnalysisResult& terminal_safe(const AnalysisResult& result, AnalysisResult& storage) {
    return escaped(result, storage, [](auto& r, auto&& f) { each_string(r, f); });
}

const Timeline& terminal_safe(const Timeline& timeline, Timeline& storage) {
    return escaped(timeline, storage, [](auto& t, auto&& f) { each_timeline_string(t, f); });
}

}  // namespace extriage
