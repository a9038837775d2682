// See state_facts.hpp.
#include "engine/state_facts.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace extriage {

namespace {

// Lowercase, braces dropped: product codes are written both ways.
std::string normalized(std::string_view s) {
    std::string out;
    for (char c : s)
        if (c != '{' && c != '}') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return out;
}

}  // namespace

bool is_state_parser(std::string_view parser) { return parser == "system-state" || parser == "healthchecker-clixml"; }

void StateFactCollector::set(std::string name, std::string value) {
    for (auto& [k, v] : facts_)
        if (k == name) {
            v = std::move(value);
            return;
        }
    facts_.emplace_back(std::move(name), std::move(value));
}

void StateFactCollector::append(const std::string& name, std::string_view item) {
    for (auto& [k, v] : facts_)
        if (k == name) {
            if (!list_contains(v, item)) v += fmt::format(" {}", item);
            return;
        }
    facts_.emplace_back(name, std::string(item));
}

void StateFactCollector::on_record(const Record& r) {
    if (!is_state_parser(r.parser)) return;
    const std::string_view kind = r.field("kind");
    if (kind == "snapshot") {
        if (r.has_field("server")) {
            set("server", std::string(r.field("server")));
            servers_.insert(normalized(r.field("server")));
        }
        if (r.has_field("collected_at")) set("collected_at", std::string(r.field("collected_at")));
        set("source", std::string(r.field("source")));
    } else if (kind == "exchange" && r.has_field("build")) {
        set("exchange_build", std::string(r.field("build")));
    } else if (kind == "pending-reboot") {
        set("pending_reboot", std::string(r.field("pending")));
    } else if (kind == "dotnet" && r.has_field("release")) {
        set("dotnet_release", std::string(r.field("release")));
    } else if (kind == "service") {
        const std::string name(r.field("name"));
        if (name.empty()) return;
        if (r.has_field("start_type")) set(fmt::format("service.{}.start_type", name), std::string(r.field("start_type")));
        if (r.has_field("status")) set(fmt::format("service.{}.status", name), std::string(r.field("status")));
        if (r.field("start_type") == "Disabled") append("disabled_services", name);
        if (r.has_field("status") && r.field("status") != "Running") append("stopped_services", name);
    } else if (kind == "installer-package" && r.field("present") == "no") {
        for (const char* code : {"product_code", "patch_code"})
            if (r.has_field(code)) append("msi_cache_missing", normalized(r.field(code)));
    }
}

FactList StateFactCollector::facts() const { return facts_; }

bool list_contains(std::string_view list, std::string_view item) {
    const std::string want = normalized(item);
    if (want.empty()) return false;
    const std::string have = normalized(list);
    size_t i = 0;
    while (i < have.size()) {
        while (i < have.size() && (have[i] == ' ' || have[i] == ',')) ++i;
        size_t j = i;
        while (j < have.size() && have[j] != ' ' && have[j] != ',') ++j;
        if (j > i && have.compare(i, j - i, want) == 0 && j - i == want.size()) return true;
        i = j;
    }
    return false;
}

}  // namespace extriage
