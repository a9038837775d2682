// Correlation of event findings with setup runs (see the header). A run's window is
// [start, end]; an event up to `window` minutes after the end still belongs to it (services
// crash, OWA breaks and MSI summaries land after setup.exe exits). Runs whose log had no time
// zone are compared as if their local clock were UTC, and the attachment says so.
#include "advice/correlate.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "model/analysis.hpp"

namespace extriage {

namespace {

int kind_rank(const std::string& kind) {
    if (kind == "setup-run") return 0;
    if (kind == "msi-session") return 1;
    return 2;
}

int64_t earliest_time(const Finding& f) {
    int64_t t = kNoTime;
    for (const auto& e : f.evidence)
        if (e.time_ms != kNoTime && (t == kNoTime || e.time_ms < t)) t = e.time_ms;
    return t;
}

// The runs an event's distance is measured to: setup runs and MSI sessions (what reports diagnose)
// when there are any, else every run.
std::vector<const Segment*> diagnosed_runs(const std::vector<const Segment*>& runs) {
    std::vector<const Segment*> out;
    for (const Segment* s : runs)
        if (kind_rank(s->kind) < 2) out.push_back(s);
    return out.empty() ? runs : out;
}

}  // namespace

const Segment* related_segment(const std::vector<const Segment*>& runs, int64_t time_ms, int window_minutes,
                               int64_t& minutes_after) {
    const int64_t window_ms = int64_t{std::max(0, window_minutes)} * 60000;
    const Segment* best = nullptr;
    // Smaller is better: (after?, then for "during" the kind and the latest start, for "after" the
    // latest end and the kind), then path and index for determinism.
    using Key = std::tuple<int, int64_t, int64_t, std::string, int>;
    Key best_key;
    for (const Segment* s : runs) {
        if (s->start_ms == kNoTime) continue;
        const int64_t end = s->end_ms == kNoTime ? s->start_ms : std::max(s->start_ms, s->end_ms);
        Key key;
        if (time_ms >= s->start_ms && time_ms <= end)   // latest start wins: the innermost of nested runs
            key = {0, kind_rank(s->kind), -s->start_ms, s->path, s->index};
        else if (time_ms > end && time_ms - end <= window_ms)   // the run that ended last before the event
            key = {1, -end, kind_rank(s->kind), s->path, s->index};
        else
            continue;
        if (!best || key < best_key) {
            best = s;
            best_key = key;
        }
    }
    if (best) {
        const int64_t end = best->end_ms == kNoTime ? best->start_ms : std::max(best->start_ms, best->end_ms);
        minutes_after = time_ms <= end ? 0 : std::max<int64_t>(1, (time_ms - end + 59999) / 60000);
    }
    return best;
}

const Segment* nearest_segment(const std::vector<const Segment*>& runs, int64_t time_ms, int64_t& minutes_before,
                               int64_t& minutes_after) {
    const Segment* best = nullptr;
    using Key = std::tuple<int64_t, int, std::string, int>;   // distance, kind, path, index
    Key best_key;
    for (const Segment* s : runs) {
        if (s->start_ms == kNoTime) continue;
        const int64_t end = s->end_ms == kNoTime ? s->start_ms : std::max(s->start_ms, s->end_ms);
        const int64_t distance = time_ms < s->start_ms ? s->start_ms - time_ms : time_ms > end ? time_ms - end : 0;
        Key key{distance, kind_rank(s->kind), s->path, s->index};
        if (!best || key < best_key) {
            best = s;
            best_key = key;
        }
    }
    minutes_before = minutes_after = 0;
    if (best) {
        const int64_t end = best->end_ms == kNoTime ? best->start_ms : std::max(best->start_ms, best->end_ms);
        if (time_ms < best->start_ms) minutes_before = std::max<int64_t>(1, (best->start_ms - time_ms + 59999) / 60000);
        else if (time_ms > end) minutes_after = std::max<int64_t>(1, (time_ms - end + 59999) / 60000);
    }
    return best;
}

void correlate_findings(AnalysisResult& result, const CorrelateOptions& options) {
    std::map<std::string, const FileSummary*> file_of;
    for (const auto& f : result.files) file_of[f.path] = &f;
    auto server_of = [&](const std::string& path) -> std::string {
        auto it = file_of.find(path);
        return it == file_of.end() ? std::string() : it->second->server;
    };
    std::vector<const Segment*> runs;
    for (const auto& s : result.runs)
        if (s.start_ms != kNoTime) runs.push_back(&s);
    std::vector<const Segment*> candidates;
    for (auto& f : result.findings) {
        f.related_run.reset();
        f.nearest_run.reset();
        auto it = file_of.find(f.path);
        if (it == file_of.end() || !is_event_parser(it->second->parser)) continue;
        const int64_t t = earliest_time(f);
        if (t == kNoTime) continue;
        const std::string& server = it->second->server;
        candidates.clear();
        for (const Segment* s : runs) {
            const std::string run_server = server_of(s->path);
            if (!server.empty() && !run_server.empty() && server != run_server) continue;
            candidates.push_back(s);
        }
        int64_t minutes_after = 0, minutes_before = 0;
        if (const Segment* s = related_segment(candidates, t, options.window_minutes, minutes_after))
            f.related_run = RelatedRun{s->path, s->index, s->kind, minutes_after, 0, !s->time_is_utc};
        else if (const Segment* n = nearest_segment(diagnosed_runs(candidates), t, minutes_before, minutes_after))
            f.nearest_run = RelatedRun{n->path, n->index, n->kind, minutes_after, minutes_before, !n->time_is_utc};
    }
}

}  // namespace extriage
