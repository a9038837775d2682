// Timeline entry kinds by name.
#include "model/timeline.hpp"

namespace extriage {

std::string_view timeline_kind_name(TimelineEntry::Kind kind) {
    using K = TimelineEntry::Kind;
    switch (kind) {
        case K::run_start: return "run-start";
        case K::run_end: return "run-end";
        case K::error: return "error";
        case K::event: return "event";
        case K::match: return "match";
        case K::finding: return "finding";
    }
    return "?";
}

}  // namespace extriage
