// `extriage rules list`: one line per rule, or a JSON document with every rule's id, severity,
// scope, sources, title, tags and links (its source pages).
#include "report/rules_list.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/version.hpp"

namespace extriage {

std::string render_rules_list(const RuleSet& rules, std::string_view format) {
    if (format != "json") {
        std::string out;
        for (const auto& r : rules.rules())
            out += fmt::format("{:<48} {:<8} {:<6} {}\n", r->id, level_name(r->severity), scope_name(r->scope), r->title);
        return out;
    }
    using nlohmann::ordered_json;
    ordered_json doc;
    doc["version"] = 1;
    doc["tool"] = {{"name", "extriage"}, {"version", std::string(tool_version())}};
    ordered_json list = ordered_json::array();
    for (const auto& r : rules.rules()) {
        ordered_json links = ordered_json::array();
        for (const auto& l : r->links) links.push_back({{"title", l.title}, {"url", l.url}});
        list.push_back({{"id", r->id},
                        {"severity", std::string(level_name(r->severity))},
                        {"scope", std::string(scope_name(r->scope))},
                        {"sources", r->sources},
                        {"title", r->title},
                        {"file", r->file},
                        {"tags", r->tags},
                        {"fallback", r->fallback},
                        {"links", std::move(links)}});
    }
    doc["rules"] = std::move(list);
    return doc.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace extriage
