// Small helpers on Record and Segment.
#include "record.hpp"

#include <array>

namespace extriage {

namespace {
constexpr std::array<std::string_view, 5> kLevelNames{"trace", "info", "warning", "error", "critical"};
}

std::string_view level_name(Level level) { return kLevelNames[static_cast<size_t>(level)]; }

std::optional<Level> parse_level(std::string_view name) {
    for (size_t i = 0; i < kLevelNames.size(); ++i)
        if (kLevelNames[i] == name) return static_cast<Level>(i);
    return std::nullopt;
}

std::string_view Record::field(std::string_view name) const {
    if (name == "text") return text;
    if (name == "line") return raw;
    for (const Field& f : fields)
        if (f.name == name) return f.value;
    return {};
}

bool Record::has_field(std::string_view name) const {
    if (name == "text" || name == "line") return true;
    for (const Field& f : fields)
        if (f.name == name) return true;
    return false;
}

const std::string* Segment::fact(std::string_view name) const {
    for (const auto& [k, v] : facts)
        if (k == name) return &v;
    return nullptr;
}

void Segment::set_fact(std::string name, std::string value) {
    for (auto& [k, v] : facts)
        if (k == name) {
            v = std::move(value);
            return;
        }
    facts.emplace_back(std::move(name), std::move(value));
}

}  // namespace extriage
