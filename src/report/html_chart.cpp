// SVG time chart (see the header).
#include "report/html_chart.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "civil_time.hpp"
#include "model/run_labels.hpp"
#include "report/markup.hpp"

namespace extriage {

namespace {

constexpr int kLabelWidth = 140;     // lane names
constexpr int kPlotWidth = 1000;     // the time axis, breaks included
constexpr int kBreakWidth = 56;      // one break between stretches
constexpr int kLaneHeight = 26;
constexpr int kTop = 22;             // room for the stretch start labels
constexpr int kBottom = 24;          // room for the stretch end labels
constexpr int64_t kBreakAfterMs = 3LL * 3600 * 1000;   // a gap longer than this breaks the axis
constexpr int64_t kMinSpanMs = 10LL * 60 * 1000;       // a stretch covers at least 10 minutes

struct Stretch {
    int64_t lo, hi;      // times covered (at least kMinSpanMs)
    int64_t first, last; // the first and last time in it
    double x0, width;    // where it is drawn
};

std::vector<Stretch> stretches_of(std::vector<int64_t> times) {
    std::sort(times.begin(), times.end());
    std::vector<Stretch> out;
    for (int64_t t : times) {
        if (out.empty() || t - out.back().hi > kBreakAfterMs) out.push_back({t, t, t, t, 0, 0});
        else out.back().hi = out.back().last = t;
    }
    for (auto& s : out) {
        if (s.hi - s.lo < kMinSpanMs) {
            const int64_t pad = (kMinSpanMs - (s.hi - s.lo)) / 2;
            s.lo -= pad;
            s.hi += pad;
        }
    }
    // Longer stretches get more room, but a two-year stretch should not squeeze a 30-minute one
    // into nothing: width grows with the logarithm of the span.
    double total = 0;
    std::vector<double> weight;
    for (const auto& s : out) {
        weight.push_back(std::log2(2.0 + double(s.hi - s.lo) / 60000.0));
        total += weight.back();
    }
    const double avail = kPlotWidth - kBreakWidth * double(out.size() - 1);
    double x = kLabelWidth;
    for (size_t i = 0; i < out.size(); ++i) {
        out[i].x0 = x;
        out[i].width = avail * weight[i] / total;
        x += out[i].width + kBreakWidth;
    }
    return out;
}

double x_of(const std::vector<Stretch>& stretches, int64_t t) {
    for (const auto& s : stretches)
        if (t >= s.lo && t <= s.hi) return s.x0 + s.width * double(t - s.lo) / double(s.hi - s.lo);
    // Not inside any stretch (cannot happen for the times the stretches were built from).
    return t < stretches.front().lo ? stretches.front().x0 : stretches.back().x0 + stretches.back().width;
}

std::string short_time(int64_t ms) { return format_time(ms, false).substr(0, 16); }

}  // namespace

std::string render_chart(const std::vector<ChartItem>& items, size_t max_points) {
    std::vector<std::string> lanes;
    std::vector<int64_t> times;
    bool any_local = false;
    for (const auto& it : items) {
        if (it.start_ms == kNoTime) continue;
        if (std::find(lanes.begin(), lanes.end(), it.lane) == lanes.end()) lanes.push_back(it.lane);
        times.push_back(it.start_ms);
        if (it.bar && it.end_ms != kNoTime && it.end_ms >= it.start_ms) times.push_back(it.end_ms);
        any_local = any_local || it.local_time;
    }
    if (times.empty()) return {};
    const auto stretches = stretches_of(times);
    const int height = kTop + kLaneHeight * int(lanes.size()) + kBottom;
    const int width = kLabelWidth + kPlotWidth + 10;
    std::string svg = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" "
        "aria-label=\"Timeline chart\">\n",
        width, height, width, height);
    // Lanes and their names.
    for (size_t i = 0; i < lanes.size(); ++i) {
        const int y = kTop + kLaneHeight * int(i);
        svg += fmt::format("<line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", kLabelWidth, y + kLaneHeight,
                           kLabelWidth + kPlotWidth, y + kLaneHeight);
        svg += fmt::format("<text x=\"4\" y=\"{}\">{}</text>\n", y + kLaneHeight / 2 + 4, html_escape(lanes[i]));
    }
    // Stretches: an axis line, start and end labels; breaks with the time skipped.
    const int axis_y = kTop + kLaneHeight * int(lanes.size());
    for (size_t i = 0; i < stretches.size(); ++i) {
        const auto& s = stretches[i];
        svg += fmt::format("<line class=\"axis\" x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\"/>", s.x0, axis_y, s.x0 + s.width,
                           axis_y);
        svg += fmt::format("<text x=\"{:.1f}\" y=\"14\">{}</text>", s.x0, short_time(s.lo));
        const std::string end = short_time(s.hi);
        const bool same_day = end.substr(0, 10) == short_time(s.lo).substr(0, 10);
        svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", s.x0 + s.width, axis_y + 16,
                           same_day ? end.substr(11) : end);
        if (i + 1 < stretches.size()) {
            const double bx = s.x0 + s.width + 4;
            const int64_t gap_min = (stretches[i + 1].first - s.last) / 60000;
            svg += fmt::format("<rect class=\"gap\" x=\"{:.1f}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", bx, kTop, kBreakWidth - 8,
                               kLaneHeight * int(lanes.size()));
            svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">+{}</text>\n", bx + (kBreakWidth - 8) / 2.0,
                               kTop + kLaneHeight * int(lanes.size()) / 2 + 4, format_distance(gap_min));
        }
    }
    // Bars first (points stay on top), then points, at most max_points per lane.
    std::map<std::string, size_t> drawn, left_out;
    for (int pass = 0; pass < 2; ++pass) {
        for (const auto& it : items) {
            if (it.start_ms == kNoTime || it.bar != (pass == 0)) continue;
            const size_t lane = std::find(lanes.begin(), lanes.end(), it.lane) - lanes.begin();
            if (!it.bar && drawn[it.lane]++ >= max_points) {
                ++left_out[it.lane];
                continue;
            }
            const int y = kTop + kLaneHeight * int(lane);
            std::string shape;
            const double x = x_of(stretches, it.start_ms);
            if (it.bar) {
                const double x2 = it.end_ms != kNoTime && it.end_ms >= it.start_ms ? x_of(stretches, it.end_ms) : x;
                shape = fmt::format("<rect class=\"{}\" x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" rx=\"2\">", html_escape(it.css),
                                    x, y + 5, std::max(3.0, x2 - x), kLaneHeight - 10);
                shape += fmt::format("<title>{}</title></rect>", html_escape(it.tooltip));
            } else {
                shape = fmt::format("<circle class=\"{}\" cx=\"{:.1f}\" cy=\"{}\" r=\"4.5\"><title>{}</title></circle>",
                                    html_escape(it.css), x, y + kLaneHeight / 2, html_escape(it.tooltip));
            }
            if (!it.href.empty()) shape = fmt::format("<a href=\"{}\">{}</a>", html_escape(it.href), shape);
            svg += shape + "\n";
        }
    }
    svg += "</svg>\n";
    std::string caption = "Time axis in UTC; a dashed box skips the time written on it.";
    if (any_local) caption += " Entries from logs without a time zone are placed by their local time as if it were UTC.";
    for (const auto& [lane, n] : left_out) caption += fmt::format(" {} more in {} not drawn.", n, lane);
    caption += " Hover a shape for details; click it to go to the entry.";
    return fmt::format("<figure class=\"chart\" id=\"chart\">\n{}<figcaption class=\"meta small\">{}</figcaption>\n</figure>\n", svg,
                       html_escape(caption));
}

}  // namespace extriage
